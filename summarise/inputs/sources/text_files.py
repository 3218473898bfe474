"""Plain text and Markdown files: one article each, with optional `Title:`/`Source:`/`Date:` lines."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.parse import parse_plain
from summarise.inputs.sources.base import Context, Item, Record, Source, local_file


def items(where: str, text: str, context: Context) -> Iterator[Item]:
    path = Path(where)  # _name: the file name stands in for a missing outlet
    yield Record(where, {**parse_plain(text), "input": where, "_name": path.stem}, origin=path)


SOURCE = Source("text", local_file(items), suffixes=(".txt", ".md", ".markdown"))
