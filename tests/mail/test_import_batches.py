"""`import-mail` stores a batch of raw messages, commits, then processes the batch.

Run in process (no parse-ahead workers), so the statements each message costs can
be counted and pinned: the import path must not silently grow again.
"""

import mailbox as mailboxes
from collections import Counter
from pathlib import Path

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Message
from everydesk.customers.models import Customer
from everydesk.mail.doors import importer
from everydesk.mail.doors.importer import import_mail
from everydesk.mail.models import InboundEmail, InboundState, Outcome
from tests.mail.messages import email_bytes, message_id_of


def _maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailboxes.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)  # names start with the time, so sorted names keep this order
    return path


def _requests(count: int, *, subject: str = "Request") -> list[bytes]:
    return [
        email_bytes(sender=f"Person {n} <person{n}@example.com>", subject=f"{subject} {n}")
        for n in range(count)
    ]


def _statements(queries: list[dict[str, str]]) -> Counter[str]:
    return Counter(query["sql"].split(None, 1)[0].upper() for query in queries)


def test_a_message_that_fails_in_a_batch_goes_to_quarantine_alone(mailbox, tmp_path, monkeypatch):
    messages = _requests(5)
    messages[2] = email_bytes(sender="poison@example.com", subject="Poison")
    real = actions.open_conversation

    def open_unless_poison(**kwargs):
        if kwargs["subject"] == "Poison":
            real(**kwargs)  # its rows are written, then the failure must undo them
            raise RuntimeError("parser state corrupted")
        return real(**kwargs)

    monkeypatch.setattr(actions, "open_conversation", open_unless_poison)

    summary = import_mail(_maildir(tmp_path / "Maildir", messages), mailbox=mailbox, jobs=0)

    assert (summary.stored, summary.new_conversations, summary.quarantined) == (5, 4, 1)
    bad = InboundEmail.objects.get(state=InboundState.QUARANTINED)
    assert bad.subject == "Poison" and "parser state corrupted" in bad.reason
    assert bytes(bad.raw) == messages[2]  # kept whole for the admin
    assert Conversation.objects.count() == Message.objects.count() == 4
    assert not Conversation.objects.filter(subject="Poison").exists()
    assert not Customer.objects.filter(email="poison@example.com").exists()
    assert InboundEmail.objects.filter(state=InboundState.DONE).count() == 4


def test_a_database_failure_while_processing_leaves_the_batch_stored_for_the_next_run(
    transactional_db, mailbox, tmp_path, monkeypatch
):
    maildir = _maildir(tmp_path / "Maildir", _requests(6))
    real = actions.open_conversation
    opened = []

    def fail_on_the_fourth(**kwargs):
        if len(opened) == 3:
            raise DatabaseError("connection lost")
        opened.append(kwargs["subject"])
        return real(**kwargs)

    monkeypatch.setattr(actions, "open_conversation", fail_on_the_fourth)
    with pytest.raises(DatabaseError):
        import_mail(maildir, mailbox=mailbox, jobs=0)

    # The raw rows were committed before processing began; the processing rolled back.
    assert InboundEmail.objects.count() == 6
    assert InboundEmail.objects.filter(state=InboundState.PENDING).count() == 6
    assert Conversation.objects.count() == 0

    monkeypatch.setattr(actions, "open_conversation", real)
    again = import_mail(maildir, mailbox=mailbox, jobs=0)

    assert again.finished_from_before == 6 and again.duplicates == 6 and again.stored == 0
    assert InboundEmail.objects.filter(state=InboundState.DONE).count() == 6
    assert Conversation.objects.count() == Message.objects.count() == 6


def test_the_same_message_twice_in_one_batch_is_stored_and_processed_once(mailbox, tmp_path):
    first, other = _requests(2)
    maildir = _maildir(tmp_path / "Maildir", [first, other, first])

    summary = import_mail(maildir, mailbox=mailbox, jobs=0)

    assert (summary.stored, summary.duplicates, summary.new_conversations) == (2, 1, 2)
    assert InboundEmail.objects.count() == Conversation.objects.count() == 2


def test_a_message_finished_elsewhere_meanwhile_is_not_processed_again(mailbox, tmp_path):
    raw = email_bytes(subject="Finished twice?")
    summary = import_mail(_maildir(tmp_path / "Maildir", [raw]), mailbox=mailbox, jobs=0)
    row = InboundEmail.objects.get()
    assert summary.new_conversations == 1

    # As if a sweep had read the row while it was pending, and finished it only now.
    row.state = InboundState.PENDING
    done = importer.inbound.process_stored(row.pk, raw=raw, row=row)

    assert done.state == InboundState.DONE and done.conversation_id == row.conversation_id
    assert Conversation.objects.count() == Message.objects.count() == 1


# --- what each message costs ----------------------------------------------------------


_TX = {"BEGIN", "COMMIT"}  # SQLite's, which Django runs as statements


def _import_counted(mailbox, tmp_path: Path, name: str, messages: list[bytes]) -> Counter[str]:
    maildir = _maildir(tmp_path / name, messages)
    with CaptureQueriesContext(connection) as captured:
        import_mail(maildir, mailbox=mailbox, jobs=0)
    return _statements(captured.captured_queries)


def test_importing_costs_one_savepoint_per_message_and_a_pinned_number_of_statements(
    transactional_db, mailbox, tmp_path, monkeypatch
):
    """Real transactions (transactional_db), so that what is counted is what runs."""
    # The listening nudge after commit only queues the scoring job in production; jobs
    # run inline in tests, and the scoring job's statements are not the import's.
    monkeypatch.setattr("everydesk.listening.intake.nudge", lambda: None)
    batch = importer.BATCH
    openers = _requests(batch)
    # Warm-up: the sweep for pending mail and the mailbox cache cost a few reads once.
    warm_up = [email_bytes(sender="warm@example.com", subject="Warm-up")]
    import_mail(_maildir(tmp_path / "Warm", warm_up), mailbox=mailbox, jobs=0)

    new = _import_counted(mailbox, tmp_path, "New", openers)
    replies = [
        email_bytes(
            sender=f"Person {n} <person{n}@example.com>",
            subject=f"Re: Request {n}",
            body="Any news?",
            in_reply_to=message_id_of(raw),
        )
        for n, raw in enumerate(openers)
    ]
    added = _import_counted(mailbox, tmp_path, "Replies", replies)

    assert InboundEmail.objects.filter(outcome=Outcome.ADDED_MESSAGE).count() == batch
    # One savepoint per message, none nested inside the actions.
    assert new["SAVEPOINT"] == added["SAVEPOINT"] == batch
    assert new["RELEASE"] == added["RELEASE"] == batch
    # Per new conversation from a new sender: customer read and insert, threading by
    # sender and subject, conversation, message, its listening voice, search document,
    # event, its SLA clock, the message read back, the row's result: 11, plus the
    # savepoint pair. The
    # batch adds the one INSERT of its raw rows, the sweep's read for pending mail and,
    # where the driver sends them as statements (SQLite), BEGIN and COMMIT for its two
    # transactions.
    assert sum(new.values()) <= batch * 13 + 6, new
    # Per reply by In-Reply-To: customer, threading (one query), lock, message, its
    # voice, search document, event, conversation, the row's result: 9, plus the
    # savepoint pair.
    assert sum(added.values()) <= batch * 11 + 6, added
    assert set(new) | set(added) <= {"SELECT", "INSERT", "UPDATE", "SAVEPOINT", "RELEASE", *_TX}
