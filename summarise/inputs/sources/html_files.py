"""Saved web pages (.html .htm): one article each, page chrome and hidden text dropped."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.parse import parse_html
from summarise.inputs.sources.base import Context, Item, Record, Source, local_file


def items(where: str, text: str, context: Context) -> Iterator[Item]:
    path = Path(where)
    yield Record(where, {**parse_html(text), "input": where, "_name": path.stem}, origin=path)


SOURCE = Source("html", local_file(items), suffixes=(".html", ".htm"))
