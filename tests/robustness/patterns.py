"""Every module-level regular expression of the package against text built to make a
backtracking matcher blow up: long runs of capitals, spaces, commas, digits with separators,
quotes, dashes, line breaks.

Article text reaches these patterns, and the model's sentences copy it. A pattern with nested
quantifiers can take exponential time on such runs: the speaker pattern of `statements.py` split
a run of capitals in exponentially many ways until ea0fcdd (20 capitals 0.4 s, each two more
4 to 6 times longer), and a TV transcript in capitals has 484 in one run. A linear or quadratic pattern takes milliseconds on
the texts here, so the slowest time says which kind each is.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import time

import summarise

PIECES = ("A", "AB ", "Mr. ", "U.S. ", "'s ", ", ", '"', " - ", "said ", "the ", "1,000 ", "and ", "  ", "x",
          "\n", "...")
# optional extras with heavy imports; neither holds a pattern that sees article text
SKIPPED = ("summarise.web", "summarise.engines.ray")


def package_patterns() -> dict[str, re.Pattern]:
    """The package's compiled text patterns by module and name (each compiled object once)."""
    found: dict[int, tuple[str, re.Pattern]] = {}
    for info in pkgutil.walk_packages(summarise.__path__, "summarise."):
        if info.name.startswith(SKIPPED) or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                found.setdefault(id(value), (f"{info.name}.{name}", value))
    return dict(found.values())


def hostile_texts(length: int = 1_000) -> list[str]:
    """Every pair of pieces repeated to `length` characters: 256 texts."""
    return [((first + second) * length)[:length] for first in PIECES for second in PIECES]


def slowest_patterns(length: int = 1_000, top: int = 5) -> dict:
    """Each pattern's `findall` on every hostile text; the slowest patterns and their worst text."""
    texts, worst = hostile_texts(length), []
    patterns = package_patterns()
    for name, pattern in patterns.items():
        seconds, text = 0.0, ""
        for candidate in texts:
            started = time.perf_counter()
            pattern.findall(candidate)
            took = time.perf_counter() - started
            if took > seconds:
                seconds, text = took, candidate
        worst.append((seconds, name, text[:12]))
    worst.sort(reverse=True)
    return {"patterns": len(patterns), "texts": len(texts), "characters": length,
            "slowest": [{"pattern": name, "seconds": round(seconds, 4), "text starts": text}
                        for seconds, name, text in worst[:top]]}
