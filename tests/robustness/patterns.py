"""Every regular expression of the package (module-level and inline) against text built to make a
backtracking matcher blow up: long runs of capitals, spaces, commas, digits with separators,
quotes, dashes, line breaks.

Article text reaches these patterns, and the model's sentences copy it. A pattern with nested
quantifiers can take exponential time on such runs: the speaker pattern of `statements.py` split
a run of capitals in exponentially many ways until ea0fcdd (20 capitals 0.4 s, each two more
4 to 6 times longer), and a TV transcript in capitals has 484 in one run. A linear or quadratic
pattern takes milliseconds on the texts here, so the slowest time says which kind each is.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import time
from pathlib import Path

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


# each `re` function, and where its flags stand among the positional arguments
_RE_CALLS = {"compile": 1, "search": 2, "match": 2, "fullmatch": 2, "findall": 2, "finditer": 2, "split": 3,
             "sub": 4, "subn": 4}


def inline_patterns() -> dict[str, re.Pattern]:
    """Patterns written inside functions (`re.sub(r"...", ...)`), found in the source: every call of
    the `re` module whose pattern is a plain string (f-strings are left out; their parts are
    module-level patterns, probed above)."""
    found = {}
    root = Path(summarise.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _RE_CALLS
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                name = f"{path.relative_to(root.parent)}:{node.lineno}"
                found[name] = re.compile(node.args[0].value, _flags(node, _RE_CALLS[node.func.attr]))
    return found


def _flags(call: ast.Call, position: int) -> int:
    given = [k.value for k in call.keywords if k.arg == "flags"] or call.args[position:position + 1]
    return _flag_value(given[0]) if given else 0


def _flag_value(node: ast.expr) -> int:
    """`re.IGNORECASE`, `re.I | re.M`; anything else counts as no flag."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flag_value(node.left) | _flag_value(node.right)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        return int(getattr(re, node.attr, 0))
    return 0


def hostile_texts(length: int = 1_000) -> list[str]:
    """Every pair of pieces repeated to `length` characters: 256 texts."""
    return [((first + second) * length)[:length] for first in PIECES for second in PIECES]


def slowest_patterns(length: int = 1_000, top: int = 5) -> dict:
    """Each pattern's `findall` on every hostile text; the slowest patterns and their worst text."""
    texts, worst = hostile_texts(length), []
    patterns = {**package_patterns(), **inline_patterns()}
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
