"""PATCH bodies: a field left out is unchanged, and null is only for fields that can be empty."""

from typing import TypeVar

T = TypeVar("T")


def not_null(value: T | None) -> T:
    """For fields that are optional to send but cannot be emptied."""
    if value is None:
        raise ValueError("This field cannot be null; leave it out to keep it as it is.")
    return value
