"""Telling people from bots on the public form, without a CAPTCHA.

Two cheap signals: a honeypot field that people never see but form-filling
bots do, and the time between serving the form and receiving it. The time
is a signed timestamp in a hidden field, so a bot cannot forge an older
one; a person needs more than a few seconds to write to us.
"""

import enum
import time

from django.core import signing

SALT = "everydesk.portal.public-form"
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 24 * 60 * 60


class Verdict(enum.Enum):
    PERSON = "person"
    TOO_FAST = "too_fast"  # sent sooner than a person can write: a bot
    STALE = "stale"  # the stamp is missing, forged or a day old: ask to send again


def stamp(at: float | None = None) -> str:
    """The hidden timestamp for a freshly served form."""
    return signing.dumps(at if at is not None else time.time(), salt=SALT)


def in_honeypot(value: str) -> bool:
    return bool(value.strip())


def timing(stamp_value: str, now: float | None = None) -> Verdict:
    try:
        served_at = float(signing.loads(stamp_value, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return Verdict.STALE
    age = (now if now is not None else time.time()) - served_at
    if age < MIN_FILL_SECONDS:
        return Verdict.TOO_FAST
    if age > MAX_AGE_SECONDS:
        return Verdict.STALE
    return Verdict.PERSON
