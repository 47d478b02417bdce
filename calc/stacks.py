"""Serving stacks and their fitted efficiency profiles.

A prediction runs on a serving stack (TensorRT-LLM, vLLM, SGLang, …) on a vendor's platform.
Each (stack, vendor) pair may have its own :class:`~calc.perf.Efficiency`, fitted on measured
cases by ``python -m calc calibrate --write`` and stored as data in ``stack_profiles.yaml``
with the cases it was fitted on, the fit date and its cross-validated error. A profile exists
only where at least 3 cases from at least 2 sources support it; otherwise the lookup falls
back to the vendor platform's profile, then to the global one, and says so.

>>> p = profile("SGLang", "AMD")
>>> p.name, p.note.startswith("no fitted profile for sglang on amd")
('amd', True)
>>> profile("unknown", "nvidia").name
'nvidia'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from calc.perf import Efficiency

PROFILES_FILE = Path(__file__).with_name("stack_profiles.yaml")
STACKS = ("tensorrt-llm", "vllm", "sglang", "lmdeploy", "mindie", "gaudi", "unknown")
"""Canonical stack ids (``unknown``: not reported, uses the platform's profile)."""
_ALIASES = (  # first match wins: Intel's "vLLM fork" is the Gaudi stack, NIM runs TensorRT-LLM
    ("gaudi", r"gaudi|habana"),
    ("mindie", r"mindie|cann|ascend|cloudmatrix"),
    ("tensorrt-llm", r"tensorrt|trt-?llm|\bnim\b|dynamo"),
    ("sglang", r"sglang"),
    ("lmdeploy", r"lmdeploy|turbomind"),
    ("vllm", r"vllm"),
    ("unknown", r"^\s*(unknown)?\s*$"),
)
MIN_CASES, MIN_SOURCES = 3, 2
"""Support a profile needs before it is fitted (else it falls back to its parent)."""


class StackError(ValueError):
    """An unknown stack name; the message lists the known ones."""


def canonical(stack: str | None) -> str:
    """The stack id a free-text stack name means ("NIM (TensorRT-LLM)" → "tensorrt-llm").

    >>> canonical("NIM (TensorRT-LLM)"), canonical("Intel Gaudi software (vLLM fork)")
    ('tensorrt-llm', 'gaudi')
    >>> canonical(None)
    'unknown'
    """
    text = (stack or "").lower()
    for name, pattern in _ALIASES:
        if re.search(pattern, text):
            return name
    raise StackError(f"unknown serving stack '{stack}'; use one of {', '.join(STACKS)}")


def key(stack: str, vendor: str) -> str:
    """Profile key of a stack on a vendor's platform: ``stack/vendor``."""
    return f"{canonical(stack)}/{vendor.strip().lower()}"


def parents(stack: str, vendor: str) -> list[str]:
    """Profile keys to try, most specific first: stack on vendor, vendor platform, global."""
    return [key(stack, vendor), vendor.strip().lower(), "global"]


@dataclass(frozen=True)
class Profile:
    """The efficiency a prediction uses, which profile it came from, and why."""

    name: str
    efficiency: Efficiency
    note: str
    """Empty when the stack's own profile was used; otherwise the fallback and its reason."""


@cache
def load(path: Path = PROFILES_FILE) -> dict:
    """The profiles file: ``{"fitted": date, "profiles": {key: {...}}}``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {f.name for f in fields(Efficiency)}
    for name, entry in data["profiles"].items():
        unknown = set(entry.get("values", {})) - names
        if unknown:
            raise ValueError(f"{path}: profile {name}: unknown efficiency fields "
                             f"{sorted(unknown)}; use fields of calc.perf.Efficiency")
    return data


def efficiency_of(name: str, profiles: dict) -> Efficiency:
    """A profile's efficiency: its own fitted values over its parents' (global last)."""
    chain, entry = [], profiles.get(name)
    while entry is not None:
        chain.append(entry.get("values", {}))
        entry = profiles.get(entry["parent"]) if entry.get("parent") else None
    values: dict = {}
    for own in reversed(chain):
        values |= own
    return Efficiency(**values)


def profile(stack: str | None, vendor: str, profiles: dict | None = None) -> Profile:
    """The profile for ``stack`` on ``vendor``'s chips: the most specific fitted one.

    Falls back from stack × vendor to the vendor platform, then to the global profile, and
    the note says which and why (an unfitted entry records its support).
    """
    profiles = load()["profiles"] if profiles is None else profiles
    wanted = parents(stack, vendor)
    for name in wanted:
        entry = profiles.get(name)
        if entry is not None and entry.get("values") is not None:
            break
    if name == wanted[0] or canonical(stack) == "unknown" and name == wanted[1]:
        return Profile(name, efficiency_of(name, profiles), "")
    missing = profiles.get(wanted[0], {})
    why = missing.get("reason") or "no measured cases"
    stack_id, vendor_id = wanted[0].split("/")
    return Profile(name, efficiency_of(name, profiles),
                   f"no fitted profile for {stack_id} on {vendor_id} ({why}); using the "
                   f"{name} profile")


def efficiencies(stack: str | None, vendors: list[str]) -> Efficiency:
    """One :class:`Efficiency` whose fields are arrays with one value per chip (``vendors``
    on the leading axis), for evaluating many chips in one broadcast.

    >>> e = efficiencies("sglang", ["NVIDIA", "AMD"])
    >>> e.mbu.shape
    (2,)
    """
    each = [profile(stack, vendor).efficiency for vendor in vendors]
    return Efficiency(**{f.name: np.array([getattr(e, f.name) for e in each])
                         for f in fields(Efficiency)})
