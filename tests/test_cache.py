"""The on-disk catalog cache: read when nothing changed, rebuilt when a file changes, and never
needed (an unwritable or damaged cache costs time, not correctness)."""

import os

from specs import cache


def test_cache_is_reused_until_a_file_changes_and_survives_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCELCALC_CACHE_DIR", str(tmp_path / "cache"))
    data = tmp_path / "chip.yaml"
    data.write_text("a: 1\n")
    builds = []

    def build():
        builds.append(1)
        return {"rows": len(builds)}

    assert cache.cached("t", [data], build) == {"rows": 1}
    assert cache.cached("t", [data], build) == {"rows": 1} and len(builds) == 1
    data.write_text("a: 22\n")  # another size (and mtime): rebuilt, the old file removed
    assert cache.cached("t", [data], build) == {"rows": 2}
    assert len(list((tmp_path / "cache").glob("t-*.pickle"))) == 1
    next((tmp_path / "cache").glob("t-*.pickle")).write_bytes(b"not a pickle")
    assert cache.cached("t", [data], build) == {"rows": 3}


def test_an_unwritable_or_disabled_cache_still_gives_the_value(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("ACCELCALC_CACHE_DIR", str(blocked / "sub"))  # cannot be a folder
    assert cache.cached("t", [blocked], lambda: 42) == 42
    monkeypatch.setenv("ACCELCALC_CACHE_DIR", "off")
    assert cache.cache_dir() is None and cache.cached("t", [blocked], lambda: 43) == 43
    assert not os.path.exists(blocked / "sub")


def test_the_shipped_catalog_round_trips_through_the_cache(tmp_path, monkeypatch):
    from specs.catalog import load_catalog

    monkeypatch.setenv("ACCELCALC_CACHE_DIR", str(tmp_path))
    first, second = load_catalog(), load_catalog()  # built, then read back
    assert list(tmp_path.glob("catalog-*.pickle"))
    assert second.chip("H100") == first.chip("H100")
    assert second.chip("H100").memory_bandwidth.value.to("TB/s").magnitude == 3.35
