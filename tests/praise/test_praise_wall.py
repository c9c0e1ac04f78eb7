import pytest

from everydesk.praise.models import AuditAction, MatchedBy, Praise, PraiseAudit
from tests.praise.conftest import make_staff, praise_voice


def _praise(employee, quote: str, customer=None) -> Praise:
    voice = praise_voice(quote, customer=customer)
    return Praise.objects.create(
        voice=voice,
        employee=employee,
        matched_by=MatchedBy.FIRST_NAME,
        quote=quote,
        from_name=customer.name.split()[0] if customer else "",
    )


@pytest.mark.parametrize("who", ["admin", "agent", "manager", "employee"])
def test_every_member_of_staff_sees_the_wall(client, request, who, priya, customer):
    _praise(priya, "Priya was wonderful.", customer)
    client.force_login(request.getfixturevalue(who))

    page = client.get("/desk/praise/").content.decode()

    assert "Priya was wonderful." in page
    assert "Priya Natarajan" in page


def test_customers_never_see_the_wall(client, customer, priya):
    _praise(priya, "Priya was wonderful.", customer)
    client.force_login(customer.user)

    assert client.get("/desk/praise/").status_code == 404
    assert client.get("/desk/praise/mine/").status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(client, priya):
    assert client.get("/desk/praise/").status_code == 302


def test_the_wall_shows_a_first_name_never_contact_details(client, agent, priya, customer):
    _praise(priya, "Priya was wonderful.", customer)
    _praise(priya, "Priya again!")
    client.force_login(agent)

    page = client.get("/desk/praise/").content.decode()

    assert "Carol," in page and "A customer," in page
    assert customer.email not in page and "Jones" not in page


def test_the_wall_filters_by_person_and_department(client, agent, priya, db):
    _praise(priya, "Priya was wonderful.")
    billing_person = make_staff("Olumide", "Adeyemi", department="Billing")
    _praise(billing_person, "Olumide fixed my invoice.")
    client.force_login(agent)

    by_person = client.get("/desk/praise/", {"person": priya.pk}).content.decode()
    by_department = client.get("/desk/praise/", {"department": "Billing"}).content.decode()

    assert "Priya was wonderful." in by_person and "Olumide fixed" not in by_person
    assert "Olumide fixed" in by_department and "Priya was wonderful." not in by_department


def test_my_praise_shows_only_mine(client, priya, agent):
    _praise(priya, "Priya was wonderful.")
    _praise(agent, "Alice was great too.")
    client.force_login(priya)

    page = client.get("/desk/praise/mine/").content.decode()

    assert "Priya was wonderful." in page and "Alice was great" not in page


def test_the_wall_costs_the_same_queries_however_long_it_is(
    client, agent, db, django_assert_max_num_queries
):
    for n in range(30):
        _praise(make_staff(f"Person{n}", "Example", department=f"D{n % 3}"), f"Quote {n}")
    client.force_login(agent)

    with django_assert_max_num_queries(8):
        response = client.get("/desk/praise/")

    assert response.content.decode().count("<blockquote>") == 30


def test_a_manager_hides_an_item_with_a_reason_and_it_is_audited(client, manager, priya):
    praise = _praise(priya, "Priya sorted my divorce paperwork refund.")
    client.force_login(manager)

    client.post(f"/desk/praise/{praise.pk}/hide/", {"reason": "Private details"})

    praise.refresh_from_db()
    assert praise.hidden_by == manager and praise.hidden_at is not None
    audit = PraiseAudit.objects.get()
    assert (audit.action, audit.actor, audit.reason) == (
        AuditAction.HIDDEN,
        manager,
        "Private details",
    )
    assert "divorce" not in client.get("/desk/praise/").content.decode()
    assert "divorce" in client.get("/desk/praise/?hidden=1").content.decode()


def test_hiding_needs_a_reason(client, manager, priya):
    praise = _praise(priya, "Priya was great.")
    client.force_login(manager)

    response = client.post(f"/desk/praise/{praise.pk}/hide/", {"reason": "  "}, follow=True)

    assert "Say why" in response.content.decode()
    praise.refresh_from_db()
    assert praise.hidden_at is None and not PraiseAudit.objects.exists()


@pytest.mark.parametrize("who", ["agent", "employee"])
def test_other_staff_cannot_hide(client, request, who, priya):
    praise = _praise(priya, "Priya was great.")
    client.force_login(request.getfixturevalue(who))

    assert client.post(f"/desk/praise/{praise.pk}/hide/", {"reason": "no"}).status_code == 404
    praise.refresh_from_db()
    assert praise.hidden_at is None


def test_a_hidden_item_can_be_shown_again(client, manager, priya):
    praise = _praise(priya, "Priya was great.")
    client.force_login(manager)
    client.post(f"/desk/praise/{praise.pk}/hide/", {"reason": "check with legal"})

    client.post(f"/desk/praise/{praise.pk}/show/")

    praise.refresh_from_db()
    assert praise.hidden_at is None
    assert list(PraiseAudit.objects.order_by("at", "id").values_list("action", flat=True)) == [
        AuditAction.HIDDEN,
        AuditAction.SHOWN,
    ]
