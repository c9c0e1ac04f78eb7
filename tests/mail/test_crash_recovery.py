"""Kill `everydesk import-mail` with SIGKILL at random moments, again and again.

Whatever the moment, the finished result must be exactly that of a clean run:
every message stored once, none left pending, the same conversations and
messages, no message doubled. The seed is printed; set EVERYDESK_CRASH_SEED to
repeat a run.
"""

import email
import hashlib
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from everydesk.conversations.models import Conversation, Message
from everydesk.mail.models import InboundEmail, InboundState, Mailbox
from tests.mail.messages import email_bytes
from tests.mail.shared_database import EVERYDESK, shared_database

SEED = int(os.environ.get("EVERYDESK_CRASH_SEED", "20261123"))
MESSAGES = 300
MID_IMPORT_KILLS = 5  # each once new mail is being stored
BLIND_KILLS = 3  # each after 0.2 to 2 seconds, wherever the run is


def mixed_mail(rng: random.Random, count: int) -> list[bytes]:
    """New requests, replies by header and by subject, auto-replies, attachments, mail
    without a Message-ID, our own mail, unreadable mail and exact repeats."""
    messages: list[bytes] = []
    threads: list[tuple[str, str, str]] = []  # (sender, subject, Message-ID)
    for i in range(count):
        roll = rng.random()
        mid = f"<crash{i}.{SEED}@mail.example.com>"
        if roll < 0.30 and threads:
            sender, subject, parent = rng.choice(threads)
            messages.append(
                email_bytes(
                    sender=sender,
                    subject=f"Re: {subject}",
                    body=f"More about it ({i}).",
                    message_id=mid,
                    in_reply_to=parent if rng.random() < 0.8 else "",  # else by subject
                )
            )
        elif roll < 0.38 and threads:
            sender, subject, parent = rng.choice(threads)
            messages.append(
                email_bytes(
                    sender=sender,
                    subject=f"Automatic reply: {subject}",
                    message_id=mid,
                    in_reply_to=parent,
                    headers={"Auto-Submitted": "auto-replied"},
                )
            )
        elif roll < 0.41:
            messages.append(email_bytes(sender="support@crash.test", message_id=mid))
        elif roll < 0.43:
            messages.append(f"\x00garbage {i}\n".encode())
        elif roll < 0.47 and messages:
            messages.append(rng.choice(messages))  # delivered twice, byte for byte
        else:
            sender = f"Customer {rng.randint(1, 60)} <c{rng.randint(1, 60)}@example.com>"
            subject = f"Request {i}"
            no_id = rng.random() < 0.1
            attachments = [("note.txt", "text/plain", f"note {i}".encode())]
            messages.append(
                email_bytes(
                    sender=sender,
                    subject=subject,
                    body=f"Please help with {i}.",
                    message_id=None if no_id else mid,
                    attachments=attachments if rng.random() < 0.2 else [],
                )
            )
            if not no_id:
                threads.append((sender, subject, mid))
    return messages


def distinct(messages: list[bytes]) -> int:
    """How many different messages: by Message-ID, or by bytes when there is none."""
    keys = set()
    for raw in messages:
        header_id = email.message_from_bytes(raw).get("Message-ID")
        keys.add(header_id or hashlib.sha256(raw).hexdigest())
    return len(keys)


def write_maildir(path: Path, messages: list[bytes]) -> Path:
    for folder in ("new", "cur", "tmp"):
        (path / folder).mkdir(parents=True)
    for i, raw in enumerate(messages):
        (path / "new" / f"{1790000000 + i}.M{i}P1.crash.test").write_bytes(raw)
    return path


def outcome() -> dict[str, object]:
    """Everything a run produced, in terms that do not depend on row ids."""
    opener = {
        row.conversation_id: row.key
        for row in InboundEmail.objects.filter(outcome="new_conversation")
    }
    return {
        "rows": sorted(
            (row.key, row.state, row.outcome, opener.get(row.conversation_id, ""))
            for row in InboundEmail.objects.all()
        ),
        "conversations": Conversation.objects.count(),
        "messages": Message.objects.count(),
    }


@pytest.fixture
def shared(transactional_db, tmp_path):
    with shared_database(tmp_path) as environment:
        yield environment


def _mailbox() -> None:
    Mailbox.objects.create(name="Support", address="support@crash.test")


def _wait_for_more_than(count: int, run: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while InboundEmail.objects.count() <= count and run.poll() is None:
        assert time.monotonic() < deadline, "the import stored nothing for a minute"
        time.sleep(0.02)


def _import(environment: dict[str, str], maildir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own command)
        [EVERYDESK, "import-mail", str(maildir), "--no-progress"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_an_import_killed_at_random_points_ends_exactly_like_a_clean_run(shared, tmp_path):
    print(f"crash test seed: {SEED} (EVERYDESK_CRASH_SEED={SEED} repeats it)")
    rng = random.Random(SEED)
    messages = mixed_mail(rng, MESSAGES)
    maildir = write_maildir(tmp_path / "Maildir", messages)

    _mailbox()
    clean = _import(shared, maildir)
    out, err = clean.communicate(timeout=600)
    assert clean.returncode == 0, err.decode()
    expected = outcome()
    assert len(expected["rows"]) == distinct(messages)

    # Ids keep counting up, as they would on a fresh database: the search index is
    # keyed by conversation id and is not part of what flush empties.
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    _mailbox()
    # First kills while new mail is being stored, then kills at any moment (start-up,
    # the recovery sweep, re-reading what is stored), then a run to the end.
    for kill in range(MID_IMPORT_KILLS + BLIND_KILLS):
        blind = kill >= MID_IMPORT_KILLS
        before = InboundEmail.objects.count()
        run = _import(shared, maildir)
        if blind:
            time.sleep(rng.uniform(0.2, 2.0))
        else:
            _wait_for_more_than(before, run)
            time.sleep(rng.uniform(0.0, 0.15))
        if run.poll() is not None:
            assert run.returncode == 0, run.communicate()[1].decode()
            assert blind, "the import finished before a mid-import kill"
            break
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        print(f"kill {kill} ({'blind' if blind else 'mid-import'}): {InboundEmail.objects.count()}")
    final = _import(shared, maildir)
    out, err = final.communicate(timeout=600)
    assert final.returncode == 0, err.decode()
    print(out.decode())

    assert InboundEmail.objects.count() == distinct(messages)
    assert not InboundEmail.objects.filter(state=InboundState.PENDING).exists()
    assert outcome() == expected
    # Every message row belongs to exactly one stored email: none was made twice.
    assert Message.objects.count() == InboundEmail.objects.filter(message__isnull=False).count()
