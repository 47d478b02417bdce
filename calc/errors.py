"""The error type every ``calc`` function raises for bad input (a ``ValueError`` subclass).

Catch this one type around any call; its message says what to change::

    from calc.errors import AccelcalcError
    try:
        predict("llama-3.1-70b", "H100", chips=0)
    except AccelcalcError as err:
        print(err)
"""

from specs.errors import AccelcalcError

__all__ = ["AccelcalcError"]
