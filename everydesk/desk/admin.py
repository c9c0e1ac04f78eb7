"""Django admin for what admins set up: macros, tags, teams, organisations,
customers (tiers and their rules: customers/admin.py); conversations are view-only
here, since changes to them belong in the desk where the actions record them on the
timeline."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from everydesk.accounts.models import STAFF_ROLES, Team, User
from everydesk.conversations.actions import MACRO_PLACEHOLDERS
from everydesk.conversations.models import Conversation, Macro, Tag
from everydesk.customers.actions import normalise_email
from everydesk.customers.models import Customer, Organisation
from everydesk.lib.placeholders import unknown_placeholders
from everydesk.lib.readonly_admin import ViewOnly


def _register(model: type[Model], model_admin: type[admin.ModelAdmin]) -> None:
    # Another app may register a model in its own admin.py first; that one wins.
    if not admin.site.is_registered(model):
        admin.site.register(model, model_admin)


class MacroForm(forms.ModelForm):
    class Meta:
        model = Macro
        fields = ["name", "body", "set_status", "add_tags"]
        help_texts = {
            "body": "Placeholders: "
            + ", ".join(f"{{{name}}}" for name in sorted(MACRO_PLACEHOLDERS)),
            "set_status": "Applied when an agent sends this macro; blank leaves status alone.",
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body, set(MACRO_PLACEHOLDERS))
        if unknown:
            names = ", ".join(f"{{{name}}}" for name in unknown)
            raise forms.ValidationError(
                f"Unknown placeholder {names}. Use only the placeholders listed below."
            )
        return body


class MacroAdmin(admin.ModelAdmin):
    form = MacroForm
    list_display = ["name", "set_status", "created_at"]
    search_fields = ["name", "body"]
    filter_horizontal = ["add_tags"]


class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class TeamAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "members":
            kwargs["queryset"] = User.objects.filter(role__in=STAFF_ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]


class CustomerForm(forms.ModelForm):
    class Meta:
        model = Customer
        # Not the tier: it changes on the customer's desk page or by API, with a reason
        # on the audit trail (customers.tiers.assign_tier).
        fields = ["name", "email", "phone", "organisation"]

    def clean_email(self) -> str:
        # Stored lower-cased, as every door looks customers up that way.
        return normalise_email(self.cleaned_data["email"])


class CustomerAdmin(admin.ModelAdmin):
    form = CustomerForm
    list_display = ["__str__", "email", "organisation", "tier", "created_at"]
    list_filter = ["tier"]
    search_fields = ["name", "email"]
    list_select_related = ["organisation", "tier"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["tier", "tier_locked", "tier_reason", "lifetime_value", "order_count"]


class ConversationAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["__str__", "customer", "status", "priority", "assignee", "team", "created_at"]
    list_filter = ["status", "kind", "priority", "channel"]
    search_fields = ["subject", "customer__email"]
    list_select_related = ["customer", "assignee", "team"]
    date_hierarchy = "created_at"


_register(Macro, MacroAdmin)
_register(Tag, TagAdmin)
_register(Team, TeamAdmin)
_register(Organisation, OrganisationAdmin)
_register(Customer, CustomerAdmin)
_register(Conversation, ConversationAdmin)
