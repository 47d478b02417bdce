"""Serving stacks and their fitted efficiency profiles.

A prediction runs on a serving stack (TensorRT-LLM, vLLM, SGLang, …) on a vendor's hardware
platform (vendor and architecture family: NVIDIA Hopper, AMD CDNA 3, …). Profiles form a tree,
global → vendor → platform → stack on the platform, each an :class:`~calc.perf.Efficiency`
fitted on measured cases by ``python -m calc calibrate --write`` and stored as data in
``stack_profiles.yaml`` with the cases it was fitted on, the fit date and its cross-validated
error. A profile exists only where at least 3 cases from at least 2 sources support it;
otherwise the lookup falls back to its parent and says so.

>>> p = profile("SGLang", "AMD", "CDNA 3")
>>> p.name, p.note.startswith("no fitted profile for sglang on amd/cdna 3 (3 cases from 1")
('amd/cdna 3', True)
>>> profile("unknown", "NVIDIA", "Hopper (GH100)").name
'nvidia/hopper'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path

import numpy as np
import yaml

from calc.errors import AccelcalcError
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


class StackError(AccelcalcError):
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


def platform(vendor: str, architecture: str | None = None) -> str:
    """A vendor's hardware platform: vendor and architecture family, lower case
    ("AMD", "CDNA 3" → "amd/cdna 3"; "NVIDIA", "Hopper (GH100)" → "nvidia/hopper").

    >>> platform("NVIDIA", "Blackwell Ultra (2 reticle dies)")
    'nvidia/blackwell ultra'
    """
    family = re.split(r"[(,;]", architecture or "")[0].strip().lower()
    return f"{vendor.strip().lower()}/{family}" if family else vendor.strip().lower()


def parents(stack: str | None, vendor: str, architecture: str | None = None) -> list[str]:
    """Profile keys to try, most specific first: the stack on the platform, the platform, the
    vendor, global.

    >>> parents("SGLang", "AMD", "CDNA 3")
    ['sglang/amd/cdna 3', 'amd/cdna 3', 'amd', 'global']
    """
    where = platform(vendor, architecture)
    chain = [f"{canonical(stack)}/{where}", where, vendor.strip().lower(), "global"]
    return list(dict.fromkeys(chain))  # without an architecture, platform = vendor


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
        unknown = set(entry.get("values") or {}) - names
        if unknown:
            raise StackError(f"{path}: profile {name}: unknown efficiency fields "
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


def profile(stack: str | None, vendor: str, architecture: str | None = None,
            profiles: dict | None = None) -> Profile:
    """The profile for ``stack`` on a chip of ``vendor`` and ``architecture``: the most
    specific fitted one.

    Falls back from the stack on the platform to the platform, the vendor, then the global
    profile, and the note says which and why (an unfitted entry records its support). The
    ``unknown`` stack uses the platform's profile without a note.
    """
    profiles = load()["profiles"] if profiles is None else profiles
    wanted = parents(stack, vendor, architecture)
    for name in wanted:
        entry = profiles.get(name)
        if entry is not None and entry.get("values") is not None:
            break
    if name == wanted[0] or canonical(stack) == "unknown" and name == wanted[1]:
        return Profile(name, efficiency_of(name, profiles), "")
    first = canonical(stack) == "unknown"
    missing = profiles.get(wanted[first], {})
    why = missing.get("reason") or "no measured cases"
    stack_id, where = wanted[0].split("/", 1)
    subject = where if first else f"{stack_id} on {where}"
    return Profile(name, efficiency_of(name, profiles),
                   f"no fitted profile for {subject} ({why}); using the {name} profile")


def efficiencies(stack: str | None, chips: list[tuple[str, str | None]],
                 ndim: int = 1) -> Efficiency:
    """One :class:`Efficiency` whose fields hold one value per chip (``chips`` as (vendor,
    architecture) pairs) on the leading axis of ``ndim`` axes, for evaluating many chips in one
    broadcast (the engine's grid has 6 axes, chips first).

    >>> e = efficiencies("sglang", [("NVIDIA", "Hopper (GH100)"), ("AMD", "CDNA 3")], ndim=6)
    >>> e.mbu.shape
    (2, 1, 1, 1, 1, 1)
    """
    each = [profile(stack, *chip).efficiency for chip in chips]
    shape = (len(each),) + (1,) * (ndim - 1)
    return Efficiency(**{f.name: np.array([getattr(e, f.name) for e in each]).reshape(shape)
                         for f in fields(Efficiency)})
