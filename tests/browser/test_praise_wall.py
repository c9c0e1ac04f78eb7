"""An employee is told of praise under the bell, reads it on the wall; a manager hides it."""

from everydesk.praise import announcing
from everydesk.praise.models import MatchedBy, Praise, PraiseAudit
from tests.praise.conftest import praise_voice


def test_praise_reaches_the_employee_and_a_manager_hides_it(
    page, sign_in_staff, employee, manager, customer
):
    employee.manager = manager
    employee.save(update_fields=["manager"])
    voice = praise_voice("Eve was lovely, my flat number is 12B.", customer=customer)
    Praise.objects.create(
        voice=voice,
        employee=employee,
        matched_by=MatchedBy.FIRST_NAME,
        quote=voice.text,
        from_name="Carol",
    )
    announcing.sweep()

    sign_in_staff(page, employee)
    page.click("nav >> text=Notifications")
    page.click("text=Carol praised you")
    page.wait_for_url("**/desk/praise/mine/")
    assert page.locator("blockquote", has_text="Eve was lovely").is_visible()
    page.click("nav >> text=Praise")
    assert page.locator("blockquote", has_text="Eve was lovely").is_visible()
    assert page.locator("text=Hide from the wall").count() == 0  # employees cannot hide

    page.context.clear_cookies()
    sign_in_staff(page, manager)
    page.goto("/desk/praise/")
    page.fill("input[name=reason]", "Shows where the customer lives")
    page.click("text=Hide from the wall")
    page.wait_for_url("**/desk/praise/")
    assert page.locator("text=Hidden from the wall.").is_visible()
    assert page.locator("blockquote", has_text="Eve was lovely").count() == 0
    assert PraiseAudit.objects.get().reason == "Shows where the customer lives"
