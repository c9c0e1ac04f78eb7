"""Due follow-ups appear above the owner's inbox, and only theirs."""

from datetime import timedelta

from django.utils import timezone

from everydesk.recovery.models import Contact, FollowUp


def _make_call_due() -> FollowUp:
    call = FollowUp.objects.get(contact=Contact.CALL)
    FollowUp.objects.filter(pk=call.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    return call


def test_a_due_follow_up_appears_in_its_owners_inbox(client, conversation, agent, policy, solve):
    solve(conversation, agent)
    client.force_login(agent)
    assert "Follow-ups due" not in client.get("/desk/").content.decode()  # not yet due
    call = _make_call_due()
    page = client.get("/desk/").content.decode()
    assert "Follow-ups due" in page
    assert f'href="/desk/follow-ups/{call.pk}/"' in page
    assert "Phone call" in page and "Check-in email" not in page


def test_someone_elses_due_follow_up_stays_out_of_my_inbox(
    client, conversation, agent, manager, policy, solve
):
    solve(conversation, agent)
    _make_call_due()
    client.force_login(manager)
    assert "Follow-ups due" not in client.get("/desk/").content.decode()


def test_the_panel_costs_one_query(
    client, conversation, agent, policy, solve, django_assert_max_num_queries
):
    solve(conversation, agent)
    _make_call_due()
    client.force_login(agent)
    client.get("/desk/")
    # The inbox's own pin is 10 (tests/desk/test_inbox.py); the panel adds one query.
    with django_assert_max_num_queries(11):
        assert client.get("/desk/").status_code == 200
