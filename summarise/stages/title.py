"""Title: a short neutral headline for an event, from what its outlets share.

A fuser that can write headlines (the model fuser) writes one from the event's first briefing
sentences; it ships only if it passes the sentence checks against those sentences (which are
verified against the sources already) and the judge. Otherwise, and without a model, the title
is the outlets' own headline whose words the other outlets' texts share most.
"""
from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

from summarise.stages.cluster_graph import STOP_WORDS
from summarise.stages.verify import Verifier, hard_problems
from summarise.types import Article, BriefingSentence

TITLE_FROM = 3  # briefing sentences a written headline summarises
MAX_TITLE_WORDS = 14
_WORD = re.compile(r"[a-z][a-z'\-]+")


@runtime_checkable
class HeadlineWriter(Protocol):
    def headline(self, sentences: list[str]) -> str:
        ...


def write_title(articles: list[Article], written: list[BriefingSentence], fuser: object,
                verifier: Verifier) -> str:
    """A checked written headline where the fuser can write one, else the most shared headline."""
    lead = [s.text for s in written[:TITLE_FROM]]
    if lead and isinstance(fuser, HeadlineWriter):
        candidate = fuser.headline(lead).strip().rstrip(".")
        if title_passes(candidate, lead, verifier):
            return candidate
    return shared_headline(articles)


def title_passes(title: str, sentences: list[str], verifier: Verifier) -> bool:
    """Checked like a briefing sentence, against the sentences it summarises."""
    if not title or len(title.split()) > MAX_TITLE_WORDS or title.count('"') or "\n" in title:
        return False
    if hard_problems(title + ".", sentences, MAX_TITLE_WORDS + 1):
        return False
    return verifier.support(title, sentences) >= verifier.threshold


def shared_headline(articles: list[Article]) -> str:
    """The headline whose content words the other outlets' texts state most, shorter on ties;
    titles that are only the opening words of their text (no headline was given) come last."""
    clean = [a for a in articles if not a.spun and not a.duplicate_of] or articles
    headlines = [a for a in clean if a.title and not a.text.startswith(a.title.removesuffix(" ..."))]
    if not headlines:
        return clean[0].title
    texts = {a.id: set(_WORD.findall(a.text.lower())) for a in clean}

    def shared(article: Article) -> float:
        words = [w for w in _WORD.findall(article.title.lower()) if w not in STOP_WORDS]
        others = [t for i, t in texts.items() if i != article.id]
        if not words or not others:
            return 0.0
        return sum(w in t for w in words for t in others) / (len(words) * len(others))

    return max(headlines, key=lambda a: (shared(a), -len(a.title.split()))).title
