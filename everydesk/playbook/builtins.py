"""The action types every company starts with. Installed by `everydesk setupplaybook`
(and the demo); running it again changes nothing an admin has edited."""

from typing import Any

from everydesk.playbook.models import ActionType

TIER_UPGRADE = "tier-upgrade"

_REASON = {"name": "reason", "label": "Reason", "type": "text", "required": True}
_ORDER = {"name": "order", "label": "Order number", "type": "text", "required": False}

BUILTINS: tuple[dict[str, Any], ...] = (
    {
        "slug": "refund",
        "name": "Refund",
        "description": "Money back to the customer's original payment method.",
        "has_amount": True,
        "fields": [_ORDER, _REASON],
    },
    {
        "slug": "credit",
        "name": "Credit",
        "description": "Store credit for the customer's next order.",
        "has_amount": True,
        "fields": [_REASON],
    },
    {
        "slug": "replacement",
        "name": "Replacement",
        "description": "Send the item again at no cost.",
        "has_amount": False,
        "fields": [_ORDER, {"name": "item", "label": "Item", "type": "text", "required": True}],
    },
    {
        "slug": "expedited-shipping",
        "name": "Expedited shipping",
        "description": "Ship the customer's order by the fastest service.",
        "has_amount": False,
        "fields": [{**_ORDER, "required": True}],
    },
    {
        "slug": TIER_UPGRADE,
        "name": "Tier upgrade",
        "description": "Move the customer to a better tier, with its benefits.",
        "has_amount": False,
        "fields": [
            {"name": "tier", "label": "New tier", "type": "tier", "required": True},
            _REASON,
        ],
    },
    {
        "slug": "fee-waiver",
        "name": "Fee waiver",
        "description": "Cancel a fee the customer was charged or is about to be.",
        "has_amount": True,
        "fields": [{"name": "fee", "label": "Which fee", "type": "text", "required": True}],
    },
)


def install_builtins() -> list[ActionType]:
    """Create the built-in types that are missing; return every built-in type."""
    return [
        ActionType.objects.get_or_create(slug=spec["slug"], defaults=spec)[0] for spec in BUILTINS
    ]
