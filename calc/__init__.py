"""accelcalc formulas over the spec catalog: memory fit, step time, serving, validation.

>>> from calc import predict
>>> predict("llama-3.1-8b", "H100", chips=1, concurrency=1, input_tokens=128,
...         output_tokens=128).layout
'tp1'

Names are imported on first use, so that ``import calc`` (and the command line) starts fast.
"""

import sys
from importlib import import_module
from types import ModuleType

_HOMES = {
    "AccelcalcError": "calc.errors",
    "Capacity": "calc.capacity",
    "Efficiency": "calc.perf",
    "MemoryPlan": "calc.predict",
    "Prediction": "calc.predict",
    "PrecisionPlan": "calc.precision",
    "Sizing": "calc.sizing",
    "SizingOption": "calc.sizing",
    "Workload": "calc.workload",
    "capacity": "calc.capacity",
    "chip_frame": "calc.tables",
    "cost_frame": "calc.chip_cost",
    "cost_settings": "calc.cost",
    "critical_batch": "calc.roofline",
    "frame_to_xlsx": "calc.export",
    "memory_plan": "calc.predict",
    "model_frame": "calc.tables",
    "model_from_hf_config": "calc.hf",
    "predict": "calc.predict",
    "ridge_point": "calc.roofline",
    "size": "calc.sizing",
    "tokens_per_mw": "calc.compare",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'calc' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])


class _Package(ModuleType):
    """``calc.predict`` is both a submodule and the function users import from ``calc``; when
    the submodule is imported, Python would bind the module to the package's ``predict``.
    Keep the function there instead (``from calc.predict import …`` still finds the module)."""

    def __setattr__(self, name: str, value) -> None:
        if isinstance(value, ModuleType) and name in _HOMES and hasattr(value, name):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
