"""The createtoken command prints only a working raw token."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from everydesk.accounts.models import ApiToken


def run(**options):
    out = StringIO()
    call_command("createtoken", stdout=out, **options)
    return out.getvalue()


def test_prints_only_the_raw_token(agent):
    output = run(email="ALICE@staff.test", name="benchmarks")
    raw = output.strip()
    assert output == raw + "\n"
    token = ApiToken.objects.matching(raw).get()
    assert (token.user, token.name) == (agent, "benchmarks")


def test_unknown_address_is_an_error(db):
    with pytest.raises(CommandError, match="No user has the address"):
        run(email="ghost@example.com", name="x")
    assert not ApiToken.objects.exists()


def test_deactivated_user_gets_no_token(agent):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="deactivated"):
        run(email=agent.email, name="x")


def test_empty_name_is_an_error(agent):
    with pytest.raises(CommandError, match="--name"):
        run(email=agent.email, name="  ")
