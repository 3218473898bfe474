"""Evaluation data: read summarisation and clustering sets (JSONL) strictly.

A bad line (not JSON, not an object, a missing or empty field, an empty cluster, a repeated id)
stops the run with its line number, or, with `skip_bad`, is skipped with a warning that says
which line and why. A score is never computed on silently damaged data.

Formats (those of the shared evaluation data's README):
- summarisation: {"id", "documents": [{"doc_id", "text", ...}], "reference"} and/or "references"
  (a list). A document's title, outlet, URL and date, under any name the pipeline's ingest reads
  ("title", "headline", "source", "outlet", "url", "published", "date", ...), reach the pipeline
  as they would from a JSONL input; other keys are ignored.
- clustering: {"doc_id", "gold_event", "text"}.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from summarise.inputs.ingest import FIELD_ALIASES


class DataError(ValueError):
    """A data set that cannot be scored as it is; the message names the file and line."""


# what ingest reads beside the text: the event's title comes from headlines, citations name outlets
METADATA_KEYS = tuple(key for field, keys in FIELD_ALIASES.items() if field != "id" for key in keys)


@dataclass
class SummaryCase:
    id: str
    documents: list[dict[str, str]]  # {"doc_id", "text"} and any METADATA_KEYS the record has
    references: list[str]
    line: int = 0


@dataclass
class ClusterDoc:
    doc_id: str
    gold_event: str
    text: str
    line: int = 0


Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"summarise: warning: {message}", file=sys.stderr)


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for every non-blank line; a line that is not JSON raises."""
    for number, value, error in _parsed_lines(path):
        if error:
            raise error
        yield number, value


def _parsed_lines(path: str | Path) -> Iterator[tuple[int, Any, DataError | None]]:
    """(line number, value, None) per non-blank line, or (line number, None, the error): a bad
    line does not end the iteration, so skip_bad can go on past it."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None, DataError(f"{path}:{number}: not UTF-8 text")
                continue
            if not line.strip():
                continue
            try:
                yield number, json.loads(line), None
            except json.JSONDecodeError as exc:
                yield number, None, DataError(f"{path}:{number}: not a JSON line ({exc.msg}); "
                                              "expected one JSON object per line (JSONL)")


def _records(path: str | Path, parse: Callable[[Any, int], Any], skip_bad: bool, warn: Warn,
             limit: int | None) -> list:
    out, skipped = [], 0
    for number, value, error in _parsed_lines(path):
        if limit is not None and len(out) >= limit:
            break
        try:
            if error:
                raise error
            out.append(parse(value, number))
        except DataError as exc:
            message = str(exc) if str(exc).startswith(str(path)) else f"{path}:{exc}"
            if not skip_bad:
                raise DataError(message) from None
            warn(f"skipped {message}")
            skipped += 1
    if not out:
        raise DataError(f"{path}: no usable records" + (f" ({skipped} skipped)" if skipped else ""))
    return out


def _text(record: dict, key: str, number: int, where: str = "", allow_empty: bool = False) -> str:
    """A string field; ids may be numbers. Document text may be empty (real sets hold empty pages,
    which the pipeline rejects and reports); ids, events and references may not."""
    value = record.get(key)
    if isinstance(value, (int, float)) and key.endswith("id") and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not (value.strip() or allow_empty):
        state = "missing" if key not in record else "empty or not a string"
        raise DataError(f"{number}: {where}field {key!r} is {state}")
    return value


def _object(value: Any, number: int) -> dict:
    if not isinstance(value, dict):
        raise DataError(f"{number}: expected a JSON object, got {type(value).__name__}")
    return value


def parse_summary_case(value: Any, number: int) -> SummaryCase:
    record = _object(value, number)
    case_id = _text(record, "id", number)
    documents = record.get("documents")
    if not isinstance(documents, list):
        raise DataError(f"{number}: field 'documents' is {'missing' if documents is None else 'not a list'}")
    if not documents:
        raise DataError(f"{number}: cluster {case_id!r} has no documents")
    docs = []
    for k, doc in enumerate(documents, 1):
        if not isinstance(doc, dict):
            raise DataError(f"{number}: document {k} is not an object")
        text = _text(doc, "text", number, f"document {k}: ", allow_empty=True)
        doc_id = str(doc.get("doc_id") or f"{case_id}/{k}")
        metadata = {key: doc[key] for key in METADATA_KEYS if isinstance(doc.get(key), str)}
        docs.append({"doc_id": doc_id, "text": text, **metadata})
    if len({d["doc_id"] for d in docs}) != len(docs):
        raise DataError(f"{number}: cluster {case_id!r} repeats a doc_id")
    return SummaryCase(case_id, docs, _references(record, number), number)


def _references(record: dict, number: int) -> list[str]:
    references = []
    if "reference" in record:
        references.append(_text(record, "reference", number))
    if "references" in record:
        listed = record["references"]
        if not isinstance(listed, list) or not all(isinstance(r, str) and r.strip() for r in listed):
            raise DataError(f"{number}: field 'references' must be a list of non-empty strings")
        references += [r for r in listed if r not in references]
    if not references:
        raise DataError(f"{number}: no 'reference' or 'references' field")
    return references


def parse_cluster_doc(value: Any, number: int) -> ClusterDoc:
    record = _object(value, number)
    return ClusterDoc(_text(record, "doc_id", number), _text(record, "gold_event", number),
                      _text(record, "text", number, allow_empty=True), number)


def load_summary_cases(path: str | Path, skip_bad: bool = False, limit: int | None = None,
                       warn: Warn = _stderr) -> list[SummaryCase]:
    cases = _records(path, parse_summary_case, skip_bad, warn, limit)
    return _unique(cases, "id", path, skip_bad, warn)


def load_cluster_docs(path: str | Path, skip_bad: bool = False, limit: int | None = None,
                      warn: Warn = _stderr) -> list[ClusterDoc]:
    docs = _records(path, parse_cluster_doc, skip_bad, warn, limit)
    return _unique(docs, "doc_id", path, skip_bad, warn)


def _unique(items: list, key: str, path: str | Path, skip_bad: bool, warn: Warn) -> list:
    seen: dict[str, int] = {}
    kept = []
    for item in items:
        value = getattr(item, key)
        if value in seen:
            message = f"{path}:{item.line}: {key} {value!r} already used on line {seen[value]}"
            if not skip_bad:
                raise DataError(message)
            warn(f"skipped {message}")
            continue
        seen[value] = item.line
        kept.append(item)
    return kept
