"""Regular expressions against hostile text (tests/robustness/patterns.py)."""
import re
import signal
import time

import pytest

from hang_guard import fails_if_still_running_after
from robustness.patterns import inline_patterns, package_patterns, slowest_patterns


def test_the_probe_reaches_the_patterns_article_text_meets():
    names = package_patterns()
    assert len(names) >= 50
    assert {"summarise.stages.statements._SPEAKER", "summarise.stages.verify._NAME",
            "summarise.stages.rank._CAPTION_MARK"} <= set(names)
    inline = inline_patterns()  # re.sub(r"...", ...) inside functions, with the flags they are called with
    assert len(inline) >= 50 and any(name.startswith("summarise/stages/fuse.py:") for name in inline)
    assert any(p.flags & re.IGNORECASE for p in inline.values()) and any(not p.flags & re.IGNORECASE for p in inline.values())


def test_no_pattern_backtracks_exponentially():
    # An exponential pattern runs for hours on these 1,000-character texts, a linear or quadratic one
    # for milliseconds: the guard only turns such a hang into a failure.
    with fails_if_still_running_after(300, "a pattern did not finish on hostile text"):
        result = slowest_patterns()
    assert result["patterns"] >= 100 and result["texts"] == 256


def test_the_guard_fails_a_hang_and_leaves_no_alarm_behind():
    with pytest.raises(pytest.fail.Exception, match="still busy"):
        with fails_if_still_running_after(1, "still busy"):
            time.sleep(30)
    assert signal.alarm(0) == 0  # nothing left pending to fail a later test
    assert signal.getsignal(signal.SIGALRM) == signal.SIG_DFL  # and the handler before it is back
