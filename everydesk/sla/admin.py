"""Admins set up calendars, holidays and SLA policies here; clocks are read-only."""

from django.contrib import admin

from everydesk.lib.readonly_admin import ViewOnly
from everydesk.sla.models import BusinessCalendar, ConversationSla, Holiday, SlaPolicy


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone"]
    inlines = [HolidayInline]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "tier",
        "priority",
        "calendar",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "warn_before_minutes",
    ]
    list_filter = ["tier", "priority"]


@admin.register(ConversationSla)
class ConversationSlaAdmin(ViewOnly, admin.ModelAdmin):
    """To look at, not to edit: clocks move with the conversation (sla/clocks.py)."""

    allow_delete = True

    list_display = ["conversation", "policy", "due_target", "due_at", "paused_at", "breached_at"]
    list_filter = ["due_target", "policy"]
    raw_id_fields = ["conversation"]
