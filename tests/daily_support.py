"""Test material for the daily command: small news stories over two days, feed/OPML writers,
and a local HTTP server on 127.0.0.1 that serves them (plus slow, failing and huge pages).

Imported by tests/test_daily*.py, tests/test_fetch.py and tests/test_stories.py.
"""
from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from summarise.config import to_toml

DAY1, DAY2 = "2026-11-21", "2026-11-22"

# Story "bridge": day 1 the bridge closes; day 2 repairs are contracted (new facts) while the
# reports restate the closure (old facts). Two unrelated one-day stories keep it honest.
ARTICLES = {
    "bridge-1a": dict(day=DAY1, source="Harbour Herald", title="Kellerman Bridge closed after inspectors find cracks", text=(
        "The city council closed the Kellerman harbour bridge on Friday after inspectors found deep cracks in its steel supports. "
        "Engineers said the cracks were discovered during a routine inspection of the bridge deck and its supports. "
        "About 40,000 vehicles cross the Kellerman harbour bridge every day, according to the council. "
        "Drivers were told to use the ring road while the bridge stays closed to traffic and pedestrians.")),
    "bridge-1b": dict(day=DAY1, source="Coast Courier", title="Council shuts harbour bridge over cracked supports", text=(
        "Inspectors found deep cracks in the steel supports of the Kellerman harbour bridge, and the city council closed it on Friday. "
        "The cracks were found during a routine inspection, engineers said. "
        "The council said about 40,000 vehicles use the Kellerman harbour bridge each day. "
        "Traffic is being sent to the ring road, and pedestrians cannot cross the bridge either.")),
    "bridge-1c": dict(day=DAY1, source="Metro Daily", title="Cracks close Kellerman harbour bridge", text=(
        "The Kellerman harbour bridge was closed by the city council on Friday after inspectors discovered deep cracks in its steel supports. "
        "The council said 40,000 vehicles cross the bridge daily and asked drivers to take the ring road instead. "
        "Engineers said the routine inspection of the bridge found the cracks in the supports under the deck.")),
    "bakery-1": dict(day=DAY1, source="Metro Daily", title="Old town bakery wins national bread prize", text=(
        "A small bakery in the old town won the national bread prize on Friday for its rye sourdough loaf. "
        "The owner, Marta Lindqvist, said she had baked bread in the same brick oven for twenty years. "
        "Judges praised the crust and the deep flavour of the rye loaf, which sells out every morning. "
        "The bakery plans to open a second shop near the market square next spring.")),
    "bridge-2a": dict(day=DAY2, source="Harbour Herald", title="Kellerman Bridge repairs awarded, closure to last six weeks", text=(
        "Repairs to the Kellerman harbour bridge will take six weeks, the city council said on Saturday. "
        "The council awarded the repair contract to Nordby Steelworks for 4.2 million euros. "
        "Welders from Nordby Steelworks will start replacing the cracked supports on Monday morning. "
        "The city council closed the Kellerman harbour bridge on Friday after inspectors found deep cracks in its steel supports.")),
    "bridge-2b": dict(day=DAY2, source="Coast Courier", title="Nordby Steelworks to repair harbour bridge", text=(
        "The city council awarded the contract to repair the Kellerman harbour bridge to Nordby Steelworks for 4.2 million euros. "
        "The repairs will take six weeks, the council said on Saturday, and welders start on Monday morning. "
        "Inspectors found deep cracks in the steel supports of the Kellerman harbour bridge, and the city council closed it on Friday. "
        "Traffic is being sent to the ring road, and pedestrians cannot cross the bridge either.")),
    "storm-2a": dict(day=DAY2, source="Coast Courier", title="Storm warning issued for the coast", text=(
        "Forecasters issued a storm warning for the whole coast on Saturday, with gusts of up to 110 kilometres an hour expected overnight. "
        "Ferries to the islands were cancelled and the port authority told fishing boats to stay in harbour. "
        "The weather service said heavy rain could flood low streets near the beach by Sunday morning.")),
    "storm-2b": dict(day=DAY2, source="Metro Daily", title="Ferries cancelled as storm nears", text=(
        "Ferries to the islands were cancelled on Saturday after forecasters issued a storm warning for the coast. "
        "Gusts of up to 110 kilometres an hour are expected overnight, the weather service said. "
        "The port authority told fishing boats to stay in harbour, and heavy rain could flood streets near the beach.")),
}

# New facts of day 2's bridge story: one of them must lead its briefing.
BRIDGE_NEWS = ("six weeks", "Nordby", "4.2 million", "Monday")


def article_html(key: str, with_date: bool = True) -> str:
    a = ARTICLES[key]
    meta = f'<meta property="article:published_time" content="{a["day"]}T09:00:00Z">' if with_date else ""
    paragraphs = "".join(f"<p>{html.escape(s.strip())}.</p>" for s in a["text"].split(". ") if s.strip())
    return (f"<!doctype html><html><head><title>{html.escape(a['title'])}</title>{meta}"
            f'<meta property="og:site_name" content="{html.escape(a["source"])}"></head><body>'
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{html.escape(a['title'])}</h1>"
            f"{paragraphs.replace('..', '.')}</article><footer>Copyright the publisher</footer>"
            "<script>alert('x')</script></body></html>")


def rss(items: list[dict], title: str = "Test feed") -> str:
    """items: dicts with title, link, and optional pubdate (RFC 822), content, description."""
    parts = []
    for item in items:
        fields = [f"<title>{html.escape(item['title'])}</title>", f"<link>{html.escape(item['link'])}</link>"]
        if item.get("pubdate"):
            fields.append(f"<pubDate>{item['pubdate']}</pubDate>")
        if item.get("description"):
            fields.append(f"<description>{html.escape(item['description'])}</description>")
        if item.get("content"):
            fields.append(f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>")
        parts.append(f"<item>{''.join(fields)}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{html.escape(title)}</title><link>http://example.invalid/</link>"
            f"<description>test</description>{''.join(parts)}</channel></rss>")


def atom(entries: list[dict], title: str = "Test Atom feed") -> str:
    parts = []
    for e in entries:
        updated = f"<updated>{e['updated']}</updated>" if e.get("updated") else ""
        content = f'<content type="html">{html.escape(e["content"])}</content>' if e.get("content") else ""
        parts.append(f"<entry><title>{html.escape(e['title'])}</title><link href=\"{html.escape(e['link'])}\"/>"
                     f"<id>{html.escape(e['link'])}</id>{updated}{content}</entry>")
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{html.escape(title)}</title><id>urn:test</id><updated>2026-11-22T10:00:00Z</updated>"
            f"{''.join(parts)}</feed>")


def opml(urls: list[str]) -> str:
    outlines = "".join(f'<outline type="rss" text="feed {n}" xmlUrl="{html.escape(u)}"/>' for n, u in enumerate(urls))
    return f'<?xml version="1.0"?><opml version="2.0"><head><title>feeds</title></head><body>{outlines}</body></opml>'


def rfc822(day: str, hour: int = 9) -> str:
    y, m, d = (int(x) for x in day.split("-"))
    months = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
    weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][__import__("datetime").date(y, m, d).weekday()]
    return f"{weekday}, {d:02d} {months[m - 1]} {y} {hour:02d}:00:00 +0000"


def feed_item(base: str, key: str, dated: bool = True) -> dict:
    a = ARTICLES[key]
    return {"title": a["title"], "link": f"{base}/a/{key}", "pubdate": rfc822(a["day"]) if dated else "",
            "description": a["text"].split(". ")[0] + "."}


def write_config(folder: Path, **sections: dict) -> Path:
    """A pipeline config with no models (hashing embedder, extractive): fast, deterministic;
    `sections` change or add settings, e.g. daily={"max_events": 1}."""
    values = {"name": "test", "embed": {"method": "hashing"}, "fuse": {"method": "extractive"},
              "verify": {"judge": "none"}, "spin": {"method": "none"}, "ingest": {"min_article_words": 30},
              # the hashing embedder counts stop words: unrelated texts sit near 0.5, so cut higher
              "cluster": {"similarity": 0.65, "link_similarity": 0.35}, "daily": {"story_similarity": 0.6},
              "fetch": {"timeout": 2.0, "max_bytes": 200_000}}
    for name, table in sections.items():
        values[name] = {**values.get(name, {}), **table}
    path = folder / "test.toml"
    path.write_text(to_toml(values), encoding="utf-8")
    return path


# -- a local HTTP server ---------------------------------------------------------------------------

@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering
    send_length: bool = True  # False: no Content-Length, the body streams until closed
    redirect: str = ""
    dribble: float = 0.0  # seconds between 100-byte pieces of the body (a slow sender)


@dataclass
class LocalServer:
    """Serves `routes` on 127.0.0.1; records each request's path and user agent."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):  # noqa: N802 (http.server's naming)
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "Not Found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                if route.redirect:
                    self.send_header("Location", route.redirect)
                self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                piece = 100 if route.dribble else 65536
                try:
                    for start in range(0, len(route.body), piece):
                        self.wfile.write(route.body[start:start + piece])
                        if route.dribble:
                            self.wfile.flush()
                            time.sleep(route.dribble)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should on a huge page

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def add(self, path: str, body: str | bytes = b"", **options) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **options)
        return self.base + path

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def serve_articles(server: LocalServer, keys: list[str]) -> None:
    for key in keys:
        server.add(f"/a/{key}", article_html(key))


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (the port was just released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed.xml"
