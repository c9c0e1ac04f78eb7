from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from everydesk.conversations import actions
from everydesk.conversations.models import Priority, Status
from everydesk.customers.models import Organisation


def page(conversation) -> str:
    return reverse("desk:conversation", args=[conversation.pk])


def test_anonymous_visitor_is_sent_to_sign_in(client, conversation):
    response = client.get(page(conversation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_customer_cannot_open_even_their_own_conversation_in_the_desk(
    signed_in, customer, conversation
):
    assert signed_in(customer.user).get(page(conversation)).status_code == 404


def test_agent_sees_the_customer_message(signed_in, agent, conversation):
    response = signed_in(agent).get(page(conversation))
    assert response.status_code == 200
    html = response.content.decode()
    assert "My parcel arrived broken" in html
    assert "The box was crushed and the lamp inside is cracked." in html


def test_staff_see_internal_notes_labelled_as_such(signed_in, agent, conversation):
    actions.add_note(conversation=conversation, author=agent, body="Customer is a reseller.")
    html = signed_in(agent).get(page(conversation)).content.decode()
    assert "Customer is a reseller." in html
    assert "Internal note" in html
    assert 'class="msg msg-note"' in html


def test_thread_merges_messages_and_events_in_time_order(signed_in, agent, conversation):
    actions.add_reply(conversation=conversation, author=agent, body="Sorry to hear that!")
    actions.change_priority(conversation=conversation, actor=agent, priority=Priority.HIGH)
    actions.set_tags(conversation=conversation, actor=agent, names=["damaged", "refund"])
    html = signed_in(agent).get(page(conversation)).content.decode()
    order = [
        "The customer opened this conversation via customer portal",
        "The box was crushed",
        "Sorry to hear that!",
        "Alice changed status from New to Open",
        "Alice changed priority from Normal to High",
        "Alice added tags damaged, refund",
    ]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


def test_assignment_and_team_changes_read_as_sentences(
    signed_in, agent, employee, billing, conversation
):
    actions.assign(conversation=conversation, actor=agent, assignee=employee)
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.assign(conversation=conversation, actor=agent, assignee=None)
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    html = signed_in(agent).get(page(conversation)).content.decode()
    assert "Alice assigned this to Eve" in html
    assert "Alice changed team from no team to Billing" in html
    assert "Alice unassigned Eve" in html
    assert "Alice took this conversation" in html and "assigned this to Alice" not in html


def test_customer_text_is_escaped(signed_in, agent, customer, open_for):
    case = open_for(customer, "Script", body="<script>alert(1)</script>\nsecond line")
    html = signed_in(agent).get(page(case)).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>second line" in html


def test_stored_html_is_shown_already_sanitised(signed_in, agent, customer, open_for):
    case = open_for(
        customer, "Html", body="plain", html='<p><b>Bold</b><img src=x onerror="alert(1)"></p>'
    )
    html = signed_in(agent).get(page(case)).content.decode()
    assert "<b>Bold</b>" in html
    assert "onerror" not in html


def test_attachments_are_listed_with_size_and_download_link(signed_in, agent, conversation):
    upload = SimpleUploadedFile("invoice.pdf", b"x" * 2048, content_type="application/pdf")
    message = actions.add_note(
        conversation=conversation, author=agent, body="See file", files=[upload]
    )
    attachment = message.attachments.get()
    html = signed_in(agent).get(page(conversation)).content.decode()
    assert f'href="/files/{attachment.pk}/">invoice.pdf</a>' in html
    assert "2.0\xa0KB" in html


def test_sidebar_shows_the_customer_and_their_other_conversations(
    signed_in, agent, vip, customer, conversation, other_conversation, open_for
):
    customer.phone = "+44 20 7946 0000"
    customer.tier = vip
    customer.organisation = Organisation.objects.create(name="Jones & Co")
    customer.save(update_fields=["phone", "tier", "organisation"])
    earlier = open_for(customer, "Earlier question")
    actions.change_status(conversation=earlier, actor=agent, status=Status.SOLVED)
    html = signed_in(agent).get(page(conversation)).content.decode()
    assert "carol@example.com" in html
    assert "+44 20 7946 0000" in html
    assert "Jones &amp; Co" in html
    assert "VIP" in html
    assert f'href="/desk/c/{earlier.pk}/">Earlier question</a>' in html
    assert "Solved" in html
    assert "Private matter" not in html


def test_merged_conversation_shows_a_banner_to_its_target(
    signed_in, agent, customer, conversation, open_for
):
    target = open_for(customer, "Main case")
    actions.merge(source=conversation, target=target, actor=agent)
    html = signed_in(agent).get(page(conversation)).content.decode()
    assert "This conversation was merged into" in html
    assert f'href="/desk/c/{target.pk}/">#{target.pk}</a>' in html
    # Nothing to work here any more: no reply form.
    assert reverse("desk:reply", args=[conversation.pk]) not in html


def test_employee_outside_the_team_cannot_open_it(signed_in, employee, conversation):
    assert signed_in(employee).get(page(conversation)).status_code == 404


def test_employee_on_the_team_can_open_it_and_see_notes(
    signed_in, employee, agent, billing, conversation
):
    actions.set_team(conversation=conversation, actor=agent, team=billing)
    actions.add_note(conversation=conversation, author=agent, body="Check the courier.")
    html = signed_in(employee).get(page(conversation)).content.decode()
    assert "Check the courier." in html
    assert reverse("desk:reply", args=[conversation.pk]) in html


def test_admin_sees_any_conversation(signed_in, admin, other_conversation):
    assert signed_in(admin).get(page(other_conversation)).status_code == 200


def test_missing_conversation_is_not_found(signed_in, agent):
    assert signed_in(agent).get(reverse("desk:conversation", args=[999999])).status_code == 404


def test_page_query_count_does_not_grow_with_the_thread(
    signed_in,
    agent,
    employee,
    billing,
    customer,
    conversation,
    open_for,
    django_assert_max_num_queries,
):
    for n in range(12):
        actions.add_reply(conversation=conversation, author=agent, body=f"Reply {n}")
        upload = SimpleUploadedFile(f"n{n}.txt", b"x")
        actions.add_note(
            conversation=conversation, author=employee, body=f"Note {n}", files=[upload]
        )
        actions.assign(
            conversation=conversation, actor=agent, assignee=employee if n % 2 else agent
        )
        open_for(customer, f"Other {n}")
    client = signed_in(agent)
    # Session, user, conversation, tags, messages, attachments, deliveries, original
    # emails, events, other conversations, "any macros?", the assignee and team choices,
    # the listening mood and the customer's meaning vectors (possible duplicates).
    with django_assert_max_num_queries(15):
        response = client.get(page(conversation))
    assert response.content.decode().count('class="msg msg-note"') == 12
