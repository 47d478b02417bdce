"""Checks of the arguments a user passes to ``calc``: one place, one error type, bounded counts.

Every check returns the cleaned value or raises :class:`~calc.errors.AccelcalcError` with a
message that names the argument and says what to pass instead. Bounds are physical, so no real
question is refused, and they are checked before anything is enumerated.

>>> count("chips", 8.0, maximum=MAX_CHIPS)
8
>>> count("chips", 2**31, maximum=MAX_CHIPS)
Traceback (most recent call last):
...
specs.errors.AccelcalcError: chips must be at most 1,048,576, got 2147483648
"""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, TypeVar

from calc.errors import AccelcalcError

T = TypeVar("T")

MAX_CHIPS = 1_048_576
"""Most chips (and most chips per replica) in one question: 2**20, ten times the largest cluster
announced (about 100,000 accelerators in 2024-2025), so only typing mistakes are refused."""
MAX_CONCURRENCY = 100_000_000
"""Most requests in flight across a system: a hundred per chip of a ``MAX_CHIPS`` cluster and
above the daily active users of the largest chat services."""
MAX_TOKENS = 10_000_000
"""Most tokens in one sequence: the longest context any published model accepts (Llama 4 Scout,
10M tokens); a model's own ``max_context`` is the tighter bound where it applies."""
MAX_LIMIT_MS = 86_400_000.0
"""Longest latency target, in ms: one day. A longer TTFT or TPOT target is no target; leave the
limit out instead."""


def count(name: str, value: Any, *, maximum: int) -> int:
    """A whole number from 1 to ``maximum`` (an integral float such as 8.0 is accepted)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise AccelcalcError(f"{name} must be a whole number ≥ 1, got {_shown(value)}")
    if not isinstance(value, Integral):
        if not math.isfinite(value) or value != int(value):
            raise AccelcalcError(f"{name} must be a whole number ≥ 1, got {value!r}")
    if value < 1:
        raise AccelcalcError(f"{name} must be a whole number ≥ 1, got {value!r}")
    if value > maximum:
        raise AccelcalcError(f"{name} must be at most {maximum:,}, got {_shown(value)}")
    return int(value)


def positive_ms(name: str, value: Any, *, maximum: float = MAX_LIMIT_MS) -> float:
    """A finite duration in milliseconds, above 0 and at most ``maximum``.

    >>> positive_ms("TTFT limit", float("nan"))
    Traceback (most recent call last):
    ...
    specs.errors.AccelcalcError: TTFT limit must be a number of milliseconds above 0, got nan
    """
    positive = not isinstance(value, bool) and isinstance(value, Real) and (
        value > 0 if isinstance(value, Integral) else math.isfinite(value) and value > 0)
    if not positive:
        raise AccelcalcError(f"{name} must be a number of milliseconds above 0, got "
                             f"{_shown(value)}")
    if value > maximum:
        raise AccelcalcError(f"{name} must be at most {maximum:,.0f} ms (one day), got "
                             f"{_shown(value)}; leave the limit out for none")
    return float(value)


def tokens(name: str, value: Any, model) -> int:
    """A token count from 1 to the model's maximum context (and ``MAX_TOKENS``)."""
    limit = min(int(model.max_context), MAX_TOKENS)
    tokens_ = count(name, value, maximum=MAX_TOKENS)
    if tokens_ > limit:
        raise AccelcalcError(f"{name}={tokens_:,} exceeds {model.id}'s context of {limit:,} "
                             f"tokens; use at most {limit}")
    return tokens_


def fits_context(model, input_tokens: int, output_tokens: int) -> None:
    """A request's prompt and answer must fit in the model's context together.

    >>> from specs.catalog import default_catalog
    >>> fits_context(default_catalog().model("llama-2-70b"), 3000, 2000)
    Traceback (most recent call last):
    ...
    specs.errors.AccelcalcError: 3000 + 2000 tokens exceed llama-2-70b's context of 4096
    """
    if input_tokens + output_tokens > model.max_context:
        raise AccelcalcError(f"{input_tokens} + {output_tokens} tokens exceed {model.id}'s "
                             f"context of {model.max_context}")


def choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    """One of ``options``, matched case-insensitively; returns the option's spelling."""
    if isinstance(value, str):
        for option in options:
            if value.strip().lower() == option.lower():
                return option
    raise AccelcalcError(f"unknown {name} {_shown(value)}; choose from {', '.join(options)}")


def flag(name: str, value: Any) -> bool:
    """True or False, nothing else (a string "no" would be true)."""
    if not isinstance(value, bool):
        raise AccelcalcError(f"{name} must be True or False, got {_shown(value)}")
    return value


def instance(name: str, value: Any, kind: type[T]) -> T:
    """``value`` if it is a ``kind``; otherwise an error naming what was passed."""
    if not isinstance(value, kind):
        raise AccelcalcError(f"{name} must be a {kind.__name__}, got {_shown(value)}")
    return value


def as_model(catalog, value: Any):
    """A catalog model from its id or alias, or the model object itself."""
    return _record(catalog, value, "model", "llama-3.1-70b", catalog.models, catalog.chips)


def as_chip(catalog, value: Any):
    """A catalog chip from its id or alias, or the chip object itself."""
    return _record(catalog, value, "chip", "H100", catalog.chips, catalog.models)


def _record(catalog, value, kind: str, example: str, table, other_table):
    from specs.schema import Chip, Model

    wanted, other = (Model, Chip) if kind == "model" else (Chip, Model)
    if isinstance(value, wanted):
        return value
    if isinstance(value, str):
        if value not in table and value in other_table:
            raise AccelcalcError(f"'{value}' is a {other.__name__.lower()}, not a {kind}; are "
                                 f"the model and chip arguments swapped?")
        return table[value]
    swapped = "; are the model and chip arguments swapped?" if isinstance(value, other) else ""
    raise AccelcalcError(f"{kind} must be a {kind} id such as '{example}' or a {wanted.__name__} "
                         f"from the catalog, got {_shown(value)}{swapped}")


def _shown(value: Any) -> str:
    """A short description of a bad value for a message."""
    if isinstance(value, int) and abs(value) > 10**30:
        return f"a number of about {abs(value).bit_length() * 0.30103:.0f} digits"
    if isinstance(value, (str, int, float, type(None))):
        text = repr(value)
        return text if len(text) <= 40 else text[:37] + "..."
    name = getattr(value, "id", None)
    return f"{type(value).__name__} {name!r}" if isinstance(name, str) else \
        f"a {type(value).__name__}"
