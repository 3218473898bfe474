"""`summarise daily`: the command over summarise.daily (see that package for how a day is built)."""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

from summarise.cli import exits
from summarise.cli.brief import add_engine_options, engine_from, stage_times
from summarise.config import Config, load_config
from summarise.daily.run import DailyBriefing, DailyRun, store_day
from summarise.daily.sources import Collected
from summarise.daily.stories import StateError, StoryStore, default_state_path
from summarise.pipeline import Pipeline
from summarise.render import atom, render_daily_files
from summarise.render.document import count
from summarise.render.output import OutputError, check_writable, write_files

DAY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}")  # DAY.json, as daily names its files
STATE_TIMEOUT = 10.0  # seconds to wait for another run holding the state file's lock
EXIT_CODES = ("0 briefing written and stories stored; 1 no article of that day could be read (nothing "
              "written); 2 bad arguments or config; 3 a model is missing or broken; 4 briefing written but "
              "the story memory could not be read or updated (the message says why); 5 the output folder "
              "cannot be written (nothing written); 130 interrupted (previous files left as they were).")


def parse_day(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: use YYYY-MM-DD, e.g. 2026-11-22") from None


def add(subparsers) -> None:
    parser = subparsers.add_parser(
        "daily", help="write one day's briefing from folders, files, feeds or OPML, remembering stories",
        description="Read the day's articles from the inputs, group them into events ordered by importance "
                    "(outlets, size, novelty), and write DIR/DAY.md, DAY.html, DAY.json and DAY.atom, and "
                    "DIR/feed.atom with the last 7 days' briefings. Events that "
                    "continue a story from earlier days are linked to it and lead with what is new. "
                    "Articles dated another day are left out and counted; sources that fail are listed "
                    "with the reason.",
        epilog=f"Exit codes: {EXIT_CODES}")
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="a folder, files (.txt .md .html .json .jsonl), an RSS/Atom feed (.rss .atom .xml "
                             "or an http(s) URL) or an OPML list of feeds (.opml or URL)")
    parser.add_argument("--date", required=True, type=parse_day, metavar="YYYY-MM-DD",
                        help="the day to brief: articles published that day (UTC for timestamps with an "
                             "offset; file time when an article has no date)")
    parser.add_argument("--out-dir", required=True, type=Path, metavar="DIR",
                        help="where to write DAY.md/.html/.json/.atom and feed.atom")
    parser.add_argument("--state", type=Path, metavar="FILE", default=None,
                        help=f"story memory, an SQLite file (default: {default_state_path()})")
    parser.add_argument("--config", default="default", metavar="NAME_OR_PATH",
                        help="pipeline config: 'default', 'fast' or a path to a .toml file (default: %(default)s)")
    add_engine_options(parser)
    volume = parser.add_mutually_exclusive_group()
    volume.add_argument("--quiet", action="store_true", help="no progress bars or summary line; errors only")
    volume.add_argument("--verbose", action="store_true", help="also tell each rejection and story link as it happens, and the seconds per stage")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    config = load_config(args.config)
    day_text = args.date.isoformat()
    try:
        check_writable(args.out_dir)
    except OutputError as exc:
        print(f"summarise: {exc}; nothing written", file=sys.stderr)
        return exits.WRITE
    store, memory = open_store(args.state or default_state_path(), config)
    if store is None:
        print(f"summarise: story memory {memory}; continuing without linking stories", file=sys.stderr)
    pipeline = Pipeline(config, progress=False if args.quiet else None, engine=engine_from(args))
    run = DailyRun(pipeline, args.date, store, memory, verbose=args.verbose,
                   progress=False if args.quiet else None)
    try:
        with pipeline.timed("read the day's inputs"):
            collected = run.collect([str(i) for i in args.inputs])
        if not collected.articles:
            print(f"summarise: no article of {day_text} could be read; nothing written ({no_article_reason(collected)})",
                  file=sys.stderr)
            return exits.NO_ARTICLES
        daily = run.build(collected)
        targets = {args.out_dir / f"{day_text}.{ext}": text for ext, text in render_daily_files(daily).items()}
        targets[args.out_dir / "feed.atom"] = atom.render_recent_days(recent_days(args.out_dir, daily))
        try:
            write_files(targets)
        except OutputError as exc:
            print(f"summarise: {exc}; previous files left as they were", file=sys.stderr)
            return exits.WRITE
        code = exits.OK
        if run.store is not None:
            try:
                store_day(run.store, daily)
            except StateError as exc:
                daily.memory = f"off: {exc}"
        if daily.memory != "on":
            if daily.memory != memory:  # it failed during the run, not at the start (told above)
                print(f"summarise: story memory {daily.memory}", file=sys.stderr)
            code = exits.STATE
        if not args.quiet:
            print(closing_line(daily, time.monotonic() - started), file=sys.stderr)
        if args.verbose:
            print(stage_times(pipeline.timings), file=sys.stderr)
        return code
    finally:
        pipeline.close()
        if run.store is not None:
            run.store.close()


def recent_days(out_dir: Path, today: DailyBriefing, days: int = atom.FEED_DAYS) -> list[DailyBriefing]:
    """The latest `days` briefings in the folder, today's among them (the others are their DAY.json
    files, read back), newest first. A file that cannot be read back is left out of the feed, not fatal."""
    stored = {path.stem: path for path in out_dir.glob("*.json") if DAY_FILE.fullmatch(path.stem)}
    stored[today.day] = None
    recent = [today if day == today.day else read_day(stored[day]) for day in sorted(stored, reverse=True)[:days]]
    return [daily for daily in recent if daily is not None]


def read_day(path: Path) -> DailyBriefing | None:
    try:
        return DailyBriefing.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def open_store(path: Path, config: Config) -> tuple[StoryStore | None, str]:
    try:
        return StoryStore(path, embedder_signature(config), timeout=STATE_TIMEOUT), "on"
    except StateError as exc:
        return None, f"off: {exc}"


def embedder_signature(config: Config) -> str:
    return f"{config.embed.method}:{config.embed.model or 'packaged'}"


def no_article_reason(collected: Collected) -> str:
    parts = []
    if collected.other_days:
        parts.append(f"{count(len(collected.other_days), 'article')} of other days left out")
    if collected.rejected:
        parts.append(f"{len(collected.rejected)} rejected: " + rejection_summary(collected))
    return "; ".join(parts) or "the inputs hold no articles"


def rejection_summary(collected_or_rejections) -> str:
    rejected = getattr(collected_or_rejections, "rejected", collected_or_rejections)
    kinds = Counter(reason_kind(r.reason) for r in rejected)
    return "; ".join(f"{n} \u00d7 {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def reason_kind(reason: str) -> str:
    """The reason without its particulars: 'article page: HTTP 404 Not Found' -> 'article page: HTTP 404'."""
    head = re.split(r" \(|; |, over| after ", reason, maxsplit=1)[0]
    return head[:60]


def closing_line(daily: DailyBriefing, seconds: float) -> str:
    rejected = daily.briefing.rejected
    reasons = f" ({rejection_summary(rejected)})" if rejected else ""
    return (f"{daily.day}: {count(len(daily.briefing.articles), 'article')} read, {len(rejected)} rejected{reasons}, "
            f"{daily.other_days} of other days left out, {count(len(daily.events), 'event')} "
            f"({len(daily.featured)} featured, {len(daily.also_today)} also today), "
            f"{count(daily.continuing, 'continuing story', 'continuing stories')}, {seconds:.1f} s")
