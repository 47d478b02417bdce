"""The catalog: every chip, system, model and price file, validated once, looked up by id or
alias, with the cost assumptions beside them.

>>> catalog = load_catalog()
>>> catalog.chip("H100").id
'nvidia-h100-sxm'
>>> catalog.model("DeepSeek-R1").id
'deepseek-v3'
>>> [str(price.amount) for price in catalog.prices_for("H200") if price.region == "China"]
['175000 CNY']
"""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import ValidationError

from specs.assumptions import Assumptions
from specs.cache import DATA_DIR, KIND_FOLDERS, cached, shipped_files
from specs.errors import AccelcalcError
from specs.schema import Chip, Model, Price, PriceFile, Record, System, slug
from specs.yamlio import load_yaml

KINDS: dict[str, type[Record]] = dict(zip(KIND_FOLDERS, (Chip, System, Model)))
PRICES_DIR, ASSUMPTIONS_FILE = "prices", "assumptions.yaml"


class CatalogError(AccelcalcError):
    """A data file does not follow the schema, or a lookup failed."""


class RecordError(CatalogError):
    """A record that does not follow the schema; ``problems`` lists each (field path, message),
    so a form can show a message next to the field it concerns."""

    def __init__(self, where: str, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(f"{where}: " + "; ".join(f"{field}: {message}"
                                                  for field, message in problems))


class UnknownIdError(CatalogError, KeyError):
    """No entry has this id or alias."""

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


R = TypeVar("R", Chip, System, Model)


def _describe(error: dict) -> tuple[str, str]:
    where = ".".join(str(part) for part in error["loc"] if not str(part).startswith(
        ("function-", "Sourced[", "tagged-union[")))
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key (not in the schema; check its spelling)"
    elif error["type"] == "missing":
        message = "required but missing"
    return where or "(top level)", message


def read_yaml(path: Path, expected: type = dict):
    """The YAML document in ``path``, which must be a ``expected`` (mapping or list); read
    within the limits of :mod:`specs.yamlio` (size, depth, no aliases or duplicate keys)."""
    data = load_yaml(path)
    if data is None:
        raise CatalogError(f"{path}: the file is empty; see the shipped files for the layout")
    if not isinstance(data, expected):
        what = "mapping of fields" if expected is dict else "YAML list"
        raise CatalogError(f"{path}: expected a {what}, got {type(data).__name__}")
    return data


def read_record(path: Path, kind: type[R]) -> R:
    """Read and validate one YAML file; errors name the file, the field and what was expected."""
    return validate_record(read_yaml(path), kind, str(path))


def validate_record(data: dict, kind: type[R], where: str) -> R:
    """Validate the fields of one record (a data file's mapping); a :class:`RecordError` names
    ``where`` (the file), each failing field and what was expected."""
    try:
        return kind.model_validate(data)
    except ValidationError as err:
        raise RecordError(where, [_describe(e) for e in err.errors(include_url=False)]) from None
    except ValueError as err:  # raised before field validation (unknown source key)
        raise RecordError(where, [("(top level)", str(err))]) from None


class Table(Generic[R]):
    """Records of one kind, by id, with case-insensitive lookup by id, alias or vendor-less id."""

    def __init__(self, kind_name: str, records: dict[str, R], files: dict[str, Path]):
        self.kind_name = kind_name
        self.records = dict(sorted(records.items()))
        self._names: dict[str, str] = {}
        for record in self.records.values():
            for name in {slug(record.id), *(slug(a) for a in record.aliases)}:
                self._claim(name, record.id, files)
        for record in self.records.values():  # the id without its vendor, where still free
            vendor_prefix = slug(record.vendor).replace("-", "") + "-"
            if record.id.startswith(vendor_prefix):
                self._names.setdefault(record.id.removeprefix(vendor_prefix), record.id)

    def _claim(self, name: str, record_id: str, files: dict[str, Path]) -> None:
        owner = self._names.get(name)
        if owner is not None and owner != record_id:
            raise CatalogError(f"{files.get(record_id, record_id)}: id or alias '{name}' is "
                               f"already used by {owner} ({files.get(owner, owner)}); "
                               f"names must be unique")
        self._names[name] = record_id

    def __getitem__(self, name: str) -> R:
        key = slug(str(name))
        if key in self._names:
            return self.records[self._names[key]]
        close = difflib.get_close_matches(key, list(self._names), n=5, cutoff=0.5)
        ids = list(dict.fromkeys(self._names[c] for c in close))
        hint = f"; did you mean {', '.join(ids)}?" if ids else ""
        raise UnknownIdError(f"unknown {self.kind_name} '{name}'{hint}")

    def __iter__(self):
        return iter(self.records.values())

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, name: str) -> bool:
        return slug(str(name)) in self._names


class Catalog:
    """Chips, systems and models, each a :class:`Table`; prices by chip; cost assumptions."""

    def __init__(self, chips: Table[Chip], systems: Table[System], models: Table[Model],
                 price_files: dict[Path, PriceFile] | None = None,
                 assumptions: Assumptions | None = None):
        self.chips, self.systems, self.models = chips, systems, models
        self.assumptions = assumptions
        """Cost-model defaults (``assumptions.yaml``); None for a root without that file."""
        for system in systems:
            if system.chip not in chips.records:
                raise CatalogError(f"system {system.id}: chip '{system.chip}' is not a chip id "
                                   f"in the catalog")
        for record in [*chips, *systems]:
            for claim in record.claims:
                if claim.baseline and claim.baseline not in chips and claim.baseline not in systems:
                    raise CatalogError(f"{record.id}: claim baseline '{claim.baseline}' is not a "
                                       f"chip or system id in the catalog")
                if claim.model and claim.model not in models:
                    raise CatalogError(f"{record.id}: claim model '{claim.model}' is not a model "
                                       f"id in the catalog")
        self._prices: dict[str, list[Price]] = {}
        for path, price_file in (price_files or {}).items():
            if price_file.chip not in chips.records:
                raise CatalogError(f"{path}: chip '{price_file.chip}' is not a chip id in the "
                                   f"catalog; use a chip's id (see specs/chips/) or add the chip")
            if path.stem != price_file.chip:
                raise CatalogError(f"{path}: a price file is named after its chip; rename it to "
                                   f"'{price_file.chip}.yaml'")
            self._prices.setdefault(price_file.chip, []).extend(price_file.prices)
        for chip_id in (assumptions.all_in_power if assumptions else {}):
            if chip_id not in chips.records:
                raise CatalogError(f"{ASSUMPTIONS_FILE}: all_in_power key '{chip_id}' is not a "
                                   f"chip id in the catalog; use the chip's id")
        vendors = {chip.vendor for chip in chips}
        for vendor in (assumptions.vendor_home if assumptions else {}):
            if vendor not in vendors:
                raise CatalogError(f"{ASSUMPTIONS_FILE}: vendor_home key '{vendor}' is not a "
                                   f"vendor of any chip; write it as in the chip files")

    def prices_for(self, chip_id: str) -> list[Price]:
        """Every price of the chip (id or alias), oldest source first; empty when none is known.

        Old prices stay in the list: check :meth:`Price.is_stale` and warn.
        """
        chip = self.chips[chip_id]
        return sorted(self._prices.get(chip.id, []), key=lambda price: price.source.as_of)

    def chip(self, name: str) -> Chip:
        return self.chips[name]

    def system(self, name: str) -> System:
        return self.systems[name]

    def model(self, name: str) -> Model:
        return self.models[name]


def _read_kind(kind_name: str, paths: list[Path], records: dict, files: dict) -> None:
    """Validate ``paths`` into ``records`` and ``files`` (by id); ids equal file names."""
    kind = KINDS[kind_name]
    for path in paths:
        record = read_record(path, kind)
        if path.stem != record.id:
            raise CatalogError(f"{path}: id '{record.id}' must equal the file name "
                               f"'{path.stem}'; rename the file or fix the id")
        if record.id in records:
            raise CatalogError(f"{path}: duplicate id '{record.id}', also in {files[record.id]}")
        records[record.id], files[record.id] = record, path


def _read_folder(found: dict[str, list[Path]], price_paths: list[Path],
                 assumptions_path: Path) -> tuple[dict, dict, Assumptions | None]:
    """Records by kind (with their files), price files by path, and the assumptions."""
    tables = {k: ({}, {}) for k in KINDS}
    for kind_name, paths in found.items():
        _read_kind(kind_name, paths, *tables[kind_name])
    prices = {path: read_record(path, PriceFile) for path in price_paths}
    assumptions = read_record(assumptions_path, Assumptions) if assumptions_path.exists() \
        else None
    return tables, prices, assumptions


def load_catalog(root: Path | str = DATA_DIR,
                 extra: list[Path | str] | Path | str = ()) -> Catalog:
    """Load every ``chips/``, ``systems/``, ``models/`` and ``prices/`` YAML file under ``root``,
    and ``assumptions.yaml`` beside them.

    ``extra`` adds a user's own files (one path or a list); each is validated by the same schema,
    and lives in the table its parent folder names (``chips``, ``systems``, ``models`` or
    ``prices``) or, failing that, the one whose schema it fits (a file with ``prices:`` is a
    price file, with ``layers:`` a model, with ``chip:`` a system). A user's price file adds to
    the chip's shipped prices. The shipped catalog is cached on disk (:mod:`specs.cache`).
    """
    root = _path("root", root)
    if not root.is_dir():
        raise CatalogError(f"catalog folder {root} does not exist; pass the folder that holds "
                           f"chips/, systems/ and models/")
    if isinstance(extra, (str, Path)):
        extra = [extra]
    if not isinstance(extra, (list, tuple)):
        raise CatalogError(f"extra must be a list of YAML file paths, got "
                           f"{type(extra).__name__}")
    extra = [_path("extra file", p) for p in extra]
    found = {k: sorted((root / k).rglob("*.yaml")) for k in KINDS}
    if not any(found.values()):
        raise CatalogError(f"{root} holds no chips/, systems/ or models/ YAML files; pass the "
                           f"catalog folder")
    price_paths = sorted((root / PRICES_DIR).glob("*.yaml"))

    def read():
        return _read_folder(found, price_paths, root / ASSUMPTIONS_FILE)

    shipped = root.resolve() == DATA_DIR.resolve()
    tables, prices, assumptions = cached("catalog", shipped_files(), read) if shipped else read()
    tables = {k: (dict(records), dict(files)) for k, (records, files) in tables.items()}
    prices = dict(prices)
    for path in extra:
        kind_name = _kind_of(path)
        if kind_name == PRICES_DIR:
            prices[path] = read_record(path, PriceFile)
        else:
            _read_kind(kind_name, [path], *tables[kind_name])
    return Catalog(**{k: Table(k[:-1], records, files) for k, (records, files) in tables.items()},
                   price_files=prices, assumptions=assumptions)


def _path(what: str, value) -> Path:
    if not isinstance(value, (str, Path)) or not str(value).strip():
        raise CatalogError(f"{what} must be a file or folder path, got {value!r}")
    return Path(value)


def _kind_of(path: Path) -> str:
    if path.parent.name in (*KINDS, PRICES_DIR):
        return path.parent.name
    data = read_yaml(path)
    if "prices" in data:
        return PRICES_DIR
    return "models" if "layers" in data else "systems" if "chip" in data else "chips"


@cache
def default_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return load_catalog()
