"""Connections of our SQLite backend to a scratch file of the test's own."""

import pytest

from everydesk.lib.sqlite_backend.base import DatabaseWrapper


@pytest.fixture(autouse=True)
def own_files(django_db_blocker):
    """Tests importing this use their own files, not the test database."""
    with django_db_blocker.unblock():
        yield


def connect(path, *, init_command: str = "") -> DatabaseWrapper:
    options: dict[str, object] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    if init_command:
        options["init_command"] = init_command
    wrapper = DatabaseWrapper(
        {
            "NAME": str(path),
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
            "OPTIONS": options,
            "TIME_ZONE": None,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        }
    )
    wrapper.ensure_connection()
    return wrapper
