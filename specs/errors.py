"""The one error type of accelcalc: bad input, with a message that says what to change.

It lives in ``specs`` (the bottom layer) so that data-file, unit and lookup errors can use it;
``calc.errors`` re-exports it for the formulas, the command line and Python users.

>>> issubclass(AccelcalcError, ValueError)
True
"""


class AccelcalcError(ValueError):
    """Bad input; the message says what to change."""
