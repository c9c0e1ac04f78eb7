"""Admin: action types (with their custom fields) and the policies that say who may take
them. The ledger is read-only here: it changes through the actions, on the record."""

from typing import Any

from django import forms
from django.contrib import admin

from everydesk.accounts.models import STAFF_ROLES, Role
from everydesk.lib.readonly_admin import ViewOnly
from everydesk.playbook import fields
from everydesk.playbook.models import ActionPolicy, ActionType, TakenAction

FIELDS_HELP = (
    'A list of inputs, e.g. [{"name": "order", "label": "Order number", "type": "text", '
    '"required": true}]. Types: ' + ", ".join(fields.TYPES) + '; a choice lists its "options".'
)


class ActionTypeForm(forms.ModelForm):
    class Meta:
        model = ActionType
        fields = ["name", "slug", "description", "has_amount", "fields", "is_active"]
        help_texts = {"fields": FIELDS_HELP}

    def clean_fields(self) -> Any:
        try:
            return fields.check_definitions(self.cleaned_data["fields"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(ActionType)
class ActionTypeAdmin(admin.ModelAdmin):
    form = ActionTypeForm
    list_display = ["name", "slug", "has_amount", "is_active"]
    prepopulated_fields = {"slug": ("name",)}


class PolicyForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=[(role.value, role.label) for role in Role if role in STAFF_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Everyone with these roles; the teams below add their members.",
    )

    class Meta:
        model = ActionPolicy
        fields = [
            "action_type",
            "roles",
            "teams",
            "tiers",
            "limit_per_action",
            "limit_per_period",
            "period",
        ]
        help_texts = {
            "tiers": "Leave empty for every tier.",
            "limit_per_action": "Empty: no limit. Ignored for types without an amount.",
            "limit_per_period": "Per person. Money, or a number of actions for types "
            "without an amount. Empty: no limit.",
        }


@admin.register(ActionPolicy)
class ActionPolicyAdmin(admin.ModelAdmin):
    form = PolicyForm
    list_display = ["action_type", "roles", "limit_per_action", "limit_per_period", "period"]
    list_filter = ["action_type"]
    filter_horizontal = ["teams", "tiers"]


@admin.register(TakenAction)
class TakenActionAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["pk", "action_type", "amount", "actor", "status", "outcome", "created_at"]
    list_filter = ["status", "action_type"]
    list_select_related = ["action_type", "actor"]
