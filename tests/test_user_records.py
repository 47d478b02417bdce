"""Your own chips: typed into a form or uploaded as YAML, one schema check, problems by field."""

from datetime import date

import pytest

from calc.user_records import chip_from_form, read_upload
from specs.catalog import RecordError
from specs.units import Q_


def test_a_typed_chip_reads_any_compatible_unit_and_marks_each_figure_as_your_estimate():
    chip = chip_from_form({"name": "X 1", "vendor": "Moore Threads", "memory_capacity": "64 GiB",
                           "memory_bandwidth": "25.6 Tbit/s", "scaleup_bandwidth": "400 GB/s",
                           "scaleup_domain_chips": 8, "tdp": "0.5 kW"}, today=date(2026, 12, 1))
    assert chip.id == "moorethreads-x-1" and chip.status == "shipping"
    assert chip.memory_capacity.value.to("GB").magnitude == pytest.approx(68.719476736)
    assert chip.memory_bandwidth.value.to("TB/s") == Q_(3.2, "TB/s")
    assert chip.scaleup.both_directions.to("GB/s") == Q_(800, "GB/s")  # typed per direction
    source = chip.tdp.source
    assert (source.confidence, source.published) == ("estimate", date(2026, 12, 1))
    assert "not a datasheet" in source.title


def test_every_bad_field_of_a_typed_chip_is_named_once_and_no_chip_is_made():
    with pytest.raises(RecordError) as caught:
        chip_from_form({"name": "昇腾", "vendor": "", "memory_bandwidth": "3.35 TB",
                        "scaleup_domain_chips": "eight", "tdp": "700"})
    problems = dict(caught.value.problems)
    assert set(problems) == {"name", "vendor", "memory_bandwidth", "scaleup_domain_chips", "tdp"}
    assert "Latin letter" in problems["name"] and "required" in problems["vendor"]
    assert "expected a bandwidth" in problems["memory_bandwidth"]
    assert "add its unit" in problems["tdp"]


def test_an_uploaded_yaml_chip_and_a_typed_one_fail_the_same_schema_check_alike():
    upload = b"id: me-npu\nvendor: Me\nname: NPU\nstatus: shipping\nsources:\n" \
             b"  s: {url: notes, published: 2026-11-01, confidence: estimate}\n" \
             b"memory_capacity: {value: -3 GB, source: s}\n"
    with pytest.raises(RecordError) as uploaded:
        read_upload("npu.yaml", upload)
    with pytest.raises(RecordError) as typed:
        chip_from_form({"name": "NPU", "vendor": "Me", "memory_capacity": "-3 GB"})
    assert uploaded.value.problems == [("memory_capacity.value",
                                        "a memory size must be positive, got '-3 GB'")]
    assert typed.value.problems == [("memory_capacity", uploaded.value.problems[0][1])]
