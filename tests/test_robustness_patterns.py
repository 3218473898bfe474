"""Regular expressions against hostile text (tests/robustness/patterns.py)."""
import re
import signal

import pytest

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
    # for milliseconds: the alarm only turns such a hang into a failure, it times nothing finer.
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("a pattern did not finish on hostile text"))
    signal.alarm(300)
    try:
        result = slowest_patterns()
    finally:
        signal.alarm(0)
    assert result["patterns"] >= 100 and result["texts"] == 256
