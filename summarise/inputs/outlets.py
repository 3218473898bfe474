"""Who published an article, named as a reader knows the outlet.

In order of trust: the record's own metadata (a `source`/`outlet` field, a `Source:` header
line, the page's og:site_name, the feed's title), then the domain of its URL, then a news
agency's dateline or credit line in the text ("MOSCOW (AP) --", "(Reuters) -"), and only then
the file it came from.
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


def outlet_name(metadata: str, url: str, text: str, file_name: str) -> str:
    """The outlet: metadata, else the URL's domain, else a dateline credit, else the file name."""
    return metadata or url_domain(url) or dateline_credit(text) or file_name


def url_domain(url: str) -> str:
    """"https://www.reuters.com/world/..." -> "reuters.com"."""
    if not url.startswith(("http://", "https://")):
        return ""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def dateline_credit(text: str) -> str:
    """The agency credited in a dateline near the start of the text ("AP"), or ""."""
    match = _DATELINE_CREDIT.search(text[:_CREDIT_SPAN])
    return match.group(1).strip() if match else ""
