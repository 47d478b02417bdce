"""The app in a real browser: `streamlit run app.py` on a free local port, driven in Debian's
headless Chromium (/usr/bin/chromium) with Playwright, through the helpers of
scripts/screenshots.py. These tests never skip: without Chromium they fail and say what to
install. Screenshots of every page in both languages are saved as test artifacts in
$TMPDIR/accelcalc-artifacts (Playwright creates the folder)."""

import os
import re
from pathlib import Path

import pytest

from app_pages.i18n import LANGUAGES, STRINGS
from calc.predict import predict
from calc.validate import CASES_FILE, load_cases
from scripts.screenshots import (PAGES, VIEWPORT, chromium, open_page, open_url,
                                 streamlit_server, wait_until_run)
from specs.catalog import default_catalog

ARTIFACTS = Path(os.environ.get("TMPDIR", "/tmp")) / "accelcalc-artifacts"


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as base:
        yield base


@pytest.fixture(scope="module")
def context():
    """One browser and one context for every test (each page of it is a new app session)."""
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT)
        yield context
        context.close()


def metrics(page) -> list[str]:
    return page.locator("[data-testid='stMetricValue']").all_inner_texts()


def numbers(texts: list[str]) -> list[str]:
    """Every number in ``texts``, sorted (word order differs between languages)."""
    return sorted(n for text in texts for n in re.findall(r"\d[\d,.]*", text))


def row(page, label: str) -> list[str]:
    """The cells of the row headed ``label`` in the page's first st.table."""
    cells = page.locator("[data-testid='stTable'] tr").filter(
        has=page.get_by_role("rowheader", name=label, exact=True)).locator("td")
    return [text.strip() for text in cells.all_inner_texts()]


def columns(page) -> list[str]:
    return [text.strip() for text in
            page.locator("[data-testid='stTable'] thead th").all_inner_texts()][1:]


def go_to(page, name: str, lang: str = "en") -> None:
    """Open page ``name`` from the sidebar, whose links are in ``lang``."""
    link = STRINGS[f"page.{name}"][list(LANGUAGES).index(lang)]
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True).click()
    wait_until_run(page)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` and wait for the rerun."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_until_run(page)


def type_into(page, label: str, text: str) -> None:
    """Replace the text of the input labelled ``label``, press Enter and wait for the rerun."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_until_run(page)


def expected_numbers() -> dict[str, str]:
    """A number each page must show in English (its first metric, or the one named), from the
    catalog and calc directly."""
    catalog = default_catalog()
    claims = sum(len(r.claims) for r in [*catalog.chips, *catalog.systems])
    cases = load_cases(CASES_FILE)
    tokens_per_s = predict("llama-3.1-70b", "H100", 8, precision="fp8", concurrency=64,
                           scenario="concurrency", context_tokens=4096).output_tokens_per_s
    return {"catalog": str(len(catalog.chips)), "claims": str(claims),
            "accuracy": f"{sum(len(c.measured) for c in cases)} in {len(cases)} cases",
            "predict": f"{tokens_per_s:,.0f}"}  # tokens/s: the unit is in the label


def shown_in(page, name: str, lang: str) -> list[str]:
    """Check page ``name`` shows its title in ``lang`` and no error; save its screenshot;
    return its metrics."""
    page.screenshot(path=ARTIFACTS / f"{name}-{lang}.png")
    title = STRINGS[PAGES[name][1]][list(LANGUAGES).index(lang)]
    assert page.locator("h1").first.inner_text() == title, (name, lang)
    assert not page.locator("[data-testid='stException']").count(), (name, lang)
    assert "Traceback" not in page.locator("[data-testid='stMain']").inner_text(), (name, lang)
    assert ("lang=zh" in page.url) == (lang == "zh")  # the URL holds what is not a default
    return metrics(page)


def test_every_page_shows_its_title_and_the_same_numbers_in_english_and_chinese(server,
                                                                                  context):
    """Each page is reached from the sidebar and then switched to the other language, as a
    user would: English then Chinese, Chinese then English, and so on."""
    expected = expected_numbers()
    page = context.new_page()
    open_page(page, server, "catalog", "en")
    lang, other = "en", "zh"
    for name in PAGES:
        if name != "catalog":
            go_to(page, name, lang)
        shown = {lang: shown_in(page, name, lang)}
        if name == "compare":
            assert shown[lang] == [str(len(columns(page)))]  # chips compared
        choose(page, STRINGS["language"][list(LANGUAGES).index(lang)], LANGUAGES[other])
        shown[other] = shown_in(page, name, other)
        assert shown["en"] and numbers(shown["en"]) == numbers(shown["zh"]), name
        if name in expected:
            assert expected[name] in shown["en"], (name, shown["en"])
        lang, other = other, lang
    page.close()


def test_chips_picked_by_alias_in_the_chosen_unit_survive_a_shared_url(server, context):
    page = context.new_page()
    open_page(page, server, "compare", state={})
    type_into(page, "Chips (names, aliases or vendors, comma separated)", "H100, 昇腾910C")
    assert columns(page) == ["NVIDIA H100 SXM", "Huawei Ascend 910C"]
    assert row(page, "memory (GB)") == ["80", "128"]
    choose(page, "Memory unit", "GiB")
    assert row(page, "memory (GiB)") == ["74.51", "119.2"]  # 80e9 and 128e9 bytes / 2**30
    shared = page.url
    page.close()
    fresh = context.new_page()  # a new session: another user opening the link
    open_url(fresh, shared)
    assert columns(fresh) == ["NVIDIA H100 SXM", "Huawei Ascend 910C"]
    assert row(fresh, "memory (GiB)") == ["74.51", "119.2"]
    fresh.close()


def test_a_sizing_in_cny_is_the_usd_sizing_times_the_rate_and_its_url_reopens_it(server,
                                                                                   context):
    page = context.new_page()
    open_page(page, server, "size", state={"model": "deepseek-v3", "traffic": "10"})
    at_10 = metrics(page)
    type_into(page, "Average traffic (requests/s)", "20")  # run a sizing
    usd = metrics(page)
    assert usd[1].endswith(" USD/Mtok") and at_10[1].endswith(" USD/Mtok")
    # twice the replicas serve twice the traffic at the same cost per token, so never dearer
    assert 0 < float(usd[1].split()[0]) <= float(at_10[1].split()[0])
    rate = float(re.search(r"Exchange rate ([\d.]+) CNY/USD", page.inner_text("body"))[1])
    choose(page, "Currency", "CNY")
    cny = metrics(page)
    assert cny[1].endswith(" CNY/Mtok") and cny[0] == usd[0]  # the same cheapest option
    assert float(cny[1].split()[0]) == pytest.approx(  # both shown to 4 significant digits
        float(usd[1].split()[0]) * rate, rel=1.1e-3)
    assert "traffic=20" in page.url and "currency=CNY" in page.url
    page.screenshot(path=ARTIFACTS / "size-cny.png")
    shared = page.url
    page.close()
    fresh = context.new_page()
    open_url(fresh, shared)
    assert metrics(fresh) == cny
    fresh.close()
