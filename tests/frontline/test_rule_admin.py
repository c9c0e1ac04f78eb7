"""Admins set the rule up in Django admin and start a build from there."""

from everydesk.frontline.models import RotationBuild, RotationRule, Shift


def _form(**changes):
    data = {
        "name": "Quarterly",
        "active": "on",
        "hours_per_quarter": 4,
        "shift_minutes": 120,
        "roles": "[]",
        "departments": "[]",
        "time_zone": "Europe/Berlin",
        "service_days": "[0, 1, 2, 3, 4]",
        "service_start": "09:00",
        "service_end": "17:00",
        "min_per_slot": 1,
        "max_per_slot": "",
        "holidays": "",
    }
    return {**data, **changes}


def test_admin_creates_a_rule(client, admin):
    client.force_login(admin)

    response = client.post("/admin/frontline/rotationrule/add/", _form())

    assert response.status_code == 302
    assert RotationRule.objects.get().time_zone == "Europe/Berlin"


def test_bad_rules_are_refused_with_messages(client, admin):
    client.force_login(admin)
    bad = _form(
        time_zone="Mars/Olympus",
        roles='["customer"]',
        service_days="[7]",
        service_end="08:00",
        min_per_slot=3,
        max_per_slot=2,
    )

    response = client.post("/admin/frontline/rotationrule/add/", bad)

    errors = response.context["adminform"].form.errors
    assert set(errors) == {"time_zone", "roles", "service_days", "service_end", "max_per_slot"}
    assert not RotationRule.objects.exists()


def test_the_build_action_builds_next_quarter_in_the_background(
    client, admin, rule, make_staff, django_capture_on_commit_callbacks
):
    make_staff(2)
    client.force_login(admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/frontline/rotationrule/",
            {"action": "build_next_quarter", "_selected_action": [rule.pk]},
            follow=True,
        )

    assert response.status_code == 200
    build = RotationBuild.objects.get()
    # The two new staff and the admin herself: everyone serves.
    assert build.rule == rule and build.people == 3 and build.placed == 6
    assert Shift.objects.filter(rule=rule).count() == 6


def test_availability_windows_and_days_off_that_end_before_they_start_are_refused(
    client, admin, employee
):
    client.force_login(admin)

    window = client.post(
        "/admin/frontline/availabilitywindow/add/",
        {"user": employee.pk, "weekday": 2, "starts": "15:00", "ends": "09:00"},
    )
    leave = client.post(
        "/admin/frontline/timeoff/add/",
        {"user": employee.pk, "first_day": "2031-02-10", "last_day": "2031-02-01"},
    )
    night = client.post(
        "/admin/frontline/availabilitywindow/add/",
        {"user": employee.pk, "weekday": 2, "starts": "18:00", "ends": "00:00"},
    )

    assert "The window must end after it starts." in window.content.decode()
    assert "The last day comes before the first." in leave.content.decode()
    assert night.status_code == 302  # until midnight
    assert employee.availability.count() == 1 and not employee.time_off.exists()
