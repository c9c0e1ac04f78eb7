"""`everydesk import-orders FILE.csv`: summary, bad-row report, and exit status."""

import pytest
from django.core.management import CommandError, call_command

from everydesk.customers.models import Order
from tests.customers.conftest import GOOD_ROWS


def run(*args: str, capsys) -> str:
    call_command("import_orders", *args, "--no-progress")
    return capsys.readouterr().out


def test_the_command_imports_a_file_and_prints_the_summary(db, orders_file, capsys):
    out = run(orders_file(), capsys=capsys)
    assert "3 created, 0 updated, 0 unchanged, 0 bad" in out
    assert Order.objects.count() == 3


def test_running_the_same_file_again_changes_nothing(db, orders_file, capsys):
    path = orders_file()
    run(path, capsys=capsys)
    out = run(path, capsys=capsys)
    assert "0 created, 0 updated, 3 unchanged, 0 bad" in out
    assert Order.objects.count() == 3


def test_bad_rows_are_listed_and_fail_the_command_without_importing(db, orders_file, capsys):
    path = orders_file([*GOOD_ROWS, ("A-9", "bob@example.com", "", "2026-13-01", "1", "", "")])
    with pytest.raises(CommandError, match="rows are bad"):
        call_command("import_orders", path, "--no-progress")
    out = capsys.readouterr().out
    assert "row 5, placed_at: '2026-13-01' is not a date" in out
    assert "Nothing imported: 1 of 4 rows are bad" in out
    assert Order.objects.count() == 0


def test_skip_bad_imports_the_rest(db, orders_file, capsys):
    path = orders_file([*GOOD_ROWS, ("A-9", "bob@example.com", "", "2026-13-01", "1", "", "")])
    out = run(path, "--skip-bad", capsys=capsys)
    assert "3 created, 0 updated, 0 unchanged, 1 bad" in out
    assert Order.objects.count() == 3


def test_a_file_without_the_required_columns_is_refused_whole(db, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("order,customer_email\nA-1,carol@example.com\n")
    with pytest.raises(CommandError, match="Missing column: placed_at, amount"):
        call_command("import_orders", str(path), "--no-progress")


def test_a_file_that_is_not_text_is_refused(db, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"number,email,placed_at,amount\n\xff\xfe\x00junk\n")
    with pytest.raises(CommandError, match="not UTF-8 text"):
        call_command("import_orders", str(path), "--no-progress")
    assert Order.objects.count() == 0


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_orders", str(tmp_path / "nope.csv"), "--no-progress")


def test_the_progress_bar_goes_to_stderr_when_asked(db, orders_file, capsys):
    call_command("import_orders", orders_file(), "--progress")
    captured = capsys.readouterr()
    assert "written" in captured.err
    assert "3/3" in captured.err


def test_everydesk_import_orders_runs_as_a_real_process(tmp_path, orders_file):
    from tests.cli.test_cli import everydesk

    data = tmp_path / "data"
    assert everydesk(data, "migrate").returncode == 0
    path = orders_file()
    first = everydesk(data, "import-orders", path)
    assert first.returncode == 0, first.stderr
    assert "3 created" in first.stdout
    again = everydesk(data, "import-orders", path)
    assert "0 created, 0 updated, 3 unchanged, 0 bad" in again.stdout
    bad = everydesk(data, "import-orders", orders_file([("A-1", "x", "", "", "", "", "")]))
    assert bad.returncode == 1
    assert "row 2, email" in bad.stdout
