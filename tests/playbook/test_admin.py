"""Admins define custom action types (with their fields) and policies in /admin/."""

import json

from everydesk.playbook.models import ActionPolicy, ActionType


def _type_form(**overrides):
    data = {
        "name": "Goodwill voucher",
        "slug": "goodwill-voucher",
        "description": "",
        "has_amount": "on",
        "fields": json.dumps([{"name": "code", "type": "text", "required": True}]),
        "is_active": "on",
    }
    return {**data, **overrides}


def test_an_admin_defines_a_custom_action_type_with_fields(client, admin):
    client.force_login(admin)
    response = client.post("/admin/playbook/actiontype/add/", _type_form())
    assert response.status_code == 302
    assert ActionType.objects.get(slug="goodwill-voucher").fields[0]["name"] == "code"


def test_badly_described_fields_are_refused_with_a_reason(client, admin):
    client.force_login(admin)
    bad = json.dumps([{"name": "size", "type": "choice"}])
    response = client.post("/admin/playbook/actiontype/add/", _type_form(fields=bad))
    assert response.status_code == 200
    assert "a choice needs a list of options" in response.content.decode()
    assert not ActionType.objects.filter(slug="goodwill-voucher").exists()


def test_an_admin_sets_a_policy_for_roles_and_a_team(client, admin, billing, refund):
    client.force_login(admin)
    response = client.post(
        "/admin/playbook/actionpolicy/add/",
        {
            "action_type": refund.pk,
            "roles": ["agent", "employee"],
            "teams": [billing.pk],
            "limit_per_action": "25",
            "limit_per_period": "100",
            "period": "week",
        },
    )
    assert response.status_code == 302
    policy = ActionPolicy.objects.get()
    assert policy.roles == ["agent", "employee"]
    assert list(policy.teams.all()) == [billing]
