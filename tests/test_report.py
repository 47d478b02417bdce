"""Text rendering: long times read in s, min, h, days or years, never 10⁶ ms."""

import pytest

from calc.report import format_duration


@pytest.mark.parametrize("ms,shown", [(0.5, "0.5 ms"), (999, "999 ms"), (1000, "1 s"),
                                      (90_000, "1.5 min"), (5.4e6, "1.5 h"), (1.728e8, "2 days"),
                                      (1e22, "3.169e+11 years"), (float("inf"), "n/a")])
def test_long_times_are_shown_in_units_a_reader_takes_in(ms, shown):
    assert format_duration(ms) == shown
