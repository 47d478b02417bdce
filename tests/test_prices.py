"""The price book and the cost assumptions: every file validates, every price is dated and says
what it covers, bad files are refused with the file named, and the defaults are sourced."""

from datetime import date
from statistics import median

import pytest
import yaml
from pydantic import ValidationError

from specs.assumptions import Assumptions
from specs.catalog import DATA_DIR, CatalogError, default_catalog, load_catalog, read_record
from specs.schema import PRICE_MAX_AGE_DAYS, Price, PriceFile
from specs.units import Q_, to_usd

PRICE_FILES = sorted((DATA_DIR / "prices").glob("*.yaml"))
CHINESE_VENDORS = {"Huawei", "Cambricon", "MetaX", "Moore Threads", "Biren", "Iluvatar CoreX",
                   "Kunlunxin", "Hygon", "Enflame"}
SOURCE = {"url": "https://example.com", "published": date(2025, 1, 31), "confidence": "press"}
REQUIRED = """nvidia-h100-sxm nvidia-h200-sxm nvidia-h20 nvidia-b200 nvidia-b300 nvidia-gb200
nvidia-gb300 amd-mi300x amd-mi325x amd-mi355x intel-gaudi3 google-tpu-v5e google-tpu-v6e
huawei-ascend-910b2 huawei-ascend-910c""".split()


@pytest.mark.parametrize("path", PRICE_FILES, ids=lambda p: p.name)
def test_every_price_file_validates_and_is_named_after_its_chip(path):
    record = read_record(path, PriceFile)
    assert record.chip == path.stem
    assert record.chip in default_catalog().chips.records


def test_every_price_has_a_dated_source_and_rentals_are_per_hour_with_a_term():
    catalog = default_catalog()
    prices = [p for chip in catalog.chips for p in catalog.prices_for(chip.id)]
    assert len(prices) >= 50
    for price in prices:
        assert price.source.url and price.source.as_of and price.source.confidence
        per_hour = price.amount.dimensionality == Q_("1 USD/hour").dimensionality
        assert per_hour == (price.kind == "rental")
        assert (price.term is not None) == (price.kind == "rental")


@pytest.mark.parametrize("chip", [*REQUIRED, "aws-trainium2"])
def test_each_required_chip_has_a_price(chip):
    assert default_catalog().prices_for(chip)


def test_trainium2_rents_at_the_trn2_instance_rate_over_its_16_chips():
    (price,) = default_catalog().prices_for("aws-trainium2")
    assert (price.kind, price.term, price.region) == ("rental", "on-demand", "US")
    assert price.amount.to("USD/hour").magnitude == pytest.approx(35.76 / 16)
    assert "35.76" in price.source.quote and price.source.published == date(2025, 11, 30)


def test_tpus_and_trainium_prices_are_rentals_only():
    catalog = default_catalog()
    for chip in ("google-tpu-v5e", "google-tpu-v6e", "aws-trainium2"):
        assert all(p.kind == "rental" for p in catalog.prices_for(chip))


def test_at_least_six_chinese_chips_have_a_cny_price_from_the_chinese_market():
    catalog = default_catalog()
    with_cny = {chip.id for chip in catalog.chips if chip.vendor in CHINESE_VENDORS
                and any(p.currency == "CNY" for p in catalog.prices_for(chip.id))}
    assert len(with_cny) >= 6, sorted(with_cny)
    for chip in catalog.chips:
        for price in catalog.prices_for(chip.id):
            assert price.currency != "CNY" or price.region == "China", chip.id


def test_h200_has_one_china_surcharge_and_a_china_market_price():
    catalog = default_catalog()
    h200 = catalog.chip("H200")
    fees = [n for n in h200.availability if n.kind == "surcharge" and n.region == "China"]
    assert [n.surcharge for n in fees] == [0.25]
    china = [p for p in catalog.prices_for("H200") if p.region == "China"]
    assert [str(p.amount) for p in china] == ["175000 CNY"]  # RMB 1.4M per 8-GPU module / 8
    assert china[0].source.as_of == date(2025, 12, 24)


def test_a_rental_without_term_is_refused_with_the_terms_named():
    with pytest.raises(ValidationError, match="needs its term: on-demand, reserved-1y"):
        Price(kind="rental", covers="server", amount="2.49 USD/hour", source=SOURCE)


def test_a_purchase_with_a_term_or_a_rate_is_refused():
    with pytest.raises(ValidationError, match="a purchase has no term"):
        Price(kind="purchase", term="on-demand", covers="chip", amount="25000 USD", source=SOURCE)
    with pytest.raises(ValidationError, match="a purchase price needs an amount such as"):
        Price(kind="purchase", covers="chip", amount="2.49 USD/hour", source=SOURCE)


def test_a_rental_of_the_chip_alone_and_a_range_around_the_wrong_side_are_refused():
    with pytest.raises(ValidationError, match="a rental covers at least the server"):
        Price(kind="rental", term="on-demand", covers="chip", amount="2 USD/hour", source=SOURCE)
    with pytest.raises(ValidationError, match="low 3 USD/h is above the amount 2 USD/h"):
        Price(kind="rental", term="on-demand", covers="server", amount="2 USD/hour",
              low="3 USD/hour", source=SOURCE)
    with pytest.raises(ValidationError, match="must be in the amount's unit"):
        Price(kind="purchase", covers="chip", amount="25000 USD", high="200000 CNY", source=SOURCE)


def test_a_price_older_than_twelve_months_is_flagged_not_hidden():
    price = Price(kind="purchase", covers="chip", amount="39083 USD", source=SOURCE)
    assert price.age_days(date(2026, 1, 31)) == 365
    assert not price.is_stale(date(2026, 1, 31))
    assert price.is_stale(date(2026, 2, 1)) and PRICE_MAX_AGE_DAYS == 365
    old = [p for p in default_catalog().prices_for("H200") if p.is_stale(date(2026, 12, 1))]
    assert "39083 USD" in [str(p.amount) for p in old]


def write_price_file(folder, chip="nvidia-h100-sxm", name=None):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name or chip}.yaml"
    path.write_text(yaml.safe_dump({
        "chip": chip, "sources": {"quote": {**SOURCE, "published": "2026-11-01"}},
        "prices": [{"kind": "rental", "term": "reserved-1y", "covers": "all-in",
                    "amount": "1.99 USD/hour", "source": "quote"}]}))
    return path


def test_a_price_file_for_an_unknown_chip_is_refused_with_the_file_named(tmp_path):
    path = write_price_file(tmp_path / "prices", chip="acme-x9")
    with pytest.raises(CatalogError) as err:
        load_catalog(extra=[path])
    assert str(path) in str(err.value) and "chip 'acme-x9' is not a chip id" in str(err.value)


def test_a_users_price_file_adds_to_the_chips_prices(tmp_path):
    path = write_price_file(tmp_path / "mine")
    shipped = default_catalog().prices_for("H100")
    prices = load_catalog(extra=[path]).prices_for("H100")
    assert len(prices) == len(shipped) + 1 and "1.99 USD/h" in [str(p.amount) for p in prices]


def test_prices_for_a_chip_without_prices_is_empty_and_an_unknown_chip_is_an_error():
    assert default_catalog().prices_for("nvidia-rubin-cpx") == []
    with pytest.raises(KeyError, match="unknown chip"):
        default_catalog().prices_for("acme-x9")


def test_assumptions_have_us_and_china_with_electricity_and_pue():
    assumptions = default_catalog().assumptions
    us, china = assumptions.regions["US"], assumptions.regions["China"]
    assert us.electricity_price.value.to("USD/kWh").magnitude == pytest.approx(0.0806)
    # 0.4 CNY/kWh at the default 7.0602 CNY/USD is 0.0567 USD/kWh
    assert to_usd(china.electricity_price.value).to("USD/kWh").magnitude == pytest.approx(
        0.0567, abs=1e-4)
    assert 1 < china.pue.value < us.pue.value < 2
    assert china.vat.value == 0.13 and us.import_tariff.value == 0
    for value in (us.pue, china.pue, assumptions.amortisation_years, assumptions.cost_of_capital):
        assert (value.source.published or value.source.note) and value.source.confidence


def test_all_in_power_factor_spans_the_sourced_all_in_figures():
    catalog = default_catalog()
    ratios = [(power.value / catalog.chip(chip).tdp.value).to("").magnitude
              for chip, power in catalog.assumptions.all_in_power.items()]
    factor = catalog.assumptions.all_in_power_factor
    assert factor.source.confidence == "estimate"
    assert factor.low <= min(ratios) and max(ratios) <= factor.high
    assert factor.value == pytest.approx(median(ratios), abs=0.01)


def test_assumptions_without_china_or_with_an_unknown_chip_are_refused(tmp_path):
    data = yaml.safe_load((DATA_DIR / "assumptions.yaml").read_text())
    del data["regions"]["China"]
    with pytest.raises(ValidationError, match="regions must include China"):
        Assumptions.model_validate(data)
    data = yaml.safe_load((DATA_DIR / "assumptions.yaml").read_text())
    data["all_in_power"]["acme-x9"] = data["all_in_power"]["amd-mi300x"]
    for kind in ("chips", "systems", "models"):
        (tmp_path / kind).symlink_to(DATA_DIR / kind)
    (tmp_path / "assumptions.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(CatalogError, match="all_in_power key 'acme-x9' is not a chip id"):
        load_catalog(tmp_path)


def test_every_vendor_has_a_home_region():
    catalog = default_catalog()
    homes = catalog.assumptions.vendor_home
    assert {chip.vendor for chip in catalog.chips} <= set(homes)
    assert homes["Huawei"].value == "China" and homes["NVIDIA"].value == "US"
