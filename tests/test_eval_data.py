"""Bad evaluation data: a clear error with the line number, or skip-with-warning under skip_bad."""
import json

import pytest

from summarise.evaluation.data import DataError, load_cluster_docs, load_summary_cases

GOOD = {"id": "c1", "documents": [{"doc_id": "P1", "text": "Rain fell in Paris.", "likely_boilerplate": False}],
        "reference": "It rained in Paris.", "extra": 1}


def write(tmp_path, lines, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    return path


def test_reads_reference_and_references_and_ignores_extra_keys(tmp_path):
    both = {**GOOD, "id": "c2", "references": ["Paris had rain.", "It rained in Paris."]}
    only_list = {"id": 3, "documents": GOOD["documents"], "references": ["A."]}
    cases = load_summary_cases(write(tmp_path, [GOOD, "", both, only_list]))
    assert [c.id for c in cases] == ["c1", "c2", "3"]
    assert cases[1].references == ["It rained in Paris.", "Paris had rain."]
    assert cases[2].references == ["A."]
    assert cases[0].documents == [{"doc_id": "P1", "text": "Rain fell in Paris."}]


def test_a_documents_title_outlet_and_date_are_kept_for_the_pipeline(tmp_path):
    document = {"doc_id": "P1", "text": "Rain fell in Paris.", "headline": "Paris rain", "outlet": "Le Monde",
                "date": "2014-05-02", "likely_boilerplate": False, "notes": "not read", "title": None}
    [case] = load_summary_cases(write(tmp_path, [{**GOOD, "documents": [document]}]))
    assert case.documents == [{"doc_id": "P1", "text": "Rain fell in Paris.", "headline": "Paris rain",
                               "outlet": "Le Monde", "date": "2014-05-02"}]


@pytest.mark.parametrize("bad, message", [
    ("{not json", "data.jsonl:2: not a JSON line"),
    ("[1, 2]", "data.jsonl:2: expected a JSON object"),
    ({"id": "x", "documents": [], "reference": "r"}, "data.jsonl:2: cluster 'x' has no documents"),
    ({"id": "x", "reference": "r"}, "data.jsonl:2: field 'documents' is missing"),
    ({"id": "x", "documents": [{"doc_id": "a"}], "reference": "r"}, "data.jsonl:2: document 1: field 'text' is missing"),
    ({"id": "x", "documents": GOOD["documents"]}, "data.jsonl:2: no 'reference' or 'references' field"),
    ({"id": "x", "documents": GOOD["documents"], "reference": "  "}, "data.jsonl:2: field 'reference' is empty"),
    ({"id": "x", "documents": GOOD["documents"], "references": "r"}, "data.jsonl:2: field 'references' must be a list"),
    ({**GOOD}, "data.jsonl:2: id 'c1' already used on line 1"),
])
def test_bad_summary_line_names_its_line(tmp_path, bad, message):
    path = write(tmp_path, [GOOD, bad, {**GOOD, "id": "c3"}])
    with pytest.raises(DataError) as error:
        load_summary_cases(path)
    assert message in str(error.value)


def test_skip_bad_warns_and_keeps_the_rest(tmp_path):
    path = write(tmp_path, [GOOD, "{not json", {"id": "x", "documents": []}, {**GOOD, "id": "c3"}])
    warnings = []
    cases = load_summary_cases(path, skip_bad=True, warn=warnings.append)
    assert [c.id for c in cases] == ["c1", "c3"]
    assert len(warnings) == 2
    assert "data.jsonl:2" in warnings[0] and "data.jsonl:3" in warnings[1]


def test_a_file_that_is_not_jsonl(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear editor,\nthis is a letter.\n")
    with pytest.raises(DataError, match=r"notes.txt:1: not a JSON line"):
        load_summary_cases(path)
    with pytest.raises(DataError, match="no usable records"):
        load_summary_cases(path, skip_bad=True, warn=lambda m: None)
    with pytest.raises(DataError, match="no such file"):
        load_summary_cases(tmp_path / "missing.jsonl")


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(DataError, match=r"data.jsonl:1: not UTF-8"):
        load_summary_cases(path)


def test_limit_counts_good_records(tmp_path):
    path = write(tmp_path, [GOOD, {**GOOD, "id": "c2"}, "{broken"])
    assert len(load_summary_cases(path, limit=2)) == 2  # never reads the broken third line


def test_cluster_docs(tmp_path):
    rows = [{"doc_id": "d1", "gold_event": "e1", "text": "a"}, {"doc_id": "d2", "gold_event": "e1", "text": ""}]
    docs = load_cluster_docs(write(tmp_path, rows))
    assert [(d.doc_id, d.gold_event) for d in docs] == [("d1", "e1"), ("d2", "e1")]  # empty text is a document
    with pytest.raises(DataError, match=r"data.jsonl:2: field 'gold_event' is missing"):
        load_cluster_docs(write(tmp_path, [rows[0], {"doc_id": "d2", "text": "b"}]))
    with pytest.raises(DataError, match=r"data.jsonl:2: doc_id 'd1' already used on line 1"):
        load_cluster_docs(write(tmp_path, [rows[0], rows[0]]))
