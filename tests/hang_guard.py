"""Turns a hang into a test failure, for code that once ran for hours on hostile text (a regular
expression that backtracked exponentially). It times nothing finer: the code takes milliseconds."""
import contextlib
import signal

import pytest


@contextlib.contextmanager
def fails_if_still_running_after(seconds: int, message: str):
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail(message))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)  # whatever handled the alarm before handles it again
