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
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        print(json.dumps(json.loads(frame.to_json(orient="records")), indent=2,
                         ensure_ascii=False))
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 250):
            print(frame.to_string(index=False, na_rep=""))


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


def build_parser() -> Parser:
    parser = Parser(prog="accelcalc", description="AI accelerator specs and inference cost")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    def add(name: str, help_text: str, func, formats=("table", "csv", "json")):
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        p.add_argument("--format", choices=formats, default="table")
        p.add_argument("--add", action="append", metavar="FILE",
                       help="your own chip, system or model YAML file (repeatable)")
        return p

    chips = add("chips", "list the chip catalog", cmd_chips)
    chips.add_argument("--vendor", help="vendor name or id prefix (nvidia, huawei, 'Moore Threads')")
    chips.add_argument("--status", choices=list(Status.__args__))
    add("models", "list the model catalog", cmd_models)
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
