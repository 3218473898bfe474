"""Rank: pick the facts of one event worth a briefing sentence, and who reports each.

Salience of a sentence = centrality (how much of the event it echoes) + cross-source support
(how many other outlets state the same fact) + a lead-position prior. `MMRRanker` selects by
greedy MMR, so the briefing does not say one thing twice; the default, `CoverageRanker`
(coverage.py), covers the concepts outlets share and uses this salience as a prior. Each pick becomes a `FactGroup`: the anchor plus
the one closest sentence from every other outlet that states the same fact, which is what
fusion writes from and what the briefing sentence cites.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Protocol

import numpy as np

from summarise.stages.guard import looks_like_injection
from summarise.stages.statements import dangling_pronoun, first_person, whole_quote
from summarise.stages.subjectivity import subjectivity
from summarise.types import Article, Sentence

# sentences that lean on an earlier one read badly on their own
_NEEDS_CONTEXT = re.compile(r"^(he|she|they|it|this|that|these|those|but|and|so|also|however|further|"
                            r"meanwhile|still|nonetheless|his|her|their)\b", re.IGNORECASE)

_CAPTION_MARK = re.compile(r"\bfile photo\b|\bAP Photo\b|\bBuy Photo\b|\b(?:photo|image) provided by\b|"
                           r"^\W*(?:FILE\W+)?In this (?:[\w,.]+ ){0,6}(?:photo|image)\b|"
                           # where each person stands: "David Molyneaux, right, and Mary Lu Abbott, left, ..."
                           r",\s+(?:left|right|center|centre|second from (?:left|right)),\s|"
                           r"\((?:left|right|center|centre)\)|\bfrom left\b|\bleft to right\b", re.IGNORECASE)
# a caption's date comes after the place: "..., Thursday, Feb. 16, 2017", "Mali Wednesday March 21,
# 2012", or ending the caption, "in Los Angeles, November 27, 2011."; a report writes "on Monday, Aug. 15, 2016"
# (and the wire's slip "Friday, May, 2 2014")
_MONTH_DAY_YEAR = r"(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)[a-z]*[.,]?\s+\d{1,2},?\s+(?:19|20)\d\d\b"
_CAPTION_DATE = re.compile(rf"(?:,|\b[A-Z][a-z]+)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+"
                           rf"{_MONTH_DAY_YEAR}|(?:(?<!day),|\b(?!\w+day\b)[A-Z][a-z]+)\s+{_MONTH_DAY_YEAR}[.)]?\s*$")


@dataclass(frozen=True)
class RankSettings:
    """[rank]: which facts of an event are briefed, and who is cited for each."""

    METHODS: ClassVar[dict[str, str]] = {"mmr": "summarise.stages.rank:MMRRanker",
                                         "coverage": "summarise.stages.coverage:CoverageRanker"}
    method: str = "coverage"  # coverage (stages/coverage.py) | mmr | package.module:Class
    max_sentences: int = 6
    min_sentences: int = 4
    budget_words: int = 0  # if > 0, pick sentences until the event's briefing has this many words
    corroborate_from: int = 3  # events with this many outlets brief only facts two of them state; 0: off
    max_citations: int = 5  # per briefing sentence: the anchor and the closest other outlets
    support_similarity: float = 0.72  # sentence cosine at which two outlets state the same fact
    mmr_lambda: float = 0.7
    max_sentence_words: int = 60  # longer sentences never anchor a fact
    max_event_sentences: int = 4_000  # ranked per event, leading sentences first (bounds memory)
    drop_instructions: bool = True  # source sentences that address the model never rank (guard.py)
    # coverage: a sentence's gain is the weight of the concepts it adds / its words**this (0: per sentence)
    coverage_cost_exponent: float = 1.0
    coverage_prior: float = 3.0  # coverage: the gain times the sentence's salience (as MMR's) to this power
    coverage_solver: str = "greedy"  # coverage: greedy | ilp (the concept-maximal set, exact, lead then rest)
    # coverage: events of this many outlets (spun copies not counted) or more use the ilp; 0: never
    coverage_ilp_from: int = 5
    coverage_lead_words: int = 100  # coverage ilp: the first this many words are the best such briefing alone
    coverage_prior_bonus: float = 1.0  # coverage ilp: a sentence adds this x its salience x mean weight per word
    # coverage greedy, events of coverage_new_fact_from outlets (spun copies not counted) or more (0: never): a
    # sentence a chosen group cites may still be picked for another fact it states, while this share of its
    # concept weight is unbriefed
    coverage_new_fact_share: float = 0.33
    coverage_new_fact_from: int = 4


@dataclass
class FactGroup:
    sentences: list[Sentence]  # the anchor first, then at most one per other article, closest first
    score: float
    new: bool = False  # states something not known at the story's last briefing (daily briefings)


class Ranker(Protocol):
    def rank(self, sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
             max_facts: int | None = None) -> list[FactGroup]:
        """The facts worth a briefing sentence, most salient first; `vectors` are the sentences'
        unit vectors (one row each); at most `max_facts` when given."""


class MMRRanker:
    def __init__(self, settings: RankSettings = RankSettings()):
        self.settings = settings

    def rank(self, sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
             max_facts: int | None = None) -> list[FactGroup]:
        return rank_event(sentences, vectors, articles, self.settings)[:max_facts]


def sentence_budget(n_articles: int, settings: RankSettings) -> int:
    """More outlets, more to say: two sentences plus one per article, up to the cap."""
    return max(1, min(settings.max_sentences, 2 + n_articles))


@dataclass
class EventSentences:
    """What every ranker reads of an event: the sentences it may brief, their similarities, the
    outlet each comes from (a duplicate counts as its original) and, per sentence, the sentences
    of other outlets that state the same fact."""
    sentences: list[Sentence]
    similarity: np.ndarray
    origin: np.ndarray
    origins: list[str]
    members: list[list[int]]


def event_sentences(sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
                    settings: RankSettings) -> EventSentences | None:
    """The event's sentences a ranker may brief (no planted instructions, each outlet's leading
    ones), or None when none is left."""
    if settings.drop_instructions:
        sentences, vectors = without_instructions(sentences, vectors)
    sentences, vectors = leading_sentences(sentences, vectors, settings.max_event_sentences)
    if not sentences:
        return None
    similarity = vectors @ vectors.T
    origin = np.array([articles[s.article_id].duplicate_of or s.article_id for s in sentences])
    origins = sorted(set(origin))
    members = _supporting_members(similarity, origin, origins, settings.support_similarity)
    return EventSentences(sentences, similarity, origin, origins, members)


def rank_event(sentences: list[Sentence], vectors: np.ndarray, articles: dict[str, Article],
               settings: RankSettings) -> list[FactGroup]:
    event = event_sentences(sentences, vectors, articles, settings)
    if event is None:
        return []
    sentences, similarity, members, outlets = event.sentences, event.similarity, event.members, len(event.origins)
    scores = _salience(sentences, similarity, members, outlets)
    eligible = anchor_candidates(sentences, articles, settings)
    if settings.corroborate_from and outlets >= settings.corroborate_from:
        # with enough outlets, a fact only one of them states (perhaps planted) is not briefed;
        # when they share no fact at all (reports of one event from different angles), each
        # sentence cites only its own outlet, which is better than an empty event
        eligible = [i for i in eligible if members[i]] or eligible
    budget = settings.max_sentences if settings.budget_words else sentence_budget(outlets, settings)
    words = [len(s.text.split()) for s in sentences]
    picks = _mmr(eligible, scores, similarity, members, budget, settings.mmr_lambda,
                 word_budget=settings.budget_words, words=words)
    return [FactGroup([sentences[j] for j in [i, *closest(members[i], similarity[i], settings.max_citations - 1)]],
                      float(scores[i])) for i in picks]


def closest(members: list[int], similarity_to_anchor: np.ndarray, limit: int) -> list[int]:
    """The `limit` members most like the anchor: a fact carried by 26 outlets cites the five
    that state it most plainly, and each citation costs a judge call."""
    return sorted(members, key=lambda j: (-similarity_to_anchor[j], j))[:max(limit, 0)]


def without_instructions(sentences: list[Sentence], vectors: np.ndarray) -> tuple[list[Sentence], np.ndarray]:
    """Drop sentences that address the model instead of reporting (guard.py): they are never
    picked, fused, cited or copied, whatever their salience."""
    keep = [i for i, s in enumerate(sentences) if not looks_like_injection(s.text)]
    return [sentences[i] for i in keep], vectors[keep]


def leading_sentences(sentences: list[Sentence], vectors: np.ndarray, cap: int) -> tuple[list[Sentence], np.ndarray]:
    """At most `cap` sentences, taking every article's first sentences before anyone's later ones.

    Ranking compares every pair of sentences (a cap x cap matrix), so the cap bounds its memory:
    4,000 sentences take 64 MB, where a 2,000-article event of 30 sentences each would take 14 GB.
    """
    if len(sentences) <= cap:
        return sentences, vectors
    keep = sorted(sorted(range(len(sentences)), key=lambda i: (sentences[i].index, i))[:cap])
    return [sentences[i] for i in keep], vectors[keep]


def _supporting_members(similarity: np.ndarray, origin: np.ndarray, origins: list[str],
                        threshold: float) -> list[list[int]]:
    """For each sentence, the most similar sentence of every other outlet, if similar enough."""
    members: list[list[int]] = [[] for _ in range(len(origin))]
    for other in origins:
        columns = np.flatnonzero(origin == other)
        best = columns[similarity[:, columns].argmax(axis=1)]
        for i, j in enumerate(best):
            if origin[i] != other and similarity[i, j] >= threshold:
                members[i].append(int(j))
    return members


def _salience(sentences: list[Sentence], similarity: np.ndarray, members: list[list[int]],
              n_origins: int, read: list[int] | None = None) -> np.ndarray:
    """Each sentence's salience; with `read`, only those sentences' values are meant to be read
    (the others skip the subjectivity lexicon, a third of ranking's time, and are left unscaled)."""
    n = len(sentences)
    centrality = (similarity.sum(axis=1) - 1.0) / max(n - 1, 1)
    centrality = centrality / max(float(centrality.max()), 1e-9)
    support = np.array([len(m) for m in members], dtype=np.float64) / max(n_origins - 1, 1)
    position = np.array([1.0 / np.sqrt(1.0 + s.index) for s in sentences])
    context = np.array([0.8 if _NEEDS_CONTEXT.match(s.text) else 1.0 for s in sentences])
    # a mild preference for plain statements over opinionated ones keeps the briefing at least as
    # neutral as its sources (measured on Multi-News: docs/benchmarks.md, "Ranking changes")
    objective = np.ones(n)
    for i in range(n) if read is None else read:
        objective[i] = 1.0 - 0.2 * subjectivity(sentences[i].text)
    return (0.4 * centrality + 0.4 * support + 0.3 * position) * context * objective


def anchor_candidates(sentences: list[Sentence], articles: dict[str, Article], settings: RankSettings) -> list[int]:
    """The sentences that can state a fact alone; one opening with a pronoun that refers to no one
    it names (the verifier's readability rule), speaking as "I" or "we" outside quotation marks, or
    a quote that names no speaker (a quote cut from its "she said"), only when no other can."""
    eligible = [i for i, s in enumerate(sentences) if _can_anchor(s, articles[s.article_id], settings)]
    return [i for i in eligible if not dangling_pronoun(sentences[i].text) and not first_person(sentences[i].text)
            and not whole_quote(sentences[i].text)] or eligible


def _can_anchor(sentence: Sentence, article: Article, settings: RankSettings) -> bool:
    words = len(sentence.text.split())
    # a question, or a line that introduces a list or a quote (ends in ":"), states no fact alone
    ending = sentence.text.rstrip("\"'\u201d\u2019) ")[-1:]
    return (not article.spun and not article.duplicate_of and 6 <= words <= settings.max_sentence_words
            and ending in (".", "!") and not _headline(sentence.text) and not photo_caption(sentence.text)
            and not cut_off(sentence.text))


_TRAILING_OFF = re.compile(r"(?:\.\.\.|\u2026)\s*(?:(?:Read )?More\W*)?$", re.IGNORECASE)


def cut_off(text: str) -> bool:
    """A sentence that trails off ("... looking for a new publisher; several... More."): a teaser
    or a text cut short states no whole fact, and a model asked to brief it would complete it."""
    return bool(_TRAILING_OFF.search(text.rstrip("\"'\u201d\u2019) ")))


def photo_caption(text: str) -> bool:
    """A photo's caption run into the text ("FILE - In this May 4, 2001, file photo, ...",
    "President Donald Trump speaks during a news conference, Thursday, Feb. 16, 2017, in ..."):
    it describes a picture, often of another day, in the present tense."""
    return bool(_CAPTION_MARK.search(text) or _CAPTION_DATE.search(text))


def _headline(text: str) -> bool:
    """A headline run into the text ("Hubby Wants FAT Allowance You Left Me Broke!"): every word
    capitalised (a sentence full of names still has a lowercase verb: "Putin met Orban in ...")."""
    words = re.findall(r"[A-Za-z][\w'\u2019-]*", text)
    return len(words) >= 5 and all(w[0].isupper() for w in words)


def _mmr(candidates: list[int], scores: np.ndarray, similarity: np.ndarray, members: list[list[int]],
         budget: int, weight: float, redundant: float = 0.8, word_budget: int = 0,
         words: list[int] | None = None) -> list[int]:
    """Greedy MMR up to `budget` sentences, or, with a word budget, until that many words."""
    chosen: list[int] = []
    covered: set[int] = set()  # sentences already stated by a chosen group
    pool = [i for i in candidates]
    written = 0
    while pool and len(chosen) < budget and (not word_budget or written < word_budget):
        def gain(i: int) -> float:
            overlap = max((similarity[i, j] for j in chosen), default=0.0)
            return weight * scores[i] - (1 - weight) * overlap
        best = max(pool, key=lambda i: (gain(i), -i))
        pool.remove(best)
        if best in covered or any(similarity[best, j] >= redundant for j in chosen):
            continue
        chosen.append(best)
        covered.update(members[best])
        written += words[best] if words else 0
    return chosen
