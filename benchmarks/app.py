"""Benchmark: how long the app takes to re-render after a widget change (Streamlit AppTest, in
process: the page's script run, calc calls and element building; no browser).

Compare page: the memory unit switched between GB and GiB, then a new chip list typed (target
under 300 ms). Size page: a new traffic typed, which sizes every chip anew (target under 1 s),
then a view-only change (the option whose pools are shown) that reuses the cached sizing.
Prints, per change, the median and best wall time of ``REPEATS`` re-renders and the median CPU
time (this process; a fairer figure when other jobs load the machine). A benchmark, not a test:
it never asserts on time.
"""

from __future__ import annotations

import logging
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REPEATS = 7
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").disabled = True
"""Silences AppTest's "missing ScriptRunContext" notes, printed as it sets up each app."""


def page(name: str) -> AppTest:
    """The app on page ``name`` after its first (cold) run."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, at.exception
    return at


def rerender(at: AppTest, change, values) -> tuple[float, float, float]:
    """Median wall, best wall and median CPU seconds of a re-run after ``change(at, value)``
    for each of ``values`` in turn (``REPEATS`` runs)."""
    walls, cpus = [], []
    for i in range(REPEATS):
        change(at, values[i % len(values)])
        wall, cpu = time.perf_counter(), time.process_time()
        at.run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        assert not at.exception, at.exception
    return statistics.median(walls), min(walls), statistics.median(cpus)


def show(label: str, target_s: float, figures: tuple[float, float, float]) -> None:
    median, best, cpu = figures
    print(f"{label:44s} median {1e3 * median:6.0f} ms  best {1e3 * best:6.0f} ms  "
          f"cpu {1e3 * cpu:6.0f} ms  (target {1e3 * target_s:.0f} ms)")


def main() -> None:
    start = time.perf_counter()
    compare = page("compare")
    print(f"first run of the app and the Compare page: {time.perf_counter() - start:.2f} s")
    show("compare: memory unit GB <-> GiB", 0.3, rerender(
        compare, lambda at, v: at.selectbox(key="mem").set_value(v), ["GiB", "GB"]))
    show("compare: a new chip list", 0.3, rerender(
        compare, lambda at, v: at.text_input(key="chips").set_value(v),
        ["H100, H200", "910C, 910B4, MI300X", "B200, GB200", "H20, 昇腾"]))

    start = time.perf_counter()
    size = page("size")
    print(f"first run of the Size page (one sizing): {time.perf_counter() - start:.2f} s")
    show("size: a new traffic (a new sizing)", 1.0, rerender(
        size, lambda at, v: at.number_input(key="traffic").set_value(v),
        [11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]))
    show("size: pools of another option (cached)", 1.0, rerender(
        size, lambda at, v: at.selectbox(key="pool_option").set_value(v), [1, 0]))


if __name__ == "__main__":
    main()
