"""The desk's follow-up forms: record an outcome, snooze, reassign."""

from django import forms

from everydesk.accounts.models import STAFF_ROLES, User
from everydesk.recovery.models import Outcome


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SnoozeForm(forms.Form):
    until = forms.DateTimeField(
        label="Due again at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("email"),
        label="Give to",
    )
