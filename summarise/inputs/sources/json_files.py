"""JSON and JSON Lines files of article records. A JSON file holds one record, a list of them,
or {"articles": [...]}, labelled path#n (or path when it holds one); a JSONL file one record a
line, labelled path:line. Records are handed on as they are: ingest judges each one."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from summarise.inputs.sources.base import Context, Item, Record, Source, local_file
from summarise.types import Rejection


def json_items(where: str, text: str, context: Context) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Rejection(where, f"invalid JSON at line {exc.lineno}: {exc.msg}")
        return
    records = data.get("articles", [data]) if isinstance(data, dict) else data
    if not isinstance(records, list):
        yield Rejection(where, "JSON must be an article object, a list of them, or {\"articles\": [...]}")
        return
    if not records:
        yield Rejection(where, "JSON holds no article records")
    for n, record in enumerate(records, 1):
        yield Record(f"{where}#{n}" if len(records) > 1 else where, record, origin=Path(where))


def jsonl_items(where: str, text: str, context: Context) -> Iterator[Item]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label = f"{where}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Rejection(label, f"invalid JSON on line {number}: {exc.msg}")
            continue
        yield Record(label, record, origin=Path(where))


JSON = Source("json", local_file(json_items), suffixes=(".json",))
JSONL = Source("jsonl", local_file(jsonl_items), suffixes=(".jsonl",))
