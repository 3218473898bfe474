"""The pipeline's stages, one module each, composed by summarise.pipeline.Pipeline.

    segment.py   sentences with character offsets (NLTK Punkt, English parameters)
    embed.py     Embedder: unit sentence vectors (MiniLM; hashing for tests)
    cluster.py   Clusterer: articles -> events (average link at a cosine cut)
    spin.py      SpinDetector: machine-spun rewrites (the language model's perplexity)
    dedup.py     near-identical copies
    rank.py      Ranker: an event's facts, each a FactGroup of the sentences that state it
    guard.py     source sentences that address the model instead of reporting
    fuse.py      Fuser: one briefing sentence per FactGroup
    verify.py    Verifier: hard checks and the yes/no judge; retries, then the source sentence

A swappable step's settings dataclass carries a METHODS table; `[section] method = "..."` picks
a built-in, or `package.module:ClassName` one's own class, built as `Class(settings, **resources)`.
"""
