"""Your own chips, systems and models beside the shipped catalog: read from an uploaded YAML file
(the catalog's own layout), a Hugging Face ``config.json`` or a chip's figures typed into a form,
validated by the same schema.

>>> from specs.catalog import default_catalog
>>> config = b'{"hidden_size": 512, "num_hidden_layers": 2, "num_attention_heads": 8, '
>>> config += b'"intermediate_size": 1024, "vocab_size": 1000, "max_position_embeddings": 2048}'
>>> model = read_upload("tiny.json", config)
>>> catalog = with_records(default_catalog(), [model])
>>> catalog.model("tiny").layers, len(catalog.models) == len(default_catalog().models) + 1
(2, True)

A chip typed by hand is the same record, its figures sourced as your own estimates:

>>> chip = chip_from_form({"name": "My NPU", "vendor": "Me", "memory_capacity": "96 GB",
...                        "bf16_dense": "400 TFLOPS"})
>>> chip.id, str(chip.memory_capacity.value), chip.bf16_dense.source.confidence
('me-my-npu', '96 GB', 'estimate')
>>> chip_from_form({"name": "My NPU", "vendor": "Me", "memory_capacity": "-3 GB"})
Traceback (most recent call last):
...
specs.catalog.RecordError: your chip: memory_capacity: a memory size must be positive, got '-3 GB'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from specs.catalog import Catalog, CatalogError, RecordError, Table, validate_record
from specs.schema import Chip, Model, PriceFile, Record, System, slug
from specs.yamlio import load_yaml_text

MAX_UPLOAD_BYTES = 100_000
"""An upload larger than this is refused (a chip file is about 10 kB, a config.json 2 kB)."""


def read_upload(name: str, data: bytes) -> Record:
    """A chip, system or model from an uploaded file: ``*.json`` is a Hugging Face config
    (:func:`calc.hf.model_from_hf_config`), anything else a catalog YAML file (a model has
    ``layers:``, a system ``chip:``, else it is a chip). Raises :class:`CatalogError` saying
    what to fix."""
    from calc.hf import model_from_hf_config

    if not isinstance(data, bytes) or not 0 < len(data) <= MAX_UPLOAD_BYTES:
        raise CatalogError(f"{name}: upload a file of 1 to {MAX_UPLOAD_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CatalogError(f"{name}: not UTF-8 text; save the file as UTF-8") from None
    stem = Path(name).name.rsplit(".", 1)[0]
    if name.lower().endswith(".json"):
        try:
            config = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as err:
            raise CatalogError(f"{name}: not valid JSON ({err})") from None
        return model_from_hf_config(config, model_id=slug(stem) or "model")
    fields = load_yaml_text(text, name)
    if not isinstance(fields, dict):
        raise CatalogError(f"{name}: expected a mapping of fields like the files in specs/")
    kind = Model if "layers" in fields else System if "chip" in fields else Chip
    return validate_record(fields, kind, name)


CHIP_FORM = {
    "name": "name", "vendor": "vendor", "status": "status",
    "memory_capacity": "memory_capacity", "memory_bandwidth": "memory_bandwidth",
    "bf16_dense": "bf16_dense", "fp8_dense": "fp8_dense", "fp4_dense": "fp4_dense",
    "scaleup_bandwidth": "scaleup.bandwidth", "scaleup_domain_chips": "scaleup.domain_chips",
    "tdp": "tdp",
}
"""The fields of the chip form -> where the chip schema keeps them. Quantities are text with a
unit ("96 GB", "1.6 TB/s", "400 TFLOPS", "450 GB/s" per direction, "600 W"); the domain is a
count of chips."""
USER_SOURCE = "yours"
"""Key, in a typed chip's ``sources:``, of the user's own figures."""


def chip_from_form(form: Mapping[str, Any], *, today: date | None = None) -> Chip:
    """A chip from what a user typed in the fields of ``CHIP_FORM`` (an empty field is
    unknown), built in the layout of a chip file and validated by :func:`read_upload`'s schema
    check. Every figure cites one source of confidence ``estimate`` that says the user typed it,
    dated ``today``; the id is vendor-name ("Me", "My NPU" -> me-my-npu) and the status, unless
    given, shipping. A :class:`RecordError` lists each problem by its form field."""
    unknown = set(form) - set(CHIP_FORM)
    if unknown:
        raise CatalogError(f"unknown chip form field(s) {', '.join(sorted(unknown))}; use "
                           f"{', '.join(CHIP_FORM)}")
    typed = {k: v.strip() if isinstance(v, str) else v for k, v in form.items()}
    typed = {k: v for k, v in typed.items() if v not in (None, "")}
    source = {"url": "typed into the accelcalc app by its user", "published": today or date.today(),
              "confidence": "estimate", "title": "your own figures (not a datasheet)",
              "note": "entered by hand for this browser session; not checked against a source"}
    fields: dict[str, Any] = {"sources": {USER_SOURCE: source}, "status": "shipping"}
    for key, path in CHIP_FORM.items():
        if key not in typed:
            continue
        value = typed[key] if key in ("name", "vendor", "status") else \
            {"value": typed[key], "source": USER_SOURCE}
        *parents, last = path.split(".")
        node = fields
        for parent in parents:
            node = node.setdefault(parent, {})
        node[last] = value
    if "bandwidth" in fields.get("scaleup", {}):
        fields["scaleup"]["direction"] = "per-direction"
    problems = []  # a name without Latin letters or digits makes no id (and fails below)
    name_part = _id_part(str(typed.get("name", "")))
    if typed.get("name") and not name_part:
        problems.append(("name", "use at least one Latin letter or digit: the name makes the "
                                 "chip's id"))
    elif name_part:
        vendor_part = _id_part(str(typed.get("vendor", ""))).replace("-", "")
        fields["id"] = "-".join(part for part in (vendor_part, name_part) if part)
    try:
        return validate_record(fields, Chip, "your chip")
    except RecordError as err:
        problems += [(_form_field(where), message) for where, message in err.problems]
        raise RecordError("your chip", _first_per_field(problems)) from None


def _id_part(text: str) -> str:
    """Lower-case Latin letters and digits of ``text``, runs joined by '-' ("My NPU" -> my-npu)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _form_field(where: str) -> str:
    """The form field a schema path belongs to (an id problem is the name's)."""
    if where == "id":
        return "name"
    for key, path in CHIP_FORM.items():
        if where == path or where.startswith(path + "."):
            return key
    return where


def _first_per_field(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    firsts: dict[str, str] = {}
    for field, message in problems:
        firsts.setdefault(field, message)
    return list(firsts.items())


def with_records(catalog: Catalog, records: list[Record]) -> Catalog:
    """``catalog`` with ``records`` added (prices and assumptions kept); an id or alias that is
    already taken raises :class:`CatalogError`."""
    tables = {Chip: dict(catalog.chips.records), System: dict(catalog.systems.records),
              Model: dict(catalog.models.records)}
    for record in records:
        table = tables[type(record)]
        if record.id in table:
            raise CatalogError(f"id '{record.id}' is already in the catalog; give yours another "
                               f"id")
        table[record.id] = record
    price_files = {Path(f"{chip}.yaml"): PriceFile(chip=chip, prices=catalog.prices_for(chip))
                   for chip in catalog.chips.records if catalog.prices_for(chip)}
    return Catalog(Table("chip", tables[Chip], {}), Table("system", tables[System], {}),
                   Table("model", tables[Model], {}), price_files=price_files,
                   assumptions=catalog.assumptions)
