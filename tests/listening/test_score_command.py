"""`everydesk score FILE`, called as Django runs it and, once, as a real process."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from everydesk.listening.score_file import SCORE_COLUMNS


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _score(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    sys_stderr = sys.stderr
    sys.stderr = err
    try:
        call_command("score", *args, stdout=out)
    finally:
        sys.stderr = sys_stderr
    return out.getvalue(), err.getvalue()


def test_a_csv_comes_back_with_its_columns_then_the_scores(tmp_path):
    source = _write_csv(
        tmp_path / "survey.csv",
        ["id", "text", "channel"],
        [
            ["1", "Thanks for nothing, the parcel never arrived.", "email"],
            ["2", "How do I reset my password?", "portal"],
            ["3", "I'm cancelling my subscription and my lawyer will hear of it.", "survey"],
        ],
    )
    out, err = _score(str(source))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["id", "text", "channel", *SCORE_COLUMNS]
    assert [row["id"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["channel"] == "email"
    assert (rows[0]["sentiment_label"], rows[0]["kind"]) == ("negative", "complaint")
    assert rows[1]["kind"] == "question"
    assert rows[2]["urgency_signals"] == "legal;churn_threat"
    assert int(rows[2]["urgency"]) >= 75
    assert rows[0]["language"] == "en"
    assert "Scored 3 row(s)." in err


def test_the_text_column_can_be_named(tmp_path):
    source = _write_csv(tmp_path / "in.csv", ["comment"], [["Great, third time it broke."]])
    out, _ = _score(str(source), "--column", "comment")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["sentiment_label"] == "negative"


def test_rows_without_text_are_kept_unscored_and_reported(tmp_path):
    source = _write_csv(
        tmp_path / "in.csv", ["id", "text"], [["1", "Not bad at all."], ["2", "  "], ["3", ""]]
    )
    out, err = _score(str(source))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["sentiment_label"] == "positive"
    assert rows[1]["sentiment"] == rows[2]["kind"] == ""
    assert "Scored 1 row(s)." in err
    assert "2 row(s) had no text and were left unscored (row 3, 4)" in err


def test_fields_past_the_header_are_reported(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,Thanks a lot,extra,more\n2,Where is it?\n", encoding="utf-8")
    out, err = _score(str(source))
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["id"] for row in rows] == ["1", "2"]
    assert "1 row(s) had more fields than the header" in err
    assert "(row 2)" in err


def test_a_file_scored_before_gets_fresh_scores_not_a_second_set_of_columns(tmp_path):
    first = tmp_path / "once.csv"
    first.write_text(_score(str(_write_csv(tmp_path / "in.csv", ["text"], [["Thanks!"]])))[0])
    out, _ = _score(str(first))
    header = next(csv.reader(io.StringIO(out)))
    assert header == ["text", *SCORE_COLUMNS]


def test_json_lines_come_back_as_json_lines_with_bad_lines_reported(tmp_path):
    source = tmp_path / "reviews.jsonl"
    source.write_text(
        '{"id": 1, "body": "The heater caught fire!", "stars": 1}\n'
        "this is not json\n"
        "\n"
        '{"id": 2, "body": null}\n'
        '{"id": 3, "body": "Wo ist mein Paket? Es sollte am Montag kommen."}\n',
        encoding="utf-8",
    )
    output = tmp_path / "scored.jsonl"
    _, err = _score(str(source), "--field", "body", "--output", str(output))
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == [1, 2, 3]
    assert rows[0]["stars"] == 1
    assert rows[0]["urgency_signals"] == ["safety"]
    assert rows[0]["kind"] == "complaint"
    assert "sentiment" not in rows[1]
    assert rows[2]["language"] == "de"
    assert "Line 2 left out: not JSON" in err
    assert "(line 4)" in err


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.csv: no such file"):
        _score(str(tmp_path / "missing.csv"))


def test_a_missing_column_names_the_columns_there_are(tmp_path):
    source = _write_csv(tmp_path / "in.csv", ["id", "comment"], [["1", "hi"]])
    with pytest.raises(CommandError, match=r"no column 'text' \(columns: id, comment\)"):
        _score(str(source))


def test_a_file_that_is_not_utf8_is_a_clear_error(tmp_path):
    source = tmp_path / "latin.csv"
    source.write_bytes("text\nCaf\xe9 cr\xe8me tr\xe8s mauvais\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        _score(str(source))


def test_an_unknown_file_type_asks_for_the_format(tmp_path):
    source = tmp_path / "export.txt"
    source.write_text("text\nhello there\n")
    with pytest.raises(CommandError, match="--format csv"):
        _score(str(source))
    out, _ = _score(str(source), "--format", "csv")
    assert "sentiment_label" in out


def test_the_output_may_not_overwrite_the_input(tmp_path):
    source = _write_csv(tmp_path / "in.csv", ["text"], [["hello there"]])
    with pytest.raises(CommandError, match="must not be the input"):
        _score(str(source), "--output", str(source))
    assert source.read_text().startswith("text")


def test_everydesk_score_runs_as_a_command_and_fails_with_one_line(tmp_path):
    source = _write_csv(tmp_path / "in.csv", ["text"], [["Where is my parcel?"]])
    env = {**os.environ, "EVERYDESK_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "everydesk.cli", "score"]
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [*command, str(source), "--progress"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "question" in done.stdout
    assert "rows" in done.stderr  # the progress bar
    failed = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [*command, str(tmp_path / "nope.csv")], capture_output=True, text=True, env=env
    )
    assert failed.returncode != 0
    assert failed.stderr.strip().splitlines() == [
        f"CommandError: {tmp_path / 'nope.csv'}: no such file"
    ]
