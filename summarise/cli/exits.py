"""The exit codes of every command, and the one exception that carries an expected failure."""
from __future__ import annotations

OK = 0  # written
NO_ARTICLES = 1  # no input could be read (daily: no article of that day)
USAGE = 2  # bad arguments or config
SETUP = 3  # a model is missing or broken
STATE = 4  # daily: written, but the story memory could not be read or updated
WRITE = 5  # the output cannot be written (checked before any work where possible)
INTERRUPTED = 130


class CommandError(Exception):
    """An expected failure: printed as one line, exits with `code`."""

    def __init__(self, message: str, code: int = USAGE):
        super().__init__(message)
        self.code = code


def require_extra(extra: str, *modules: str) -> None:
    """Fail with the install command when an optional extra's packages are missing."""
    from importlib.util import find_spec

    missing = [m for m in modules if find_spec(m) is None]
    if missing:
        raise CommandError(f"this command needs the '{extra}' extra ({', '.join(missing)} missing): "
                           f"pip install 'summarise[{extra}]'", SETUP)
