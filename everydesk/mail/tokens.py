"""The marks our outgoing mail carries so that answers find their conversation.

- Subject: "[#123]". Readable, so it is trusted only when the sender is that
  conversation's customer.
- Reply-To plus-address: support+c123-5k2m9q7x@example.com. Signed with the
  secret key, so only someone who received our mail can write into #123.
- Message-ID: ours are random and remembered in Delivery, looked up on arrival.
"""

import base64
import hashlib
import hmac
import re
import secrets

from django.conf import settings

_SUBJECT_TOKEN = re.compile(r"\[#(\d{1,12})\]")
_PLUS_TOKEN = re.compile(r"^c(\d{1,12})-([a-z2-7]{8})$")


def _signature(conversation_id: int) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"conversation:{conversation_id}".encode(), hashlib.sha256
    ).digest()
    # base32 lower-case: safe in the local part of an address and case-insensitive.
    return base64.b32encode(digest[:5]).decode().lower()


def subject_token(conversation_id: int) -> str:
    return f"[#{conversation_id}]"


def with_subject_token(subject: str, conversation_id: int) -> str:
    token = subject_token(conversation_id)
    return subject if token in subject else f"{subject} {token}"


def read_subject_token(subject: str) -> int | None:
    match = _SUBJECT_TOKEN.search(subject or "")
    return int(match.group(1)) if match else None


def strip_subject_tokens(subject: str) -> str:
    return _SUBJECT_TOKEN.sub("", subject or "").strip()


def plus_token(conversation_id: int) -> str:
    return f"c{conversation_id}-{_signature(conversation_id)}"


def reply_address(mailbox_address: str, conversation_id: int) -> str:
    local, _, domain = mailbox_address.partition("@")
    return f"{local}+{plus_token(conversation_id)}@{domain}"


def split_plus(address: str) -> tuple[str, str]:
    """support+TOKEN@example.com -> ("support@example.com", "TOKEN")."""
    local, _, domain = (address or "").strip().lower().partition("@")
    base, _, tag = local.partition("+")
    return f"{base}@{domain}", tag


def read_plus_token(address: str) -> int | None:
    """The conversation a plus-address points at, if its signature is ours."""
    match = _PLUS_TOKEN.match(split_plus(address)[1])
    if not match:
        return None
    conversation_id = int(match.group(1))
    genuine = hmac.compare_digest(match.group(2), _signature(conversation_id))
    return conversation_id if genuine else None


def new_header_id(conversation_id: int, domain: str) -> str:
    """A fresh Message-ID (without angle brackets) for mail about one conversation."""
    return f"{secrets.token_hex(10)}.c{conversation_id}@{domain}"
