"""Boilerplate removal for article text: what a newsroom reader would not call the story.

Works line by line on plain text (HTML is reduced to paragraphs first), so every rule is a
small predicate that is easy to read and extend.
"""
from __future__ import annotations

import re
import unicodedata

_BOILERPLATE = re.compile(
    r"""^(
        (read|see|watch|related|more|also\ read|read\ more|recommended|listen)(\ also)?\s*:.*
      | (advertisement|sponsored|source\ link|share\ this(\ article)?|click\ here.*|subscribe.*|sign\ up.*)
      | please\ enter\ your\ (comment|name|email).*
      | leave\ a\ (reply|comment).*
      | (\(c\)|©|copyright\b).*
      | .*\ball\ rights\ reserved\b.*
      | .*\bcontributed\ to\ this\ report\.?
      | follow\ (us|me)\ on\ .*
      | (please\ )?(enable|turn\ on)\ (javascript|cookies)\b.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Photo by X/Getty Images", "(Photo: ...)", "Mikhail Metzel | Sputnik | Reuters"
_CREDIT = re.compile(
    r"(\bphoto(graph)?s?\s*(by|:|credit)|\bimage\s*(by|:|credit)|getty\ images|\bAFP\b.*/|^[\w .'-]+(\|[\w .'-]+){1,3}$)",
    re.IGNORECASE | re.VERBOSE,
)
_END_PUNCTUATION = ("." , "!", "?", '"', "\u201d", "'", "\u2019", ":", ")")
# control characters, zero-width marks and bidirectional overrides (which can make text display
# in an order other than the one it is read and checked in)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
# reference marks pasted from wikis ("[12]", "[3][4]"): never part of the story, and in a
# briefing they would pass for citations
_REFERENCE_MARK = re.compile(r"\[\s*\d{1,3}\s*\]|\[(citation|clarification) needed\]", re.IGNORECASE)


# what a failed capture or fetch returns where the article should be; looked for in short texts
# only, since a long one that mentions it is a story with the notice left in
_PLACEHOLDER_PAGES = (
    ("a web archive's crawl notice",
     re.compile(r"\bthese crawls are part of an effort to archive pages\b|\"no more 404\"", re.IGNORECASE)),
    ("a page-not-found notice",
     re.compile(r"\bpage you (?:requested|were looking for|are looking for) (?:was|is|could) not(?: be)? found\b"
                r"|\bpage not found\b", re.IGNORECASE)),
)
PLACEHOLDER_MAX_WORDS = 150


def placeholder_page(text: str) -> str | None:
    """What a short page is instead of an article ("a web archive's crawl notice"), else None."""
    if len(text.split()) > PLACEHOLDER_MAX_WORDS:
        return None
    return next((kind for kind, pattern in _PLACEHOLDER_PAGES if pattern.search(text)), None)


def normalise(text: str) -> str:
    """NFC, unix newlines, no control characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def is_boilerplate(line: str, max_words: int = 40) -> bool:
    """A short line of page furniture. A long line is story text even if it ends in a copyright
    notice (whole articles often arrive as one line): dropping it would lose the article."""
    stripped = line.strip()
    return len(stripped.split()) <= max_words and bool(_BOILERPLATE.match(stripped))


def is_credit(line: str) -> bool:
    stripped = line.strip()
    return len(stripped.split()) <= 40 and bool(_CREDIT.search(stripped))


def is_fragment(line: str) -> bool:
    """A short line without closing punctuation: a caption, subhead or stray label."""
    stripped = line.strip()
    return len(stripped.split()) < 15 and not stripped.endswith(_END_PUNCTUATION)


def clean_text(text: str) -> str:
    """Drop boilerplate lines, photo credits with the caption above them, and stray fragments.

    Paragraphs are kept one per line, separated by a blank line, so sentence offsets map back.
    """
    lines = [_REFERENCE_MARK.sub("", line).strip() for line in normalise(text).split("\n")]
    lines = [line for line in lines if line]
    kept: list[str] = []
    for line in lines:
        if is_credit(line):
            # a credit alone on its line closes the caption just above it: drop that too
            caption_above = kept and len(kept[-1].split()) <= 40 and not kept[-1].startswith(('"', "\u201c"))
            if len(line.split()) <= 8 and caption_above:
                kept.pop()
            continue
        if is_boilerplate(line) or is_fragment(line):
            continue
        kept.append(re.sub(r"[ \t]+", " ", line))
    return "\n\n".join(kept)
