"""Write output files atomically: each file is written in full beside its target, then renamed over
it, so a crash, `kill -9` or Ctrl-C leaves the previous file intact and no reader ever sees half a
file. Used by `brief --out`, `daily`, `eval --json` and the web demo's downloads alike.
"""
from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path


class OutputError(Exception):
    """An output that cannot be written, with the reason in words."""


def write_text(text: str, out: Path | None) -> None:
    """One file, atomically; None writes to standard output."""
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder {out.parent}: {exc.strerror or exc}") from None
    write_files({out: text})


def check_writable(out_dir: Path) -> None:
    """Fail before any work when the briefing could not be written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {out_dir}: {exc.strerror or exc}") from None
    if not out_dir.is_dir():
        raise OutputError(f"output folder {out_dir} is not a folder")
    try:  # a real write, not os.access: root, read-only mounts and immutable folders all tell the truth here
        with tempfile.NamedTemporaryFile(dir=out_dir, prefix=".summarise-probe-"):
            pass
    except OSError as exc:
        raise OutputError(f"output folder {out_dir} is not writable ({exc.strerror or exc})") from None


def write_files(files: dict[Path, str]) -> None:
    """Write every file beside its target first; only when all are complete on disk, rename each
    over its target. A crash or Ctrl-C before that leaves every previous file as it was, and a
    file is never seen half-written (a rename is atomic)."""
    partials = {target: target.with_name(f".{target.name}.partial") for target in files}
    for target in files:  # a rename that fails half-way through would mix old and new files
        if target.exists() and not target.is_file():
            raise OutputError(f"cannot write {target}: something other than a file is in the way")
    try:
        for target, text in files.items():
            with open(partials[target], "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        with signals_held():  # Ctrl-C between two renames would mix old and new files
            for target, partial in partials.items():
                os.replace(partial, target)
    except OSError as exc:
        raise OutputError(f"cannot write {exc.filename or 'the briefing'}: {exc.strerror or exc}") from None
    finally:
        for partial in partials.values():
            partial.unlink(missing_ok=True)
    _sync_folder(next(iter(files)).parent)


@contextmanager
def signals_held():
    """Defer SIGINT and SIGTERM until the block ends, then deliver them as usual. (Handlers, not a
    signal mask: a mask would only hold them for this thread, and library threads would take them.)"""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda signum, frame: caught.append(signum))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for number in dict.fromkeys(caught):
            signal.raise_signal(number)


def _sync_folder(folder: Path) -> None:
    try:  # make the renames themselves durable; not possible on every platform
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
