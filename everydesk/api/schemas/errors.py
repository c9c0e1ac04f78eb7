"""The one error shape every 4xx and 5xx answer takes."""

from ninja import Schema


class ErrorDetail(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    error: ErrorBody


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation can give, for its OpenAPI description."""
    return dict.fromkeys(statuses, ErrorOut)
