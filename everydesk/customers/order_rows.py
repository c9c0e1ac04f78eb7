"""Reading one order as sent (a CSV row or an API object) into checked values.

Both doors hand over plain mappings of strings (or, from the API, JSON values), so
one set of rules decides what a valid order is and every refusal says which row,
which column and why, in words a person fixing a spreadsheet understands.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from everydesk.customers.actions import normalise_email
from everydesk.lib.currencies import DECIMALS, is_currency

COLUMNS = ("number", "email", "name", "placed_at", "amount", "currency", "items")
REQUIRED = ("number", "email", "placed_at", "amount")
# Spellings that spreadsheets and shop exports commonly use for the same columns.
ALIASES = {
    "order": "number",
    "order_number": "number",
    "customer_email": "email",
    "customer_name": "name",
    "date": "placed_at",
    "order_date": "placed_at",
    "total": "amount",
}
MAX_WHOLE_DIGITS = 12  # Order.amount holds 14 digits, 2 of them decimals
# An order "placed" further ahead than this is a typo in the year, not clock skew.
FUTURE_SLACK = dt.timedelta(days=1)
# "SKU x 2" (or with the multiplication sign); a bare SKU is one of it.
_ITEM = re.compile(r"^(?P<sku>\S.*?)(?:\s+[x\u00d7]\s*(?P<quantity>\d+))?$")


@dataclass(frozen=True)
class Problem:
    """Why one row was not imported. `row` is the line in the file (the header is 1),
    or the position in an API batch (the first order is 1)."""

    row: int
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass(frozen=True)
class OrderRow:
    row: int
    number: str
    email: str
    name: str
    placed_at: dt.datetime
    amount: Decimal
    currency: str
    items: list[dict[str, Any]]


class Refused(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


def column_name(header: str) -> str:
    name = header.strip().lower().replace(" ", "_")
    return ALIASES.get(name, name)


def read(row: int, values: Mapping[str, Any]) -> OrderRow | list[Problem]:
    """The checked order, or every problem found in the row (not just the first)."""
    problems: list[Problem] = []
    checked: dict[str, Any] = {}
    for column, check in _CHECKS.items():
        try:
            checked[column] = check(values.get(column))
        except Refused as refusal:
            problems.append(Problem(row, refusal.column, refusal.reason))
    if problems:
        return problems
    try:
        _check_decimals(checked["amount"], checked["currency"])
    except Refused as refusal:
        return [Problem(row, refusal.column, refusal.reason)]
    return OrderRow(row=row, **checked)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _number(value: Any) -> str:
    number = _text(value)
    if not number:
        raise Refused("number", "The order number is missing.")
    if len(number) > 100:
        raise Refused("number", "The order number is longer than 100 characters.")
    return number


def _email(value: Any) -> str:
    email = normalise_email(_text(value))
    if not email:
        raise Refused("email", "The customer's email address is missing.")
    try:
        validate_email(email)
    except ValidationError:
        raise Refused("email", f"{email!r} is not an email address.") from None
    return email


def _name(value: Any) -> str:
    name = _text(value)
    if len(name) > 200:
        raise Refused("name", "The customer's name is longer than 200 characters.")
    return name


def _placed_at(value: Any) -> dt.datetime:
    text = _text(value)
    if not text:
        raise Refused("placed_at", "The order date is missing.")
    placed = _parse_moment(text)
    if placed > timezone.now() + FUTURE_SLACK:
        raise Refused("placed_at", f"{text} is in the future.")
    return placed


def _parse_moment(text: str) -> dt.datetime:
    """A date (midnight in the installation's time zone) or a date and time with an offset."""
    if len(text) == 10:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise Refused("placed_at", f"{text!r} is not a date (use YYYY-MM-DD).") from None
        return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise Refused(
            "placed_at",
            f"{text!r} is not a date or time (use YYYY-MM-DD or 2026-03-01T14:30:00+01:00).",
        ) from None
    if moment.tzinfo is None:
        # Guessing the zone of a bare time would shift orders by hours without a word.
        raise Refused(
            "placed_at", f"{text!r} has no time zone: add one, e.g. {text}Z or {text}+01:00."
        )
    return moment


def _amount(value: Any) -> Decimal:
    text = _text(value)
    if not text:
        raise Refused("amount", "The amount is missing.")
    if "," in text:
        raise Refused(
            "amount", f"{text!r}: write amounts without thousands separators, with a point."
        )
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise Refused("amount", f"{text!r} is not an amount.") from None
    if not amount.is_finite() or amount < 0:
        raise Refused("amount", f"{text!r}: the amount must be zero or more.")
    if amount.adjusted() >= MAX_WHOLE_DIGITS:
        raise Refused("amount", f"{text!r} is too large.")
    return amount


def _currency(value: Any) -> str:
    code = _text(value).upper() or settings.CURRENCY
    if not is_currency(code):
        raise Refused("currency", f"{code!r} is not an ISO 4217 currency code.")
    if code != settings.CURRENCY:
        raise Refused(
            "currency",
            f"Orders in {code} are not accepted: lifetime values are kept in "
            f"{settings.CURRENCY} (EVERYDESK_CURRENCY); convert the amount first.",
        )
    return code


def _check_decimals(amount: Decimal, currency: str) -> None:
    allowed = min(DECIMALS[currency], 2)
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > allowed:
        raise Refused("amount", f"{amount}: {currency} amounts have at most {allowed} decimals.")


def _items(value: Any) -> list[dict[str, Any]]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [_item_from_text(part) for part in value.split(";") if part.strip()]
    if isinstance(value, list):
        return [_item_from_json(entry) for entry in value]
    raise Refused("items", "Items must be a list.")


def _item_from_text(part: str) -> dict[str, Any]:
    found = _ITEM.match(part.strip())
    if found is None:
        raise Refused("items", f"{part.strip()!r}: write items as 'SKU x quantity; SKU x ...'.")
    quantity = int(found["quantity"] or 1)
    return _item(found["sku"], quantity)


def _item_from_json(entry: Any) -> dict[str, Any]:
    if not isinstance(entry, dict) or not isinstance(entry.get("sku"), str):
        raise Refused("items", 'Each item is an object with a "sku" and a "quantity".')
    quantity = entry.get("quantity", 1)
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise Refused("items", f"Item {entry['sku']!r}: the quantity must be a whole number.")
    item = _item(entry["sku"].strip(), quantity)
    if isinstance(entry.get("name"), str) and entry["name"].strip():
        item["name"] = entry["name"].strip()[:200]
    return item


def _item(sku: str, quantity: int) -> dict[str, Any]:
    if not sku or len(sku) > 100:
        raise Refused("items", "Each item needs a SKU of at most 100 characters.")
    if quantity < 1:
        raise Refused("items", f"Item {sku!r}: the quantity must be at least 1.")
    return {"sku": sku, "quantity": quantity}


_CHECKS = {
    "number": _number,
    "email": _email,
    "name": _name,
    "placed_at": _placed_at,
    "amount": _amount,
    "currency": _currency,
    "items": _items,
}
