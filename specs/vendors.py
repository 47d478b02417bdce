"""Chip vendors' home markets (``specs/vendors.yaml``), each sourced."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from specs.catalog import read_record
from specs.schema import Sourced, SourcedDocument

VENDORS_FILE = Path(__file__).parent / "vendors.yaml"


class Vendors(SourcedDocument):
    """Where each vendor is headquartered, by the vendor name chip files use."""

    homes: dict[str, Sourced[str]]
    """Vendor name → country or region of its headquarters ("China", "US")."""


@cache
def vendor_homes() -> dict[str, str]:
    """Vendor name → home region, from the shipped file."""
    return {name: home.value for name, home in read_record(VENDORS_FILE, Vendors).homes.items()}
