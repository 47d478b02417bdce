"""accelcalc formulas over the spec catalog: memory fit, step time, serving, validation.

>>> from calc import predict
>>> predict("llama-3.1-8b", "H100", chips=1, concurrency=1, input_tokens=128,
...         output_tokens=128).layout
'tp1'
"""

from calc.hf import model_from_hf_config
from calc.perf import Efficiency
from calc.predict import MemoryPlan, Prediction, PrecisionPlan, memory_plan, predict
from calc.roofline import critical_batch, ridge_point
from calc.tables import chip_frame, model_frame
from calc.chip_cost import cost_frame
from calc.cost import cost_settings
from calc.sizing import Sizing, SizingOption, size
from calc.workload import Workload

__all__ = ["Efficiency", "MemoryPlan", "PrecisionPlan", "Prediction", "Sizing", "SizingOption",
           "Workload", "chip_frame", "cost_frame", "cost_settings", "critical_batch",
           "memory_plan", "model_frame", "model_from_hf_config", "predict", "ridge_point", "size"]
