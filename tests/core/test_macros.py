from everydesk.conversations import actions
from everydesk.conversations.models import EventType, Macro, Status, Tag


def _macro() -> Macro:
    macro = Macro.objects.create(
        name="Refund issued",
        body="Hi {customer.first_name}, your refund for #{conversation.id} is on its way. "
        "{agent.first_name} {customer.password}",
        set_status=Status.SOLVED,
    )
    macro.add_tags.add(Tag.objects.create(name="refund"))
    return macro


def test_macro_fills_whitelisted_placeholders_and_leaves_others(conversation, agent):
    text = actions.render_macro(conversation=conversation, agent=agent, macro=_macro())
    assert text.startswith(f"Hi Carol, your refund for #{conversation.pk}")
    assert "Alice" in text
    assert "{customer.password}" in text  # unknown names are never resolved


def test_applying_a_macro_replies_sets_status_tags_and_is_audited(conversation, agent):
    actions.apply_macro(conversation=conversation, actor=agent, macro=_macro(), body="Edited.")
    conversation.refresh_from_db()
    assert conversation.messages.last().body_text == "Edited."
    assert conversation.status == Status.SOLVED
    assert list(conversation.tags.values_list("name", flat=True)) == ["refund"]
    assert conversation.events.filter(type=EventType.MACRO_APPLIED, actor=agent).exists()
