"""Command line: `summarise brief|daily|eval|bench`, a one-way layer over the library.

One module per command (`brief.py`, `daily.py`, `eval.py`, `bench.py`), each with `add(subparsers)`
registering its parser and the function it runs; `main` turns expected failures into one clear
line and an exit code (exits.py). Nothing in the library imports this package.
"""
from __future__ import annotations

import argparse
import sys

from summarise.cli import bench, brief, daily, eval as eval_command, exits
from summarise.config import ConfigError
from summarise.evaluation.data import DataError
from summarise.models.files import ModelFileError
from summarise.models.openai import ModelServerError
from summarise.render.output import OutputError

COMMANDS = (brief, daily, eval_command, bench)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarise",
        description="Multi-document news summarisation: articles in, one neutral briefing per event out, "
                    "every sentence citing its sources.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = argv  # for the provenance line of eval and bench results
    try:
        return args.func(args)
    except (ConfigError, DataError, exits.CommandError) as exc:
        print(f"summarise: {exc}", file=sys.stderr)
        return getattr(exc, "code", exits.USAGE)
    except OutputError as exc:
        print(f"summarise: {exc}", file=sys.stderr)
        return exits.WRITE
    except (ModelFileError, ModelServerError) as exc:
        print(f"summarise: {exc}", file=sys.stderr)
        return exits.SETUP
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return exits.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
