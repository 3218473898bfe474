"""Saved web pages (.html .htm): one article each, page chrome and hidden text dropped."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.parse import parse_html
from summarise.inputs.sources.base import Context, Item, Record, Source, read_local_text
from summarise.types import Rejection


def read(where: str, context: Context) -> Iterator[Item]:
    path = Path(where)
    text = read_local_text(path, context)
    if isinstance(text, Rejection):
        yield text
    else:
        yield Record(where, {**parse_html(text), "input": where, "_name": path.stem}, origin=path)


SOURCE = Source("html", read, suffixes=(".html", ".htm"))
