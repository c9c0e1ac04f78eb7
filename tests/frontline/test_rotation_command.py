"""`everydesk rotation build --quarter ...`: builds, reports who could not be placed,
and a second run adds nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from everydesk.frontline.models import RotationBuild, Shift, TimeOff


def _run(*args: str) -> str:
    out = StringIO()
    call_command("rotation", "build", *args, stdout=out)
    return out.getvalue()


def test_the_command_builds_the_quarter_and_names_who_could_not_be_placed(rule, make_staff):
    people = make_staff(4)
    TimeOff.objects.create(user=people[0], first_day=date(2031, 1, 1), last_day=date(2031, 3, 31))

    out = _run("--quarter", "2031q1", "--seed", "5")

    assert "Everyone 2031Q1: 4 people, 6 shifts placed, 0 kept, 1 could not be placed" in out
    assert f"{people[0].display_name}: 2 short." in out
    assert Shift.objects.count() == 6
    assert RotationBuild.objects.get().seed == 5


def test_running_it_again_keeps_everything_and_adds_nothing(rule, make_staff):
    make_staff(3)
    _run("--quarter", "2031Q1")

    out = _run("--quarter", "2031Q1")

    assert "0 shifts placed, 6 kept" in out
    assert Shift.objects.count() == 6


def test_a_bad_quarter_or_rule_is_refused_with_a_message(rule):
    with pytest.raises(CommandError, match="write it like 2027Q1"):
        _run("--quarter", "next")
    with pytest.raises(CommandError, match="No such rule"):
        _run("--quarter", "2031Q1", "--rule", "Nobody")
    assert not RotationBuild.objects.exists()
