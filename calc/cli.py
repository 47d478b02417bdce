"""Command line: ``python -m calc COMMAND`` (also ``accelcalc``): chips, models, predict,
memory, size, capacity, cost, claims, validate, calibrate.

Bad input prints one line starting with ``error:`` and exits with status 2.

Start-up is kept short: this module imports only the standard library and the error type at
the top; each command imports what it needs (pandas, pint, pydantic) when it runs, and the
catalog is loaded once per process from its on-disk cache (:mod:`specs.cache`).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from calc.errors import AccelcalcError

STATUSES = ("shipping", "sampling", "announced", "roadmap")
"""The chip statuses of ``specs.schema.Status``, spelled out so that building the parser does
not import the schema (a test keeps the two equal)."""


class UsageError(AccelcalcError):
    """Bad command-line input."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (argparse prints usage too)
        raise UsageError(f"{self.prog}: {message}")


def _cell(value) -> str:
    """A CSV cell: empty for unknown, six significant digits for floats (as pandas writes)."""
    if value is None:
        return ""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _print_rows(rows: list[dict], columns: list[str], fmt: str) -> None:
    """Rows as CSV or JSON without pandas (the table format goes through a DataFrame)."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([_cell(row[c]) for c in columns] for row in rows)
    elif fmt == "json":
        print(json.dumps([{c: row[c] for c in columns} for row in rows], indent=2,
                         ensure_ascii=False))
    else:
        import pandas as pd

        _print_frame(pd.DataFrame(rows, columns=columns), fmt)


def _print_frame(frame, fmt: str) -> None:
    import pandas as pd

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
    """The shipped catalog (loaded once per process), plus the user's ``--add`` files."""
    from specs.catalog import default_catalog, load_catalog

    return load_catalog(extra=args.add) if getattr(args, "add", None) else default_catalog()


def _chip_table(args) -> tuple[list[str], list[dict]]:
    """Columns and rows of the chip table; for the shipped catalog, cached on disk with it."""
    def build():
        from calc.tables import chip_columns, chip_rows

        return chip_columns(), chip_rows(_catalog(args).chips)

    if args.add:
        return build()
    from specs.cache import cached, shipped_files

    return cached("chip-table", [*shipped_files(), Path(__file__).with_name("tables.py")], build)


def cmd_chips(args) -> None:
    columns, rows = _chip_table(args)
    vendor = args.vendor and args.vendor.lower()
    rows = [r for r in rows
            if (vendor is None or r["vendor"].lower() == vendor or r["id"].startswith(vendor + "-"))
            and (args.status is None or r["status"] == args.status)]
    if not rows:
        raise UsageError(f"no chip matches vendor={args.vendor!r} status={args.status!r}")
    _print_rows(rows, columns, args.format)


def cmd_models(args) -> None:
    from calc.tables import model_frame

    _print_frame(model_frame(_catalog(args).models), args.format)


def cmd_predict(args) -> None:
    from calc.inputs import as_chip, as_model
    from calc.predict import PrecisionPlan, predict

    base = PrecisionPlan.of(args.precision)
    if args.scenario == "decode" and args.context_tokens is None:
        raise UsageError("--scenario decode needs --context-tokens (the KV length per "
                         "sequence)")
    given = {"weights": args.weights_precision, "activations": args.activation_precision,
             "kv_cache": args.kv_precision}
    plan = PrecisionPlan.of(base.model_dump() | {k: v for k, v in given.items() if v is not None})
    catalog = _catalog(args)
    result = predict(as_model(catalog, args.model), as_chip(catalog, args.chip), args.chips,
                     tp=args.tp, ep=args.ep, pp=args.pp, replicas=args.replicas,
                     precision=plan, input_tokens=args.input_tokens,
                     output_tokens=args.output_tokens, scenario=args.scenario,
                     concurrency=args.concurrency, context_tokens=args.context_tokens,
                     ttft_limit_ms=args.ttft_limit_ms, tpot_limit_ms=args.tpot_limit_ms,
                     disaggregated=args.disaggregated, stack=args.stack,
                     samples=_samples(args), seed=args.seed)
    if args.format == "json":
        print(result.model_dump_json(indent=2))
        return
    from calc.report import prediction_lines

    print("\n".join(prediction_lines(result)))


def cmd_memory(args) -> None:
    from calc.inputs import as_chip, as_model
    from calc.predict import memory_plan

    catalog = _catalog(args)
    plan = memory_plan(as_model(catalog, args.model), as_chip(catalog, args.chip), args.chips,
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
    from calc.validate import cross_validated_line, load_cases, report, summary_line

    table = _error_table(args.cases, load_cases(args.cases))
    if args.format == "json":
        cv = table["cv_error"].dropna()
        print(json.dumps({"cases": json.loads(table.to_json(orient="records")),
                          "mape_percent": 100 * float(table["error"].abs().mean()),
                          "cross_validated_mape_percent":
                              100 * float(cv.abs().mean()) if len(cv) else None,
                          "summary": f"in-sample {summary_line(table)}",
                          "cross_validated": cross_validated_line(table, args.cases)},
                         indent=2))
        return
    print(report(table, args.cases))


def _error_table(path: str, cases):
    """The validation table of ``cases`` (in sample, with the stored cross-validated errors);
    an error names the file (and the case)."""
    from calc.validate import accuracy_table

    try:
        return accuracy_table(cases)
    except AccelcalcError as err:
        raise UsageError(f"{path}: {err}") from None


def cmd_calibrate(args) -> None:
    from calc.calibrate import (Prepared, cross_validate, fit_profiles, grouped_folds,
                                predict_table, timed, write_profiles)
    from calc.validate import load_cases, report, summary, summary_line

    cases = load_cases(args.cases)
    _error_table(args.cases, cases)  # every case must be predictable before fitting
    if args.cross_validate or args.write:
        folds = len(grouped_folds(cases, args.folds))
        cv, seconds = timed(cross_validate, cases, folds=folds)
    if args.cross_validate:
        print(f"grouped {folds}-fold cross-validation: every case predicted by profiles "
              f"fitted without its source's cases on its chip ({seconds:.0f} s)")
        print(report(cv).rsplit("\n", 1)[0])
        print(f"cross-validated {summary_line(cv)}")
        return
    prepared = [Prepared(case) for case in cases]
    profiles = fit_profiles(prepared)
    if args.write:  # adds each profile's cross-validated MAPE to its entry
        write_profiles(profiles, cv)
    for name, entry in profiles.items():
        if entry.get("values") is None:
            print(f"{name}: not fitted ({entry['reason']}); falls back to {entry['parent']}")
        else:
            values = ", ".join(f"{k} {v:.3g}" for k, v in entry["values"].items())
            cv_mape = (f", cross-validated {entry['cv_mape_percent']}%"
                       if "cv_mape_percent" in entry else "")
            print(f"{name} ({len(entry['cases'])} cases, in-sample MAPE "
                  f"{entry['in_sample_mape_percent']}%{cv_mape}): {values}")
    table = predict_table(prepared, profiles)
    print(summary(table))
    print(f"in-sample {summary_line(table)}")
    if args.write:
        print(f"wrote {len(profiles)} profiles; grouped {folds}-fold cross-validated "
              f"{summary_line(cv)}")
    else:
        print("cross-validated: add --cross-validate (the in-sample figures flatter: the "
              "profiles were fitted on these cases)")


def _list(values: list[str] | None) -> tuple[str, ...] | None:
    """Repeatable, comma-separated option values as one tuple."""
    if not values:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _prices(values: list[str] | None) -> dict[str, str]:
    """--price CHIP=AMOUNT options (repeatable) as {chip: amount}."""
    from calc.prices import parse_price_list

    return parse_price_list(";".join(values or []))


def _cost_settings(args, catalog):
    from calc.cost import cost_settings

    overrides = {name: getattr(args, name) for name in (
        "years", "cost_of_capital", "residual_value", "hosting_per_year", "pue",
        "electricity_per_kwh") if getattr(args, name) is not None}
    return cost_settings(catalog, region=args.region, own=not args.rent, term=args.term,
                         currency=args.currency, cny_per_usd=args.cny_per_usd, **overrides)


def _workload(args, catalog, **traffic):
    """The workload the ``size`` and ``capacity`` flags describe (``traffic`` overrides)."""
    from calc.workload import Workload

    if args.top is not None and args.top < 1:
        raise UsageError(f"--top must be at least 1, got {args.top}")
    return Workload.of(**{k: v for k, v in (dict(
        model=catalog.model(args.model).id, requests_per_s=args.requests_per_s,
        tokens_per_day=args.tokens_per_day, peak_to_average=args.peak_to_average,
        spare_replicas=args.spare_replicas, headroom=args.headroom / 100,
        input_tokens=args.input_tokens, output_tokens=args.output_tokens,
        ttft_ms=args.ttft_ms, tpot_ms=args.tpot_ms,
        tokens_per_s_per_user=args.tokens_per_s_per_user, precisions=_list(args.precision),
        status=_list(args.status), vendors=_list(args.vendor), chips=_list(args.chip),
        buyable_in_china=args.china, allow_estimates=not args.no_estimates,
        disaggregated=not args.no_disaggregated) | traffic).items() if v is not None})


def cmd_size(args) -> None:
    from calc.report import sizing_lines
    from calc.sizing import size

    catalog = _catalog(args)
    workload = _workload(args, catalog)
    sizing = size(workload, settings=_cost_settings(args, catalog), prices=_prices(args.price),
                  catalog=catalog, samples=_samples(args),
                  seed=args.seed)
    if args.format == "json":
        if sizing.nearest_miss:
            print(f"note: {sizing.nearest_miss}", file=sys.stderr)
        print(json.dumps([o.model_dump() for o in sizing.options[:args.top]], indent=2,
                         ensure_ascii=False))
    elif args.format == "csv":
        if sizing.nearest_miss:
            print(f"note: {sizing.nearest_miss}", file=sys.stderr)
        sys.stdout.write(sizing.frame().head(args.top).to_csv(index=False, float_format="%.6g"))
    else:
        print("\n".join(sizing_lines(sizing, args.top)))


def cmd_capacity(args) -> None:
    from calc.capacity import capacity
    from calc.report import capacity_lines

    catalog = _catalog(args)
    questions = {"budget": "capex", "monthly_budget": "monthly", "power": "power",
                 "target_cost": "target_cost"}
    question, text = next((questions[k], getattr(args, k)) for k in questions
                          if getattr(args, k) is not None)
    if question == "capex" and args.rent:
        raise UsageError("--budget is a purchase budget; with --rent give --monthly-budget")
    has_traffic = args.requests_per_s is not None or args.tokens_per_day is not None
    if question == "target_cost" and not has_traffic:
        raise UsageError("--target-cost needs the traffic to price: add --requests-per-s or "
                         "--tokens-per-day")
    if question != "target_cost" and has_traffic:
        raise UsageError("a budget or power envelope gives the traffic: drop --requests-per-s "
                         "and --tokens-per-day")
    nominal = {} if has_traffic else {"requests_per_s": 1.0}  # replaced by capacity()
    answer = capacity(_workload(args, catalog, **nominal), **{question: text},
                      target_kind=args.target_kind, settings=_cost_settings(args, catalog),
                      prices=_prices(args.price), catalog=catalog)
    if args.format == "table":
        print("\n".join(capacity_lines(answer, args.top)))
        return
    if answer.message:
        print(f"note: {answer.message}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([o.model_dump() for o in answer.options[:args.top]], indent=2,
                         ensure_ascii=False))
    else:
        sys.stdout.write(answer.frame().head(args.top).to_csv(index=False,
                                                             float_format="%.6g"))


def cmd_cost(args) -> None:
    from calc.chip_cost import cost_frame

    catalog = _catalog(args)
    settings = _cost_settings(args, catalog)
    chips = [catalog.chip(c) for c in _list(args.chip)] if args.chip else list(catalog.chips)
    frame = cost_frame(catalog, chips, settings, _prices(args.price),
                       tokens_per_s_per_chip=args.tokens_per_s_per_chip)
    if args.format == "table":
        print(f"{'owned' if settings.own else 'rented'} in {settings.region}, in "
              f"{settings.currency}; settings (override with the flags of the same name):")
        for name, setting in settings:
            if hasattr(setting, "value"):
                print(f"  {name} = {setting.value:g} {setting.unit}  [{setting.source}]")
        print()
    _print_frame(frame, args.format)


CLAIM_COLUMNS = ["chip", "baseline", "claim", "source", "published", "workload",
                 "claimed_ratio", "model_ratio", "p10", "p90", "verdict", "reason"]
TABLE_TEXT_WIDTH = {"claim": 44, "source": 36, "workload": 60, "reason": 100}
"""Characters of a long text column the table shows (csv and json carry the whole text)."""


def _shorten(text: str | None, width: int) -> str | None:
    return text if text is None or len(text) <= width else text[:width - 1] + "…"


def cmd_claims(args) -> None:
    from calc.claims import check_claims

    checks = check_claims(_catalog(args))
    if args.format == "json":
        print(json.dumps([c.model_dump(mode="json") for c in checks], indent=2,
                         ensure_ascii=False))
        return
    rows = [c.model_dump(mode="json", include=set(CLAIM_COLUMNS)) for c in checks]
    if args.format == "table":
        for row in rows:
            row.update({k: _shorten(row[k], w) for k, w in TABLE_TEXT_WIDTH.items()})
            row.update({k: None if row[k] is None else float(f"{row[k]:.3g}")
                        for k in ("claimed_ratio", "model_ratio", "p10", "p90")})
        for column in ("claim", "source", "workload", "reason"):  # left-aligned text
            width = max(len(row[column] or "") for row in rows)
            for row in rows:
                row[column] = (row[column] or "").ljust(width)
    _print_rows(rows, CLAIM_COLUMNS, args.format)


def _samples(args) -> int:
    """Monte Carlo samples asked for: 0 without --uncertainty."""
    if not args.uncertainty:
        return 0
    from calc import inputs
    from calc.predict import MAX_SAMPLES

    return inputs.count("--samples", args.samples, maximum=MAX_SAMPLES)


def _add_uncertainty_flags(p) -> None:
    p.add_argument("--uncertainty", action="store_true",
                   help="add P10/P50/P90 bands (spec ranges and the model's measured error)")
    p.add_argument("--samples", type=int, default=1000, help="Monte Carlo samples (default 1000)")
    p.add_argument("--seed", type=int, default=0, help="random seed of the bands (default 0)")


def _add_cost_flags(p) -> None:
    p.add_argument("--currency", default="USD", type=str.upper, choices=["USD", "CNY"])
    p.add_argument("--cny-per-usd", type=float, help="exchange rate (default: the catalog's)")
    p.add_argument("--region", default="US", help="where the chips run and are bought: US, China")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--own", action="store_true", help="buy the chips (the default)")
    mode.add_argument("--rent", action="store_true", help="rent them by the chip-hour")
    p.add_argument("--term", choices=["on-demand", "reserved-1y", "reserved-2y", "reserved-3y"],
                   help="rental term to prefer (default: on-demand where the book has it)")
    p.add_argument("--price", action="append", metavar="CHIP=AMOUNT",
                   help="your own price, e.g. metax-c600=150000CNY or H100='2.5 USD/hour'")
    p.add_argument("--years", type=float, help="amortisation years")
    p.add_argument("--cost-of-capital", type=float, help="per year, e.g. 0.1")
    p.add_argument("--residual-value", type=float, help="fraction of capex at the end")
    p.add_argument("--hosting-per-year", type=float, help="fraction of capex per year")
    p.add_argument("--pue", type=float)
    p.add_argument("--electricity-per-kwh", help="e.g. '0.08 USD/kWh' or '0.4 CNY/kWh'")


def _add_workload_flags(p, *, traffic_required: bool) -> None:
    p.add_argument("--model", required=True)
    traffic = p.add_mutually_exclusive_group(required=traffic_required)
    traffic.add_argument("--requests-per-s", type=float, help="average requests per second")
    traffic.add_argument("--tokens-per-day", type=float,
                         help="average tokens per day, prompt and answer together")
    p.add_argument("--peak-to-average", type=float, help="peak ÷ average traffic (default 1)")
    p.add_argument("--headroom", type=float, default=0.0, help="extra capacity in percent")
    p.add_argument("--spare-replicas", type=int, help="replicas beyond the peak (1 for N+1)")
    p.add_argument("--input-tokens", type=int, default=2000)
    p.add_argument("--output-tokens", type=int, default=500)
    p.add_argument("--ttft-ms", type=float, help="time-to-first-token limit")
    p.add_argument("--tpot-ms", type=float, help="time-per-output-token limit")
    p.add_argument("--tokens-per-s-per-user", type=float, help="instead of --tpot-ms")
    p.add_argument("--precision", action="append",
                   help="allowed precisions, comma-separated (default bf16,fp8; add fp4 to "
                        "allow it)")
    p.add_argument("--status", action="append",
                   help="allowed chip statuses, comma-separated (default shipping)")
    p.add_argument("--vendor", action="append", help="allowed vendors, comma-separated")
    p.add_argument("--chip", action="append", help="only these chips, comma-separated")
    p.add_argument("--china", action="store_true", help="only chips that can be bought in China")
    p.add_argument("--no-estimates", action="store_true",
                   help="leave out chips whose needed figures are only estimates, and "
                        "layouts that cross an assumed (unpublished) scale-out network")
    p.add_argument("--no-disaggregated", action="store_true",
                   help="do not search separate prefill and decode pools")
    p.add_argument("--top", type=int, help="show only the first N options")


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
    chips.add_argument("--status", choices=STATUSES)
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
    _add_uncertainty_flags(p)

    p = add("memory", "does a model fit, and how large a batch × context", cmd_memory,
            formats=("table", "json"))
    p.add_argument("--model", required=True)
    p.add_argument("--chip", required=True)
    p.add_argument("--chips", type=int, default=1, help="chips per replica")
    for name in ("tp", "ep", "pp"):
        p.add_argument(f"--{name}", type=int, help=f"{name} degree (default: tp = chips)")
    p.add_argument("--precision", default="bf16")
    p.add_argument("--context-tokens", type=int, default=4096)

    p = add("size", "size a cluster on every eligible chip, ranked by cost per token", cmd_size)
    _add_workload_flags(p, traffic_required=True)
    _add_uncertainty_flags(p)
    _add_cost_flags(p)

    p = add("capacity", "the traffic a budget or power envelope buys on each option, or the "
            "options that meet a cost target", cmd_capacity)
    question = p.add_mutually_exclusive_group(required=True)
    question.add_argument("--budget", help="capex budget for owned chips, e.g. '10 MUSD'")
    question.add_argument("--monthly-budget", help="owned or rented, e.g. '500 kUSD'")
    question.add_argument("--power", help="facility power envelope with PUE, e.g. '5 MW'")
    question.add_argument("--target-cost", help="cost per million tokens, e.g. '0.5 USD/Mtok'")
    p.add_argument("--target-kind", default="blended", choices=["blended", "input", "output"],
                   help="which tokens --target-cost prices (default blended)")
    _add_workload_flags(p, traffic_required=False)
    _add_cost_flags(p)

    p = add("cost", "cost per chip-hour, owned or rented, with every input and its source",
            cmd_cost)
    p.add_argument("--chip", action="append", help="chips, comma-separated (default: all)")
    p.add_argument("--tokens-per-s-per-chip", type=float,
                   help="also give the cost per million tokens at this throughput")
    _add_cost_flags(p)

    add("claims", "check the catalog's vendor and press claims against the model "
        "(claimed ratio, model ratio with its P10-P90 band, verdict)", cmd_claims)

    for name, help_text, func in (
            ("validate", "predict measured cases and report the error", cmd_validate),
            ("calibrate", "fit the efficiency factors on measured cases", cmd_calibrate)):
        p = add(name, help_text, func, formats=("table", "json") if name == "validate"
                else ("table",), own_files=False)
        p.add_argument("cases", help="YAML file of measured cases")
    p.add_argument("--cross-validate", action="store_true",
                   help="report grouped cross-validated errors (a source's cases on one chip "
                        "leave together) instead of the fitted profiles")
    p.add_argument("--folds", type=int, default=8,
                   help="cross-validation folds (default 8); as many as there are groups or "
                        "more leaves one group out at a time")
    p.add_argument("--write", action="store_true",
                   help="write the fitted profiles and their cross-validated errors to "
                        "calc/stack_profiles.yaml")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; bad input (any ``ValueError``, the API's contract for it) prints one
    ``error:`` line and returns 2."""
    try:
        args = build_parser().parse_args(argv)
        args.func(args)
    except ValueError as err:
        message = " ".join(str(err).split()) or type(err).__name__
        print(f"error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0
