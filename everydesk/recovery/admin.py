from django.contrib import admin

from everydesk.lib.readonly_admin import ViewOnly
from everydesk.recovery.models import FollowUp, FollowUpPolicy, FollowUpStep


class FollowUpStepInline(admin.TabularInline):
    model = FollowUpStep
    extra = 1
    fields = ("position", "contact", "delay_days", "instructions")


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "tier", "team", "negative_only", "owner_rule")
    list_filter = ("active", "owner_rule")
    search_fields = ("name",)
    inlines = [FollowUpStepInline]


@admin.register(FollowUp)
class FollowUpAdmin(ViewOnly, admin.ModelAdmin):
    allow_delete = True
    # Read-only here: outcomes, snoozes and reassignment go through the desk (actions.py),
    # which writes the timeline; the admin is for looking.
    list_display = ("conversation", "customer", "contact", "owner", "due_at", "status", "outcome")
    list_filter = ("status", "contact", "outcome")
    raw_id_fields = ("conversation", "customer", "owner", "done_by", "new_conversation", "step")
