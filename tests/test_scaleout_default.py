"""A chip that publishes no scale-out bandwidth is networked at the assumed default
(specs/assumptions.yaml: 200 Gb/s = 25 GB/s per accelerator per direction, 100-400 Gb/s), and
every answer that relies on it says so."""

import numpy as np

from calc import hardware
from calc.engine import Reason, evaluate
from calc.hardware import hardware_table
from calc.layouts import fixed_chip_layouts
from calc.perf import Efficiency
from calc.precision import PrecisionPlan
from calc.predict import predict
from calc.sizing import size
from calc.uncertainty import figures, sample_table
from calc.workload import Workload
from specs.catalog import default_catalog

NOTE = ("scale-out bandwidth not published; assumed 25 GB/s per direction "
        "(estimate, range 12.5–50 GB/s)")


def test_the_default_is_200_gbit_per_direction_an_estimate_with_a_range():
    a = default_catalog().assumptions.scaleout_bandwidth
    assert [float(q.to("Gbit/s").magnitude) for q in (a.value, a.low, a.high)] == [200, 100,
                                                                                   400]
    assert a.source.confidence == "estimate" and "per direction" in a.note


def test_only_chips_without_a_published_figure_get_the_default():
    catalog = default_catalog()
    chips = [catalog.chip(c) for c in ("moorethreads-mtt-s4000", "nvidia-h100-sxm", "metax-c500")]
    table = hardware_table(chips, [PrecisionPlan.of("bf16")])
    # S4000: a scale-up link, no scale-out: 200 Gb/s / 8 = 25e9 B/s assumed. H100: its
    # published 400 Gb/s ConnectX-7 = 50e9 B/s. C500: no link published at all, so nothing is
    # assumed and it stays single-chip (the default says nothing of how its chips would talk).
    assert table.scaleout_bandwidth[:2].tolist() == [25e9, 50e9]
    assert np.isnan(table.scaleout_bandwidth[2])
    assert table.scaleout_assumed.tolist() == [True, False, False]


def test_deepseek_v3_on_16_s4000s_runs_on_the_assumed_network_and_the_note_names_it():
    r = predict("deepseek-v3", "moorethreads-mtt-s4000", 16, precision="fp8")
    assert r.layout == "tp16×ep16"  # one 16-chip stage: two 8-chip domains
    assert f"MTT S4000: {NOTE}" in r.notes


def test_a_layout_inside_one_domain_carries_no_scale_out_note():
    r = predict("llama-3.1-70b", "moorethreads-mtt-s4000", 8, precision="bf16", tp=8)
    assert not any("scale-out" in n for n in r.notes)


def test_a_chip_with_a_published_scale_out_keeps_its_own_figure():
    chip = default_catalog().chip("nvidia-h100-sxm")  # 400 Gb/s per GPU: 50 GB/s per direction
    table = hardware._build((chip,), (PrecisionPlan.of("fp8"),))
    assert table.scaleout_bandwidth[0] == 50e9 and not table.scaleout_assumed[0]
    r = predict("deepseek-v3", chip, 16, precision="fp8")
    assert r.layout == "ep16" and not any("scale-out" in n for n in r.notes)


def test_without_a_default_a_stage_beyond_the_domain_is_still_refused(monkeypatch):
    monkeypatch.setattr(hardware, "assumed_scaleout", lambda: None)
    catalog = default_catalog()
    model, chip = catalog.model("deepseek-v3"), catalog.chip("moorethreads-mtt-s4000")
    table = hardware._build((chip,), (PrecisionPlan.of("fp8"),))  # uncached
    layouts = fixed_chip_layouts(model, 16, 16, 16, None)
    e = evaluate(model, table, layouts, Efficiency(), batches=[1])
    assert e.reason[0, 0, 0, 0, 0, 0] == Reason.SCALEOUT_UNKNOWN
    assert "has no published scale-out bandwidth" in e.explain((0, 0, 0, 0, 0, 0))


def test_sizing_flags_the_assumed_network_and_no_estimates_leaves_it_out():
    def options(allow):
        return size(Workload.of(model="deepseek-v3", requests_per_s=20, input_tokens=2000,
                                output_tokens=500, tpot_ms=150, chips=("nvidia-h20-141gb",),
                                allow_estimates=allow)).options

    assumed = options(True)[0]  # prefill and decode pools apart: each prompt's KV crosses
    assert (assumed.chips, assumed.layout, assumed.estimated) == (  # the scale-out network
        48, "prefill tp8 + decode ep8", True)
    assert all(pool.scaleout_assumed for pool in assumed.pools)
    assert f"nvidia-h20-141gb: {NOTE}" in assumed.notes
    inside = options(False)[0]  # tp8×ep8 replicas, each inside one NVLink domain
    assert (inside.chips, inside.layout, inside.estimated) == (56, "tp8×ep8", False)
    assert not any("scale-out" in n for n in inside.notes)


def test_the_assumed_figure_is_sampled_across_its_range():
    chip = default_catalog().chip("moorethreads-mtt-s4000")
    table = hardware_table([chip], [PrecisionPlan.of("bf16")])
    assert figures(table, 0, 0)["scaleout_bandwidth"].source.confidence == "estimate"
    drawn = sample_table(table, 400, np.random.default_rng(0)).scaleout_bandwidth
    assert 12.5e9 <= drawn.min() < 20e9 and 35e9 < drawn.max() <= 50e9


def test_tokens_per_mw_marks_a_layout_on_the_assumed_network_as_estimated():
    from calc.compare import tokens_per_mw

    catalog = default_catalog()
    frame = tokens_per_mw(catalog, [catalog.chip("moorethreads-mtt-s4000")], "deepseek-v3",
                          chips_per_system=16)
    assert frame["layout"][0] == "tp16×ep16" and bool(frame["estimated"][0])
