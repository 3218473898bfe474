"""Limits: stated values, clear errors past them, bounded prompts and ranking memory."""
import numpy as np

from summarise.config import Config
from summarise.stages.fuse import MAX_SOURCE_BYTES, clip
from summarise.inputs.ingest import load_articles
from summarise.stages.rank import leading_sentences
from robustness.limits import (check_article_chars, check_article_count, check_file_bytes,
                                         check_prompt_size, check_total_chars)
from summarise.types import Sentence

SMALL = Config(name="limits").override(ingest={"min_article_words": 5, "max_article_chars": 5_000,
                                               "max_file_bytes": 10_000, "max_articles": 20,
                                               "max_total_chars": 20_000})


def test_article_size_limit():
    result = check_article_chars(SMALL)
    assert result["at_limit_accepted"]
    assert "over the 5,000 limit" in result["past_limit_error"]


def test_file_size_limit():
    assert "over the" in check_file_bytes(SMALL)["past_limit_error"]


def test_article_count_limit():
    result = check_article_count(SMALL)
    assert result["accepted"] == 20 and result["rejected"] == 3
    assert "over the limit of 20 articles per run" in result["past_limit_error"]


def test_total_input_limit():
    result = check_total_chars(SMALL)
    assert result["rejected"] >= 1
    assert "over the limit of 20,000 characters of article text per run" in result["past_limit_error"]


def test_articles_past_the_count_are_not_even_parsed():
    inputs = [f"Report {n}: the council approved the budget on Tuesday." for n in range(5)]
    inputs.append({"text": "<p>" + "x" * 10 + "</p>"})  # would be parsed as HTML
    result = load_articles(inputs, SMALL.override(ingest={"max_articles": 2}).ingest)
    assert len(result.articles) == 2
    assert [r.reason for r in result.rejected] == ["over the limit of 2 articles per run"] * 4


def test_prompts_fit_the_model_context_whatever_the_input():
    result = check_prompt_size()
    assert result["fits_context"] and result["largest_judge_prompt_bytes"] > 0  # the judge was asked
    assert len(clip("\U0001f600" * 10_000).encode()) <= MAX_SOURCE_BYTES + 4


def test_ranking_keeps_leading_sentences_under_the_cap():
    sentences = [Sentence(a, i, 0, 1, "x") for a in "abc" for i in range(10)]
    kept, vectors = leading_sentences(sentences, np.arange(30), 9)
    assert [(s.article_id, s.index) for s in kept] == [(a, i) for a in "abc" for i in range(3)]
    assert list(vectors) == [0, 1, 2, 10, 11, 12, 20, 21, 22]
