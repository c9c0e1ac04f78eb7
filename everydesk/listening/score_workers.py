"""Processes that score in parallel for `everydesk listen --jobs N`.

Each takes its own share of the unscored voices (id modulo N), so on SQLite, where
rows cannot be claimed with SKIP LOCKED, no two score the same texts. Started fresh
("spawn"), this module imports nothing of Django's until the worker has set it up.
"""

import os
import threading
import time


def start(parent: int) -> None:
    """Runs first in each worker: set Django up, and leave once the parent is gone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "everydesk.settings")
    import django

    django.setup()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def score_share(share: int, shares: int, batch_size: int | None) -> int:
    from everydesk.listening import scorer

    return scorer.score_pending(batch_size=batch_size, share=(share, shares))
