"""What a briefing or a day's briefing says, laid out once for every format.

A `Document` is the reader's view of either: a title, a counts line, the featured events (with a
continuing story's note and its New/Background labels), the "Also today" events, the sources
numbered once for the whole document, and the rejected inputs. Each format renders a Document,
so the plain briefing and the daily one go through the same functions.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from summarise.render.escape import safe_url
from summarise.types import Article, Briefing, BriefingSentence, Event, Rejection

SPUN_NOTE = "rewritten copy; not quoted"


@dataclass
class Item:
    """One event as the formats show it."""

    event: Event
    key: str  # stable across reruns of the same inputs: the story id, or a digest of the articles
    note: str = ""  # a continuing story's note
    new_sentences: int | None = None  # leading sentences that are new; None: the story is not continuing

    def label(self, index: int) -> str:
        """'New', 'Background' or '' for the sentence at `index`."""
        if self.new_sentences is None:
            return ""
        return "New" if index < self.new_sentences else "Background"


@dataclass
class Document:
    title: str
    counts: str
    articles: dict[str, Article]
    numbers: dict[str, int]  # citation number of each article, the same everywhere in the document
    featured: list[Item]
    also_today: list[Item] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said once, under the counts
    config: str = ""
    day: str = ""  # YYYY-MM-DD: the day briefed, or the newest article date of a plain briefing

    def cited(self, sentence: BriefingSentence) -> list[int]:
        """The sentence's citation numbers, each once, in order."""
        return sorted({self.numbers[c.article_id] for c in sentence.citations})

    def sources(self, items: list[Item]) -> list[Article]:
        """The articles of these events, each once, in the order the events list them."""
        ids = dict.fromkeys(i for item in items for i in item.event.article_ids)
        return [self.articles[i] for i in ids]


# -- words ----------------------------------------------------------------------------------------

def count(n: int, singular: str, plural: str = "") -> str:
    """'1 article', '2 articles', '2 continuing stories'."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def summary_line(briefing: Briefing) -> str:
    return (f"{count(len(briefing.articles), 'article')}, {count(len(briefing.events), 'event')}, "
            f"{len(briefing.rejected)} rejected")


def source_label(article: Article) -> tuple[str, str, str]:
    """Outlet, title and where it came from (its http(s) URL, else its input), as plain text."""
    return (article.source or "unknown outlet", article.title or "untitled",
            safe_url(article.url) or article.input)


# -- a plain briefing -----------------------------------------------------------------------------

def source_numbers(briefing: Briefing) -> dict[str, int]:
    """Citation numbers: articles in briefing order, 1-based, stable across formats."""
    return {a.id: n for n, a in enumerate(briefing.articles, 1)}


def of_briefing(briefing: Briefing) -> Document:
    return Document("Briefing", summary_line(briefing), {a.id: a for a in briefing.articles},
                    source_numbers(briefing), [Item(e, articles_key(e)) for e in briefing.events],
                    rejected=list(briefing.rejected), config=briefing.config, day=newest_date(briefing.articles))


def articles_key(event: Event) -> str:
    """A plain briefing's events have no story id: the same articles make the same key."""
    return hashlib.sha1("\n".join(sorted(event.article_ids)).encode()).hexdigest()[:12]


def newest_date(articles: list[Article]) -> str:
    """The latest publication day among the articles, "" when none is dated: never the clock, so
    that the same inputs give the same output."""
    days = [a.published[:10] for a in articles if len(a.published) >= 10 and a.published[4:5] == "-"]
    return max(days, default="")


# -- a day's briefing (summarise/daily/run.py) ----------------------------------------------------

def of_daily(daily) -> Document:
    b = daily.briefing
    notes = [] if daily.memory == "on" else [f"Stories were not linked to earlier days: story memory {daily.memory}"]
    return Document(f"Daily briefing: {daily.day}", headline_counts(daily), {a.id: a for a in b.articles},
                    daily_numbers(daily), [daily_item(e) for e in daily.featured],
                    [daily_item(e) for e in daily.also_today], list(b.rejected), notes, b.config, daily.day)


def daily_item(daily_event) -> Item:
    link = daily_event.link
    return Item(daily_event.event, link.story_id, story_note(daily_event),
                daily_event.new_sentences if link.continues else None)


def daily_numbers(daily) -> dict[str, int]:
    """Sources numbered once for the whole day, in the order the events first list them."""
    numbers: dict[str, int] = {}
    for item in daily.featured + daily.also_today:
        for article_id in item.event.article_ids:
            numbers.setdefault(article_id, len(numbers) + 1)
    return numbers


def headline_counts(daily) -> str:
    b = daily.briefing
    outlets = len({a.source or a.id for a in b.articles})
    parts = [f"{count(len(b.articles), 'article')} from {count(outlets, 'outlet')}", count(len(daily.events), "event"),
             count(daily.continuing, "continuing story", "continuing stories")]
    if daily.other_days:
        parts.append(f"{count(daily.other_days, 'article')} of other days left out")
    if b.rejected:
        parts.append(f"{count(len(b.rejected), 'input')} rejected")
    return ", ".join(parts)


def story_note(daily_event) -> str:
    link = daily_event.link
    if not link.continues:
        return ""
    note = f"Continuing story since {link.since} (day {link.days}; last briefed {link.last_day})."
    if daily_event.new_sentences == 0:
        note += f" Nothing new since {link.last_day}; today's reports repeat earlier facts."
    return note
