"""The embedded mode's secret key: generated once and kept in the data directory.

Production sets SECRET_KEY in the environment; a fresh embedded install needs
no configuration, so it makes its own key and keeps it private to its owner.
"""

import os
import secrets
from pathlib import Path


def load_or_create(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
