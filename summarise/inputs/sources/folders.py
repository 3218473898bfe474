"""Folders: every file below, in name order; the registry reads each by its suffix."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from summarise.inputs.sources.base import Context, Item, Listed, Source
from summarise.types import Rejection


def read(where: str, context: Context) -> Iterator[Item]:
    files = sorted(p for p in Path(where).rglob("*")
                   if p.is_file() and not (context.skip_hidden and p.name.startswith(".")))
    if not files:
        yield Rejection(where, "folder contains no files")
    for file in files:
        yield Listed(str(file))


SOURCE = Source("folder", read, folders=True)
