"""What the parser makes of one raw message: plain data the rest of ingestion reads."""

from dataclasses import dataclass, field
from datetime import datetime


class UnreadableEmail(Exception):
    """The message cannot be turned into anything useful; the reason goes to quarantine."""


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""  # without angle brackets; set for inline parts (cid: in HTML)
    inline: bool = False


@dataclass(frozen=True)
class Bounce:
    """A delivery status notification: which of our recipients failed, and why."""

    recipients: list[str]
    status: str = ""  # e.g. "5.1.1"
    diagnostic: str = ""  # the remote server's answer
    original_header_id: str = ""  # Message-ID of the mail of ours that bounced


@dataclass(frozen=True)
class ParsedEmail:
    header_id: str  # Message-ID without angle brackets, "" when missing
    subject: str
    from_address: str  # lower-cased, "" when none could be read
    from_name: str = ""
    reply_to_address: str = ""
    to: list[str] = field(default_factory=list)  # lower-cased addresses
    cc: list[str] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)  # Message-IDs, no brackets
    references: list[str] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""  # the readable text; derived from the HTML when there is no text part
    html: str = ""  # as sent: the caller sanitises before it is stored
    attachments: list[ParsedAttachment] = field(default_factory=list)
    # Why this is machine mail that must never be answered automatically:
    # "auto-replied", "auto-generated", "bulk", "vacation"...; "" for a person.
    auto: str = ""
    bounce: Bounce | None = None
    defects: list[str] = field(default_factory=list)  # what was repaired while reading

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this one answers, nearest first."""
        seen: list[str] = []
        for header_id in [*self.in_reply_to, *reversed(self.references)]:
            if header_id and header_id not in seen:
                seen.append(header_id)
        return seen
