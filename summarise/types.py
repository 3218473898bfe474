"""The data that flows between pipeline stages, and the briefing that comes out.

Everything here is a plain dataclass so a briefing serialises to the JSON contract in
DESIGN.md with `Briefing.to_dict()` and reads back with `Briefing.from_dict()`.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class Sentence:
    """One sentence of an article, with character offsets into the article's cleaned text."""

    article_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass
class Article:
    id: str
    text: str  # cleaned text; citations' evidence are substrings of it
    title: str = ""
    source: str = ""  # outlet, or the file it came from when no outlet is known
    url: str = ""
    published: str = ""  # ISO date (YYYY-MM-DD) or datetime, "" when unknown
    input: str = ""  # where it came from: a path, "path:line", a URL or "text:N"
    language: str = "en"
    duplicate_of: str = ""  # id of the article it copies, for near-identical copies
    spun: bool = False  # a machine rewrite: counts as coverage, never quoted
    sentences: list[Sentence] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        record = asdict(self)
        del record["sentences"]
        return record


@dataclass
class Rejection:
    input: str
    reason: str


@dataclass
class Citation:
    article_id: str
    evidence: str  # an exact sentence of the article's cleaned text
    start: int = 0  # offsets of the evidence in the article's text
    end: int = 0


@dataclass
class BriefingSentence:
    text: str
    citations: list[Citation]
    method: str = "extractive"  # "generated" (fused by the model) or "extractive"
    support: float = 1.0  # judge's probability that the citations entail the text
    checks: list[str] = field(default_factory=list)  # verification notes, e.g. why it fell back


@dataclass
class Event:
    id: str
    title: str
    article_ids: list[str]
    sentences: list[BriefingSentence] = field(default_factory=list)


@dataclass
class Briefing:
    articles: list[Article]
    events: list[Event]
    rejected: list[Rejection]
    config: str = ""

    def article(self, article_id: str) -> Article:
        return next(a for a in self.articles if a.id == article_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": [a.to_dict() for a in self.articles],
            "events": [asdict(e) for e in self.events],
            "rejected": [asdict(r) for r in self.rejected],
            "config": self.config,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Briefing":
        article_keys = {f.name for f in fields(Article)} - {"sentences"}
        articles = [Article(**{k: v for k, v in a.items() if k in article_keys}) for a in data["articles"]]
        events = [
            Event(
                id=e["id"],
                title=e["title"],
                article_ids=list(e["article_ids"]),
                sentences=[
                    BriefingSentence(
                        **{**s, "citations": [Citation(**c) for c in s["citations"]]}
                    )
                    for s in e["sentences"]
                ],
            )
            for e in data["events"]
        ]
        rejected = [Rejection(**r) for r in data["rejected"]]
        return cls(articles, events, rejected, data.get("config", ""))
