"""Who published an article, named as a reader knows the outlet.

In order of trust: the record's own metadata (a `source`/`outlet` field, a `Source:` header
line, the page's og:site_name, the feed's title), then the domain of its URL, then a news
agency's dateline or credit line in the text ("MOSCOW (AP) --", "(Reuters) -"), then the
publisher's copyright line at the foot of the page ("© 2024 Latin Times. All rights reserved."),
and only then the file it came from.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

# "MOSCOW (AP) —", "LONDON, June 3 (Reuters) -", "(CNN) —" at the start of a paragraph: the
# credit in brackets is who wrote the story. "according to a Reuters translation" is not.
_DATELINE_CREDIT = re.compile(
    r"^(?:[A-Z][A-Z.'\- ]{1,40}(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s+)?"
    r"\(([A-Z][A-Za-z.&' ]{0,29}[A-Za-z.])\)\s*[\u2014\u2013-]", re.MULTILINE)
_CREDIT_SPAN = 1500  # characters read for a dateline: it opens the story, after a headline or two
# "© 2024 Latin Times. All rights reserved.", "Copyright 2023 The Associated Press. All rights
# reserved.", "Copyright © 2021 NPR. To see more, ...", "© Reuters 2022": a line of its own that
# opens with the mark and names a holder that starts with a capital.
_MARK = r"(?:©|\((?i:c)\)|(?i:copyright)\b)"
_COPYRIGHT = re.compile(
    rf"^[ \t]*{_MARK}(?:[ \t]*{_MARK})?[ \t]*(?:\d{{4}}(?:[ \t]*[-\u2013][ \t]*\d{{4}})?[ \t]*,?[ \t]*)?(?:by[ \t]+)?"
    r"(?P<holder>[A-Z][\w&'\u2019.\- ]{0,48}?(?:,[ \t]*(?:Inc|LLC|Ltd|Limited|plc)\.?)?)[ \t]*(?:\d{4})?[ \t]*"
    r"(?:[.;|][ \t].*|[.;|]|[ \t]+(?i:all rights reserved)\b.*)?$",
    re.MULTILINE)
# the word alone may open a sentence ("Copyright Office staff agreed."): a notice also has the
# mark, a year or "all rights reserved"
_NOTICE = re.compile(r"©|\(c\)|\b\d{4}\b|rights reserved", re.IGNORECASE)
# a photographer's or picture agency's mark under an image is not the publisher's
_PICTURE_HOLDER = re.compile(r"\b(images?|photos?|photography|pictures|shutterstock|istock|getty|alamy)\b", re.IGNORECASE)
_HOLDER_WORDS = 6


def outlet_name(metadata: str, url: str, text: str, file_name: str, raw_text: str = "") -> str:
    """The outlet: metadata, else the URL's domain, else a dateline credit, else the copyright
    holder of the page (`raw_text`: before cleaning, which drops copyright lines), else the file name."""
    return metadata or url_domain(url) or dateline_credit(text) or copyright_holder(raw_text) or file_name


def url_domain(url: str) -> str:
    """"https://www.reuters.com/world/..." -> "reuters.com"."""
    if not url.startswith(("http://", "https://")):
        return ""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def dateline_credit(text: str) -> str:
    """The agency credited in a dateline near the start of the text ("AP"), or ""."""
    match = _DATELINE_CREDIT.search(text[:_CREDIT_SPAN])
    return match.group(1).strip() if match else ""


def copyright_holder(text: str) -> str:
    """Who the page's last copyright line names ("Latin Times"), or "" where none names a publisher."""
    for match in reversed(list(_COPYRIGHT.finditer(text))):
        holder = match.group("holder").strip(" .,-")
        if holder and _NOTICE.search(match.group()) and len(holder.split()) <= _HOLDER_WORDS and not _PICTURE_HOLDER.search(holder):
            return holder
    return ""
