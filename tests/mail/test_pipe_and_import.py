"""`everydesk ingest-email` and `everydesk import-mail`, run as real processes."""

import mailbox as mailboxes
import os
import re
import subprocess
from pathlib import Path

import pytest

from everydesk.conversations.models import Conversation, Message
from everydesk.mail.models import Delivery, InboundEmail, InboundState, Outcome, Source
from tests.mail.messages import email_bytes, message_id_of
from tests.mail.shared_database import EVERYDESK, shared_database


@pytest.fixture
def shared(transactional_db, tmp_path):
    with shared_database(tmp_path) as environment:
        yield environment


def everydesk(
    environment: dict[str, str], *args: str, stdin: bytes = b""
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
        [EVERYDESK, *args],
        input=stdin,
        env=environment,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode(), done.stderr.decode()
    )


# --- ingest-email ----------------------------------------------------------------


def test_a_piped_message_is_stored_and_processed(shared, mailbox):
    raw = email_bytes(subject="Piped in")

    done = everydesk(
        shared,
        "ingest-email",
        "--sender",
        "carol@example.com",
        "--recipient",
        "support+x@acme.test",
        stdin=raw,
    )

    assert done.returncode == 0, done.stderr
    stored = InboundEmail.objects.get()
    assert bytes(stored.raw) == raw
    assert stored.source == Source.PIPE
    assert stored.mailbox == mailbox  # from the envelope recipient
    assert stored.envelope_sender == "carol@example.com"
    assert stored.state == InboundState.DONE
    assert Conversation.objects.get().subject == "Piped in"


def test_piping_the_same_message_twice_stores_it_once(shared, mailbox):
    raw = email_bytes()
    for _ in range(2):
        done = everydesk(shared, "ingest-email", "--mailbox", "support@acme.test", stdin=raw)
        assert done.returncode == 0, done.stderr
    assert InboundEmail.objects.count() == 1
    assert Message.objects.count() == 1


def test_unreadable_mail_is_stored_in_quarantine_and_exits_0(shared, mailbox):
    done = everydesk(shared, "ingest-email", stdin=b"\x00\xff not an email at all\n")

    assert done.returncode == 0, done.stderr
    assert InboundEmail.objects.get().state == InboundState.QUARANTINED


def test_an_unknown_mailbox_exits_67_and_stores_nothing(shared, mailbox):
    done = everydesk(shared, "ingest-email", "--mailbox", "nobody@acme.test", stdin=email_bytes())

    assert done.returncode == 67
    assert "nobody@acme.test" in done.stderr
    assert not InboundEmail.objects.exists()


def test_empty_input_exits_65(shared):
    assert everydesk(shared, "ingest-email", stdin=b"  \n").returncode == 65


def test_wrong_arguments_exit_64(shared):
    assert everydesk(shared, "ingest-email", "--no-such-option", stdin=b"x").returncode == 64


def test_a_database_it_cannot_use_exits_75_for_the_mail_server_to_retry(tmp_path):
    # No database fixture: this process talks to nothing; the command's database is missing.
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/no/such/dir/everydesk.sqlite3",
    }

    done = everydesk(environment, "ingest-email", stdin=email_bytes())

    assert done.returncode == 75, done.stderr
    assert "try again later" in done.stderr


def test_a_database_never_migrated_says_what_to_run(tmp_path):
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/fresh.sqlite3"}

    done = everydesk(environment, "ingest-email", stdin=email_bytes())

    assert done.returncode == 75, done.stderr
    assert "everydesk migrate" in done.stderr
    assert "Traceback" not in done.stderr  # one line for the mail log


# --- import-mail -----------------------------------------------------------------


def _mixed() -> list[bytes]:
    """Each kind of mail once, and one of them twice; outcomes in the comments."""
    first = email_bytes(subject="Lamp arrived cracked")
    first_id = message_id_of(first)
    return [
        first,  # new conversation
        email_bytes(subject="Re: Lamp arrived cracked", in_reply_to=first_id),  # added
        email_bytes(
            sender="Dave <dave@example.com>", subject="Invoice question", message_id=None
        ),  # new conversation, identified by its bytes
        email_bytes(
            sender="Carol's robot <carol@example.com>",
            subject="Out of office",
            in_reply_to=first_id,
            headers={"Auto-Submitted": "auto-replied"},
        ),  # noted on the conversation
        email_bytes(sender="Support <support@acme.test>", subject="Our own"),  # ignored
        b"\x00\xff not an email at all\n",  # quarantined
        first,  # duplicate
        email_bytes(
            sender="Erin <erin@example.com>",
            subject="Photos of the damage",
            attachments=[("photo.png", "image/png", b"\x89PNG fake")],
        ),  # new conversation
    ]


SUMMARY = {
    "Stored": 7,
    "Duplicates skipped": 1,
    "New conversations": 3,
    "Added to conversations": 1,
    "Auto-replies and bounces": 1,
    "Quarantined": 1,
    "Ignored": 1,
}


def _summary(output: str) -> dict[str, int]:
    counts = {}
    for line in output.splitlines():
        label, _, number = line.partition(":")
        if number.strip().replace(",", "").isdigit():
            counts[label.strip()] = int(number.strip().replace(",", ""))
    return counts


def _maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailboxes.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)  # names start with the time, so sorted names keep this order
    return path


def _mbox(path: Path, messages: list[bytes]) -> Path:
    """Written the way a mail server appends to an mbox (mboxrd quoting)."""
    with path.open("wb") as mbox:
        for raw in messages:
            mbox.write(b"From bounce-sender@example.net Mon Nov 23 10:00:00 2026\n")
            mbox.write(re.sub(rb"(?m)^(>*From )", rb">\1", raw).rstrip(b"\n") + b"\n\n")
    return path


def _check_imported(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stderr
    assert _summary(done.stdout) == SUMMARY, done.stdout
    rows = InboundEmail.objects.all()
    assert all(row.history and row.source == Source.IMPORT for row in rows)
    assert rows.filter(outcome=Outcome.NEW_CONVERSATION).count() == 3
    assert Conversation.objects.count() == 3
    assert Message.objects.count() == 4
    assert not Delivery.objects.exists()  # history is never acknowledged


def test_importing_a_maildir_prints_a_summary_and_a_second_run_finds_only_duplicates(
    shared, mailbox, tmp_path
):
    maildir = _maildir(tmp_path / "Maildir", _mixed())

    done = everydesk(shared, "import-mail", str(maildir), "--mailbox", "support@acme.test")

    _check_imported(done)
    assert InboundEmail.objects.filter(mailbox=mailbox).count() == 7
    again = everydesk(shared, "import-mail", str(maildir))
    assert again.returncode == 0, again.stderr
    assert _summary(again.stdout)["Duplicates skipped"] == 8
    assert _summary(again.stdout)["Stored"] == 0
    assert InboundEmail.objects.count() == 7


def test_importing_an_mbox_keeps_the_envelope_sender(shared, mailbox, tmp_path):
    messages = _mixed()
    mbox = _mbox(tmp_path / "support.mbox", messages)

    done = everydesk(shared, "import-mail", str(mbox))

    _check_imported(done)
    assert set(InboundEmail.objects.values_list("envelope_sender", flat=True)) == {
        "bounce-sender@example.net"
    }
    first = InboundEmail.objects.order_by("id").first()
    assert bytes(first.raw).rstrip(b"\n") == messages[0].rstrip(b"\n")  # no "From " line


def test_the_progress_bar_is_shown_on_request(shared, mailbox, tmp_path):
    maildir = _maildir(tmp_path / "Maildir", _mixed()[:2])

    done = everydesk(shared, "import-mail", str(maildir), "--progress")

    assert done.returncode == 0, done.stderr
    assert "2/2" in done.stderr and "msg" in done.stderr


def test_importing_from_a_path_that_is_no_mailbox_fails_clearly(shared, tmp_path):
    (tmp_path / "plain").mkdir()

    missing = everydesk(shared, "import-mail", str(tmp_path / "missing"))
    not_maildir = everydesk(shared, "import-mail", str(tmp_path / "plain"))
    unknown = everydesk(shared, "import-mail", str(tmp_path), "--mailbox", "x@acme.test")

    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert not_maildir.returncode == 1 and "not a maildir" in not_maildir.stderr
    assert unknown.returncode == 1 and "No mailbox has the address" in unknown.stderr
