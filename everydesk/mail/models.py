"""Mailboxes we serve, every raw message that reached us, and every mail we send."""

from django.db import models
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.conversations.models import Conversation, Message


class StartFrom(models.TextChoices):
    NOW = "now", "New mail only, from when polling starts"
    HISTORY = "history", "Import everything already in the folder (no acknowledgements)"


class Mailbox(models.Model):
    """A support address. Mail to it (or to address+TOKEN) becomes conversations."""

    name = models.CharField(max_length=100)
    address = models.EmailField(
        unique=True, help_text="Stored lower-cased, e.g. support@example.com"
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mailboxes",
        help_text="New conversations from this address go to this team.",
    )
    acknowledge = models.BooleanField(
        default=True, help_text="Answer each new conversation with a 'we received it' email."
    )
    active = models.BooleanField(default=True)

    # IMAP polling: optional. The password is never stored here, only the name of
    # the environment variable that holds it.
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_ssl = models.BooleanField(default=True, verbose_name="IMAP over TLS")
    imap_username = models.CharField(max_length=255, blank=True)
    imap_password_env = models.CharField(
        max_length=100,
        blank=True,
        verbose_name="IMAP password variable",
        help_text="Name of the environment variable holding the IMAP password.",
    )
    imap_folder = models.CharField(max_length=255, default="INBOX")
    imap_move_to = models.CharField(
        max_length=255,
        blank=True,
        help_text="Folder to move stored messages to; blank marks them read instead.",
    )
    imap_start_from = models.CharField(
        max_length=16, choices=StartFrom.choices, default=StartFrom.NOW
    )
    # Where polling resumes: every UID above imap_last_uid in this UIDVALIDITY is new.
    imap_uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    imap_last_uid = models.BigIntegerField(default=0, editable=False)
    imap_last_poll_at = models.DateTimeField(null=True, blank=True, editable=False)
    imap_last_error = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return f"{self.name} <{self.address}>"

    def save(self, *args, **kwargs):
        self.address = self.address.strip().lower()
        super().save(*args, **kwargs)

    @property
    def polls_imap(self) -> bool:
        return bool(self.imap_host and self.imap_username)


class Source(models.TextChoices):
    SMTP = "smtp", "SMTP/LMTP listener"
    IMAP = "imap", "IMAP polling"
    PIPE = "pipe", "Pipe from the mail server"
    IMPORT = "import", "Bulk import"


class InboundState(models.TextChoices):
    PENDING = "pending", "Stored, not yet processed"
    DONE = "done", "Processed"
    IGNORED = "ignored", "Ignored (our own mail or a duplicate)"
    QUARANTINED = "quarantined", "Quarantined"
    DISCARDED = "discarded", "Discarded by an admin"


class Outcome(models.TextChoices):
    NEW_CONVERSATION = "new_conversation", "Opened a conversation"
    ADDED_MESSAGE = "added_message", "Added to a conversation"
    AUTO_REPLY = "auto_reply", "Auto-reply noted on a conversation"
    BOUNCE = "bounce", "Bounce read"
    OWN_MAIL = "own_mail", "Mail from our own address"


class InboundEmail(models.Model):
    """One message exactly as it reached us, stored before anything reads it.

    `key` makes ingestion idempotent: the Message-ID, or a hash of the bytes when
    a message has none. Processing turns a pending row into a conversation or a
    message in the same transaction that marks it done, so a crash at any point
    leaves either nothing or everything.
    """

    key = models.CharField(max_length=100, unique=True)  # serves: duplicate check on arrival
    header_id = models.CharField(
        max_length=255, blank=True, db_index=True
    )  # Message-ID; serves: threading
    mailbox = models.ForeignKey(
        Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    envelope_sender = models.CharField(max_length=255, blank=True)
    envelope_recipients = models.JSONField(default=list, blank=True)
    raw = models.BinaryField()
    size = models.PositiveBigIntegerField()
    history = models.BooleanField(default=False, help_text="Imported history: never acknowledged.")
    received_at = models.DateTimeField(default=timezone.now)

    state = models.CharField(
        max_length=16, choices=InboundState.choices, default=InboundState.PENDING
    )
    outcome = models.CharField(max_length=24, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Why it was quarantined or ignored.")
    attempts = models.PositiveSmallIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    sender = models.CharField(max_length=255, blank=True)  # From, lower-cased; serves: flood check
    subject = models.CharField(max_length=255, blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound_email"
    )

    class Meta:
        indexes = [
            # serves: the recovery sweep and the quarantine list
            models.Index(fields=["state", "received_at"], name="inbound_state"),
            # serves: flood check (messages from one sender in the last minutes)
            models.Index(fields=["sender", "received_at"], name="inbound_sender"),
            # serves: the conversation's mailbox (last inbound mail) for replies
            models.Index(fields=["conversation", "-received_at"], name="inbound_conversation"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} from {self.sender or self.envelope_sender}"


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    BOUNCED = "bounced", "Bounced"


class Delivery(models.Model):
    """One email we send about a conversation, with its state for the agent to see."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="deliveries"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    template = models.CharField(max_length=50)  # mail/<template>/...: reply, received
    to = models.EmailField()
    header_id = models.CharField(
        max_length=255, unique=True
    )  # Message-ID; serves: threading answers
    state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, help_text="The mail server's answer.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            # serves: the sweep for deliveries whose job was lost
            models.Index(fields=["state", "next_attempt_at"], name="delivery_state"),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {self.to}: {self.state}"
