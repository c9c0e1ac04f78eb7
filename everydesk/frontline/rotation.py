"""Build a quarter's rotation: every included person gets their hours, fairly.

The plan is a greedy fill over numpy arrays, sized for 10,000 people in a few
seconds:

- slots are the rule's service hours cut into shifts (`rules.slots`), future only;
- each person's availability is one boolean mask over those slots (`availability`);
- people are placed most constrained first (fewest slots they can take), ties in
  an order drawn from the seed, so the build is deterministic given a seed;
- a person's k shifts go one into each k-th of the quarter (spread, never two the
  same day), each into the least loaded slot they can take there, with a random
  tie-break: unpopular slots are shared instead of left to whoever comes last;
- whoever cannot be given all their shifts is reported by name with the reason.

Rebuilding a quarter is a top-up: every shift already there (served, swapped or
planned) is kept and counted, and only what is missing is placed. So a second
run adds nothing, and someone who gave a shift away is owed one again.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.db import transaction
from django.utils import timezone

from everydesk.accounts.models import User
from everydesk.frontline import availability, rules
from everydesk.frontline.models import RotationBuild, RotationRule, Shift
from everydesk.frontline.rules import Quarter, Slot
from everydesk.lib import direct_sql

BATCH = 1000
THIN_LISTED = 100


@dataclass
class Plan:
    slots: Sequence[Slot]
    people: int = 0
    kept: int = 0
    # (user, slot index)
    placements: list[tuple[User, int]] = field(default_factory=list)
    unplaced: list[dict[str, object]] = field(default_factory=list)
    load: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))


def build(
    *, rule: RotationRule, quarter: Quarter, seed: int = 0, now: datetime | None = None
) -> RotationBuild:
    """Plan and store the quarter's missing shifts for one rule, in one transaction."""
    with transaction.atomic():
        # One build per rule at a time: a second waits here and then finds the shifts.
        rule = RotationRule.objects.select_for_update().get(pk=rule.pk)
        record = RotationBuild(rule=rule, quarter=str(quarter), seed=seed)
        found = plan(rule=rule, quarter=quarter, seed=seed, now=now)
        store(rule=rule, plan=found, record=record)
    return record


def plan(
    *, rule: RotationRule, quarter: Quarter, seed: int = 0, now: datetime | None = None
) -> Plan:
    """Decide who serves when, without writing anything."""
    now = now or timezone.now()
    slots = [s for s in rules.slots(rule, quarter) if s.starts_at > now]
    people = list(
        rules.included_people(rule)
        .only("id", "email", "first_name", "last_name", "time_zone", "is_active")
        .order_by("pk")
    )
    result = Plan(slots=slots, people=len(people))
    result.load = np.zeros(len(slots), dtype=np.int32)
    if people:
        _Filler(rule, quarter, seed, result).fill(people)
    return result


def store(*, rule: RotationRule, plan: Plan, record: RotationBuild) -> None:
    """Write the plan: the shifts in a few multi-row inserts, then the build record.
    Telling people goes to the queue after commit: 10,000 bells are not the build."""
    slots = plan.slots
    rows = [
        {
            "user_id": user.pk,
            "rule_id": rule.pk,
            "starts_at": slots[i].starts_at,
            "ends_at": slots[i].ends_at,
        }
        for user, i in plan.placements
    ]
    direct_sql.insert_rows(Shift, rows, batch=BATCH)
    thin = [
        {"starts_at": slots[i].starts_at.isoformat(), "people": int(plan.load[i])}
        for i in np.flatnonzero(plan.load < rule.min_per_slot)[:THIN_LISTED]
    ]
    record.people, record.kept, record.placed = plan.people, plan.kept, len(rows)
    record.unplaced, record.thin_slots = plan.unplaced, thin
    record.finished_at = timezone.now()
    record.save()
    placed = sorted({user.pk for user, _ in plan.placements})
    if placed:
        from everydesk.frontline import tasks  # the task module imports this one

        transaction.on_commit(lambda: tasks.tell_planned(placed, record.quarter))


class _Filler:
    """The greedy fill of one plan; holds the arrays it shares between people."""

    def __init__(self, rule: RotationRule, quarter: Quarter, seed: int, plan: Plan):
        self.rule, self.quarter, self.plan = rule, quarter, plan
        self.rng = np.random.default_rng(seed)
        self.needed = rules.shifts_needed(rule)
        slots = plan.slots
        self.masks = availability.SlotMasks(slots)
        days = sorted({s.day for s in slots})
        day_number = {d: n for n, d in enumerate(days)}
        self.day = np.array([day_number[s.day] for s in slots], dtype=np.int32)
        self.starts = np.array([s.starts_at.timestamp() for s in slots])
        self.ends = np.array([s.ends_at.timestamp() for s in slots])
        self.cap = rule.max_per_slot if rule.max_per_slot is not None else np.iinfo(np.int32).max

    def fill(self, people: list[User]) -> None:
        existing = self._existing(people)
        patterns = availability.patterns_of(people)
        first, end = self.quarter.first_day, self.quarter.next.first_day
        off = availability.days_off([p.pk for p in people], first, end)
        masks = {p.pk: self.masks.for_person(patterns[p.pk], off.get(p.pk)) for p in people}
        # Most constrained first; the seed orders people who are equally constrained.
        tie = self.rng.permutation(len(people))
        order = sorted(range(len(people)), key=lambda n: (int(masks[people[n].pk].sum()), tie[n]))
        for n in order:
            person = people[n]
            mine = existing.get(person.pk, [])
            self._place(person, masks[person.pk], mine, patterns[person.pk].time_zone)

    def _existing(self, people: list[User]) -> dict[int, list[tuple[float, float, bool]]]:
        """Shifts already in the quarter by person: kept, counted, loaded onto slots."""
        start, end = self.quarter.bounds(rules.zone_of(self.rule.time_zone))
        ids = {p.pk for p in people}
        index = {s.starts_at: n for n, s in enumerate(self.plan.slots)}
        found: dict[int, list[tuple[float, float, bool]]] = {}
        rows = Shift.objects.filter(starts_at__lt=end, ends_at__gt=start).values_list(
            "user_id", "starts_at", "ends_at", "rule_id"
        )
        for user_id, starts_at, ends_at, rule_id in rows:
            if starts_at in index and rule_id == self.rule.pk:
                self.plan.load[index[starts_at]] += 1
            if user_id in ids:
                ours = rule_id == self.rule.pk
                found.setdefault(user_id, []).append(
                    (starts_at.timestamp(), ends_at.timestamp(), ours)
                )
                self.plan.kept += ours
        return found

    def _place(
        self, person: User, mask: np.ndarray, existing: list[tuple[float, float, bool]], zone: str
    ) -> None:
        missing = self.needed - sum(ours for _, _, ours in existing)
        if missing <= 0:
            return
        free = mask.copy()
        for begins, ends, _ in existing:
            # Not over a shift they already have, nor another the same day.
            overlap = (self.starts < ends) & (self.ends > begins)
            free &= ~np.isin(self.day, self.day[overlap])
        chosen: list[int] = []
        count = len(self.plan.slots)
        bounds = [count * part // missing for part in range(missing + 1)]
        # Shifts kept this many service days apart when possible, so they spread out.
        gap = max(1, int(self.day[-1] + 1) // (2 * self.needed)) if count else 1
        spread = free.copy()
        # One draw per person breaks ties between equally loaded slots.
        noise = self.rng.random(count)
        for part in range(missing):
            slot = self._choose(spread, free, noise, bounds[part], bounds[part + 1])
            if slot is None:
                self._report(person, mask, free, missing - part, zone)
                break
            chosen.append(slot)
            self.plan.load[slot] += 1
            free &= self.day != self.day[slot]
            spread &= np.abs(self.day - self.day[slot]) >= gap
        self.plan.placements.extend((person, slot) for slot in chosen)

    def _choose(
        self, spread: np.ndarray, free: np.ndarray, noise: np.ndarray, low: int, high: int
    ) -> int | None:
        """The least loaded slot: in this part of the quarter and well apart from the
        person's other shifts if possible, else anywhere apart, else any free day."""
        room = self.plan.load < self.cap
        score = self.plan.load + noise
        for allowed, begin, end in (
            (spread, low, high),
            (spread, 0, len(score)),
            (free, 0, len(score)),
        ):
            ranked = np.where(allowed[begin:end] & room[begin:end], score[begin:end], np.inf)
            best = int(np.argmin(ranked)) if ranked.size else 0
            if ranked.size and ranked[best] < np.inf:
                return begin + best
        return None

    def _report(
        self, person: User, mask: np.ndarray, free: np.ndarray, missing: int, zone: str
    ) -> None:
        self.plan.unplaced.append(
            {
                "user": person.pk,
                "name": person.display_name,
                "missing": missing,
                "reason": self._reason(mask, free, zone),
            }
        )

    def _reason(self, mask: np.ndarray, free: np.ndarray, zone: str) -> str:
        if not len(mask):
            return f"No service hours are left in {self.quarter}."
        if not mask.any():
            return (
                f"No {self.rule.shift_minutes}-minute slot in the service hours falls inside "
                f"their availability ({zone}) on a day they work."
            )
        days = len(np.unique(self.day[mask]))
        if days < self.needed:
            return f"Available on only {days} service days this quarter; {self.needed} needed."
        if not (free & (self.plan.load < self.cap)).any() and self.rule.max_per_slot is not None:
            return f"Every slot they can take is full ({self.rule.max_per_slot} people per slot)."
        return "Their free days left no slot apart from shifts they already have."
