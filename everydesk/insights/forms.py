"""The dashboard's filters: a date range (a preset or custom), a team and a tier."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from everydesk.accounts.models import Team
from everydesk.customers.models import Tier
from everydesk.insights.figures import Filters, Period
from everydesk.insights.rollups import local_day

PRESETS = [("7", "Last 7 days"), ("30", "Last 30 days"), ("90", "Last 90 days")]
CUSTOM = "custom"
LONGEST = 366


class DashboardForm(forms.Form):
    range = forms.ChoiceField(
        choices=[*PRESETS, (CUSTOM, "Custom…")], required=False, label="Period"
    )
    start = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.order_by("name"), required=False, empty_label="All teams"
    )
    tier = forms.ModelChoiceField(
        queryset=Tier.objects.all(), required=False, empty_label="All tiers"
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("range") == CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("A custom period needs both a start and an end date.")
            if start > end:
                raise forms.ValidationError("The start date must not be after the end date.")
            if (end - start).days + 1 > LONGEST:
                raise forms.ValidationError(f"A period can be at most {LONGEST} days long.")
        return data

    def period(self, today: date | None = None) -> Period:
        today = today or local_day(timezone.now())
        data = self.cleaned_data if self.is_bound else {}
        chosen = data.get("range") or "7"
        if chosen == CUSTOM:
            return Period(data["start"], data["end"])
        return Period(today - timedelta(days=int(chosen) - 1), today)

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound else {}
        team, tier = data.get("team"), data.get("tier")
        return Filters(
            team_id=team.pk if team else None,
            tier_id=tier.pk if tier else None,
            team_name=team.name if team else "",
            tier_name=tier.name if tier else "",
        )
