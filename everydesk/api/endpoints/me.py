"""Who the token belongs to: a cheap way for an integration to check its credentials."""

from django.http import HttpRequest
from ninja import Router

from everydesk.accounts.models import User
from everydesk.api.auth import caller
from everydesk.api.schemas.errors import errors
from everydesk.api.schemas.users import UserOut

router = Router(tags=["me"])


@router.get("", response={200: UserOut, **errors(401)})
def get_me(request: HttpRequest) -> User:
    """The person this token acts as."""
    return caller(request)
