"""`everydesk setupplaybook`: the built-in types, once, leaving admins' edits alone."""

from io import StringIO

from django.core.management import call_command

from everydesk.playbook.models import ActionType


def test_creates_the_six_builtin_types_once_and_keeps_edits(db):
    call_command("setupplaybook", stdout=StringIO())
    ActionType.objects.filter(slug="refund").update(description="Ours")
    out = StringIO()
    call_command("setupplaybook", stdout=out)

    assert ActionType.objects.count() == 6
    assert ActionType.objects.get(slug="refund").description == "Ours"
    assert "Tier upgrade" in out.getvalue()
