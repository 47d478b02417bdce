"""Check predictions against measured results (the case format of ``shared/validation``).

Error of one metric = (predicted − measured) / measured; MAPE is the mean of their absolute
values over every metric of every case. This is validation against measurements, not a
regression snapshot.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from calc import stacks
from calc.errors import AccelcalcError
from calc.perf import Efficiency
from calc.predict import PrecisionPlan, Scenario, predict
from specs.catalog import CatalogError, default_catalog, read_yaml

Measured = Annotated[float, Field(gt=0, allow_inf_nan=False)]
"""A measured figure: finite and above zero (an error relative to 0 or a negative is no error)."""
METRICS = ("output_tokens_per_s", "input_tokens_per_s", "total_tokens_per_s",
           "output_tokens_per_s_per_user", "ttft_ms", "tpot_ms")


class Parallelism(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    tp: int = Field(1, ge=1)
    pp: int = Field(1, ge=1)
    ep: int = Field(1, ge=1)
    replicas: int | None = Field(None, ge=1)


class Case(BaseModel):
    """One measured result (see shared/validation/README.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    model: str
    chip: str
    chips: int = Field(ge=1)
    precision: PrecisionPlan = PrecisionPlan()
    parallelism: Parallelism | None = None
    scenario: Scenario
    input_tokens: int | None = Field(None, ge=1)
    output_tokens: int | None = Field(None, ge=1)
    concurrency: int | None = Field(None, ge=1)
    context_tokens: int | None = Field(None, ge=1)
    limits: dict[str, Measured] = {}
    measured: dict[str, Measured]
    approximate: list[str] = []
    source: str = ""
    url: str = ""
    stack: str | None = None
    """Serving software (TensorRT-LLM, vLLM, SGLang…), where the case says."""
    notes: str = ""
    """What a re-reading of the source found (never a change to the measurement)."""

    @property
    def fingerprint(self) -> str:
        """A short hash of what the prediction and the measurement rest on (model, chip,
        precision, layout, scenario, lengths, limits, measured figures, stack; not the id,
        source or notes), so that a stored cross-validated error is used only for the case it
        was computed on.

        >>> c = Case(id="x", model="m", chip="c", chips=1, scenario="offline",
        ...          measured={"output_tokens_per_s": 1.0})
        >>> c.fingerprint == c.model_copy(update={"notes": "re-read"}).fingerprint
        True
        >>> c.fingerprint == c.model_copy(update={"chips": 2}).fingerprint
        False
        """
        fields = self.model_dump(exclude={"id", "approximate", "source", "url", "notes"})
        return hashlib.sha1(json.dumps(fields, sort_keys=True).encode()).hexdigest()[:12]

    @model_validator(mode="after")
    def _decode_has_no_ttft(self):
        if self.scenario == "decode" and "ttft_ms" in self.measured:
            raise ValueError("a decode case has no prefill, so it cannot measure ttft_ms; "
                             "drop it or use scenario concurrency, server or offline")
        return self


def load_cases(path: str | Path) -> list[Case]:
    """Read a case file; a malformed case is an error naming the file and the case."""
    path = Path(path)
    raw = read_yaml(path, list)
    if not raw:
        raise CatalogError(f"{path}: no cases; a case file is a YAML list of measured cases "
                           f"(see shared/validation/README.md)")
    cases = []
    for i, item in enumerate(raw):
        try:
            case = Case.model_validate(item)
        except ValidationError as err:
            where = item.get("id", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            first = err.errors()[0]
            field = "".join(f"{part}: " for part in [".".join(map(str, first["loc"]))] if part)
            raise CatalogError(f"{path}: case {where}: {field}"
                               f"{first['msg'].removeprefix('Value error, ')}") from None
        unknown = set(case.measured) - set(METRICS)
        if unknown:
            raise CatalogError(f"{path}: case {case.id}: unknown metric {sorted(unknown)}; "
                               f"use {', '.join(METRICS)}")
        cases.append(case)
    catalog = default_catalog()
    for case in cases:  # an unknown id is an error, never a silent skip
        for table, name in ((catalog.models, case.model), (catalog.chips, case.chip)):
            try:
                table[name]
            except KeyError as err:
                raise CatalogError(f"{path}: case {case.id}: {err}") from None
    return cases


def predict_case(case: Case, efficiency: Efficiency | None = None):
    par = case.parallelism
    layout = {} if par is None else dict(tp=par.tp, ep=par.ep, pp=par.pp, replicas=par.replicas)
    return predict(case.model, case.chip, case.chips, precision=case.precision,
                   input_tokens=case.input_tokens or 1, output_tokens=case.output_tokens or 1,
                   scenario=case.scenario, concurrency=case.concurrency,
                   context_tokens=case.context_tokens, ttft_limit_ms=case.limits.get("ttft_ms"),
                   tpot_limit_ms=case.limits.get("tpot_ms"), efficiency=efficiency,
                   stack=stacks.canonical(case.stack), **layout)


def error_table(cases: list[Case], efficiency: Efficiency | None = None) -> pd.DataFrame:
    """One row per (case, metric): measured, predicted, signed relative error."""
    rows = []
    catalog = default_catalog()
    for case in cases:
        try:
            result = predict_case(case, efficiency)
        except AccelcalcError as err:
            raise type(err)(f"case {case.id}: {err}") from None
        for metric, measured in case.measured.items():
            predicted = getattr(result, metric)
            rows.append({"case": case.id, "metric": metric, "measured": measured,
                         "predicted": predicted, "error": (predicted - measured) / measured,
                         "layout": result.layout, "binding": result.binding,
                         "vendor": catalog.chip(case.chip).vendor,
                         "stack": stacks.canonical(case.stack)})
    return pd.DataFrame(rows)


def summary_line(table: pd.DataFrame) -> str:
    mape = 100 * float(np.mean(np.abs(table["error"])))
    return f"MAPE {mape:.1f}% over {len(table)} metrics in {table['case'].nunique()} cases"


def cross_validated_line(table: pd.DataFrame, path: str = "CASES") -> str:
    """The grouped cross-validated MAPE of :func:`accuracy_table`'s stored errors, saying
    where they come from and how many of the table's metrics they cover."""
    date = stacks.load().get("fitted", "?")
    known = table["cv_error"].dropna()
    rerun = f"`python -m calc calibrate {path} --cross-validate` cross-validates this file"
    if known.empty:
        return f"cross-validated MAPE: none stored for these cases; {rerun}"
    mape = f"{100 * known.abs().mean():.1f}%"
    if len(known) < len(table):  # a figure over a subset is not this file's cross-validated MAPE
        return (f"cross-validated MAPE of this file: not stored for {len(table) - len(known)} "
                f"of {len(table)} metrics (they differ from the cases the profiles were "
                f"cross-validated on); {rerun}. The {len(known)} stored give {mape} (grouped, "
                f"`calibrate --write` on {date})")
    cover = f"{len(known)} metrics in {table.loc[known.index, 'case'].nunique()} cases"
    return (f"cross-validated MAPE {mape} over {cover}; grouped, stored by `calibrate --write` "
            f"on {date}")


def breakdown(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """MAPE and bias (percent) and the number of metrics per value of column ``by``; with the
    stored cross-validated errors of :func:`accuracy_table` (``cv_error``), theirs too."""
    grouped = table.groupby(by, sort=True)
    columns = {"metrics": grouped.size(),
               "MAPE %": (100 * grouped["error"].apply(lambda e: e.abs().mean())).round(1),
               "bias %": (100 * grouped["error"].mean()).round(1)}
    if "cv_error" in table:
        columns |= {"CV MAPE %": (100 * grouped["cv_error"].apply(
                        lambda e: e.abs().mean())).round(1),
                    "CV bias %": (100 * grouped["cv_error"].mean()).round(1)}
    return pd.DataFrame(columns).reset_index()


def metric_class(metric: str) -> str:
    """throughput, ttft or tpot (per-user tokens/s is the inverse of TPOT)."""
    if metric in ("ttft_ms", "tpot_ms"):
        return metric.removesuffix("_ms")
    return "tpot" if metric == "output_tokens_per_s_per_user" else "throughput"


def summary(table: pd.DataFrame, worst: int = 5) -> str:
    """MAPE and bias per vendor, per stack and per metric class, and the worst metrics; in
    sample and, where the table has them (``cv_error``), cross-validated."""
    table = table.assign(metric_class=[metric_class(m) for m in table["metric"]])
    parts = []
    for by in ("vendor", "stack", "metric_class"):
        if by in table:
            parts += [breakdown(table, by).to_string(index=False), ""]
    columns = [("worst", "error")] + ([("worst cross-validated", "cv_error")]
                                      if "cv_error" in table else [])
    for label, column in columns:
        top = table.reindex(table[column].abs().sort_values(ascending=False).index).head(worst)
        parts.append(f"{label}: " + "; ".join(f"{r.case} {r.metric} {100 * e:+.1f}%"
                                               for r, e in zip(top.itertuples(), top[column])))
    bias = f"bias {100 * table['error'].mean():+.1f}%"
    if "cv_error" in table:
        stored = table["cv_error"].notna().sum()
        over = "" if stored == len(table) else f" over the {stored} stored"
        bias += f" (cross-validated {100 * table['cv_error'].mean():+.1f}%{over})"
    parts.append(bias)
    return "\n".join(parts)


def report(table: pd.DataFrame, path: str = "CASES") -> str:
    """Per-case table, the breakdowns of :func:`summary`, ending with the MAPE line; with
    :func:`accuracy_table`'s stored cross-validated errors, the in-sample MAPE line is followed
    by the cross-validated one (the in-sample fit flatters: the profiles saw these cases)."""
    percent = lambda errors: [f"{100 * e:+.1f}%" if np.isfinite(e) else "" for e in errors]  # noqa: E731
    shown = table.assign(error=percent(table["error"]),
                         measured=[f"{v:,.4g}" for v in table["measured"]],
                         predicted=[f"{v:,.4g}" for v in table["predicted"]])
    if "cv_error" in table:
        shown["CV error"] = percent(table["cv_error"])
    ratio = float(np.max(np.maximum(table["predicted"] / table["measured"],
                                    table["measured"] / table["predicted"])))
    columns = [c for c in ("case", "metric", "measured", "predicted", "error", "CV error",
                           "layout", "binding", "stack") if c in shown]
    lines = [shown[columns].to_string(index=False), "",
             summary(table) + f", largest factor {ratio:.2f}"]
    if "cv_error" in table:
        return "\n".join(lines + [f"in-sample {summary_line(table)}",
                                   cross_validated_line(table, path)])
    return "\n".join(lines + [summary_line(table)])


CASES_FILE = Path(__file__).parents[1] / "validation" / "public.yaml"
"""The measured cases shipped with the project."""


def accuracy_table(cases: list[Case]) -> pd.DataFrame:
    """:func:`error_table` (in-sample: the fitted profiles predict the cases they were fitted
    on) with each metric's grouped cross-validated error from ``calc/stack_profiles.yaml``
    (``cv_error``; NaN where the file has none for the case as given, matched by
    :attr:`Case.fingerprint`) and the prediction it implies,
    ``cv_predicted = measured × (1 + cv_error)``; ``unit`` names each metric's unit."""
    table = error_table(cases)
    table["fingerprint"] = table["case"].map({c.id: c.fingerprint for c in cases})
    cv = pd.DataFrame(stacks.load().get("cross_validated_errors", []),
                      columns=["case", "metric", "fingerprint", "error"]).astype(
                          {"fingerprint": object})  # absent in files written before them
    table = table.merge(cv.rename(columns={"error": "cv_error"}),
                        on=["case", "metric", "fingerprint"], how="left")
    return table.assign(cv_predicted=table["measured"] * (1 + table["cv_error"]),
                        unit=["ms" if m.endswith("_ms") else "tokens/s"
                              for m in table["metric"]])


def mape_percent(errors) -> float:
    """Mean absolute percentage error of signed relative errors (NaNs skipped).

    >>> mape_percent([0.1, -0.3, float("nan")])
    20.0
    """
    errors = np.asarray(errors, dtype=float)
    errors = errors[np.isfinite(errors)]
    return float(100 * np.mean(np.abs(errors))) if errors.size else float("nan")


def accuracy_breakdown(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of column ``by`` of :func:`accuracy_table` (or ``"metric_class"``: throughput,
    ttft, tpot): the number of metrics and the MAPE in sample and cross-validated, percent."""
    table = table.assign(metric_class=[metric_class(m) for m in table["metric"]])
    rows = [{by: key, "metrics": len(group), "mape_in_sample": mape_percent(group["error"]),
             "mape_cross_validated": mape_percent(group["cv_error"])}
            for key, group in table.groupby(by, sort=True)]
    return pd.DataFrame(rows, columns=[by, "metrics", "mape_in_sample", "mape_cross_validated"])
