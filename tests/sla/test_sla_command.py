import pytest
from django.core.management import CommandError, call_command

from everydesk.sla.models import ConversationSla, SlaPolicy
from tests.sla.conftest import clock_of


def test_backfill_starts_clocks_for_open_conversations_that_have_none(
    around_the_clock, open_case, customer, capsys
):
    conversation = open_case(customer)
    # As after an upgrade or a bulk load: the conversation exists, its clock does not.
    ConversationSla.objects.filter(conversation=conversation).delete()

    call_command("sla", "--backfill")

    clock = clock_of(conversation)
    assert clock.policy == around_the_clock
    assert clock.first_response_due_at is not None
    assert "Started 1 SLA clock" in capsys.readouterr().out


def test_backfill_twice_starts_nothing_more(around_the_clock, open_case, customer, capsys):
    open_case(customer)
    call_command("sla", "--backfill")
    assert "Started 0 SLA clock" in capsys.readouterr().out
    assert ConversationSla.objects.count() == 1


def test_without_the_flag_it_says_what_to_do(db):
    assert not SlaPolicy.objects.exists()
    with pytest.raises(CommandError, match="--backfill"):
        call_command("sla")
