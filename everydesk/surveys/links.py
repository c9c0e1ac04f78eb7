"""Signed links in survey emails: one to answer a survey, one to stop all surveys.

A token is django.core.signing over the survey's id and its customer's id, with a
salt per purpose and the time it was made: changing any part breaks the signature,
so a token for one survey cannot be turned into one for another, and the opt-out
token cannot answer anything. The rating in the URL (`?score=4`) is not signed: it
only preselects the answer on the confirm page, and the customer may change it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from everydesk.customers.models import Customer
from everydesk.surveys.models import Survey

ANSWER_SALT = "everydesk.surveys.answer"
OPT_OUT_SALT = "everydesk.surveys.opt-out"
DAY = 24 * 60 * 60


class BadLink(Exception):
    """The token was not made by us, or names something else."""


class ExpiredLink(Exception):
    """A token we made, older than EVERYDESK_SURVEY_LINK_DAYS."""


@dataclass(frozen=True)
class Signed:
    survey_id: int
    customer_id: int


def answer_token(survey: Survey) -> str:
    return signing.dumps([survey.pk, survey.customer_id], salt=ANSWER_SALT, compress=False)


def opt_out_token(customer: Customer) -> str:
    return signing.dumps([customer.pk], salt=OPT_OUT_SALT, compress=False)


def _load(token: str, salt: str) -> list[int]:
    try:
        value = signing.loads(token, salt=salt, max_age=settings.SURVEY_LINK_DAYS * DAY)
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise BadLink from None
    if not isinstance(value, list) or not all(isinstance(part, int) for part in value):
        raise BadLink
    return value


def read_answer_token(token: str) -> Signed:
    value = _load(token, ANSWER_SALT)
    if len(value) != 2:
        raise BadLink
    return Signed(survey_id=value[0], customer_id=value[1])


def read_opt_out_token(token: str) -> int:
    value = _load(token, OPT_OUT_SALT)
    if len(value) != 1:
        raise BadLink
    return value[0]


def answer_url(survey: Survey, score: int | None = None) -> str:
    url = settings.BASE_URL + reverse("surveys:answer", args=[answer_token(survey)])
    return url if score is None else f"{url}?score={score}"


def opt_out_url(customer: Customer) -> str:
    return settings.BASE_URL + reverse("surveys:opt_out", args=[opt_out_token(customer)])
