"""Command line: ``python -m calc chips|models|predict|validate|calibrate`` (also ``accelcalc``).

Bad input prints one line starting with ``error:`` and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

import pandas as pd

from specs.catalog import load_catalog
from specs.schema import Status


class UsageError(ValueError):
    """Bad command-line input."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse prints usage too)
        raise UsageError(f"{self.prog}: {message}")


def _print_frame(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False, float_format="%.6g"))
    elif fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records")), indent=2,
                         ensure_ascii=False))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 250):
            print(frame.to_string(index=False, na_rep="", float_format=lambda v: f"{v:.6g}"))


def _catalog(args):
    return load_catalog(extra=args.add or [])


def cmd_chips(args) -> None:
    from calc.tables import chip_frame

    chips = [c for c in _catalog(args).chips
             if (args.vendor is None or c.vendor.lower() == args.vendor.lower()
                 or c.id.startswith(args.vendor.lower() + "-"))
             and (args.status is None or c.status == args.status)]
    if not chips:
        raise UsageError(f"no chip matches vendor={args.vendor!r} status={args.status!r}")
    _print_frame(chip_frame(chips), args.format)


def cmd_models(args) -> None:
    from calc.tables import model_frame

    _print_frame(model_frame(_catalog(args).models), args.format)


def cmd_predict(args) -> None:
    from calc.predict import PrecisionPlan, predict

    base = PrecisionPlan.of(args.precision)
    plan = PrecisionPlan(weights=args.weights_precision or base.weights,
                         activations=args.activation_precision or base.activations,
                         kv_cache=args.kv_precision or base.kv_cache)
    scenario = args.scenario or ("concurrency" if args.concurrency else "offline")
    catalog = _catalog(args)
    result = predict(catalog.model(args.model), catalog.chip(args.chip), args.chips,
                     tp=args.tp, ep=args.ep, pp=args.pp, replicas=args.replicas,
                     precision=plan, input_tokens=args.input_tokens,
                     output_tokens=args.output_tokens, scenario=scenario,
                     concurrency=args.concurrency, context_tokens=args.context_tokens,
                     ttft_limit_ms=args.ttft_limit_ms, tpot_limit_ms=args.tpot_limit_ms,
                     disaggregated=args.disaggregated, stack=args.stack)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
        return
    from calc.report import prediction_lines

    print("\n".join(prediction_lines(result)))


def cmd_memory(args) -> None:
    from calc.predict import memory_plan

    catalog = _catalog(args)
    plan = memory_plan(catalog.model(args.model), catalog.chip(args.chip), args.chips,
                       tp=args.tp, ep=args.ep, pp=args.pp, precision=args.precision,
                       context_tokens=args.context_tokens)
    if args.format == "json":
        print(plan.model_dump_json(indent=2))
        return
    print(f"{plan.model} on {plan.layout} × {plan.chip}: weights {plan.weights_gb:,.1f} GB, "
          f"workspace {plan.workspace_gb:,.1f} GB, usable {plan.usable_gb:,.1f} GB per chip")
    print(f"  KV per sequence of {plan.context_tokens:,} tokens: "
          f"{plan.kv_per_sequence_gb:,.3f} GB per chip")
    if plan.max_sequences == 0:
        print("  does not fit: use more chips per replica or a lower precision")
    print(f"  largest batch at that context: {plan.max_sequences:,} sequences")
    print(f"  longest single sequence: {plan.max_context_tokens:,} tokens")


def cmd_validate(args) -> None:
    from calc.validate import error_table, load_cases, report, summary_line

    table = error_table(load_cases(args.cases))
    if args.format == "json":
        print(json.dumps({"cases": json.loads(table.to_json(orient="records")),
                          "mape_percent": 100 * float(table["error"].abs().mean()),
                          "summary": summary_line(table)}, indent=2))
        return
    print(report(table))


def cmd_calibrate(args) -> None:
    from calc.calibrate import (Prepared, cross_validate, fit_profiles, predict_table, timed,
                                write_profiles)
    from calc.validate import load_cases, report, summary, summary_line

    cases = load_cases(args.cases)
    if args.cross_validate or args.write:
        cv, seconds = timed(cross_validate, cases, folds=args.folds)
    if args.cross_validate:
        print(f"grouped {args.folds}-fold cross-validation: every case predicted by profiles "
              f"fitted without its source's cases on its chip ({seconds:.0f} s)")
        print(report(cv).rsplit("\n", 1)[0])
        print(f"cross-validated {summary_line(cv)}")
        return
    prepared = [Prepared(case) for case in cases]
    profiles = fit_profiles(prepared)
    for name, entry in profiles.items():
        if entry.get("values") is None:
            print(f"{name}: not fitted ({entry['reason']}); falls back to {entry['parent']}")
        else:
            values = ", ".join(f"{k} {v:.3g}" for k, v in entry["values"].items())
            print(f"{name} ({len(entry['cases'])} cases, in-sample MAPE "
                  f"{entry['in_sample_mape_percent']}%): {values}")
    table = predict_table(prepared, profiles)
    print(summary(table))
    if args.write:
        write_profiles(profiles, cv)
        print(f"wrote {len(profiles)} profiles (grouped cross-validated MAPE "
              f"{100 * cv['error'].abs().mean():.1f}%)")
    print(f"in-sample {summary_line(table)}")


def build_parser() -> Parser:
    parser = Parser(prog="accelcalc", description="AI accelerator specs and inference cost")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def add(name: str, help_text: str, func, formats=("table", "csv", "json"), own_files=True):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--format", choices=formats, default="table")
        if own_files:
            p.add_argument("--add", action="append", metavar="FILE",
                           help="your own chip, system or model YAML file (repeatable)")
        return p

    chips = add("chips", "list the chip catalog", cmd_chips)
    chips.add_argument("--vendor",
                       help="vendor name or id prefix (nvidia, huawei, 'Moore Threads')")
    chips.add_argument("--status", choices=list(Status.__args__))
    add("models", "list the model catalog", cmd_models)

    p = add("predict", "predict serving metrics of a model on chips", cmd_predict,
            formats=("table", "json"))
    p.add_argument("--model", required=True, help="model id or alias (llama-3.1-70b)")
    p.add_argument("--chip", required=True, help="chip id or alias (H100)")
    p.add_argument("--chips", required=True, type=int, help="number of chips")
    for name in ("tp", "ep", "pp", "replicas"):
        p.add_argument(f"--{name}", type=int, help=f"{name} degree (default: best layout)")
    p.add_argument("--precision", default="bf16",
                   help="weights and activations precision (bf16, fp8, fp4, int8, int4)")
    p.add_argument("--weights-precision")
    p.add_argument("--activation-precision")
    p.add_argument("--kv-precision")
    p.add_argument("--input-tokens", type=int, default=1000)
    p.add_argument("--output-tokens", type=int, default=1000)
    p.add_argument("--concurrency", type=int, help="requests in flight across the system")
    p.add_argument("--scenario", choices=["offline", "server", "concurrency", "decode",
                                          "prefill"])
    p.add_argument("--context-tokens", type=int, help="KV length per sequence (decode)")
    p.add_argument("--ttft-limit-ms", type=float)
    p.add_argument("--tpot-limit-ms", type=float)
    p.add_argument("--disaggregated", action="store_true",
                   help="prefill and decode on separate replicas (best split is searched)")
    p.add_argument("--stack", default="unknown",
                   help="serving stack (tensorrt-llm, vllm, sglang, lmdeploy, mindie, gaudi)")

    p = add("memory", "does a model fit, and how large a batch × context", cmd_memory,
            formats=("table", "json"))
    p.add_argument("--model", required=True)
    p.add_argument("--chip", required=True)
    p.add_argument("--chips", type=int, default=1, help="chips per replica")
    for name in ("tp", "ep", "pp"):
        p.add_argument(f"--{name}", type=int, help=f"{name} degree (default: tp = chips)")
    p.add_argument("--precision", default="bf16")
    p.add_argument("--context-tokens", type=int, default=4096)

    for name, help_text, func in (
            ("validate", "predict measured cases and report the error", cmd_validate),
            ("calibrate", "fit the efficiency factors on measured cases", cmd_calibrate)):
        p = add(name, help_text, func, formats=("table", "json") if name == "validate"
                else ("table",), own_files=False)
        p.add_argument("cases", help="YAML file of measured cases")
    p.add_argument("--cross-validate", action="store_true",
                   help="report grouped cross-validated errors (a source's cases on one chip "
                        "leave together) instead of the fitted profiles")
    p.add_argument("--folds", type=int, default=8, help="cross-validation folds (default 8)")
    p.add_argument("--write", action="store_true",
                   help="write the fitted profiles and their cross-validated errors to "
                        "calc/stack_profiles.yaml")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.func(args)
    except (ValueError, KeyError) as err:
        message = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
        print(f"error: {' '.join(message.split())}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0
