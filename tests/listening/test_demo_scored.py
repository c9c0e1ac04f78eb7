"""`everydesk demo` ends with what the demo customers wrote scored, grouped and counted."""

import sqlite3

from tests.cli.test_cli import everydesk


def test_the_demo_starts_with_its_voices_scored(tmp_path):
    data_dir = tmp_path / "data"
    done = everydesk(data_dir, "demo", "--no-serve", "--customers", "20", "--conversations", "60")
    assert done.returncode == 0, done.stderr
    assert "Voices scored:" in done.stdout
    with sqlite3.connect(data_dir / "everydesk.sqlite3") as db:
        customer_messages = db.execute(
            "SELECT COUNT(*) FROM conversations_message WHERE kind = 'customer'"
        ).fetchone()[0]
        # Survey comments are voices too; here the messages' own are counted.
        scored = db.execute(
            "SELECT COUNT(*) FROM listening_voice"
            " WHERE source = 'message' AND scored_at IS NOT NULL"
        ).fetchone()[0]
        facts = db.execute("SELECT COUNT(*) FROM insights_conversationfact").fetchone()[0]
        conversations = db.execute("SELECT COUNT(*) FROM conversations_conversation").fetchone()[0]
    assert scored == customer_messages > 60
    assert "new topics" in done.stdout
    # The dashboard's rollups are built before the first look (recovery conversations too).
    assert facts == conversations >= 60
