import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    """Rate-limit counters live in the cache (a database table in the embedded mode)."""
    cache.clear()
    yield
    cache.clear()


def link_path_from_mail() -> str:
    """The path of the sign-in link in the last mail sent."""
    match = re.search(r"https?://\S+?(/portal/login/\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    assert match.group(0).startswith(settings.BASE_URL)
    return match.group(1)
