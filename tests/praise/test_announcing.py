"""Telling people happens once per praise item, even when a job is lost or runs twice."""

from everydesk.notifications.models import Notification
from everydesk.praise import announcing, tasks
from everydesk.praise.models import MatchedBy, Praise
from tests.praise.conftest import praise_voice


def _untold(employee, quote="Priya was brilliant.") -> Praise:
    # As record_praise leaves it when the process dies before its on-commit job runs.
    return Praise.objects.create(
        voice=praise_voice(quote), employee=employee, matched_by=MatchedBy.FIRST_NAME, quote=quote
    )


def test_praise_a_lost_job_left_untold_is_told_by_the_sweep(priya, boss):
    praise = _untold(priya)

    tasks.sweep_untold.call_local()

    praise.refresh_from_db()
    assert praise.announced_at is not None
    assert set(Notification.objects.values_list("user_id", flat=True)) == {priya.pk, boss.pk}


def test_announcing_twice_tells_nobody_twice(priya, boss):
    praise = _untold(priya)

    tasks.announce_praise.call_local([praise.voice_id])
    tasks.announce_praise.call_local([praise.voice_id])
    announcing.sweep()

    assert Notification.objects.filter(user=priya).count() == 1
    assert Notification.objects.filter(user=boss).count() == 1


def test_someone_without_a_manager_is_told_alone(db):
    from tests.praise.conftest import make_staff

    loner = make_staff("Ingrid", "Solberg")
    _untold(loner, "Ingrid was great.")

    announcing.sweep()

    assert list(Notification.objects.values_list("user_id", flat=True)) == [loner.pk]


def test_an_inactive_manager_is_not_told(priya, boss):
    boss.is_active = False
    boss.save(update_fields=["is_active"])
    _untold(priya)

    announcing.sweep()

    assert list(Notification.objects.values_list("user_id", flat=True)) == [priya.pk]
