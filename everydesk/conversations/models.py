"""Conversations, their messages and attachments, tags, macros and the timeline."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.customers.models import Customer


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    PRAISE = "praise", "Praise"
    QUESTION = "question", "Question"
    IDEA = "idea", "Idea"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Waiting on customer"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING)


class Priority(models.IntegerChoices):
    # Lower is more urgent (P1 first), so the inbox order (priority, age, id)
    # is ascending in every column and keyset pages are plain index range scans.
    URGENT = 1, "Urgent"
    HIGH = 2, "High"
    NORMAL = 3, "Normal"
    LOW = 4, "Low"


class Channel(models.TextChoices):
    PORTAL = "portal", "Customer portal"
    FORM = "form", "Public form"
    API = "api", "API"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Conversation(models.Model):
    subject = models.CharField(max_length=255)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="conversations")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.QUESTION)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    is_open = models.GeneratedField(
        expression=Q(status__in=OPEN_STATUSES),  # type: ignore[arg-type]  # Q works; stubs want Expression
        output_field=models.BooleanField(),
        db_persist=True,
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="conversations"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="conversations")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    # A customer who answers a closed conversation starts a new one that points back.
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    # The listening scores of the latest customer message (listening.Voice), kept here
    # so the inbox shows and sorts by them without a join.
    sentiment = models.FloatField(null=True, blank=True)
    urgency = models.PositiveSmallIntegerField(default=0)
    # The explainable priority score (sla/priority.py) and its parts, [[label, points]].
    # queue_rank is minus the score so the inbox order stays ascending in every column.
    priority_score = models.SmallIntegerField(default=0)
    priority_reasons = models.JSONField(default=list, blank=True)
    queue_rank = models.GeneratedField(
        expression=Value(0) - F("priority_score"),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            # serves: inbox "all open" (is_open, then keyset on priority, score, age, id)
            models.Index(
                fields=["is_open", "priority", "queue_rank", "created_at", "id"],
                name="conv_open_queue",
            ),
            # serves: inbox "mine" and "unassigned" (assignee IS NULL)
            models.Index(
                fields=["assignee", "is_open", "priority", "queue_rank", "created_at", "id"],
                name="conv_assignee_queue",
            ),
            # serves: inbox per team
            models.Index(
                fields=["team", "is_open", "priority", "queue_rank", "created_at", "id"],
                name="conv_team_queue",
            ),
            # serves: customer sidebar, portal list and API list per customer, newest first
            models.Index(fields=["customer", "-updated_at", "-id"], name="conv_customer_recent"),
            # serves: API list of all conversations, newest first
            models.Index(fields=["-updated_at", "-id"], name="conv_recent"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", "Customer message"
    REPLY = "reply", "Public reply"
    NOTE = "note", "Internal note"


class Message(models.Model):
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(max_length=16, choices=MessageKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    body_text = models.TextField()
    # Sanitised with nh3 before it is stored; never holds raw customer HTML.
    body_html = models.TextField(blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: the thread of one conversation in order; keyset in the API
            models.Index(fields=["conversation", "created_at", "id"], name="message_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.conversation_id}"

    @property
    def is_public(self) -> bool:
        return self.kind != MessageKind.NOTE

    @property
    def author_name(self) -> str:
        if self.author_user_id and self.author_user:
            return self.author_user.display_name
        if self.author_customer_id and self.author_customer:
            return str(self.author_customer)
        return "Unknown"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name never comes from the customer: only the id-based folder
    # and a fixed name, so a crafted filename cannot escape or collide.
    return f"attachments/{timezone.now():%Y/%m}/{instance.message_id}/{instance.token}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # Set for images shown inside an email's HTML (<img src="cid:...">).
    content_id = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.filename


class EventType(models.TextChoices):
    OPENED = "opened", "Opened"
    CUSTOMER_MESSAGE = "customer_message", "Customer wrote"
    REPLIED = "replied", "Replied"
    NOTE_ADDED = "note_added", "Added a note"
    STATUS_CHANGED = "status_changed", "Changed status"
    PRIORITY_CHANGED = "priority_changed", "Changed priority"
    KIND_CHANGED = "kind_changed", "Changed kind"
    ASSIGNED = "assigned", "Changed assignee"
    TEAM_CHANGED = "team_changed", "Changed team"
    TAGS_CHANGED = "tags_changed", "Changed tags"
    MACRO_APPLIED = "macro_applied", "Applied a macro"
    MERGED_INTO = "merged_into", "Merged into another conversation"
    MERGED_FROM = "merged_from", "Absorbed another conversation"
    FOLLOWED_UP = "followed_up", "Continued in a new conversation"
    AUTO_REPLY = "auto_reply", "Received an automatic reply"
    DELIVERY_FAILED = "delivery_failed", "Mail to the customer failed"
    KIND_SCORED = "kind_scored", "Kind set by listening"
    PRIORITY_RAISED = "priority_raised", "Priority raised by listening"
    PROACTIVE = "proactive", "Wrote first about an emerging issue"
    SURVEY_ANSWERED = "survey_answered", "Customer rated the service"
    RECOVERY_OPENED = "recovery_opened", "Opened to close the loop on a survey answer"
    ACTION_TAKEN = "action_taken", "Took a playbook action"
    ACTION_REQUESTED = "action_requested", "Asked for approval of a playbook action"
    ACTION_DENIED = "action_denied", "Denied a playbook action"
    ACTION_OUTCOME = "action_outcome", "A playbook action's outcome was reported"
    SHIFT_TAKEN = "shift_taken", "Taken on a front-line shift"
    SHIFT_RETURNED = "shift_returned", "Returned to the pool at shift end"
    REVIEW_REQUESTED = "review_requested", "Asked a mentor to review a reply"
    REVIEW_APPROVED = "review_approved", "Mentor approved a reply"
    REVIEW_CHANGES_REQUESTED = "review_changes_requested", "Mentor asked for changes"
    FOLLOW_UP_SCHEDULED = "follow_up_scheduled", "Scheduled a follow-up"
    FOLLOW_UP_DONE = "follow_up_done", "Followed up with the customer"
    FOLLOW_UP_SNOOZED = "follow_up_snoozed", "Snoozed a follow-up"
    FOLLOW_UP_REASSIGNED = "follow_up_reassigned", "Reassigned a follow-up"
    FOLLOW_UP_CANCELLED = "follow_up_cancelled", "Cancelled a follow-up"
    SLA_BREACHED = "sla_breached", "Missed an SLA target"


class Event(models.Model):
    """One thing that happened to a conversation: the timeline and the audit trail."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=32, choices=EventType.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # serves: the audit trail of one conversation, in order
            models.Index(fields=["conversation", "created_at", "id"], name="event_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on #{self.conversation_id}"


class Macro(models.Model):
    """A canned reply. Placeholders like {customer.first_name} are filled, never templated."""

    name = models.CharField(max_length=100, unique=True)
    body = models.TextField()
    set_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    add_tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
