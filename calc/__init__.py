"""accelcalc formulas: memory fit, step time, serving, sizing and cost over the spec catalog."""
