"""The SMTP/LMTP listener, started on a free port and spoken to with smtplib."""

import signal
import smtplib
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connection

from everydesk.conversations.models import Conversation
from everydesk.mail.doors.smtp import Listener
from everydesk.mail.models import InboundEmail, InboundState, Mailbox, Source
from tests.mail.messages import email_bytes
from tests.mail.shared_database import EVERYDESK, shared_database

LIMIT = 64 * 1024


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def shared(transactional_db, tmp_path):
    with shared_database(tmp_path) as environment:
        yield environment


def _listening(lmtp: bool = False):
    listener = Listener(host="127.0.0.1", port=_free_port(), lmtp=lmtp, max_bytes=LIMIT)
    listener.start()
    return listener


@pytest.fixture
def smtp(shared, mailbox):
    listener = _listening()
    yield listener
    listener.stop()


@pytest.fixture
def lmtp(shared, mailbox):
    listener = _listening(lmtp=True)
    yield listener
    listener.stop()


def _client(listener: Listener) -> smtplib.SMTP:
    return smtplib.SMTP(listener.hostname, listener.port, timeout=30)


def test_mail_for_a_mailbox_is_stored_exactly_as_sent_and_processed(smtp, mailbox):
    raw = email_bytes(subject="Lamp arrived cracked").replace(b"\n", b"\r\n")
    with _client(smtp) as client:
        refused = client.sendmail("carol@example.com", ["support@acme.test"], raw)
    assert refused == {}

    stored = InboundEmail.objects.get()
    assert bytes(stored.raw) == raw
    assert stored.source == Source.SMTP
    assert stored.mailbox == mailbox
    assert stored.envelope_sender == "carol@example.com"
    assert stored.envelope_recipients == ["support@acme.test"]
    # Jobs run inline in tests: the queued processing has happened.
    assert stored.state == InboundState.DONE
    assert Conversation.objects.get().subject == "Lamp arrived cracked"


def test_the_plus_form_of_a_mailbox_address_is_accepted(smtp, mailbox):
    with _client(smtp) as client:
        client.sendmail("carol@example.com", ["Support+Orders@acme.test"], email_bytes())
    assert InboundEmail.objects.get().mailbox == mailbox


def test_other_recipients_are_refused_at_rcpt_with_550(smtp):
    with _client(smtp) as client, pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        client.sendmail("spammer@example.net", ["someone@elsewhere.test"], email_bytes())
    code, text = refused.value.recipients["someone@elsewhere.test"]
    assert code == 550 and b"No such mailbox" in text
    assert not InboundEmail.objects.exists()


def test_an_inactive_mailbox_is_refused(smtp, mailbox):
    mailbox.active = False
    mailbox.save(update_fields=["active"])
    with _client(smtp) as client, pytest.raises(smtplib.SMTPRecipientsRefused):
        client.sendmail("carol@example.com", ["support@acme.test"], email_bytes())
    assert not InboundEmail.objects.exists()


def test_mixed_recipients_keep_only_ours_and_store_once(smtp):
    with _client(smtp) as client:
        refused = client.sendmail(
            "carol@example.com", ["support@acme.test", "other@elsewhere.test"], email_bytes()
        )
    assert refused["other@elsewhere.test"][0] == 550
    assert InboundEmail.objects.get().envelope_recipients == ["support@acme.test"]


def test_the_size_limit_is_advertised_and_a_declared_size_over_it_is_refused_with_552(smtp):
    with _client(smtp) as client:
        client.ehlo()
        assert int(client.esmtp_features["size"]) == LIMIT
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            client.sendmail("carol@example.com", ["support@acme.test"], b"x" * (LIMIT + 1))
    assert refused.value.smtp_code == 552
    assert not InboundEmail.objects.exists()


def test_too_much_data_without_a_declared_size_is_refused_with_552(smtp):
    with _client(smtp) as client:
        client.helo()  # plain SMTP: no SIZE parameter is sent
        assert client.mail("carol@example.com")[0] == 250
        assert client.rcpt("support@acme.test")[0] == 250
        body = email_bytes(body="y" * 70 * 1024).replace(b"\n", b"\r\n")
        code, _ = client.data(body)
    assert code == 552
    assert not InboundEmail.objects.exists()


def test_a_database_failure_answers_451_and_a_retry_is_stored(smtp):
    raw = email_bytes()
    table = InboundEmail._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} RENAME TO {table}_away")
    try:
        with _client(smtp) as client, pytest.raises(smtplib.SMTPDataError) as failed:
            client.sendmail("carol@example.com", ["support@acme.test"], raw)
        assert failed.value.smtp_code == 451
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table}_away RENAME TO {table}")
    assert not InboundEmail.objects.exists()

    with _client(smtp) as client:
        client.sendmail("carol@example.com", ["support@acme.test"], raw)
    assert InboundEmail.objects.count() == 1


def test_processing_waits_in_the_queue_after_the_250(smtp):
    huey = settings.HUEY
    huey.immediate = False
    huey.flush()
    try:
        with _client(smtp) as client:
            client.sendmail("carol@example.com", ["support@acme.test"], email_bytes())
        stored = InboundEmail.objects.get()
        assert stored.state == InboundState.PENDING
        assert huey.pending_count() == 1
        huey.execute(huey.dequeue())
    finally:
        huey.flush()
        huey.immediate = True
    stored.refresh_from_db()
    assert stored.state == InboundState.DONE


def test_a_message_sent_twice_is_stored_once(smtp):
    raw = email_bytes()
    for _ in range(2):
        with _client(smtp) as client:
            client.sendmail("carol@example.com", ["support@acme.test"], raw)
    assert InboundEmail.objects.count() == 1
    assert Conversation.objects.count() == 1


def _lmtp_send(listener: Listener, recipients: list[str], raw: bytes) -> list[tuple[int, bytes]]:
    """LMTP answers DATA once per accepted recipient, which smtplib does not read."""
    with smtplib.LMTP(listener.hostname, listener.port, timeout=30) as client:
        client.ehlo_or_helo_if_needed()
        assert client.mail("carol@example.com")[0] == 250
        accepted = [rcpt for rcpt in recipients if client.rcpt(rcpt)[0] == 250]
        client.putcmd("data")
        assert client.getreply()[0] == 354
        client.send(smtplib.quotedata(raw.decode()).encode() + b"\r\n.\r\n")
        return [client.getreply() for _ in accepted]


def test_lmtp_answers_once_per_recipient(lmtp, mailbox):
    sales = Mailbox.objects.create(name="Sales", address="sales@acme.test")
    answers = _lmtp_send(
        lmtp, ["support@acme.test", "nobody@acme.test", "sales+eu@acme.test"], email_bytes()
    )
    assert [code for code, _ in answers] == [250, 250]
    stored = InboundEmail.objects.get()  # one message, whoever it was for
    assert stored.mailbox == mailbox
    assert stored.source == Source.SMTP
    assert sales.pk != mailbox.pk


def test_lmtp_refuses_helo_and_ehlo(lmtp):
    with smtplib.SMTP(lmtp.hostname, lmtp.port, timeout=30) as client:
        assert client.ehlo()[0] == 500
        assert client.docmd("LHLO", "client.test")[0] == 250


def test_everydesk_smtpd_serves_until_stopped(shared, mailbox):
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603 (our own command)
        [EVERYDESK, "smtpd", "--lmtp", "--port", str(port)],
        env=shared,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_port(port, server)
        with smtplib.LMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("carol@example.com", ["support@acme.test"], email_bytes())
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert f"Listening for LMTP on 127.0.0.1:{port}" in out
    assert InboundEmail.objects.get().state == InboundState.DONE


def _wait_for_port(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"smtpd did not start: {server.communicate(timeout=5)}")
