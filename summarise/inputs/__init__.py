"""Inputs: everything that turns what a user gives (paths, folders, texts, records, feeds, URLs)
into cleaned Articles, or into Rejections that say why not. Nothing here raises on bad content.

    sources/    the one router: a path or URL -> its records (files, folders, feeds, OPML, URLs),
                one module per kind, registered by suffix or URL scheme
    ingest.py   inputs -> Articles or Rejections (each record judged; the run's limits)
    parse.py    decoding, plain text / Markdown headers, HTML -> an ingest record
    clean.py    boilerplate removal and text normalisation
    fetch.py    bounded HTTP downloads, RSS/Atom feeds, OPML lists, article page extraction
    urls.py     the URL guard (no private addresses unless allowed) and article pages
"""
