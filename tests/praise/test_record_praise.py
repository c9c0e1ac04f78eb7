"""Praise in freshly scored voices reaches the employees it names or concerns."""

from everydesk.conversations import actions
from everydesk.listening.models import SentimentLabel, VoiceSource
from everydesk.notifications.models import Notification
from everydesk.praise.models import MatchedBy, Praise
from everydesk.praise.recording import record_praise
from tests.praise.conftest import make_staff, praise_voice


def _praised(voice) -> dict[int, str]:
    record_praise([voice])  # people are told after commit: tests/praise/test_announcing.py
    return dict(Praise.objects.filter(voice=voice).values_list("employee_id", "matched_by"))


def test_a_full_name_names_the_employee(priya, customer):
    voice = praise_voice("Many thanks to priya natarajan for sorting my refund!", customer=customer)

    assert _praised(voice) == {priya.pk: MatchedBy.FULL_NAME}


def test_a_distinctive_first_name_names_the_employee(priya, customer):
    voice = praise_voice("Priya was wonderful, thank you.", customer=customer)

    assert _praised(voice) == {priya.pk: MatchedBy.FIRST_NAME}


def test_a_first_name_that_is_an_everyday_word_does_not(db, customer):
    make_staff("Will", "Turner")
    make_staff("Grace", "Hopper")
    voice = praise_voice("I will come back; by the grace of your team it all worked out. Will do!")

    assert _praised(voice) == {}


def test_a_lower_case_first_name_in_a_capitalised_text_is_not_a_name(db):
    make_staff("Rhea", "Lind")
    voice = praise_voice("Great shop. The rhea feather duster I ordered is lovely.")

    assert _praised(voice) == {}


def test_the_customers_own_name_is_not_taken_for_staff(db, customer):
    make_staff("Carol", "Baines")  # the customer is Carol Jones and signs her message
    voice = praise_voice("Thank you all so much! Carol", customer=customer)

    assert _praised(voice) == {}


def test_a_first_name_two_staff_share_names_the_one_on_the_conversation(db, conversation):
    make_staff("Dmitri", "Orlov")
    other = make_staff("Dmitri", "Petrov")
    actions.assign(conversation=conversation, actor=other, assignee=other)
    voice = praise_voice("Dmitri fixed it in minutes.", conversation=conversation)

    assert _praised(voice) == {other.pk: MatchedBy.FIRST_NAME}


def test_praise_naming_nobody_goes_to_the_assignee_and_the_repliers(db, conversation, agent):
    helper = make_staff("Tomasz", "Wolny")
    actions.add_reply(conversation=conversation, author=helper, body="A new lamp is on its way.")
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    actions.add_note(conversation=conversation, author=make_staff("Noor"), body="internal only")
    voice = praise_voice("That was quick, thank you so much!", conversation=conversation)

    assert _praised(voice) == {agent.pk: MatchedBy.ASSIGNEE, helper.pk: MatchedBy.REPLIER}


def test_a_named_employee_takes_it_rather_than_the_assignee(db, conversation, agent, priya):
    actions.assign(conversation=conversation, actor=agent, assignee=agent)
    voice = praise_voice("Priya Natarajan went above and beyond.", conversation=conversation)

    assert _praised(voice) == {priya.pk: MatchedBy.FULL_NAME}


def test_a_positive_review_counts_even_when_its_kind_is_other(priya):
    voice = praise_voice(
        "Five stars. Priya knew exactly what to do.", source=VoiceSource.REVIEW, kind="other"
    )

    assert _praised(voice) == {priya.pk: MatchedBy.FIRST_NAME}


def test_complaints_and_neutral_messages_are_not_praise(priya):
    complaint = praise_voice(
        "Priya never called back.",
        kind="complaint",
        sentiment=-0.6,
        sentiment_label=SentimentLabel.NEGATIVE,
    )
    question = praise_voice("Is Priya in today?", kind="question", sentiment_label="neutral")

    assert _praised(complaint) == {} and _praised(question) == {}


def test_praise_is_recorded_once_however_often_it_is_processed(
    priya, boss, django_capture_on_commit_callbacks
):
    voice = praise_voice("Priya was brilliant.")

    with django_capture_on_commit_callbacks(execute=True):
        record_praise([voice])
    with django_capture_on_commit_callbacks(execute=True):
        record_praise([voice])

    assert Praise.objects.count() == 1
    assert Notification.objects.filter(user=priya).count() == 1
    assert Notification.objects.filter(user=boss).count() == 1


def test_the_employee_and_their_manager_are_told(
    priya, boss, customer, django_capture_on_commit_callbacks
):
    voice = praise_voice("Priya was brilliant, call me on +44 20 7946 0958.", customer=customer)

    with django_capture_on_commit_callbacks(execute=True):
        record_praise([voice])

    mine = Notification.objects.get(user=priya)
    assert mine.kind == "praise" and mine.title == "Carol praised you"
    assert mine.url == "/desk/praise/mine/"
    theirs = Notification.objects.get(user=boss)
    assert "Priya Natarajan" in theirs.title
    assert theirs.url == f"/desk/praise/?person={priya.pk}"
    praise = Praise.objects.get()
    assert "7946" not in praise.quote and "[phone]" in praise.quote
    assert praise.from_name == "Carol"
    assert praise.announced_at is not None


def test_staff_are_emailed_when_the_setting_asks(
    priya, boss, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PRAISE_EMAIL = True
    with django_capture_on_commit_callbacks(execute=True):
        record_praise([praise_voice("Priya was brilliant.")])

    assert sorted(m.to[0] for m in mailoutbox) == sorted([priya.email, boss.email])


def test_a_batch_costs_the_same_queries_however_much_praise_it_holds(
    db, customer, conversation, django_assert_max_num_queries
):
    people = [make_staff(f"Name{chr(97 + n)}x", "Surname") for n in range(20)]
    voices = [praise_voice(f"Thanks {p.first_name}!", customer=customer) for p in people]
    voices.append(praise_voice("Thank you all!", conversation=conversation))

    # the staff list's fingerprint and the list (kept by the process after this first
    # batch), customers' names, replies, assignees, praise already there, the insert
    with django_assert_max_num_queries(7):
        record_praise(voices)

    assert Praise.objects.count() == 20


def test_staff_who_join_are_recognised_in_the_next_batch(db):
    record_praise([praise_voice("Ximena was great.")])  # nobody is called Ximena yet
    ximena = make_staff("Ximena", "Ruiz")

    voice = praise_voice("Ximena was great again.")

    assert _praised(voice) == {ximena.pk: MatchedBy.FIRST_NAME}
