"""Command line: `summarise brief PATH...` and the other subcommands.

Each subcommand lives in its own function pair (`add_X`, `run_X`) or module and registers itself
in `build_parser`; `main` turns expected failures into one clear line and an exit code.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import ConfigError, load_config
from .model_files import ModelFileError
from .render import FORMATS, render, summary_line

EXIT_OK, EXIT_NO_ARTICLES, EXIT_USAGE, EXIT_SETUP = 0, 1, 2, 3


class CommandError(Exception):
    """An expected failure: printed as one line, exits with `code`."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="default", metavar="NAME_OR_PATH",
                        help="pipeline config: 'default' (packaged models, fused sentences), 'fast' "
                             "(extractive, no generation) or a path to a .toml file (default: %(default)s)")


def add_brief(subparsers) -> None:
    parser = subparsers.add_parser(
        "brief", help="write one cited briefing for a set of articles",
        description="Cluster the articles by event and write a briefing with one section per event; "
                    "every sentence cites the source sentences it rests on. Inputs that cannot be read "
                    "are listed with the reason.",
        epilog="Exit codes: 0 briefing written; 1 no input could be read (the briefing lists why); "
               "2 bad arguments or config; 3 a model is missing or broken.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files (.txt .md .html .json .jsonl) or folders of them")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    add_config_option(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary line")
    parser.add_argument("--verbose", action="store_true", help="also print seconds spent per stage")
    parser.set_defaults(func=run_brief)


def run_brief(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline

    pipeline = Pipeline(load_config(args.config), progress=False if args.quiet else None)
    briefing = pipeline.run([Path(p) for p in args.paths])
    write_output(render(briefing, args.format), args.out)
    if not args.quiet:
        print(summary_line(briefing), file=sys.stderr)
    if args.verbose:
        for stage, seconds in pipeline.timings.items():
            print(f"  {stage:<20} {seconds:8.2f} s", file=sys.stderr)
    if not briefing.articles:
        reasons = "; ".join(f"{r.input}: {r.reason}" for r in briefing.rejected[:5])
        print(f"summarise: no article could be read ({reasons})", file=sys.stderr)
        return EXIT_NO_ARTICLES
    return EXIT_OK


def write_output(text: str, out: Path | None) -> None:
    """Write to a file atomically (a crash leaves the old file), or to standard output."""
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(out)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="summarise",
        description="Multi-document news summarisation: articles in, one neutral briefing per event out, "
                    "every sentence citing its sources.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_brief(subparsers)
    from .bench import add_bench  # each of these commands lives in its own module
    from .daily import add_daily
    from .eval_cli import add_eval

    add_daily(subparsers)
    add_eval(subparsers)
    add_bench(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.argv = argv  # for the provenance line of eval and bench results
    try:
        return args.func(args)
    except (ConfigError, CommandError) as exc:
        print(f"summarise: {exc}", file=sys.stderr)
        return getattr(exc, "code", EXIT_USAGE)
    except ModelFileError as exc:
        print(f"summarise: {exc}", file=sys.stderr)
        return EXIT_SETUP
    except KeyboardInterrupt:
        print("summarise: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
