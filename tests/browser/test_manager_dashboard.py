"""A manager opens the insights dashboard, narrows it to a team and reads charts and figures."""

from datetime import timedelta

from django.utils import timezone

from everydesk.conversations import actions
from everydesk.conversations.models import Conversation, Kind
from everydesk.insights import rollups


def test_manager_opens_the_dashboard_and_filters_by_team(
    page, sign_in_staff, manager, customer, billing
):
    for n, team in enumerate([billing, billing, None]):
        conversation = actions.open_conversation(
            customer=customer, subject=f"Order {n}", body="Late.", kind=Kind.COMPLAINT, team=team
        )
        moment = timezone.now() - timedelta(days=n)
        Conversation.objects.filter(pk=conversation.pk).update(created_at=moment, updated_at=moment)
    rollups.rebuild()

    sign_in_staff(page, manager)
    page.click("nav >> text=Insights")
    page.wait_for_url("**/desk/insights/")
    opened = page.locator(".insight-card", has_text="Conversations opened")
    assert opened.locator(".value").inner_text() == "3"
    assert page.locator(".insight-charts svg").count() == 4  # with CSAT and NPS (recovery)
    assert page.locator("text=Loyalty and recovery").is_visible()  # no surveys yet: dashes

    page.select_option("select[name=team]", label="Billing")
    page.select_option("select[name=range]", "30")
    page.click(".insight-filters button[type=submit]")
    page.wait_for_url("**team=*")
    assert opened.locator(".value").inner_text() == "2"
    assert "team Billing" in page.locator("h1.insight-period").inner_text()
    assert page.locator(".insight-charts svg").first.is_visible()
