"""Plain text and Markdown files: one article each, with optional `Title:`/`Source:`/`Date:` lines."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.parse import parse_plain
from summarise.inputs.sources.base import Context, Item, Record, Source, read_local_text
from summarise.types import Rejection


def read(where: str, context: Context) -> Iterator[Item]:
    path = Path(where)
    text = read_local_text(path, context)
    if isinstance(text, Rejection):
        yield text
    else:  # _name: the file name stands in for a missing outlet
        yield Record(where, {**parse_plain(text), "input": where, "_name": path.stem}, origin=path)


SOURCE = Source("text", read, suffixes=(".txt", ".md", ".markdown"))
