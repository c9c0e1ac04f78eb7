import pytest

from everydesk.mail.models import Mailbox


@pytest.fixture
def mailbox(db, billing) -> Mailbox:
    """support@acme.test feeds the Billing team and acknowledges new conversations."""
    return Mailbox.objects.create(
        name="Support", address="support@acme.test", team=billing, acknowledge=True
    )
