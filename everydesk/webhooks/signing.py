"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>" with the
endpoint's secret, hex encoded, sent as `X-Everydesk-Signature: v1=<hex>`.

The timestamp is inside the signed text so a captured request cannot be replayed
later with a fresh timestamp; the receiver refuses timestamps older than a few minutes.
During a secret rotation the header carries one `v1=` signature per valid secret.
"""

import hashlib
import hmac
import time

SCHEME = "v1"
# Receivers should refuse a request signed longer ago than this (clocks drift a little).
DEFAULT_TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], timestamp: int, body: bytes) -> str:
    return ", ".join(f"{SCHEME}={sign(secret, timestamp, body)}" for secret in secrets)


def signatures_in(header: str) -> list[str]:
    """The hex signatures of our scheme in a header; anything else is ignored."""
    found = []
    for part in header.split(","):
        scheme, _, value = part.strip().partition("=")
        if scheme == SCHEME and value:
            found.append(value)
    return found


def verify(
    *,
    secret: str,
    body: bytes,
    timestamp: str,
    signature: str,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """What a receiver does (docs/webhooks.md shows the same in a few lines)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance:
        return False
    expected = sign(secret, sent_at, body)
    # compare_digest takes the same time wherever the strings differ, so the
    # answer's timing tells an attacker nothing about how close a guess was.
    return any(hmac.compare_digest(expected, given) for given in signatures_in(signature))
