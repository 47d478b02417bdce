"""Your own chips, systems and models beside the shipped catalog: read from an uploaded YAML file
(the catalog's own layout) or a Hugging Face ``config.json``, validated by the same schema.

>>> from specs.catalog import default_catalog
>>> config = b'{"hidden_size": 512, "num_hidden_layers": 2, "num_attention_heads": 8, '
>>> config += b'"intermediate_size": 1024, "vocab_size": 1000, "max_position_embeddings": 2048}'
>>> model = read_upload("tiny.json", config)
>>> catalog = with_records(default_catalog(), [model])
>>> catalog.model("tiny").layers, len(catalog.models) == len(default_catalog().models) + 1
(2, True)
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from specs.catalog import Catalog, CatalogError, Table, read_record
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
    with tempfile.TemporaryDirectory() as folder:  # read_record gives the catalog's messages
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        try:
            return read_record(path, kind)
        except CatalogError as err:
            raise CatalogError(str(err).replace(str(path), name)) from None


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
