"""`summarise brief PATH...`: one cited briefing for a set of articles."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from summarise.cli import exits
from summarise.config import load_config
from summarise.engines import ENGINES, Engine, make_engine
from summarise.inputs import sources
from summarise.pipeline import Pipeline
from summarise.render import FORMATS, render, summary_line
from summarise.render.output import write_text


def add_config_option(parser: argparse.ArgumentParser, default: str = "default") -> None:
    parser.add_argument("--config", default=default, metavar="NAME_OR_PATH",
                        help="pipeline config: 'default' (packaged models, fused sentences), 'fast' "
                             "(extractive, no generation) or a path to a .toml file (default: %(default)s)")


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=sorted(ENGINES), default="local",
                        help="where the steps run: 'local' (this process) or 'ray' (Ray workers; needs the "
                             "ray extra) (default: %(default)s)")
    parser.add_argument("--ray-address", metavar="ADDRESS", default=None,
                        help="with --engine ray: a running Ray cluster, e.g. 'auto' or 'ray://head:10001' "
                             "(default: $RAY_ADDRESS, else a local Ray instance on this machine's cores)")


def engine_from(args: argparse.Namespace) -> Engine:
    if args.engine != "ray" and args.ray_address:
        raise exits.CommandError("--ray-address needs --engine ray")
    if args.engine != "ray":
        return make_engine(args.engine)
    exits.require_extra("ray", "ray")
    return make_engine("ray", address=args.ray_address)


def add(subparsers) -> None:
    parser = subparsers.add_parser(
        "brief", help="write one cited briefing for a set of articles",
        description="Cluster the articles by event and write a briefing with one section per event; "
                    "every sentence cites the source sentences it rests on. Inputs that cannot be read "
                    "are listed with the reason.",
        epilog="Exit codes: 0 briefing written; 1 no input could be read (the briefing lists why); "
               "2 bad arguments or config; 3 a model is missing or broken; 5 the output cannot be written.")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="files (.txt .md .html .json .jsonl), folders of them, RSS/Atom feeds "
                             "(.rss .atom .xml), OPML lists (.opml), or http(s) URLs of pages, feeds or OPML lists")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output format (default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write here instead of standard output")
    add_config_option(parser)
    add_engine_options(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bars or summary line")
    parser.add_argument("--verbose", action="store_true", help="also print seconds spent per stage")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    pipeline = Pipeline(load_config(args.config), progress=False if args.quiet else None, engine=engine_from(args))
    try:  # a Path is never article text; a URL must stay a str (Path would fold its //)
        briefing = pipeline.run([p if sources.url_scheme(p) else Path(p) for p in args.paths])
    finally:
        pipeline.close()
    write_text(render(briefing, args.format), args.out)
    if not args.quiet:
        print(summary_line(briefing), file=sys.stderr)
    if args.verbose:
        print(stage_times(pipeline.timings), file=sys.stderr)
    if not briefing.articles:
        reasons = "; ".join(f"{r.input}: {r.reason}" for r in briefing.rejected[:5])
        print(f"summarise: no article could be read ({reasons})", file=sys.stderr)
        return exits.NO_ARTICLES
    return exits.OK


def stage_times(timings: dict[str, float]) -> str:
    """Seconds per stage, one line each, for --verbose."""
    return "\n".join(f"  {stage:<20} {seconds:8.2f} s" for stage, seconds in timings.items())
