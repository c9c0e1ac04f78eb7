"""Forms of the desk. They check shape (choices, dates); the actions check meaning."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from everydesk.accounts.models import STAFF_ROLES, Team, User
from everydesk.conversations.actions import clean_tag_names
from everydesk.conversations.filters import Filters
from everydesk.conversations.models import Conversation, Kind, Macro, Priority, Status
from everydesk.customers.models import Tier

UNASSIGNED = "unassigned"


def staff_users() -> QuerySet[User]:
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by(
        "first_name", "last_name", "email"
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name if obj.is_active else f"{obj.display_name} (deactivated)"


class ReplyForm(forms.Form):
    # Not required here: add_reply refuses an empty body with the message agents see.
    body = forms.CharField(
        label="",  # the form's heading says what it is; errors need no "Body:" prefix
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "id": "reply-body", "placeholder": "Reply…"}),
    )
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", "unchanged"),
            (Status.PENDING, "Waiting on customer"),
            (Status.SOLVED, "Solved"),
        ],
        label="and set status",
    )
    macro = forms.ModelChoiceField(
        queryset=Macro.objects.all(), required=False, empty_label="Insert a macro…"
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="",  # the form's heading says what it is; errors need no "Body:" prefix
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 4, "id": "note-body", "placeholder": "Only staff will see this note…"}
        ),
    )


class PropertiesForm(forms.Form):
    """Each field carries the value it was shown with (show_hidden_initial), so a
    save changes only what this agent touched, not what a colleague changed since."""

    status = forms.ChoiceField(choices=Status.choices, show_hidden_initial=True)
    priority = forms.TypedChoiceField(
        choices=Priority.choices, coerce=int, show_hidden_initial=True
    )
    kind = forms.ChoiceField(choices=Kind.choices, show_hidden_initial=True)
    assignee = StaffChoiceField(
        queryset=staff_users(), required=False, empty_label="Unassigned", show_hidden_initial=True
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(),
        required=False,
        empty_label="No team",
        show_hidden_initial=True,
    )
    tags = forms.CharField(
        required=False,
        show_hidden_initial=True,
        help_text="Separate tags with commas.",
        widget=forms.TextInput(attrs={"placeholder": "refund, vip"}),
    )

    @classmethod
    def for_conversation(cls, conversation: Conversation, data: Any = None) -> "PropertiesForm":
        initial = {
            "status": conversation.status,
            "priority": conversation.priority,
            "kind": conversation.kind,
            "assignee": conversation.assignee_id,
            "team": conversation.team_id,
            "tags": ", ".join(tag.name for tag in conversation.tags.all()),
        }
        form = cls(data, initial=initial)
        if conversation.assignee_id:
            # A deactivated assignee stays on the list, so saving another field
            # never unassigns them behind the agent's back.
            field = form.fields["assignee"]
            assert isinstance(field, StaffChoiceField)
            current = User.objects.filter(pk=conversation.assignee_id)
            field.queryset = (staff_users() | current).distinct()
        return form

    def tag_names(self) -> list[str]:
        return clean_tag_names(self.cleaned_data["tags"].split(","))


class MergeForm(forms.Form):
    target = forms.CharField(
        label="Merge this conversation into #",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 8, "placeholder": "1234"}),
    )

    def clean_target(self) -> int:
        raw = self.cleaned_data["target"].strip().lstrip("#")
        if not raw.isdigit() or int(raw) < 1:
            raise forms.ValidationError("Enter the number of a conversation, like 1234.")
        return int(raw)


def _assignee_choices() -> list[tuple[str, str]]:
    people = [(str(user.pk), user.display_name) for user in staff_users()]
    return [("", "Anyone"), (UNASSIGNED, "Unassigned"), *people]


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autofocus": True,
                "placeholder": 'Words, names, order numbers, "a phrase", refund*',
            }
        ),
    )
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Status.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Kind.choices])
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.all(), required=False, empty_label="Any tier"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Any team"
    )
    assignee = forms.ChoiceField(required=False, choices=_assignee_choices)
    created_from = forms.DateField(
        required=False, label="Created from", widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start > end:
            raise forms.ValidationError("The “from” date is after the “to” date.")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        assignee = data.get("assignee") or ""
        return Filters(
            status=data.get("status") or None,
            kind=data.get("kind") or None,
            tier_id=data["tier"].pk if data.get("tier") else None,
            team_id=data["team"].pk if data.get("team") else None,
            assignee_id=int(assignee) if assignee.isdigit() else None,
            unassigned=assignee == UNASSIGNED,
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
        )


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.all(), required=False, empty_label="No tier"
    )
    # Not required here: assign_tier refuses an empty reason with the message people see.
    reason = forms.CharField(
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "Why? (kept in the audit trail)"}),
    )


class OrderFileForm(forms.Form):
    file = forms.FileField(label="CSV file")
    skip_bad = forms.BooleanField(
        required=False,
        label="Import the good rows even if some are bad",
        help_text="Otherwise one bad row stops the whole import (and every bad row is listed).",
    )
