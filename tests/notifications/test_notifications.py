from django.core import mail
from django.urls import reverse

from everydesk.notifications.actions import mark_read, notify, unread_count
from everydesk.notifications.models import Notification


def test_each_person_is_told_once(agent, manager):
    notify(users=[agent, manager, agent], kind="test", title="Hello")
    assert Notification.objects.filter(user=agent).count() == 1
    assert unread_count(manager) == 1


def test_inactive_people_are_not_told(agent):
    agent.is_active = False
    agent.save(update_fields=["is_active"])
    assert notify(users=[agent], kind="test", title="Hello") == []


def test_email_goes_out_after_commit(agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[agent], kind="test", title="SLA about to break", url="/desk/c/1/", email=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [agent.email]
    assert "SLA about to break" in mail.outbox[0].subject
    assert "/desk/c/1/" in mail.outbox[0].body


def test_bell_shows_only_my_unread_count(client, agent, manager):
    notify(users=[agent], kind="test", title="One")
    notify(users=[agent], kind="test", title="Two")
    notify(users=[manager], kind="test", title="Not yours")
    client.force_login(agent)
    response = client.get(reverse("notifications:badge"))
    assert ">2<" in response.content.decode()
    page = client.get(reverse("notifications:list")).content.decode()
    assert "One" in page and "Two" in page and "Not yours" not in page


def test_marking_read_touches_only_my_rows(client, agent, manager):
    notify(users=[agent, manager], kind="test", title="Both")
    client.force_login(agent)
    client.post(reverse("notifications:read"))
    assert unread_count(agent) == 0
    assert unread_count(manager) == 1
    assert mark_read(user=manager, ids=[]) == 0


def test_customers_and_strangers_have_no_bell(client, customer):
    assert client.get(reverse("notifications:list")).status_code == 302
    client.force_login(customer.user)
    assert client.get(reverse("notifications:badge")).status_code == 404
