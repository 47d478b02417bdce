"""Catalog entries as pandas DataFrames, in units the caller chooses.

A column is named ``<field>_<unit>`` ("memory_gb", "memory_bandwidth_tb_s"); empty means unknown.
The default chip columns are the canonical CSV columns of ``python -m calc chips``.

>>> from specs.catalog import default_catalog
>>> frame = chip_frame([default_catalog().chip("H100")], units={"memory": "GiB"})
>>> round(float(frame.loc[0, "memory_gib"]), 1)
74.5
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from calc.errors import AccelcalcError
from specs.schema import Chip, Model, System

if TYPE_CHECKING:
    import pandas as pd

# column stem -> (unit, how to read the quantity from a chip)
CHIP_QUANTITIES: dict[str, tuple[str, Callable[[Chip], object]]] = {
    "bf16_dense": ("TFLOPS", lambda c: c.bf16_dense),
    "fp8_dense": ("TFLOPS", lambda c: c.fp8_dense),
    "fp4_dense": ("TFLOPS", lambda c: c.fp4_dense),
    "int8_dense": ("TOPS", lambda c: c.int8_dense),
    "memory": ("GB", lambda c: c.memory_capacity),
    "memory_bandwidth": ("TB/s", lambda c: c.memory_bandwidth),
    "scaleup_bandwidth": ("GB/s", lambda c: c.scaleup and c.scaleup.both_directions),
    "scaleup_domain": ("chips", lambda c: c.scaleup and c.scaleup.domain_chips),
    "tdp": ("W", lambda c: c.tdp),
    "fp16_dense": ("TFLOPS", lambda c: c.fp16_dense),
    "tf32_dense": ("TFLOPS", lambda c: c.tf32_dense),
    "fp64_dense": ("TFLOPS", lambda c: c.fp64_dense),
    "bf16_sparse": ("TFLOPS", lambda c: c.bf16_sparse),
    "fp8_sparse": ("TFLOPS", lambda c: c.fp8_sparse),
    "fp4_sparse": ("TFLOPS", lambda c: c.fp4_sparse),
    "scaleout_bandwidth": ("Gbit/s", lambda c: c.scaleout and c.scaleout.per_direction),
    "scaleup_pod": ("chips", lambda c: c.scaleup and (c.scaleup.pod_chips
                                                      or c.scaleup.domain_chips)),
}
COUNT_STEMS = tuple(stem for stem, (unit, _) in CHIP_QUANTITIES.items() if unit == "chips")
"""Columns that count chips: whole numbers (nullable integers in a DataFrame)."""
CHIP_TEXT: dict[str, Callable[[Chip], object]] = {
    "id": lambda c: c.id,
    "vendor": lambda c: c.vendor,
    "name": lambda c: c.name,
    "status": lambda c: c.status,
    "release_date": lambda c: c.release_date and c.release_date.value.isoformat(),
}
CHIP_TRAILING_TEXT: dict[str, Callable[[Chip], object]] = {
    "memory_type": lambda c: c.memory_type,
    "scaleup_name": lambda c: c.scaleup and c.scaleup.name,
    "scaleup_topology": lambda c: c.scaleup and c.scaleup.topology,
    "architecture": lambda c: c.architecture,
    "process_node": lambda c: c.process_node and c.process_node.value,
    "lowest_confidence": lambda c: lowest_confidence(c),
    "oldest_source_published": lambda c: oldest_source_published(c),
    "availability": lambda c: " | ".join(n.text for n in c.availability) or None,
}

MODEL_COLUMNS: dict[str, Callable[[Model], object]] = {
    "id": lambda m: m.id,
    "vendor": lambda m: m.vendor,
    "name": lambda m: m.name,
    "params_total_b": lambda m: m.params_total.value / 1e9,
    "params_active_b": lambda m: m.params_active.value / 1e9,
    "layers": lambda m: m.layers,
    "hidden_size": lambda m: m.hidden_size,
    "heads": lambda m: m.heads,
    "kv_heads": lambda m: m.kv_heads,
    "head_dim": lambda m: m.head_dim,
    "ffn_size": lambda m: m.ffn_size,
    "vocab_size": lambda m: m.vocab_size,
    "attention": lambda m: m.attention,
    "experts": lambda m: m.moe and m.moe.experts,
    "experts_per_token": lambda m: m.moe and m.moe.experts_per_token,
    "shared_experts": lambda m: m.moe and m.moe.shared_experts,
    "sliding_window": lambda m: m.sliding_window,
    "max_context": lambda m: m.max_context,
}

CONFIDENCE_ORDER = ["datasheet", "vendor-claim", "press", "estimate"]


def column_name(stem: str, unit: str) -> str:
    """``memory_bandwidth`` in ``TB/s`` → ``memory_bandwidth_tb_s``; a count keeps its stem's
    word (``scaleup_domain`` in chips → ``scaleup_domain_chips``)."""
    return f"{stem}_{re.sub(r'[^a-z0-9]+', '_', unit.lower()).strip('_')}"


def _magnitude(sourced, unit: str) -> float | None:
    if sourced is None:
        return None
    value = getattr(sourced, "value", sourced)
    if unit == "chips":
        return float(value)
    return float(value.to(unit).magnitude)


def _checked_units(units) -> dict[str, str]:
    """``units`` with every unit readable and of the dimension of its column's default."""
    from specs.units import parse_unit

    if units is None:
        return {}
    if not isinstance(units, dict):
        raise AccelcalcError(f"units must be a dict of column stem to unit, e.g. "
                             f"{{'memory': 'GiB'}}, got {type(units).__name__}")
    unknown = set(units) - set(CHIP_QUANTITIES)
    if unknown:
        raise AccelcalcError(f"no chip column {sorted(map(str, unknown))}; choose from "
                             f"{', '.join(CHIP_QUANTITIES)}")
    for stem, unit in units.items():
        default = CHIP_QUANTITIES[stem][0]
        if default == "chips":
            if unit != "chips":
                raise AccelcalcError(f"units['{stem}'] is a count of chips; leave it out")
            continue
        if parse_unit(unit).dimensionality != parse_unit(default).dimensionality:
            raise AccelcalcError(f"units['{stem}']={unit!r} does not measure what {stem} does; "
                                 f"use a unit like {default!r}")
    return dict(units)


def _checked_chips(chips) -> list[Chip]:
    if isinstance(chips, (str, bytes, Chip)) or not isinstance(chips, Iterable):
        raise AccelcalcError(f"chips must be a list of catalog chips (e.g. catalog.chips), got "
                             f"{type(chips).__name__}")
    chips = list(chips)
    for chip in chips:
        if not isinstance(chip, Chip):
            raise AccelcalcError(f"chips must hold Chip objects from the catalog, got a "
                                 f"{type(chip).__name__}")
    return chips


def chip_columns(units: dict[str, str] | None = None) -> list[str]:
    """The chip table's column names, in order, for ``units``."""
    units = _checked_units(units)
    return [*CHIP_TEXT,
            *(column_name(s, units.get(s, u)) for s, (u, _) in CHIP_QUANTITIES.items()),
            *CHIP_TRAILING_TEXT]


def chip_rows(chips: Iterable[Chip], units: dict[str, str] | None = None) -> list[dict]:
    """One dict per chip, keyed by :func:`chip_columns` (None where unknown); no pandas."""
    chips, units = _checked_chips(chips), _checked_units(units)
    rows = []
    for chip in chips:
        row = {name: get(chip) for name, get in CHIP_TEXT.items()}
        for stem, (default_unit, get) in CHIP_QUANTITIES.items():
            unit = units.get(stem, default_unit)
            row[column_name(stem, unit)] = _magnitude(get(chip), unit)
        row |= {name: get(chip) for name, get in CHIP_TRAILING_TEXT.items()}
        for stem in COUNT_STEMS:
            row[column_name(stem, "chips")] = _whole(row[column_name(stem, "chips")])
        rows.append(row)
    return rows


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def chip_frame(chips: Iterable[Chip], units: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per chip: text columns, then every quantity in the caller's units.

    ``units`` maps a column stem (``memory``, ``memory_bandwidth``, ``bf16_dense``…) to any
    compatible unit; the stem's default unit is used otherwise.
    """
    import pandas as pd

    frame = pd.DataFrame(chip_rows(chips, units), columns=chip_columns(units))
    return frame.astype({column_name(stem, "chips"): "Int64" for stem in COUNT_STEMS})


def model_frame(models: Iterable[Model]) -> pd.DataFrame:
    """One row per model: shapes, attention kind, MoE layout, parameter counts (billions)."""
    import pandas as pd

    if isinstance(models, (str, bytes, Model)) or not isinstance(models, Iterable):
        raise AccelcalcError(f"models must be a list of catalog models (e.g. catalog.models), "
                             f"got {type(models).__name__}")
    models = list(models)
    if not all(isinstance(m, Model) for m in models):
        raise AccelcalcError("models must hold Model objects from the catalog")
    frame = pd.DataFrame([{k: get(m) for k, get in MODEL_COLUMNS.items()} for m in models],
                         columns=list(MODEL_COLUMNS))
    counts = ["experts", "experts_per_token", "shared_experts", "sliding_window"]
    return frame.astype({c: "Int64" for c in counts})


def _headline_sources(chip: Chip):
    return [s.source for s in (chip.bf16_dense, chip.fp8_dense, chip.memory_capacity,
                               chip.memory_bandwidth, chip.tdp) if s is not None]


def lowest_confidence(chip: Chip) -> str | None:
    """The weakest confidence among the chip's headline figures (what procurement should trust)."""
    levels = [source.confidence for source in _headline_sources(chip)]
    return max(levels, key=CONFIDENCE_ORDER.index) if levels else None


def oldest_source_published(chip: Chip) -> str | None:
    """The earliest publication date among the sources of the chip's headline figures (how old
    the figures may be); None when none of them has a known publication date."""
    dates = [source.published for source in _headline_sources(chip) if source.published]
    return min(dates).isoformat() if dates else None


def _system_row(system: System) -> dict:
    bandwidth = system.scaleup_bandwidth and system.scaleup_bandwidth.both_directions
    return {"id": system.id, "vendor": system.vendor, "name": system.name,
            "status": system.status, "chip": system.chip, "chips": system.chips.value,
            "scaleup_domain_chips": system.scaleup_domain_chips.value,
            "interconnect": system.interconnect, "topology": system.topology,
            "scaleup_bandwidth_gb_s": bandwidth and float(bandwidth.to("GB/s").magnitude),
            "memory_tb": system.memory_capacity and float(
                system.memory_capacity.value.to("TB").magnitude),
            "power_kw": system.power and float(system.power.value.to("kW").magnitude),
            "release_date": system.release_date and system.release_date.value.isoformat()}


def system_frame(systems: Iterable[System]) -> pd.DataFrame:
    """One row per scale-up system: its chip and chip counts, fabric, per-chip scale-up
    bandwidth inside it (both directions, where it differs from the chip's), memory and power
    of the whole system.

    >>> from specs.catalog import default_catalog
    >>> frame = system_frame(default_catalog().systems)
    >>> int(frame.set_index("id").loc["huawei-cloudmatrix-384", "chips"])
    384
    """
    import pandas as pd

    systems = list(systems)
    if not all(isinstance(s, System) for s in systems):
        raise AccelcalcError("systems must hold System objects from the catalog")
    return pd.DataFrame([_system_row(s) for s in systems]).astype(
        {"chips": "Int64", "scaleup_domain_chips": "Int64"}) if systems else pd.DataFrame()


def source_frame(record: Chip | System | Model) -> pd.DataFrame:
    """The sources a catalog entry cites: key, confidence, publication and retrieval dates,
    title, URL and note."""
    import pandas as pd

    return pd.DataFrame([{"key": key, "confidence": s.confidence,
                          "published": s.published and s.published.isoformat(),
                          "retrieved": s.retrieved and s.retrieved.isoformat(),
                          "source": s.title or s.url, "url": s.url, "note": s.note}
                         for key, s in record.sources.items()],
                        columns=["key", "confidence", "published", "retrieved", "source", "url",
                                 "note"])
