"""`recall grade` and `recall grader`: the JSON contract, pairs files, and one-line errors."""

import json

import pytest

from app.cli import main


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_grade_json_contract(capsys):
    rc = main(["grade", "--reference", "The vanishing gradient problem", "--answer", "vanishing gradients",
               "--question", "What problem do LSTMs address?", "--json"])
    assert rc == 0
    doc = _json(capsys)
    assert set(doc) == {"score", "verdict", "missing", "grader", "matched", "wrong"}
    assert 0 <= doc["score"] <= 1 and doc["verdict"] in ("correct", "partial", "wrong")
    assert isinstance(doc["missing"], list) and doc["grader"] in ("lstm", "lexical")


def test_grade_lexical_text_output(capsys):
    assert main(["grade", "--grader", "lexical", "--reference", "the cell state", "--answer", "no idea"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrong (") and "lexical" in out and "missing:" in out


def test_grade_pairs_file(tmp_path, capsys):
    f = tmp_path / "pairs.jsonl"
    f.write_text(
        json.dumps({"question": "Capital of Australia?", "reference": "Canberra", "answer": "Canberra"}) + "\n\n"
        + json.dumps({"reference": "Canberra", "answer": "Sydney"}) + "\n",
        encoding="utf-8",
    )
    assert main(["grade", "--pairs", str(f), "--json"]) == 0
    rows = _json(capsys)
    assert [r["answer"] for r in rows] == ["Canberra", "Sydney"]
    assert rows[0]["verdict"] == "correct" and rows[0]["score"] > rows[1]["score"]
    assert main(["grade", "--pairs", str(f)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].split("\t")[1] == "correct"


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "pairs.jsonl:1: not JSON"), ('{"reference": "x"}', "needs string fields")],
)
def test_grade_pairs_bad_file(tmp_path, capsys, content, message):
    f = tmp_path / "pairs.jsonl"
    f.write_text(content, encoding="utf-8")
    assert main(["grade", "--pairs", str(f)]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_grade_usage_errors(tmp_path, capsys):
    assert main(["grade", "--reference", "x"]) == 2  # bad usage, as README says
    err = capsys.readouterr().err
    assert "give --reference and --answer" in err and err.count("\n") == 1
    assert main(["grade", "--pairs", "p.jsonl", "--reference", "x", "--answer", "y"]) == 2
    assert "not both" in capsys.readouterr().err
    assert main(["grade", "--pairs", str(tmp_path / "none.jsonl")]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_eval_without_weights_is_a_user_error(tmp_path, capsys):
    pytest.importorskip("torch")
    assert main(["grader", "eval", "--weights", str(tmp_path / "none.pt")]) == 1
    assert "no LSTM weights" in capsys.readouterr().err


def test_eval_prints_every_grader_on_every_set(capsys):
    """A small `recall grader eval --json` run with the shipped weights: each set present scores the
    LSTM, its head alone and the lexical baselines; the flashcard sets report verdict metrics."""
    pytest.importorskip("torch")
    assert main(["grader", "eval", "--limit", "40", "--no-minilm", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    sets = doc["sets"]
    assert "flashcards test" in sets
    for name, entry in sets.items():
        for grader in ("lstm", "lstm-head", "lexical", "rapidfuzz"):
            metrics = entry[grader]
            if "cards" in entry:
                assert 0.0 <= metrics["accuracy"] <= 1.0 and 0.0 <= metrics["macro_f1"] <= 1.0, name
            else:
                assert -1.0 <= metrics["pearson"] <= 1.0 and metrics["mse"] >= 0.0, name
    assert doc["figures"]["lstm_weights_mb"] < 20
