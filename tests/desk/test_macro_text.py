from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Macro


def macro_url(conversation) -> str:
    return reverse("desk:macro_text", args=[conversation.pk])


def make_macro() -> Macro:
    return Macro.objects.create(
        name="Sorry",
        body=(
            "Hi {customer.first_name},\n\nI am {agent.first_name}, sorry about #{conversation.id}."
        ),
    )


def test_macro_is_filled_with_the_customers_first_name(signed_in, agent, conversation):
    macro = make_macro()
    response = signed_in(agent).get(
        macro_url(conversation), {"macro": macro.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith("<textarea") and 'id="reply-body"' in html
    assert f"Hi Carol,\n\nI am Alice, sorry about #{conversation.pk}.</textarea>" in html


def test_macro_text_is_added_after_what_the_agent_typed(signed_in, agent, conversation):
    macro = make_macro()
    response = signed_in(agent).get(
        macro_url(conversation), {"macro": macro.pk, "body": "First line"}
    )
    assert "First line\n\nHi Carol," in response.content.decode()


def test_no_macro_leaves_the_text_as_it_was(signed_in, agent, conversation):
    response = signed_in(agent).get(macro_url(conversation), {"macro": "", "body": "Keep me"})
    assert "Keep me</textarea>" in response.content.decode()


def test_customer_data_in_the_macro_is_escaped(signed_in, agent, customer, open_for):
    customer.name = "<b>Mallory</b> X"
    customer.save(update_fields=["name"])
    case = open_for(customer, "Hi")
    response = signed_in(agent).get(macro_url(case), {"macro": make_macro().pk})
    assert "Hi &lt;b&gt;Mallory&lt;/b&gt;," in response.content.decode()


def test_the_page_offers_the_macro_picker_wired_to_htmx(signed_in, agent, conversation):
    make_macro()
    html = (
        signed_in(agent).get(reverse("desk:conversation", args=[conversation.pk])).content.decode()
    )
    assert f'hx-get="{macro_url(conversation)}"' in html


def test_employee_outside_the_team_cannot_render_macros(signed_in, employee, conversation):
    response = signed_in(employee).get(macro_url(conversation), {"macro": make_macro().pk})
    assert response.status_code == 404


def test_employee_on_the_team_can_render_macros(signed_in, employee, agent, billing, conversation):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    response = signed_in(employee).get(macro_url(conversation), {"macro": make_macro().pk})
    assert "I am Eve" in response.content.decode()
