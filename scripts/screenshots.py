"""Screenshots of every page of the app, taken in a real browser.

Starts ``streamlit run app.py`` headless on a free local port, opens each page in Debian's
Chromium (``/usr/bin/chromium``, driven by Playwright) with one shared state in the URL, waits
until the page has finished running, and saves ``docs/screenshots/<page>.png`` (1280 × 1400) and
one Chinese page, ``compare-zh.png``. Run it from the repository root after a page changes::

    .venv/bin/python scripts/screenshots.py

Chinese glyphs need a CJK font (Debian: ``apt-get install fonts-noto-cjk``). The browser test,
tests/test_browser.py, walks the same pages with the same helpers.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 1400}
"""A screenshot's size: tall enough for each page's inputs and its first results."""
PAGES = {  # page -> (URL path, the i18n key of its title)
    "catalog": ("", "catalog.title"),
    "compare": ("compare", "compare.title"),
    "size": ("size", "size.title"),
    "cost": ("cost", "cost.title"),
    "claims": ("claims", "claims.title"),
    "accuracy": ("accuracy", "accuracy.title"),
    "predict": ("predict", "predict.title"),
}
STATE = {"chips": "H100,H200,B200,MI300X,910C", "model": "deepseek-v3", "traffic": "10",
         "region": "US", "currency": "USD"}
"""The view every page opens with: the README's comparison and its sizing workload."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(timeout_s: float = 60):
    """``streamlit run app.py`` headless on a free local port; yields its base URL."""
    port = _free_port()  # started in the repository, so .streamlit/config.toml applies
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
         "true", "--server.port", str(port), "--server.fileWatcherType", "none",
         "--client.toolbarMode", "minimal"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start on port {port}") from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def chromium():
    """Headless Debian Chromium through Playwright; yields the browser."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"no {CHROMIUM}: install Debian's chromium "
                                "(apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


APP = "[data-testid='stApp']"


def wait_until_run(page, timeout_ms: float = 60_000) -> None:
    """Wait until the script run started by a widget change has finished and the page is
    drawn. Streamlit marks its root element with the script's state; a change leaves
    ``notRunning`` at once, unless the run was over before we looked."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(f"{APP}:not([data-test-script-state='notRunning'])",
                               state="attached", timeout=1_000)
    except PlaywrightTimeout:
        pass
    wait_until_drawn(page, timeout_ms)


def wait_until_drawn(page, timeout_ms: float = 60_000) -> None:
    """Wait until the app is connected and not running, and every element and visible chart
    is drawn (an element whose code is still loading shows a skeleton)."""
    page.wait_for_selector(f"{APP}[data-test-connection-state='CONNECTED']"
                           "[data-test-script-state='notRunning']", state="attached",
                           timeout=timeout_ms)
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stSkeleton']")
                 && [...document.querySelectorAll("[data-testid='stPlotlyChart']")]
                    .filter(c => c.offsetParent !== null)
                    .every(c => c.querySelector('.main-svg'))""", timeout=timeout_ms)


def page_url(base: str, name: str, lang: str = "en", state: dict | None = None) -> str:
    """The URL of page ``name`` in ``lang`` with ``state`` (default :data:`STATE`) shared."""
    query = (STATE if state is None else state) | {"lang": lang}
    return f"{base}/{PAGES[name][0]}?{urlencode(query, safe=',')}"


def open_url(page, url: str, timeout_ms: float = 60_000) -> None:
    """Load ``url`` and wait until its page has run and is drawn (a new page has no title
    until its first run writes one)."""
    page.goto(url)
    page.locator("h1").first.wait_for(state="attached", timeout=timeout_ms)
    wait_until_drawn(page, timeout_ms)


def open_page(page, base: str, name: str, lang: str = "en", state: dict | None = None) -> None:
    """Load page ``name`` in ``lang`` with ``state`` and wait until it has run."""
    open_url(page, page_url(base, name, lang, state))


def main(out: Path = ROOT / "docs" / "screenshots") -> None:
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as base, chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        for name, lang in [(name, "en") for name in PAGES] + [("compare", "zh")]:
            start = time.perf_counter()
            open_page(page, base, name, lang)
            page.wait_for_timeout(500)  # plotly's transitions and the last layout pass
            path = out / f"{name}{'-zh' if lang == 'zh' else ''}.png"
            page.screenshot(path=path)
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1e3:.0f} kB  "
                  f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
