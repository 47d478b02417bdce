"""The catalog: every data file validates, bad files fail with messages that say how to fix
them, and lookups resolve aliases."""

from pathlib import Path

import pytest
import yaml

from specs.catalog import DATA_DIR, CatalogError, default_catalog, load_catalog, read_record
from specs.schema import Chip, Model, PriceFile, System

KIND = {"chips": Chip, "systems": System, "models": Model}
FILES = sorted(p for kind in KIND for p in (DATA_DIR / kind).rglob("*.yaml"))
H100 = DATA_DIR / "chips" / "nvidia" / "nvidia-h100-sxm.yaml"

REQUIRED_CHIPS = """nvidia-a100-sxm-80gb nvidia-h100-sxm nvidia-h100-pcie nvidia-h800 nvidia-h20
nvidia-h200-sxm nvidia-gh200 nvidia-b200 nvidia-b300 nvidia-gb200 nvidia-gb300 nvidia-rubin
nvidia-rubin-cpx amd-mi300x amd-mi325x amd-mi355x amd-mi450 google-tpu-v5e google-tpu-v5p
google-tpu-v6e google-tpu-v7 intel-gaudi2 intel-gaudi3 aws-trainium2 huawei-ascend-910b
huawei-ascend-910b1 huawei-ascend-910b2 huawei-ascend-910b3 huawei-ascend-910b4
huawei-ascend-910c huawei-ascend-950pr huawei-ascend-950dt huawei-ascend-960 metax-c500
metax-c550 metax-c600 moorethreads-mtt-s4000 moorethreads-mtt-s5000 moorethreads-huashan
biren-br100 biren-br104 biren-br166 iluvatar-tiangai-100 iluvatar-tiangai-150
iluvatar-zhikai-100 cambricon-mlu370-x8 cambricon-mlu590 cambricon-mlu690 kunlunxin-p800
enflame-l600 hygon-k100-ai hygon-bw1000 aws-trainium3 microsoft-maia-200 amd-mi350x amd-mi308x
amd-mi300a nvidia-h200-nvl nvidia-h100-nvl nvidia-b100 nvidia-rtx-pro-6000 nvidia-rtx-pro-6000d
alibaba-zhenwu-810e nvidia-gh200-144gb nvidia-h20-141gb""".split()
REQUIRED_SYSTEMS = ["nvidia-gb200-nvl72", "nvidia-vera-rubin-nvl72", "huawei-cloudmatrix-384",
                    "huawei-atlas-950-superpod", "metax-c600-superpod"]
REQUIRED_MODELS = """llama-2-7b llama-2-13b llama-2-70b llama-3.1-8b llama-3.1-70b llama-3.3-70b
llama-3.1-405b mixtral-8x7b deepseek-v3 qwen3-32b qwen3-235b-a22b gpt-oss-120b kimi-k2""".split()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_every_data_file_validates_and_is_named_after_its_id(path):
    kind = KIND[path.relative_to(DATA_DIR).parts[0]]
    record = read_record(path, kind)
    assert record.id == path.stem


def test_catalog_holds_every_required_id():
    catalog = default_catalog()
    assert {catalog.chip(name).id for name in REQUIRED_CHIPS} <= {c.id for c in catalog.chips}
    assert set(REQUIRED_SYSTEMS) <= {s.id for s in catalog.systems}
    assert set(REQUIRED_MODELS) <= {m.id for m in catalog.models}
    assert catalog.model("deepseek-r1").id == "deepseek-v3"


def test_h100_sxm_matches_the_nvidia_datasheet():
    h100 = default_catalog().chip("nvidia-h100-sxm")
    assert h100.bf16_dense.value.to("TFLOPS").magnitude == pytest.approx(989, rel=2e-3)
    assert h100.fp8_dense.value.to("TFLOPS").magnitude == pytest.approx(1979, rel=2e-3)
    assert h100.memory_capacity.value.to("GB").magnitude == 80
    assert h100.memory_bandwidth.value.to("TB/s").magnitude == pytest.approx(3.35)
    assert h100.tdp.value.to("W").magnitude == 700
    assert h100.fp4_dense is None  # Hopper has no FP4 units
    assert h100.memory_bandwidth.source.confidence == "datasheet"


# Key figures of chips added for procurement (issue 9), as their sources print them: memory (GB),
# bandwidth (TB/s), dense bf16 and fp8 (TFLOPS). None: not published, so it must stay empty.
KEY_FIGURES = {
    "aws-trainium3": (144, 4.9, 671, 2517),          # Neuron docs: 671 BF16, 2,517 MXFP8
    "microsoft-maia-200": (216, 7, None, 5000),      # '>5 PFLOPS FP8'; no BF16 matrix rate
    "amd-mi350x": (288, 8, 2300, 4600),              # 18.45 PF FP4 sparse -> 9.2 dense
    "amd-mi308x": (None, None, None, None),          # AMD published no specification
    "amd-mi300a": (128, 5.3, 980.6, 1961.2),         # 228 CUs: 1307.4 x 228/304 = 980.6
    "nvidia-h100-nvl": (94, 3.9, 835.5, 1670.5),     # datasheet 1,671* / 3,341* sparse, halved
    "nvidia-h200-nvl": (141, 4.8, 835.5, 1670.5),    # same rating as H100 NVL, HBM3e
    "nvidia-b100": (192, 8, 1750, 3500),             # HGX B100 launch figures
    "nvidia-rtx-pro-6000": (96, 1.792, 503.8, 1007.6),  # 512-bit x 28 Gbps = 1,792 GB/s
    "nvidia-rtx-pro-6000d": (84, None, None, None),  # 28 x 3 GB GDDR7; ratings unpublished
    "alibaba-zhenwu-810e": (96, None, None, None),   # 96 GB HBM2e; compute never disclosed
    "nvidia-gh200-144gb": (144, 4.9, 990, 1979),     # GH200 datasheet HBM3e column
    "nvidia-h20-141gb": (141, 4.8, 148, 296),        # same compute as the 96 GB H20
}


@pytest.mark.parametrize("chip_id", KEY_FIGURES)
def test_added_chips_carry_their_published_key_figures(chip_id):
    chip = default_catalog().chip(chip_id)
    units = {"memory_capacity": "GB", "memory_bandwidth": "TB/s", "bf16_dense": "TFLOPS",
             "fp8_dense": "TFLOPS"}
    for (field, unit), expected in zip(units.items(), KEY_FIGURES[chip_id]):
        value = getattr(chip, field)
        if expected is None:
            assert value is None, f"{chip_id}.{field} has no published source, so it stays empty"
        else:
            assert value.value.to(unit).magnitude == pytest.approx(expected, rel=1e-3), field


def test_memory_variants_are_separate_ids_and_the_plain_names_keep_the_original():
    catalog = default_catalog()
    assert catalog.chip("GH200").memory_capacity.value.to("GB").magnitude == 96
    assert catalog.chip("GH200 144GB").memory_capacity.value.to("GB").magnitude == 144
    assert catalog.chip("H20").memory_capacity.value.to("GB").magnitude == 96
    assert catalog.chip("H20 141GB").memory_capacity.value.to("GB").magnitude == 141
    assert catalog.chip("GH200").bf16_dense.value == catalog.chip("GH200 144GB").bf16_dense.value


def test_every_value_names_a_source_with_a_confidence():
    for chip in default_catalog().chips:
        for name in ("bf16_dense", "fp8_dense", "memory_capacity", "memory_bandwidth", "tdp"):
            value = getattr(chip, name)
            if value is not None:
                assert value.source.url and value.source.confidence


@pytest.mark.parametrize("name,expected", [
    ("H100", "nvidia-h100-sxm"), ("h100", "nvidia-h100-sxm"),
    ("NVIDIA-H100-SXM", "nvidia-h100-sxm"), ("h100 sxm", "nvidia-h100-sxm"),
    ("910C", "huawei-ascend-910c"), ("ascend-910c", "huawei-ascend-910c"),
    ("MI300X", "amd-mi300x"), ("Trn3", "aws-trainium3"), ("maia 200", "microsoft-maia-200"),
    ("MI308", "amd-mi308x"), ("真武", "alibaba-zhenwu-810e"), ("PPU", "alibaba-zhenwu-810e"),
    ("RTX 6000D", "nvidia-rtx-pro-6000d"), ("huawei-ascend-910b", "huawei-ascend-910b2"),
    ("Ascend 910B", "huawei-ascend-910b2")])
def test_lookup_by_id_or_alias_is_case_insensitive(name, expected):
    assert default_catalog().chip(name).id == expected


def test_unknown_id_suggests_the_closest_ids():
    with pytest.raises(KeyError) as err:
        default_catalog().chip("nvidia-h100-sxn")
    assert "did you mean nvidia-h100-sxm" in str(err.value)


# ---- invalid files: one test per failure kind -------------------------------------------


def write_catalog(tmp_path: Path, edit=None, extra_chip=None) -> Path:
    """A one-chip catalog copied from the H100 file, edited."""
    data = yaml.safe_load(H100.read_text())
    if edit:
        edit(data)
    folder = tmp_path / "chips" / "nvidia"
    folder.mkdir(parents=True)
    (folder / f"{data['id']}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    if extra_chip:
        (folder / f"{extra_chip['id']}.yaml").write_text(yaml.safe_dump(extra_chip))
    return folder / f"{data['id']}.yaml"


def load_error(tmp_path, **kwargs) -> str:
    path = write_catalog(tmp_path, **kwargs)
    with pytest.raises(CatalogError) as err:
        load_catalog(tmp_path)
    assert str(path.parent) in str(err.value)
    return str(err.value)


def test_catalog_rejects_capacity_given_as_bandwidth(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["memory_bandwidth"].update(value="3.35 TB"))
    assert "nvidia-h100-sxm.yaml" in message
    assert "memory_bandwidth.value" in message and "expected a bandwidth" in message


def test_catalog_rejects_a_negative_value(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["memory_capacity"].update(value="-80 GB"))
    assert "memory_capacity.value" in message and "must be positive" in message


def test_catalog_rejects_an_unknown_key(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d.update(memory_bandwith="3.35 TB/s"))
    assert "memory_bandwith" in message and "unknown key" in message


def test_catalog_rejects_a_value_without_source(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["tdp"].pop("source"))
    assert "tdp.source" in message and "required but missing" in message


def test_catalog_rejects_a_source_key_that_is_not_defined(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["tdp"].update(source="nowhere"))
    assert "tdp.source" in message and "unknown source 'nowhere'" in message


def test_catalog_rejects_a_source_without_publication_date(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["sources"]["product-page"].pop("published"))
    assert "sources.product-page.published" in message


def test_catalog_rejects_an_unknown_publication_date_without_a_note(tmp_path):
    def edit(data):
        data["sources"]["product-page"]["published"] = None
        data["sources"]["product-page"].pop("note", None)
    message = load_error(tmp_path, edit=edit)
    assert "sources.product-page" in message and "published is null" in message


def test_catalog_rejects_a_duplicate_id(tmp_path):
    twin = yaml.safe_load(H100.read_text())
    folder = tmp_path / "chips" / "other"
    folder.mkdir(parents=True)
    (folder / "nvidia-h100-sxm.yaml").write_text(yaml.safe_dump(twin))
    message = load_error(tmp_path)
    assert "duplicate id 'nvidia-h100-sxm'" in message


def test_catalog_rejects_a_duplicate_alias(tmp_path):
    other = yaml.safe_load(H100.read_text()) | {"id": "nvidia-h100-copy", "aliases": ["H100"]}
    message = load_error(tmp_path, extra_chip=other)
    assert "alias 'h100' is already used by" in message


def test_catalog_rejects_an_id_that_differs_from_the_file_name(tmp_path):
    path = write_catalog(tmp_path)
    path.rename(path.with_name("h100.yaml"))
    with pytest.raises(CatalogError, match="must equal the file name 'h100'"):
        load_catalog(tmp_path)


def test_a_users_chip_file_is_validated_by_the_same_schema(tmp_path):
    data = yaml.safe_load(H100.read_text()) | {"id": "acme-x1", "name": "X1", "vendor": "Acme",
                                               "aliases": ["X1"]}
    good = tmp_path / "acme-x1.yaml"
    good.write_text(yaml.safe_dump(data))
    assert load_catalog(extra=[good]).chip("x1").vendor == "Acme"
    data["tdp"]["value"] = "700 GB"
    good.write_text(yaml.safe_dump(data))
    with pytest.raises(CatalogError, match="acme-x1.yaml: tdp.value: expected a power"):
        load_catalog(extra=[good])


def all_sources():
    """Every source of every data file: chips, systems, models, prices and assumptions."""
    catalog = default_catalog()
    prices = [read_record(path, PriceFile) for path in sorted((DATA_DIR / "prices").glob("*.yaml"))]
    named = [(r.id, r) for r in (*catalog.chips, *catalog.systems, *catalog.models)]
    named += [(f"prices/{p.chip}", p) for p in prices] + [("assumptions", catalog.assumptions)]
    for name, record in named:
        for key, source in record.sources.items():
            yield f"{name}.{key}", source


def test_every_source_has_a_publication_date_or_says_why_not():
    undated = [name for name, s in all_sources() if s.published is None]
    assert all(s.published or s.note for _, s in all_sources())
    assert all(s.retrieved is None or s.published is None or s.retrieved >= s.published
               for _, s in all_sources())
    # dated sources are the rule; undated ones are live databases, wikis and undated pages
    assert len(undated) < 0.25 * len(list(all_sources()))


def test_every_source_can_be_opened_by_a_user():
    local = [name for name, s in all_sources() if s.url.startswith(("shared/", "../", "/"))]
    assert local == []


def test_capacities_are_stored_in_marketed_decimal_units():
    """One convention: GB as vendors market it (a GiB figure, if any, lives in the note)."""
    binary = []
    for record in (*default_catalog().chips, *default_catalog().systems):
        capacity = record.memory_capacity
        for q in ([] if capacity is None else [capacity.value, capacity.low, capacity.high]):
            if q is not None and any(p in format(q.units, "D") for p in ("kibi", "mebi", "gibi",
                                                                         "tebi")):
                binary.append(record.id)
    assert binary == []


def test_scaleup_domain_is_an_all_to_all_group_within_its_pod():
    catalog = default_catalog()
    for chip in catalog.chips:
        up = chip.scaleup
        if up is None or up.domain_chips is None:
            continue
        if up.pod_chips is not None:
            assert up.domain_chips.value <= up.pod_chips.value, chip.id
        if up.domain_chips.value > 8 or up.pod_chips is not None:
            assert up.topology is not None, f"{chip.id}: a domain beyond 8 chips names its topology"
        if up.topology in ("torus-2d", "torus-3d", "multi-tier"):
            assert up.pod_chips is not None, f"{chip.id}: a torus or multi-tier pod is pod_chips"
    for system in catalog.systems:
        assert system.scaleup_domain_chips.value <= system.chips.value, system.id
        if system.scaleup_domain_chips.value > 8:
            assert system.topology is not None, system.id


def test_tpu_pods_are_tori_not_all_to_all_domains():
    v5p = default_catalog().chip("google-tpu-v5p").scaleup
    assert (v5p.topology, v5p.domain_chips.value, v5p.pod_chips.value) == ("torus-3d", 4, 8960)


def test_catalog_rejects_a_domain_larger_than_its_pod(tmp_path):
    def edit(data):
        data["scaleup"]["pod_chips"] = {"value": 4, "source": "hgx-blog"}
    message = load_error(tmp_path, edit=edit)
    assert "scaleup" in message and "exceeds pod_chips" in message


def test_catalog_rejects_an_unknown_topology(tmp_path):
    message = load_error(tmp_path, edit=lambda d: d["scaleup"].update(topology="ring"))
    assert "scaleup.topology" in message


def test_one_document_has_one_publication_date_across_the_catalog():
    """A document (URL and title) cited from several files carries one publication date; one
    URL may hold several datasets with dates of their own (a pricing survey inside a repo)."""
    dates: dict[tuple, set] = {}
    for _, source in all_sources():
        dates.setdefault((source.url, source.title), set()).add(source.published)
    assert {doc: d for doc, d in dates.items() if len(d) > 1} == {}


def test_chips_csv_says_how_old_the_headline_figures_may_be():
    """H100: the product page (announced 2022-03-22) is the oldest headline source."""
    from calc.tables import chip_frame
    frame = chip_frame([default_catalog().chip("H100")])
    assert frame.loc[0, "oldest_source_published"] == "2022-03-22"
