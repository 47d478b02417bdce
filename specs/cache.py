"""An on-disk cache of the validated shipped catalog, so a command starts without re-reading and
re-validating every YAML file.

The cache lives outside the repository, in ``$ACCELCALC_CACHE_DIR`` or
``$XDG_CACHE_HOME/accelcalc`` (default ``~/.cache/accelcalc``). Its key hashes the path, size and
modification time of every data file and of the ``specs`` code that validates them, and the
Python, pydantic and pint versions: any change reads the files again. A cache that cannot be
read or written is ignored (set ``ACCELCALC_CACHE_DIR=off`` to disable it). The file is a pickle
in a folder only its owner can write, read only by that owner's processes.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
DATA_DIR = Path(__file__).parent
KIND_FOLDERS = ("chips", "systems", "models")


def shipped_files() -> list[Path]:
    """The shipped data files (chips, systems, models, prices, assumptions) and the ``specs``
    code that validates them: the cache's key."""
    return sorted([*DATA_DIR.rglob("*.yaml"), *DATA_DIR.glob("*.py"), *DATA_DIR.glob("*.txt")])


def cache_dir() -> Path | None:
    """The folder of the cache, or None when disabled."""
    chosen = os.environ.get("ACCELCALC_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "accelcalc"


def fingerprint(files: Iterable[Path]) -> str:
    """A hash of each file's path, size and modification time, and of the library versions."""
    digest = hashlib.sha256()
    versions = [sys.version, *(metadata.version(p) for p in ("pydantic", "pint", "pyyaml"))]
    digest.update("|".join(versions).encode())
    for path in sorted(files):
        stat = path.stat()
        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


class _Pickler(pickle.Pickler):
    """Pickles parametrized pydantic generics (``Sourced[date]``) by origin and arguments."""

    def reducer_override(self, obj):
        meta = getattr(obj, "__pydantic_generic_metadata__", None) if isinstance(obj, type) \
            else None
        if meta and meta.get("origin") is not None:
            return _parametrize, (meta["origin"], tuple(meta["args"]))
        return NotImplemented


def _parametrize(origin, args):
    return origin[args if len(args) != 1 else args[0]]


def cached(name: str, files: list[Path], build: Callable[[], T]) -> T:
    """``build()``, read from the cache ``name`` when ``files`` are unchanged since it was
    written (older versions of ``name`` from this checkout are removed when a new one is
    written; other checkouts sharing the folder keep theirs)."""
    folder = cache_dir()
    if folder is None:
        return build()
    install = hashlib.sha256(str(DATA_DIR).encode()).hexdigest()[:8]  # checkouts keep their own
    target = folder / f"{name}-{install}-{fingerprint(files)}.pickle"
    try:
        with open(target, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - missing, damaged or stale: rebuilt, never trusted
        pass
    value = build()
    try:
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return value  # not picklable: costs time, never correctness
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
            handle.write(buffer.getvalue())
        os.replace(handle.name, target)
        for old in folder.glob(f"{name}-{install}-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # an unwritable cache costs time, never correctness
    return value
