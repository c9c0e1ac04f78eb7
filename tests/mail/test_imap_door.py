"""IMAP polling against a real dovecot that the tests start (tests/mail/imap_server.py)."""

import re
import signal
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from everydesk.conversations.models import Conversation
from everydesk.mail.doors.imap import poll, poll_all
from everydesk.mail.models import (
    Delivery,
    InboundEmail,
    InboundState,
    Mailbox,
    Source,
    StartFrom,
)
from tests.mail.imap_server import ImapServer
from tests.mail.messages import email_bytes
from tests.mail.shared_database import EVERYDESK, shared_database


@pytest.fixture(scope="module")
def dovecot():
    server = ImapServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def shared(transactional_db, tmp_path):
    with shared_database(tmp_path) as environment:
        yield environment


class Account:
    """One IMAP user on a server, and the everydesk mailbox that polls it."""

    def __init__(self, server: ImapServer, monkeypatch: pytest.MonkeyPatch, **fields) -> None:
        self.server = server
        self.user, self.password = server.take_user()
        self.variable = f"EVERYDESK_TEST_IMAP_{self.user.upper()}"
        monkeypatch.setenv(self.variable, self.password)
        self.mailbox = Mailbox.objects.create(
            name=self.user,
            address=f"{self.user}@acme.test",
            imap_host=server.host,
            imap_port=server.port,
            imap_ssl=False,
            imap_username=self.user,
            imap_password_env=self.variable,
            **fields,
        )

    def append(self, *messages: bytes, folder: str = "INBOX", when=None) -> None:
        with self.server.client(self.user, self.password) as imap:
            for raw in messages:
                imap.append(folder, raw, msg_time=when)

    def flags(self, folder: str = "INBOX") -> dict[int, set[bytes]]:
        with self.server.client(self.user, self.password) as imap:
            imap.select_folder(folder, readonly=True)
            return {uid: set(f) for uid, f in imap.get_flags(imap.search(["ALL"])).items()}

    def poll(self, **options):
        result = poll(self.mailbox, **options)
        self.mailbox.refresh_from_db()
        return result

    def mail(self, n: int, **fields) -> list[bytes]:
        return [
            email_bytes(
                sender=f"Customer {i} <customer{i}.{self.user}@example.com>",
                to=self.mailbox.address,
                subject=f"Question {i} for {self.user}",
                **fields,
            )
            for i in range(n)
        ]


@pytest.fixture
def account(dovecot, shared, monkeypatch):
    return Account(dovecot, monkeypatch)


def test_new_mail_is_stored_then_marked_read(account):
    assert account.poll().ok  # first poll: starts from now, in an empty folder
    account.append(*account.mail(3))

    result = account.poll()

    assert (result.stored, result.duplicates, result.error) == (3, 0, "")
    stored = InboundEmail.objects.order_by("id")
    assert [row.source for row in stored] == [Source.IMAP] * 3
    assert all(row.mailbox == account.mailbox and not row.history for row in stored)
    assert Conversation.objects.count() == 3
    assert all(b"\\Seen" in flags for flags in account.flags().values())
    assert account.mailbox.imap_last_uid == 3
    assert account.mailbox.imap_last_poll_at is not None
    assert account.mailbox.imap_last_error == ""


def test_the_first_poll_from_now_imports_nothing_and_remembers_the_position(account):
    account.append(*account.mail(2))

    result = account.poll()

    assert result.stored == 0 and not InboundEmail.objects.exists()
    assert account.mailbox.imap_last_uid == 2
    assert account.mailbox.imap_uidvalidity is not None
    assert all(b"\\Seen" not in flags for flags in account.flags().values())  # untouched

    account.append(email_bytes(subject="After we started", to=account.mailbox.address))
    assert account.poll().stored == 1
    assert InboundEmail.objects.get().subject == "After we started"


def test_a_history_import_stores_everything_and_acknowledges_none(dovecot, shared, monkeypatch):
    account = Account(dovecot, monkeypatch, imap_start_from=StartFrom.HISTORY, acknowledge=True)
    account.append(*account.mail(3))

    assert account.poll().stored == 3

    assert InboundEmail.objects.filter(history=True).count() == 3
    assert not Delivery.objects.filter(template="received").exists()
    account.append(email_bytes(subject="New after the import", to=account.mailbox.address))
    assert account.poll().stored == 1
    new = InboundEmail.objects.get(subject="New after the import")
    assert new.history is False
    assert Delivery.objects.filter(template="received").count() == 1


def test_stored_mail_is_moved_to_the_configured_folder(dovecot, shared, monkeypatch):
    account = Account(dovecot, monkeypatch, imap_move_to="Processed")
    account.poll()
    account.append(*account.mail(2))

    assert account.poll().stored == 2

    assert account.flags("INBOX") == {}
    assert len(account.flags("Processed")) == 2


def test_without_move_support_a_move_is_copy_delete_and_expunge(shared, monkeypatch):
    server = ImapServer(without_move=True)
    server.start()
    try:
        account = Account(server, monkeypatch, imap_move_to="Done")
        with server.client(account.user, account.password) as imap:
            assert not imap.has_capability("MOVE")
        account.poll()
        account.append(*account.mail(3))

        assert account.poll().stored == 3

        assert account.flags("INBOX") == {}
        assert len(account.flags("Done")) == 3
    finally:
        server.remove()


def test_after_an_outage_one_poll_fetches_everything_since_the_last_stored(shared, monkeypatch):
    server = ImapServer()
    server.start()
    try:
        account = Account(server, monkeypatch)
        account.poll()
        account.append(*account.mail(1))
        assert account.poll().stored == 1
        polled_at = account.mailbox.imap_last_poll_at

        server.stop()
        down = account.poll()
        assert "ConnectionRefusedError" in down.error
        assert "ConnectionRefusedError" in account.mailbox.imap_last_error
        assert account.mailbox.imap_last_poll_at == polled_at  # not a complete poll
        # The mail server delivers while IMAP is down; then more arrives once it is up.
        server.deliver(account.user, [email_bytes(subject=f"Down {i}") for i in range(25)])
        server.start()
        account.append(*[email_bytes(subject=f"Up {i}") for i in range(25)])

        result = account.poll(batch_size=20)

        assert (result.stored, result.error) == (50, "")
        assert InboundEmail.objects.count() == 51
        assert account.mailbox.imap_last_uid == 51
        assert account.mailbox.imap_last_error == ""
        assert all(b"\\Seen" in flags for flags in account.flags().values())
    finally:
        server.remove()


def test_a_renumbered_folder_starts_over_and_stored_mail_is_not_doubled(shared, monkeypatch):
    server = ImapServer()
    server.start()
    try:
        account = Account(server, monkeypatch, acknowledge=True)
        two_days_ago = timezone.now() - timedelta(days=2)
        account.append(email_bytes(subject="Old, before we started"), when=two_days_ago)
        account.poll()
        account.append(*account.mail(2))
        assert account.poll().stored == 2
        old_validity = account.mailbox.imap_uidvalidity

        # Restore the folder from a backup: same mail, new UIDVALIDITY, new UIDs.
        server.stop()
        time.sleep(1.1)  # dovecot's UIDVALIDITY is a timestamp
        for state in (server.root / "home" / account.user / "Maildir").glob("dovecot*"):
            state.unlink()
        server.start()
        account.append(email_bytes(subject="New after the restore", to=account.mailbox.address))

        result = account.poll()

        assert account.mailbox.imap_uidvalidity != old_validity
        assert (result.stored, result.duplicates) == (2, 2)
        assert account.mailbox.imap_last_uid == 4
        assert InboundEmail.objects.count() == 4
        old = InboundEmail.objects.get(subject="Old, before we started")
        assert old.history is True  # in the folder long before we last looked: never answered
        assert InboundEmail.objects.get(subject="New after the restore").history is False
        assert Delivery.objects.filter(template="received").count() == 3
    finally:
        server.remove()


def test_a_repeated_poll_after_a_crash_only_finds_duplicates(account):
    account.poll()
    account.append(*account.mail(3))
    account.poll()
    # A crash after storing but before marking: position and flags as before.
    with account.server.client(account.user, account.password) as imap:
        imap.select_folder("INBOX")
        imap.remove_flags(imap.search(["ALL"]), [b"\\Seen"])
    Mailbox.objects.filter(pk=account.mailbox.pk).update(imap_last_uid=0)
    account.mailbox.refresh_from_db()

    result = account.poll()

    assert (result.stored, result.duplicates) == (0, 3)
    assert InboundEmail.objects.count() == 3 and Conversation.objects.count() == 3
    assert all(b"\\Seen" in flags for flags in account.flags().values())


def test_a_huge_message_is_stored_and_quarantined_without_blocking_the_rest(account, settings):
    settings.EMAIL_MAX_BYTES = 100 * 1024
    account.poll()
    huge = email_bytes(subject="Huge", body="z" * 300 * 1024)
    account.append(account.mail(1)[0], huge, *account.mail(2)[1:])

    result = account.poll()

    assert result.stored == 3
    quarantined = InboundEmail.objects.get(state=InboundState.QUARANTINED)
    assert bytes(quarantined.raw).replace(b"\r\n", b"\n") == huge  # IMAP sends CRLF
    assert "limit" in quarantined.reason
    assert InboundEmail.objects.filter(state=InboundState.DONE).count() == 2


def test_a_message_the_server_cannot_read_is_kept_as_a_placeholder_and_left_there(account):
    account.poll()
    account.server.deliver(account.user, [email_bytes(subject=f"Mail {i}") for i in range(3)])
    maildir = account.server.root / "home" / account.user / "Maildir"
    broken = sorted((maildir / "new").iterdir())[1]
    broken_subject = "Mail 1" if b"Subject: Mail 1" in broken.read_bytes() else "?"
    broken.chmod(0)  # the server process cannot open it: dovecot drops the connection

    result = account.poll()

    assert (result.stored, result.error, len(result.problems)) == (2, "", 1)
    uid = int(re.search(r"UID (\d+)", result.problems[0]).group(1))
    assert result.problems[0] in account.mailbox.imap_last_error
    assert account.mailbox.imap_last_uid == 3
    placeholder = InboundEmail.objects.get(state=InboundState.QUARANTINED)
    assert "could not be fetched" in placeholder.reason
    assert f"UID {uid}".encode() in bytes(placeholder.raw)
    others = InboundEmail.objects.exclude(pk=placeholder.pk).values_list("subject", flat=True)
    assert broken_subject == "Mail 1" and sorted(others) == ["Mail 0", "Mail 2"]
    next(maildir.rglob(broken.name.split(":")[0] + "*")).chmod(0o600)
    flags = account.flags()
    assert [u for u, f in flags.items() if b"\\Seen" not in f] == [uid]  # left there, unread
    assert account.poll().stored == 0  # and not taken for something new


def test_a_missing_password_variable_is_reported_on_the_mailbox(account, monkeypatch):
    monkeypatch.delenv(account.variable)

    result = account.poll()

    assert account.variable in result.error
    assert account.variable in account.mailbox.imap_last_error
    assert account.mailbox.imap_last_poll_at is None


def test_several_mailboxes_are_polled_concurrently_and_one_failure_stops_no_other(
    dovecot, shared, monkeypatch
):
    first, second = Account(dovecot, monkeypatch), Account(dovecot, monkeypatch)
    broken = Account(dovecot, monkeypatch)
    broken.mailbox.imap_password_env = "EVERYDESK_TEST_NOT_SET"
    broken.mailbox.save(update_fields=["imap_password_env"])
    poll_all()
    first.append(*first.mail(4))
    second.append(*second.mail(6))

    results = {result.mailbox: result for result in poll_all()}

    assert results[first.mailbox.address].stored == 4
    assert results[second.mailbox.address].stored == 6
    assert "EVERYDESK_TEST_NOT_SET" in results[broken.mailbox.address].error
    assert InboundEmail.objects.filter(mailbox=first.mailbox).count() == 4
    assert InboundEmail.objects.filter(mailbox=second.mailbox).count() == 6


def test_fetchmail_once_reports_each_mailbox(account, capsys):
    account.poll()
    account.append(*account.mail(2))

    call_command("fetchmail", "--once")

    assert f"{account.mailbox.address}: 2 stored" in capsys.readouterr().out
    assert InboundEmail.objects.count() == 2


def test_everydesk_fetchmail_loop_polls_until_stopped(account, shared, tmp_path: Path):
    account.poll()
    account.append(*account.mail(2))
    loop = subprocess.Popen(  # noqa: S603 (our own command)
        [EVERYDESK, "fetchmail", "--loop", "--interval", "5"],
        env={**shared, account.variable: account.password},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while InboundEmail.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        account.append(email_bytes(subject="Second round", to=account.mailbox.address))
        while InboundEmail.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        loop.send_signal(signal.SIGTERM)
        out, err = loop.communicate(timeout=30)
    assert loop.returncode == 0, err
    assert InboundEmail.objects.count() == 3, out + err
    assert f"{account.mailbox.address}: 2 stored" in out


def _change_form(mailbox: Mailbox, **changes) -> dict[str, object]:
    fields = {
        "name": mailbox.name,
        "address": mailbox.address,
        "team": "",
        "acknowledge": "on" if mailbox.acknowledge else "",
        "active": "on",
        "imap_host": mailbox.imap_host,
        "imap_port": mailbox.imap_port,
        "imap_ssl": "",
        "imap_username": mailbox.imap_username,
        "imap_password_env": mailbox.imap_password_env,
        "imap_folder": mailbox.imap_folder,
        "imap_move_to": mailbox.imap_move_to,
        "imap_start_from": mailbox.imap_start_from,
        **changes,
    }
    return {key: value for key, value in fields.items() if value != ""}


def test_the_admin_keeps_the_position_unless_the_mail_source_changes(account, admin, client):
    account.poll()
    account.append(*account.mail(2))
    account.poll()
    url = f"/admin/mail/mailbox/{account.mailbox.pk}/change/"
    client.force_login(admin)

    renamed = client.post(url, _change_form(account.mailbox, name="Support desk"))
    account.mailbox.refresh_from_db()
    assert renamed.status_code == 302
    assert (account.mailbox.name, account.mailbox.imap_last_uid) == ("Support desk", 2)

    client.post(url, _change_form(account.mailbox, imap_start_from=StartFrom.HISTORY))
    account.mailbox.refresh_from_db()
    assert account.mailbox.imap_last_uid == 0 and account.mailbox.imap_uidvalidity is None
    assert account.mailbox.imap_last_poll_at is None
    assert account.poll().duplicates == 2  # a history import, of mail already stored


def test_the_admin_takes_a_variable_name_never_a_password(account, admin, client):
    client.force_login(admin)
    url = f"/admin/mail/mailbox/{account.mailbox.pk}/change/"

    page = client.post(url, _change_form(account.mailbox, imap_password_env="hunter2 !"))

    assert page.status_code == 200
    assert "not a password" in page.content.decode()
    account.mailbox.refresh_from_db()
    assert account.mailbox.imap_password_env == account.variable
    assert 'type="password"' not in client.get(url).content.decode()


def test_no_password_crosses_the_network_in_clear(account, monkeypatch):
    """Our test server offers no TLS; were it not on loopback, we would not log in."""
    from everydesk.mail.doors import imap

    account.append(*account.mail(1))
    monkeypatch.setattr(imap, "is_loopback", lambda host: False)

    result = account.poll()

    assert not result.ok
    assert "STARTTLS" in account.mailbox.imap_last_error
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize(
    "host, loopback",
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("imap.example.com", False)],
)
def test_which_hosts_count_as_loopback(host, loopback):
    from everydesk.mail.doors.imap import is_loopback

    assert is_loopback(host) is loopback
