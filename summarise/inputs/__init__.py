"""Inputs: everything that turns what a user gives (paths, folders, texts, records, feeds, URLs)
into cleaned Articles, or into Rejections that say why not. Nothing here raises on bad content.

    ingest.py   files, folders, JSON/JSONL, HTML and text records -> Articles or Rejections
    clean.py    boilerplate removal and text normalisation
    fetch.py    bounded HTTP downloads, RSS/Atom feeds, OPML lists, article page extraction
    urls.py     URL inputs of the web demo (no private addresses unless allowed)
"""
