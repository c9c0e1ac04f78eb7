"""Django admin for email: the mailboxes we serve, then the quarantine."""

import re
from collections import Counter
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from everydesk.mail import inbound
from everydesk.mail.doors.imap import SOURCE_FIELDS, forget_position
from everydesk.mail.models import InboundEmail, InboundState, Mailbox

# --- mailboxes -----------------------------------------------------------------

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class MailboxForm(forms.ModelForm):
    class Meta:
        model = Mailbox
        fields = [
            "name",
            "address",
            "team",
            "acknowledge",
            "active",
            "imap_host",
            "imap_port",
            "imap_ssl",
            "imap_username",
            "imap_password_env",
            "imap_folder",
            "imap_move_to",
            "imap_start_from",
        ]
        help_texts = {
            "imap_password_env": "The NAME of an environment variable of the fetchmail "
            "process, e.g. SUPPORT_IMAP_PASSWORD; never the password itself.",
        }

    def clean_imap_password_env(self) -> str:
        name: str = self.cleaned_data["imap_password_env"].strip()
        if name and not _ENV_NAME.match(name):
            raise forms.ValidationError(
                "Letters, digits and underscores only: the name of a variable, not a password."
            )
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("imap_host"):
            missing = [
                label
                for field, label in [
                    ("imap_username", "an IMAP username"),
                    ("imap_password_env", "an IMAP password variable"),
                ]
                if not data.get(field)
            ]
            if missing:
                raise forms.ValidationError(f"IMAP polling needs {' and '.join(missing)}.")
        return data


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["address", "name", "team", "acknowledge", "active", "imap", "last_poll"]
    list_filter = ["active", "acknowledge", "team"]
    search_fields = ["address", "name", "imap_host", "imap_username"]
    readonly_fields = [
        "imap_last_poll_at",
        "imap_last_error",
        "imap_uidvalidity",
        "imap_last_uid",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["name", "address", "team", "acknowledge", "active"]}),
        (
            "IMAP polling (optional: leave the host blank when mail arrives by SMTP or pipe)",
            {
                "fields": [
                    ("imap_host", "imap_port", "imap_ssl"),
                    "imap_username",
                    "imap_password_env",
                    ("imap_folder", "imap_move_to"),
                    "imap_start_from",
                ]
            },
        ),
        (
            "IMAP status",
            {
                "fields": [
                    "imap_last_poll_at",
                    "imap_last_error",
                    ("imap_uidvalidity", "imap_last_uid"),
                    "created_at",
                ]
            },
        ),
    ]

    def save_model(
        self, request: HttpRequest, obj: Mailbox, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.save()
            return
        # Only what the form changed: a poll running meanwhile owns the position fields.
        fields = list(form.changed_data)
        if set(fields) & set(SOURCE_FIELDS):
            fields += forget_position(obj)
        if fields:
            obj.save(update_fields=fields)

    @admin.display(boolean=True, description="IMAP")
    def imap(self, mailbox: Mailbox) -> bool:
        return mailbox.polls_imap

    @admin.display(description="Last complete poll")
    def last_poll(self, mailbox: Mailbox) -> str:
        if not mailbox.polls_imap:
            return "-"
        when = (
            f"{mailbox.imap_last_poll_at:%Y-%m-%d %H:%M}" if mailbox.imap_last_poll_at else "never"
        )
        return (
            f"{when} (error: {mailbox.imap_last_error[:80]})" if mailbox.imap_last_error else when
        )


# --- quarantine ----------------------------------------------------------------


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """Every stored email; opens on the quarantine, where admins retry or discard."""

    list_display = ["received_at", "sender", "subject", "mailbox", "source", "state", "why"]
    list_filter = ["state", "outcome", "source", "mailbox", "history"]
    search_fields = ["sender", "subject", "header_id", "envelope_sender"]
    date_hierarchy = "received_at"
    actions = ["retry_selected", "discard_selected"]
    exclude = ["raw"]  # shown as a download link, never inline
    readonly_fields = ["original", "conversation_link"]
    list_select_related = ["mailbox"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [f.name for f in InboundEmail._meta.fields if f.name not in ("raw",)]
        return [*fields, "original", "conversation_link"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # mail arrives through the doors, never typed in

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        # Admins come here for the quarantine; every other state is one click away.
        if not any(key.startswith("state") for key in request.GET) and "q" not in request.GET:
            return HttpResponseRedirect(f"{request.path}?state__exact={InboundState.QUARANTINED}")
        return super().changelist_view(request, extra_context)

    @admin.display(description="Reason")
    def why(self, inbound: InboundEmail) -> str:
        return inbound.reason[:120] or inbound.get_outcome_display()

    @admin.display(description="Original email")
    def original(self, inbound: InboundEmail) -> str:
        url = reverse("original_email", args=[inbound.pk])
        return format_html('<a href="{}">Download .eml</a> ({} bytes)', url, inbound.size)

    @admin.display(description="Conversation")
    def conversation_link(self, inbound: InboundEmail) -> str:
        if not inbound.conversation_id:
            return "-"
        url = reverse("desk:conversation", args=[inbound.conversation_id])
        return format_html('<a href="{}">#{}</a>', url, inbound.conversation_id)

    @admin.action(description="Retry the selected quarantined emails")
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        outcomes = Counter(
            inbound.retry(item).get_state_display()
            for item in queryset.filter(state=InboundState.QUARANTINED)
        )
        summary = ", ".join(f"{count} {state.lower()}" for state, count in outcomes.items())
        self.message_user(request, f"Retried: {summary or 'nothing was quarantined'}.")

    @admin.action(description="Discard the selected quarantined emails")
    def discard_selected(self, request: HttpRequest, queryset: QuerySet[InboundEmail]) -> None:
        count = 0
        for item in queryset.filter(state=InboundState.QUARANTINED):
            inbound.discard(item)
            count += 1
        self.message_user(request, f"Discarded {count} email(s); their records stay.")
