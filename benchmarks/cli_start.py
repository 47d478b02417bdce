"""Start-up time of the command line: ``accelcalc --help`` and ``accelcalc chips --format csv``.

Prints the best of N runs of each (a fresh process per run, the catalog cache warm), and one run
of ``chips`` with an empty cache. Targets (issue 9): --help < 0.3 s, chips < 1 s. A benchmark
prints its figures; it never asserts on time.

    python benchmarks/cli_start.py [runs]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def command() -> list[str]:
    """The installed ``accelcalc`` script next to this Python, else ``python -m calc``."""
    script = Path(sys.executable).with_name("accelcalc")
    return [str(script)] if script.exists() else [sys.executable, "-m", "calc"]


def seconds(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run([*command(), *args], check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def best(args: list[str], runs: int) -> float:
    seconds(args)  # warm the catalog cache and the OS file cache
    return min(seconds(args) for _ in range(runs))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    print(f"{' '.join(command())}: best of {runs} runs")
    print(f"  --help                 {best(['--help'], runs):.3f} s   (target < 0.3 s)")
    print(f"  chips --format csv     {best(['chips', '--format', 'csv'], runs):.3f} s   "
          f"(target < 1 s)")
    with tempfile.TemporaryDirectory() as empty:
        cold = seconds(["chips", "--format", "csv"], os.environ | {"ACCELCALC_CACHE_DIR": empty})
    print(f"  chips, empty cache     {cold:.3f} s   (first run after a data file changes)")


if __name__ == "__main__":
    main()
