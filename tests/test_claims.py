"""Claims check: every catalog claim gets a row, a model ratio with its band and a verdict, or
says exactly which figure is missing."""

import csv
import io
import json

import pytest
from pydantic import ValidationError

from calc import claims
from calc.claims import ClaimCheck, check_claims, model_error, ratio_band, verdict
from calc.cli import main
from calc.stacks import load
from specs.catalog import default_catalog
from specs.schema import Claim, Source

VERDICTS = {"consistent", "optimistic", "pessimistic", "cannot check"}


@pytest.fixture(scope="module")
def checks() -> list[ClaimCheck]:
    return check_claims()


def find(checks, chip, baseline, kind, ratio=None) -> ClaimCheck:
    found = [c for c in checks if (c.chip, c.baseline, c.kind) == (chip, baseline, kind)
             and (ratio is None or c.claimed_ratio == ratio)]
    assert found, f"no claim {chip} vs {baseline} ({kind}, {ratio})"
    return found[0]


def test_every_catalog_claim_gets_one_row_with_a_verdict(checks):
    catalog = default_catalog()
    recorded = [(r.id, c.text) for r in [*catalog.chips, *catalog.systems] for c in r.claims]
    assert [(c.chip, c.claim) for c in checks] == recorded
    assert {c.verdict for c in checks} <= VERDICTS
    for c in checks:
        assert (c.verdict == "cannot check") == (c.reason is not None), c.chip
        assert c.source and c.published, c.chip


def test_the_issue_claims_are_present_and_the_checkable_ones_are_checked(checks):
    checked = [find(checks, "huawei-ascend-910c", "nvidia-h100-sxm", "performance", 0.6),
               find(checks, "nvidia-h200-sxm", "nvidia-h20", "performance", 6),
               find(checks, "nvidia-b200", "nvidia-h200-sxm", "performance", 2.5),
               find(checks, "metax-c600", "metax-c500", "spec"),
               find(checks, "iluvatar-tiangai-150", "nvidia-h100-sxm", "performance", 1.2)]
    for c in checked:
        assert c.verdict != "cannot check" and c.p10 <= c.model_ratio <= c.p90, c
    unchecked = [find(checks, "iluvatar-tiangai-150", None, "software", 0.5),
                 find(checks, "moorethreads-huashan", "moorethreads-mtt-s5000", "density", 1.5),
                 find(checks, "nvidia-rubin", "nvidia-gb200", "cost", 0.1),
                 find(checks, "metax-c600", None, "spec")]
    assert all(c.verdict == "cannot check" for c in unchecked)


def test_a_spec_claim_compares_the_two_catalog_figures(checks):
    c600 = find(checks, "metax-c600", "metax-c500", "spec")  # 144 GB claimed, C500 has 64 GB
    assert (c600.claimed_ratio, c600.model_ratio, c600.verdict) == (2.25, 2.25, "consistent")
    assert c600.workload == "memory capacity: 144 GB ÷ 64 GB"
    h200 = find(checks, "nvidia-h200-sxm", "nvidia-a100-sxm-80gb", "spec")  # 4.8 ÷ 2.039 TB/s
    assert h200.model_ratio == pytest.approx(4.8 / 2.039)
    assert h200.verdict == "consistent"  # 2.4 is 2.354 rounded, within ROUNDING
    half = find(checks, "nvidia-h200-sxm", "nvidia-b200", "spec")  # 1979 ÷ 4500 = 0.44 < 0.5
    assert half.model_ratio == pytest.approx(1979 / 4500, rel=1e-3)
    assert half.verdict == "optimistic"


def test_cannot_check_names_the_missing_figure(checks):
    rubin = find(checks, "nvidia-rubin", "nvidia-gb200", "cost")
    assert rubin.reason.startswith("nvidia-rubin has no price")
    huashan = find(checks, "moorethreads-huashan", "moorethreads-mtt-s5000", "density")
    assert "die area" in huashan.reason
    assert "moorethreads-huashan also has no published dense throughput" in huashan.reason


def test_a_claim_needing_an_unpublished_network_runs_on_the_assumed_one_and_says_so(checks):
    # Tiangai 150 publishes no scale-out figure; DeepSeek-V3 on 16 of them spans two 8-chip
    # domains, so the check runs on the assumed 25 GB/s per direction and its notes name it.
    tianshu = find(checks, "iluvatar-tiangai-150", "nvidia-h100-sxm", "performance")
    assert tianshu.reason is None and "16 chips each" in tianshu.workload
    assert ("iluvatar-tiangai-150: Tiangai 150: scale-out bandwidth not published; assumed "
            "25 GB/s per direction (estimate, range 12.5–50 GB/s)") in tianshu.notes


def test_a_performance_claim_runs_on_its_own_stated_workload(checks):
    b200 = find(checks, "nvidia-b200", "nvidia-h200-sxm", "performance")
    assert b200.workload.startswith("llama-2-70b fp4 vs fp8, 1 chip each, 300/274 tokens")
    ascend = find(checks, "huawei-ascend-910c", "nvidia-h100-sxm", "performance")
    # DeepSeek-V3 does not fit on 8 × 80 GB H100, so the default count steps up to 16
    assert ascend.workload.startswith("deepseek-v3 fp8, 16 chips each, 2000/500 tokens, offline")


def test_the_band_is_the_cross_validated_error_either_way():
    e = load()["profiles"]["global"]["cv_mape_percent"] / 100
    assert model_error("throughput") == e and model_error("spec") == 0
    low, high = ratio_band(0.8, "throughput")
    assert (low, high) == pytest.approx((0.8 * (1 - e) / (1 + e), 0.8 * (1 + e) / (1 - e)))
    assert ratio_band(2.0, "spec", spread=(0.9, 1.2)) == pytest.approx((1.8, 2.4))


def test_a_cost_claim_below_the_band_flatters_the_chip():
    assert verdict(0.1, (0.3, 0.9), lower_is_better=True) == "optimistic"
    assert verdict(2.0, (0.3, 0.9), lower_is_better=True) == "pessimistic"
    assert verdict(0.3 * (1 - claims.ROUNDING), (0.3, 0.9)) == "consistent"
    assert verdict(0.28, (0.3, 0.9)) == "pessimistic"


def test_a_spec_claim_must_name_its_figure():
    source = Source(url="https://example.com", published="2026-01-01", confidence="press")
    with pytest.raises(ValidationError, match="names the figure it compares"):
        Claim(text="twice the memory", source=source, kind="spec", ratio=2)
    with pytest.raises(ValidationError, match="for spec claims only"):
        Claim(text="144 GB", source=source, kind="performance", value="144 GB")


def test_claims_cli_prints_csv_and_json_that_parse(capsys):
    assert main(["claims", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0]) == ["chip", "baseline", "claim", "source", "published", "workload",
                             "claimed_ratio", "model_ratio", "p10", "p90", "verdict", "reason"]
    c600 = next(r for r in rows if r["chip"] == "metax-c600" and r["baseline"] == "metax-c500")
    assert float(c600["model_ratio"]) == 2.25 and c600["verdict"] == "consistent"
    assert main(["claims", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == len(rows) and {d["verdict"] for d in data} <= VERDICTS
    assert main(["claims"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == len(rows) + 1 and any("cannot check" in line for line in table)


def test_readme_claims_table_shows_what_the_check_gives_today(checks):
    """The README's vendor-claims table (abridged text) against today's check: chip,
    baseline, claimed and model ratio, and the verdict's first words."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    section = readme.split("## Vendor claims", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines()
            if line.startswith("| ") and not line.startswith("| chip")]
    assert len(rows) >= 10
    for chip, baseline, _, claimed, model, _, shown in (map(str.strip, r) for r in rows):
        candidates = [c for c in checks if c.chip == chip and (c.baseline or "") == baseline
                      and (f"{c.claimed_ratio:.3g}" if c.claimed_ratio else "") == claimed
                      and (f"{c.model_ratio:.3g}" if c.model_ratio else "") == model]
        assert any(shown.startswith(c.verdict) for c in candidates), (chip, baseline, shown)


def test_a_claim_without_a_kind_says_in_its_note_why_it_cannot_be_checked(checks):
    catalog = default_catalog()
    kindless = [(r.id, c) for r in [*catalog.chips, *catalog.systems] for c in r.claims
                if c.kind is None]
    assert kindless and all(c.note for _, c in kindless), [i for i, c in kindless if not c.note]
    notes = {c.note for _, c in kindless}
    assert {c.reason for c in checks if c.kind is None} == notes


def test_each_claim_links_to_its_source_or_says_what_was_searched():
    catalog = default_catalog()
    unlinked = [c.source for r in [*catalog.chips, *catalog.systems] for c in r.claims
                if not c.source.url.startswith("http")]
    assert len(unlinked) <= 5
    assert all("No URL found" in s.note for s in unlinked)


def test_a_system_claim_against_a_system_compares_whole_systems(checks):
    bf16 = next(c for c in checks if c.chip == "huawei-cloudmatrix-384"
                and c.workload and c.workload.startswith("dense bf16"))
    assert bf16.model_ratio == pytest.approx(384 * 752 / (72 * 2500), rel=1e-3)
    assert bf16.workload == "dense bf16 throughput per system: 288.8 PFLOPS ÷ 180 PFLOPS"
    memory = next(c for c in checks if c.chip == "huawei-cloudmatrix-384"
                  and c.workload and c.workload.startswith("memory capacity"))
    assert memory.model_ratio == pytest.approx(49.2 / 13.4)  # the systems' own figures
    power = next(c for c in checks if c.chip == "huawei-cloudmatrix-384"
                 and c.workload and c.workload.startswith("power"))
    assert (power.claimed_ratio, power.verdict) == (3.9, "consistent")  # 559 kW ÷ 120-145 kW
    npus = next(c for c in checks if c.chip == "huawei-atlas-950-superpod"
                and c.claimed_ratio == 56.8)
    assert npus.model_ratio == pytest.approx(8192 / 72) and npus.verdict == "pessimistic"
    tokens = next(c for c in checks if c.chip == "huawei-atlas-950-superpod"
                  and c.kind == "performance")
    assert tokens.workload.endswith("× 8192/384 chips per system")
