"""Helpers for desk tests: signed-in clients and quick conversations."""

from collections.abc import Callable

import pytest
from django.test import Client

from everydesk.accounts.models import User
from everydesk.conversations import actions
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Customer


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def open_for(db) -> Callable[..., Conversation]:
    """Open a conversation for a customer through the action, as every door does."""

    def make(
        customer: Customer, subject: str = "Question", body: str = "Hello", **kw
    ) -> Conversation:
        return actions.open_conversation(customer=customer, subject=subject, body=body, **kw)

    return make
