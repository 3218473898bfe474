"""The small interface every source implements, and what sources yield.

A source is a function `read(where: str, context: Context) -> Iterator[Item]`, registered with
the suffixes or URL schemes it reads (see summarise/inputs/sources/__init__.py). An Item is:

    Record       one article record (an ingest dict, or any JSON value ingest will judge)
    FeedEntries  a feed's entries: the caller decides which to keep and whether to fetch pages
    Listed       another input this one names (a folder's file, an OPML list's feed): the
                 registry routes and reads it in turn
    Rejection    why this input, or a part of it, cannot be used

Sources never raise on bad content and never import the registry: they name what they find.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Union

from summarise.inputs.fetch import FeedEntry, FetchSettings
from summarise.inputs.parse import decode
from summarise.types import Rejection


@dataclass(frozen=True)
class Record:
    """An input already read: ingest turns `data` into an Article or a Rejection under `label`."""

    label: str
    data: Any
    origin: Path | None = None  # the local file it came from (daily dates undated ones by its time)


@dataclass(frozen=True)
class FeedEntries:
    where: str  # the feed's path or URL
    entries: list[FeedEntry]


@dataclass(frozen=True)
class Listed:
    where: str  # a path or URL named by the source being read


Item = Union[Record, FeedEntries, Listed, Rejection]


@dataclass
class Context:
    """What one run's sources share: limits, what a URL may be, callbacks, and what was read."""

    max_file_bytes: int = 20_000_000  # local files (ingest's max_file_bytes)
    min_article_words: int = 40  # a feed entry with less text of its own has its page fetched
    fetch: FetchSettings = field(default_factory=FetchSettings)
    # what a URL may serve: "any" (an article page, a feed or an OPML list), "feeds" (a feed or
    # an OPML list: daily), "pages" (an article page or plain text: the web demo)
    urls: str = "any"
    allow_private: bool = True  # False: URLs on local or private networks are refused (web demo)
    read_once: bool = False  # True: a file or URL met again is skipped with a note (daily)
    skip_hidden: bool = False  # True: folders' dot files are not read (daily)
    note: Callable[[str], None] = lambda line: None  # one line per event worth telling
    on_read: Callable[[str], None] = lambda where: None  # a file read or a URL downloaded
    seen: set[str] = field(default_factory=set)  # files and URLs read so far (read_once)


@dataclass(frozen=True)
class Source:
    """A kind of input: how to read it, and the file suffixes or URL schemes it claims."""

    name: str
    read: Callable[[str, Context], Iterator[Item]]
    suffixes: tuple[str, ...] = ()  # lower case, with the dot: (".csv",)
    schemes: tuple[str, ...] = ()  # without "://": ("https",)
    folders: bool = False  # True: it reads directories


def read_local(path: Path, context: Context) -> bytes | Rejection:
    """A local file's bytes within the size limit, or a Rejection saying why not."""
    label = str(path)
    try:
        size = path.stat().st_size
        if size > context.max_file_bytes:
            return Rejection(label, f"file is {size / 1e6:.1f} MB, over the {context.max_file_bytes / 1e6:.0f} MB limit")
        data = path.read_bytes()
    except OSError as exc:
        return Rejection(label, f"cannot read file: {exc.strerror or exc}")
    context.on_read(label)
    return data


def local_file(items: Callable[[str, Any, Context], Iterator[Item]], decoded: bool = True
               ) -> Callable[[str, Context], Iterator[Item]]:
    """A source's read() for local files: the file is read within the size limit (and decoded to
    text unless decoded=False), then items(where, text or bytes, context) says what it holds."""
    def read(where: str, context: Context) -> Iterator[Item]:
        content = (read_local_text if decoded else read_local)(Path(where), context)
        if isinstance(content, Rejection):
            yield content
        else:
            yield from items(where, content, context)

    return read


def read_local_text(path: Path, context: Context) -> str | Rejection:
    data = read_local(path, context)
    if isinstance(data, Rejection):
        return data
    text = decode(data)
    return Rejection(str(path), text.reason) if isinstance(text, Rejection) else text
