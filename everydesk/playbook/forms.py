"""The small form that takes one action: the amount, the type's own fields, a message."""

from decimal import Decimal
from typing import Any

from django import forms

from everydesk.customers.models import Tier
from everydesk.playbook import fields as custom_fields
from everydesk.playbook.models import ActionType

PREFIX = "f_"  # custom field names cannot clash with amount and message


def _form_field(spec: dict[str, Any]) -> forms.Field:
    kind, required, label = (
        spec.get("type", "text"),
        bool(spec.get("required")),
        custom_fields.label(spec),
    )
    if kind == "yes_no":
        return forms.BooleanField(label=label, required=False)
    if kind == "number":
        return forms.DecimalField(label=label, required=required)
    if kind == "choice":
        options = [("", "—")] + [(str(o), str(o)) for o in spec.get("options", [])]
        return forms.ChoiceField(label=label, required=required, choices=options)
    if kind == "tier":
        tiers = [("", "—"), *list(Tier.objects.values_list("slug", "name"))]
        return forms.ChoiceField(label=label, required=required, choices=tiers)
    return forms.CharField(label=label, required=required, max_length=custom_fields.MAX_TEXT)


class TakeActionForm(forms.Form):
    message = forms.CharField(
        label="Message to the customer (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, action_type: ActionType, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action_type = action_type
        extra: dict[str, forms.Field] = {}
        if action_type.has_amount:
            extra["amount"] = forms.DecimalField(
                label="Amount", min_value=Decimal("0.01"), decimal_places=2, max_digits=12
            )
        for spec in action_type.fields:
            extra[PREFIX + spec["name"]] = _form_field(spec)
        # Amount and the type's fields first, the message last.
        self.fields = {**extra, "message": self.fields["message"]}

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name[len(PREFIX) :]: (
                str(value) if value is not None and not isinstance(value, bool) else value
            )
            for name, value in data.items()
            if name.startswith(PREFIX)
        }

    def field_name(self, error_field: str | None) -> str | None:
        """Where an ActionError about `error_field` belongs on this form."""
        for name in (error_field, PREFIX + (error_field or "")):
            if name in self.fields:
                return name
        return None
