"""URLs of article pages, and the guard a public demo needs: summarise.inputs.fetch downloads,
this module refuses private addresses and reads the page (the URL source,
summarise/inputs/sources/http_urls.py, downloads through it).

A demo that fetches any URL it is given could be used to reach the machine's own network, so by
default addresses on loopback, private, link-local or reserved networks are refused, checked
before the request and again on the address a redirect ended at (a redirect through such an
address is still requested, but nothing it returns is read; a DNS answer that changes between the
check and the request is not covered either: for a demo open to the internet, also firewall it).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from summarise.inputs.fetch import FetchError, Fetched, extract_article, fetch, looks_like_html
from summarise.inputs.parse import decode
from summarise.types import Rejection

HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.8"


def download(url: str, timeout: float, max_bytes: int, allow_private: bool, accept: str) -> Fetched:
    """fetch() with the guard on the URL asked for and on the one redirects ended at."""
    check_url(url, allow_private)
    page = fetch(url, timeout=timeout, max_bytes=max_bytes, accept=accept)
    check_url(page.final_url, allow_private)
    return page


def is_page(page: Fetched) -> bool:
    content_type = _content_type(page)
    return content_type in HTML_TYPES + ("text/plain",) or (not content_type and looks_like_html(page.body))


def page_record(page: Fetched) -> dict:
    """The article of a downloaded web page or plain text; FetchError for anything else."""
    content_type = _content_type(page)
    if content_type in HTML_TYPES or (not content_type and looks_like_html(page.body)):
        return extract_article(page.body, page.final_url)
    if content_type == "text/plain":
        text = decode(page.body)
        if isinstance(text, Rejection):
            raise FetchError(text.reason)
        return {"text": text, "url": page.final_url}
    raise FetchError(f"not a web page or text (content type {content_type or 'unknown'})")


def _content_type(page: Fetched) -> str:
    return page.content_type.split(";")[0].strip().lower()


def check_url(url: str, allow_private: bool = False) -> None:
    """FetchError unless url is http(s) and, unless allowed, its host is on the public internet."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError("the URL has no host name")
    if allow_private:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or None)}
    except (socket.gaierror, UnicodeError, ValueError):
        raise FetchError(f"could not find the host {parts.hostname!r}") from None
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise FetchError("refused: the URL points to a local or private network address")
