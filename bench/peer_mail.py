"""django-helpdesk 2.6.1 reading the same email as everydesk: its `get_email` on a local folder.

Used by bench/ingest.py (`--peer 1000`), which runs our side on the same messages
in the same run; it can also run alone:

    python bench/peer_mail.py FOLDER [--peer-sqlite stock|tuned]

The peer runs in its own venv outside the repository (see bench/peer_helpdesk.py,
which builds it: django-helpdesk==2.6.1, Django==5.2.19) with the small project in
bench/peer/. Its "local" mailbox type reads every regular file of one flat folder,
makes a ticket or a follow-up of each, and deletes the files it turned into
something. We give it a fresh copy of the folder each time, a fresh SQLite
database (migrated beforehand), and one queue (`email_box_type='local'`), then
time `manage.py get_email` from start to exit, as bench/ingest.py times
`everydesk import-mail`: both include Python's and Django's start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from peer_helpdesk import PEER_PYTHON, PEER_ROOT, REPO, run, setup_peer

# Run inside the peer's venv: one queue reading the folder before, the counts after.
PEER_QUEUE = """
from helpdesk.models import Queue
Queue.objects.create(
    title="Support", slug="support", email_address={mailbox!r},
    email_box_type="local", email_box_local_dir={folder!r}, allow_email_submission=True,
)
"""
PEER_COUNTS = """
import json
from django.db.models import Count
from helpdesk.models import FollowUp, FollowUpAttachment, Ticket
doubled = (
    FollowUp.objects.exclude(message_id=None).exclude(message_id="")
    .values("message_id").annotate(n=Count("id")).filter(n__gt=1).count()
)
print(json.dumps({
    "tickets": Ticket.objects.count(), "follow_ups": FollowUp.objects.count(),
    "attachments": FollowUpAttachment.objects.count(), "message_ids_twice": doubled,
}))
"""


@dataclass
class PeerRun:
    sqlite: str  # "stock" (as shipped) or "tuned" (everydesk's pragmas)
    files: int  # messages in the folder
    left: int  # files it did not turn into a ticket or follow-up (left in the folder)
    seconds: float
    cpu_seconds: float
    tickets: int
    follow_ups: int
    attachments: int
    message_ids_twice: int  # Message-IDs stored on two or more follow-ups (no dedupe)
    peak_rss_mib: float

    @property
    def per_second(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "messages_per_s": round(self.per_second, 1)}


def measure(folder: Path, mailbox: str, sqlite: str = "stock") -> PeerRun:
    """Copy the flat `folder` and let django-helpdesk's get_email read the copy."""
    setup_peer()
    work = Path(tempfile.mkdtemp(prefix="peer-mail-", dir=PEER_ROOT))
    try:
        shutil.copytree(folder, work / "mail")
        env = {
            **os.environ,
            "PEER_HELPDESK_DIR": str(work),
            "PEER_SQLITE": sqlite,
            "PYTHONPATH": str(REPO / "bench"),
            "DJANGO_SETTINGS_MODULE": "peer.settings",
            # It opens each file as text in the locale's encoding; a UTF-8 system, as usual.
            "PYTHONUTF8": "1",
        }
        env.pop("VIRTUAL_ENV", None)
        django = [str(PEER_PYTHON), "-m", "django"]
        run([*django, "migrate", "--no-input", "-v", "0"], env)
        mail = work / "mail"
        files = sum(1 for p in mail.iterdir() if p.is_file())
        run([*django, "shell", "-c", PEER_QUEUE.format(mailbox=mailbox, folder=str(mail))], env)
        # Timed like `everydesk import-mail` on our side: the command, from start to exit.
        log = PEER_ROOT / f"get_email-{sqlite}.log"
        with log.open("wb") as output:
            started = time.perf_counter()
            process = subprocess.Popen(
                [*django, "get_email", "--quiet"], env=env, stdout=output, stderr=output
            )
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        if status != 0:
            raise SystemExit(f"the peer's get_email failed with status {status}; see {log}")
        counts = json.loads(
            run([*django, "shell", "-c", PEER_COUNTS], env).strip().splitlines()[-1]
        )
        return PeerRun(
            sqlite=sqlite,
            files=files,
            left=sum(1 for p in mail.iterdir() if p.is_file()),
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_rss_mib=usage.ru_maxrss / 1024,
            **counts,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path, help="a flat folder of messages (one file each)")
    parser.add_argument("--mailbox", default="support@shop.example")
    parser.add_argument("--peer-sqlite", choices=["stock", "tuned"], default="stock")
    options = parser.parse_args()
    result = measure(options.folder, options.mailbox, options.peer_sqlite)
    json.dump(result.as_dict(), sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
