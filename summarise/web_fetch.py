"""Fetch one article page by URL for the web demo: standard library only, bounded in time and size.

A public demo that fetches any URL it is given could be used to reach the machine's own network,
so by default addresses on loopback, private, link-local or reserved networks are refused, also
after a redirect. (A DNS answer that changes between the check and the request is not covered.)
"""
from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from .ingest import decode, parse_html
from .types import Rejection

USER_AGENT = "summarise-web-demo/0.1 (+https://github.com/; news briefing demo)"
TIMEOUT_S = 10.0
MAX_BYTES = 5_000_000
TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


class FetchError(Exception):
    """A URL that cannot be used; the message is shown to the user."""


def fetch_url(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES,
              allow_private: bool = False) -> dict | Rejection:
    """An article record ({"text", "title", "url", ...}) for ingest, or a Rejection saying why not."""
    url = url.strip()
    try:
        check_url(url, allow_private)
        opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain"})
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in TEXT_TYPES:
                raise FetchError(f"not a web page or text (content type {content_type})")
            data = response.read(max_bytes + 1)
            charset = response.headers.get_content_charset()
            final_url = response.geturl()
    except FetchError as exc:
        return Rejection(url, str(exc))
    except urllib.error.HTTPError as exc:
        return Rejection(url, f"the server answered HTTP {exc.code} {exc.reason}")
    except urllib.error.URLError as exc:
        return Rejection(url, f"could not reach the site: {_reason(exc.reason)}")
    except (TimeoutError, socket.timeout):
        return Rejection(url, f"no answer within {timeout:g} seconds")
    except (OSError, ValueError) as exc:
        return Rejection(url, f"could not fetch: {exc}")
    if len(data) > max_bytes:
        return Rejection(url, f"page is over the {max_bytes / 1e6:g} MB limit")
    text = _decode(data, charset)
    if isinstance(text, Rejection):
        return Rejection(url, text.reason)
    if content_type == "text/plain":
        return {"text": text, "url": final_url, "input": url}
    record = parse_html(text)
    return {**record, "url": record.get("url") or final_url, "input": url}


def check_url(url: str, allow_private: bool = False) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError("only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError("the URL has no host name")
    if allow_private:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or None)}
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"could not find the host {parts.hostname!r}") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            raise FetchError("refused: the URL points to a local or private network address")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to URLs that pass the same check as the first one."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _decode(data: bytes, charset: str | None) -> str | Rejection:
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data)


def _reason(reason) -> str:
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, FetchError):
        return str(reason)
    return str(reason)
