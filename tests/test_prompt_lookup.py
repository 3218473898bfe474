"""Prompt-lookup drafts (models/llama_cpp.py): the continuation of the reply's latest tokens where
they occurred before. The model checks a draft; this only proposes it."""
import pytest

from summarise.config import ConfigError, load_config
from summarise.models.llama_cpp import lookup_continuation


def test_the_draft_continues_the_latest_earlier_occurrence_of_the_last_tokens():
    history = [1, 2, 3, 4, 5, 9, 2, 3, 7, 8, 6, 2, 3]
    assert lookup_continuation(history, 2) == [7, 8]  # "2 3" last seen before the end at index 6


def test_the_longest_matching_tail_wins_over_a_later_shorter_one():
    history = [5, 6, 7, 1, 9, 7, 2, 5, 6, 7]
    assert lookup_continuation(history, 3) == [1, 9, 7]  # "5 6 7", not the later "7 2"


def test_no_draft_without_an_earlier_occurrence_or_length():
    assert lookup_continuation([1, 2, 3, 4], 4) == []
    assert lookup_continuation([1, 2, 1, 2], 0) == []
    assert lookup_continuation([], 4) == []
    assert lookup_continuation([3], 4) == []


def test_a_draft_stops_at_the_end_of_the_history():
    assert lookup_continuation([4, 5, 6, 4], 8) == [5, 6, 4]


def test_a_draft_length_that_is_not_auto_or_a_count_is_a_config_error():
    assert load_config("default").model.draft_tokens == "auto"
    assert load_config("default", model={"draft_tokens": 0}).model.draft_tokens == 0
    for wrong in ("fast", -1, 2.5, True):
        with pytest.raises(ConfigError, match=r"\[model\] draft_tokens must be \"auto\" or a number of tokens"):
            load_config("default", model={"draft_tokens": wrong})
