"""The extra inputs an action type asks for, and checking what a person filled in.

An action type's `fields` is a list such as
`[{"name": "reason", "label": "Reason", "type": "text", "required": true}]`.
Types: `text`, `number`, `choice` (with `"options": [...]`), `yes_no`, and `tier`
(a customer tier's slug, used by the built-in tier upgrade).
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from everydesk.customers.models import Tier
from everydesk.lib.errors import ActionError

TYPES = ("text", "number", "choice", "yes_no", "tier")
MAX_TEXT = 1000
_YES = {"yes", "true", "1", "on"}
_NO = {"no", "false", "0", "off", ""}


def check_definitions(fields: Any) -> list[dict[str, Any]]:
    """What an admin wrote as an action type's fields, refused with a reason if it is wrong."""
    if not isinstance(fields, list):
        raise ValueError("Fields must be a list of objects.")
    names: set[str] = set()
    for field in fields:
        if not isinstance(field, dict) or not str(field.get("name", "")).isidentifier():
            raise ValueError("Each field needs a name made of letters, digits and _.")
        if field["name"] in names:
            raise ValueError(f"The field name {field['name']!r} is used twice.")
        names.add(field["name"])
        if field.get("type", "text") not in TYPES:
            raise ValueError(
                f"Field {field['name']!r}: the type must be one of {', '.join(TYPES)}."
            )
        options = field.get("options")
        if field.get("type") == "choice" and not (isinstance(options, list) and options):
            raise ValueError(f"Field {field['name']!r}: a choice needs a list of options.")
    return fields


def label(field: dict[str, Any]) -> str:
    return str(field.get("label") or field["name"].replace("_", " ").capitalize())


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _clean(field: dict[str, Any], raw: Any) -> Any:
    kind, name = field.get("type", "text"), label(field)
    if kind == "yes_no":
        text = str(raw).strip().lower()
        if isinstance(raw, bool) or text in _YES | _NO:
            return raw if isinstance(raw, bool) else text in _YES
        raise ActionError(f"{name}: answer yes or no.", field=field["name"])
    if kind == "number":
        try:
            return str(Decimal(str(raw).strip()))
        except InvalidOperation:
            raise ActionError(f"{name}: enter a number.", field=field["name"]) from None
    text = str(raw).strip()
    if kind == "choice" and text not in [str(option) for option in field.get("options", [])]:
        choices = ", ".join(str(option) for option in field.get("options", []))
        raise ActionError(f"{name}: choose one of {choices}.", field=field["name"])
    if kind == "tier" and not Tier.objects.filter(slug=text).exists():
        raise ActionError(f"{name}: there is no tier {text!r}.", field=field["name"])
    return text[:MAX_TEXT]


def clean_values(fields: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """The values to store, typed; unknown names are dropped, missing required ones refused."""
    cleaned: dict[str, Any] = {}
    for field in fields:
        raw = values.get(field["name"])
        if field.get("type") == "yes_no" and raw is None:
            raw = False  # an unticked box is not sent at all
        if _empty(raw):
            if field.get("required"):
                raise ActionError(f"{label(field)} is required.", field=field["name"])
            continue
        cleaned[field["name"]] = _clean(field, raw)
    return cleaned
