"""Admin for the rotation: rules (with the build action), availability, days off,
and read-only builds and swaps for audit."""

from datetime import time
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from everydesk.accounts.models import STAFF_ROLES
from everydesk.frontline import tasks
from everydesk.frontline.models import (
    AvailabilityWindow,
    RotationBuild,
    RotationRule,
    ShiftSwap,
    TimeOff,
)
from everydesk.frontline.rules import Quarter, zone_of
from everydesk.lib.errors import ActionError
from everydesk.lib.readonly_admin import ViewOnly


class RotationRuleForm(forms.ModelForm):
    class Meta:
        model = RotationRule
        fields = [
            "name",
            "active",
            "hours_per_quarter",
            "shift_minutes",
            "roles",
            "departments",
            "time_zone",
            "service_days",
            "service_start",
            "service_end",
            "min_per_slot",
            "max_per_slot",
            "holidays",
        ]

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"]
        try:
            zone_of(name)
        except ActionError as refused:
            raise forms.ValidationError(refused.message) from None
        return name

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"] or []
        unknown = [r for r in roles if r not in STAFF_ROLES]
        if not isinstance(roles, list) or unknown:
            raise forms.ValidationError(f"Staff roles only: {', '.join(sorted(STAFF_ROLES))}.")
        return roles

    def clean_departments(self) -> list[str]:
        departments = self.cleaned_data["departments"] or []
        if not isinstance(departments, list) or not all(isinstance(d, str) for d in departments):
            raise forms.ValidationError('A list of department names, e.g. ["Sales"].')
        return departments

    def clean_service_days(self) -> list[int]:
        days = self.cleaned_data["service_days"]
        if not isinstance(days, list) or not all(d in range(7) for d in days):
            raise forms.ValidationError("A list of weekdays, 0 (Monday) to 6 (Sunday).")
        return sorted(set(days))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("service_start"), data.get("service_end")
        # 00:00 as the end means midnight, so 00:00-00:00 is round the clock.
        if start and end and start >= end and end != time(0):
            self.add_error("service_end", "Service hours must end after they start.")
        if not data.get("shift_minutes"):
            self.add_error("shift_minutes", "A shift lasts at least a minute.")
        low, high = data.get("min_per_slot"), data.get("max_per_slot")
        if high is not None and low is not None and high < low:
            self.add_error("max_per_slot", "The maximum is below the minimum.")
        return data


def _queue_builds(request: HttpRequest, rules: QuerySet[RotationRule], quarter: Quarter) -> None:
    ids = list(rules.values_list("pk", flat=True))
    transaction.on_commit(lambda: [tasks.build_rotation(pk, str(quarter)) for pk in ids])
    messages.success(request, f"Building {quarter} for {len(ids)} rule(s); see the coverage page.")


@admin.register(RotationRule)
class RotationRuleAdmin(admin.ModelAdmin):
    form = RotationRuleForm
    list_display = ["name", "active", "hours_per_quarter", "shift_minutes", "time_zone"]
    actions = ["build_this_quarter", "build_next_quarter"]

    @admin.action(description="Build this quarter's rotation (fill gaps)")
    def build_this_quarter(self, request: HttpRequest, queryset: QuerySet[RotationRule]) -> None:
        _queue_builds(request, queryset, Quarter.of(timezone.localdate()))

    @admin.action(description="Build next quarter's rotation")
    def build_next_quarter(self, request: HttpRequest, queryset: QuerySet[RotationRule]) -> None:
        _queue_builds(request, queryset, Quarter.of(timezone.localdate()).next)


@admin.register(AvailabilityWindow)
class AvailabilityWindowAdmin(admin.ModelAdmin):
    list_display = ["user", "weekday", "starts", "ends"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["user", "first_day", "last_day", "reason"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


class ReadOnly(ViewOnly, admin.ModelAdmin):
    allow_delete = True


@admin.register(RotationBuild)
class RotationBuildAdmin(ReadOnly):
    list_display = ["rule", "quarter", "finished_at", "people", "placed", "kept"]


@admin.register(ShiftSwap)
class ShiftSwapAdmin(ReadOnly):
    list_display = ["shift", "offered_by", "asked", "status", "taken_by", "decided_at"]
    list_filter = ["status"]
