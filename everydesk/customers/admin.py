"""Django admin for tiers (with their benefits and rules) and a read-only view of orders.

Registered here, before desk/admin.py, so tiers get their rules inline. Changing a
rule queues a run of the rules over every customer, after the change commits.
"""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from everydesk.customers.models import Order, Tier, TierRule
from everydesk.lib.readonly_admin import ViewOnly


def _rules_changed() -> None:
    from everydesk.customers import tasks

    transaction.on_commit(tasks.apply_tier_rules)


class TierRuleInline(admin.TabularInline):
    model = TierRule
    extra = 0
    fields = ["metric", "threshold", "active"]


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "rank", "priority_boost", "owner"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "rank", "description", "priority_boost", "owner", "flags"]
    inlines = [TierRuleInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if any(formset.has_changed() for formset in formsets):
            _rules_changed()


@admin.register(TierRule)
class TierRuleAdmin(admin.ModelAdmin):
    list_display = ["tier", "metric", "threshold", "active"]
    list_filter = ["tier", "metric", "active"]
    list_select_related = ["tier"]

    def save_model(self, request: HttpRequest, obj: TierRule, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _rules_changed()

    def delete_model(self, request: HttpRequest, obj: TierRule) -> None:
        super().delete_model(request, obj)
        _rules_changed()


@admin.register(Order)
class OrderAdmin(ViewOnly, admin.ModelAdmin):
    """Read-only: orders change through the import, which keeps the customer figures right."""

    list_display = ["number", "customer", "placed_at", "amount", "currency"]
    search_fields = ["number", "customer__email"]
    list_select_related = ["customer"]
    date_hierarchy = "placed_at"
