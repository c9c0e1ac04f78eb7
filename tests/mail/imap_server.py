"""A private Debian dovecot for the IMAP tests: its own config, port, users and maildirs.

Each server lives in a temporary directory and listens on 127.0.0.1 without TLS,
so the tests talk real IMAP to a real server without touching the machine's own
dovecot. A missing dovecot is a failure, not a skip: the IMAP door would go
untested without anyone noticing.
"""

import contextlib
import grp
import mailbox
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = "/usr/sbin/dovecot"

# Everything dovecot 2.3 advertises after login, less MOVE: a server without MOVE
# makes the poller fall back to COPY + \Deleted + EXPUNGE.
CAPABILITY_WITHOUT_MOVE = (
    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES "
    "THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN "
    "NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES "
    "WITHIN CONTEXT=SEARCH LIST-STATUS BINARY SPECIAL-USE"
)


def require_dovecot() -> None:
    if not os.access(DOVECOT, os.X_OK):
        pytest.fail(
            f"{DOVECOT} is missing: the IMAP tests need Debian's dovecot-imapd "
            "(scripts/test installs it as root; else run 'sudo apt-get install dovecot-imapd').",
            pytrace=False,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ImapServer:
    """One dovecot with `users` users (user1, user2, ...), each with a maildir."""

    def __init__(self, *, users: int = 30, without_move: bool = False) -> None:
        require_dovecot()
        # Not under pytest's tmp_path: its parents are private to us, and as root the
        # mail processes run as another user who must reach the maildirs.
        self.root = Path(tempfile.mkdtemp(prefix="everydesk-dovecot-"))
        self.root.chmod(0o711)
        # Dovecot refuses to run mail processes as root.
        self.mail_user = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        self.host = "127.0.0.1"
        self.port = free_port()
        self.without_move = without_move
        self.process: subprocess.Popen[bytes] | None = None
        (self.root / "home").mkdir()
        self._free: list[tuple[str, str]] = []
        self._write_users(users)
        (self.root / "dovecot.conf").write_text(self._config())

    def _config(self) -> str:
        me = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        root_run = os.getuid() == 0
        # As root, dovecot insists on unprivileged users for its own helpers; as anyone
        # else, everything simply runs as that user.
        internal = "dovecot" if root_run else me
        login = "dovenull" if root_run else me
        capability = f"imap_capability = {CAPABILITY_WITHOUT_MOVE}\n" if self.without_move else ""
        return f"""\
base_dir = {self.root}/run
state_dir = {self.root}/state
instance_name = everydesk-test-{self.port}
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:~/Maildir
{capability}service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    user = {me}
    group = {group}
    mode = 0666
  }}
  unix_listener stats-writer {{
    user = {me}
    group = {group}
    mode = 0666
  }}
}}
# The passwd-file sits in a private temporary directory only we can read.
service auth {{
  user = {me}
}}
service auth-worker {{
  user = {me}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={self.mail_user.pw_uid} gid={self.mail_user.pw_gid} home={self.root}/home/%u
}}
"""

    def start(self) -> None:
        log = (self.root / "dovecot.out").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (fixed binary, our own config)
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                socket.create_connection((self.host, self.port), timeout=1) as probe,
            ):
                if probe.recv(100).startswith(b"* OK"):
                    return
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"dovecot did not start:\n{self.logs()}", pytrace=False)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def logs(self) -> str:
        texts = [
            p.read_text(errors="replace")
            for p in self.root.glob("dovecot.*")
            if p.suffix != ".conf"
        ]
        return "\n".join(texts)[-4000:]

    def _write_users(self, count: int) -> None:
        # All users exist before dovecot starts: it re-reads a changed passwd-file at
        # most once a second, so users added later fail to log in for a moment.
        lines = []
        for number in range(1, count + 1):
            name, password = f"user{number}", secrets.token_hex(8)
            home = self.root / "home" / name
            home.mkdir()
            os.chown(home, self.mail_user.pw_uid, self.mail_user.pw_gid)
            lines.append(f"{name}:{password}::::::\n")
            self._free.append((name, password))
        (self.root / "passwd").write_text("".join(lines))

    def take_user(self) -> tuple[str, str]:
        """A user nobody has used yet on this server: (name, password)."""
        if not self._free:
            pytest.fail("The test dovecot has no unused users left; create it with more.")
        return self._free.pop(0)

    @contextlib.contextmanager
    def client(self, user: str, password: str) -> Iterator[IMAPClient]:
        imap = IMAPClient(self.host, port=self.port, ssl=False, timeout=20)
        try:
            imap.login(user, password)
            yield imap
        finally:
            with contextlib.suppress(Exception):
                imap.logout()

    def deliver(self, user: str, messages: list[bytes]) -> None:
        """Write straight into the user's maildir, as an MTA does while IMAP is down."""
        folder = self.root / "home" / user / "Maildir"
        box = mailbox.Maildir(folder, create=True)
        for raw in messages:
            box.add(raw)
        box.close()
        for path in [folder, *folder.rglob("*")]:
            os.chown(path, self.mail_user.pw_uid, self.mail_user.pw_gid)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
