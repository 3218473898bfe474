"""Resolve a step named in a config to its class: a built-in short name from the stage's own
`METHODS` table, or `package.module:ClassName` for one's own implementation, so that a new
clustering method (say) is one new file plus one config line, with no registry to edit.
"""
from __future__ import annotations

import importlib


class UnknownMethod(ValueError):
    pass


def is_import_path(name: str) -> bool:
    module, _, attr = name.partition(":")
    return bool(module and attr) and all(part.isidentifier() for part in [*module.split("."), attr])


def check(kind: str, name: str, methods: dict[str, str]) -> None:
    """Raise UnknownMethod unless `name` is a built-in method or an import path."""
    if name not in methods and not is_import_path(name):
        raise UnknownMethod(f"unknown {kind} {name!r}: use one of {', '.join(sorted(methods))}, "
                            "or 'package.module:ClassName' for your own")


def resolve(kind: str, name: str, methods: dict[str, str]) -> type:
    """The class a config names (imported only now: a built-in may pull in torch or llama.cpp)."""
    check(kind, name, methods)
    module, _, attr = methods.get(name, name).partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise UnknownMethod(f"{kind} {name!r} cannot be loaded: {exc}") from None
