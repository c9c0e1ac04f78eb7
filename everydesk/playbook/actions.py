"""Every write to the playbook ledger: take an action, approve or deny a request, and
record what the company's other system reported back.

Like conversations/actions.py: keyword-only functions, one transaction each, a
timeline event, and the webhook queued only after commit.
"""

from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from everydesk.accounts.models import Role, User
from everydesk.conversations import access, events
from everydesk.conversations import actions as conversation_actions
from everydesk.conversations.models import Conversation
from everydesk.customers.models import Tier
from everydesk.customers.tiers import assign_tier
from everydesk.lib.errors import ActionError
from everydesk.notifications.actions import notify
from everydesk.playbook import fields, policies
from everydesk.playbook.builtins import TIER_UPGRADE
from everydesk.playbook.models import ActionStatus, ActionType, Outcome, TakenAction
from everydesk.webhooks.actions import queue_event

TAKEN_EVENT = "playbook.action.taken"
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")


def describe(action: TakenAction) -> str:
    """ "Refund of 25.00 EUR", or the type's name for types without an amount."""
    name = action.action_type.name
    if not action.action_type.has_amount:
        return name
    return f"{name} of {action.amount} {action.currency}"


def check_amount(action_type: ActionType, amount: Any) -> Decimal:
    if not action_type.has_amount:
        return Decimal("0")
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ActionError("Enter the amount as a number, e.g. 25.00.", field="amount") from None
    if not value.is_finite() or value <= 0 or value > MAX_AMOUNT:
        raise ActionError("The amount must be more than zero.", field="amount")
    if value != value.quantize(CENT, rounding=ROUND_DOWN):
        raise ActionError("Use at most two decimals for the amount.", field="amount")
    return value.quantize(CENT)


def take_action(
    *,
    conversation: Conversation,
    actor: User,
    action_type: ActionType,
    amount: Any = None,
    values: dict[str, Any] | None = None,
    message: str = "",
) -> TakenAction:
    """Do it now if it is within the actor's limits; otherwise ask those who may grant it."""
    if conversation.merged_into_id:
        raise ActionError(
            f"This conversation was merged into #{conversation.merged_into_id}; work there.",
            code="conflict",
        )
    customer = conversation.customer
    allowance = policies.allowance(actor, customer, action_type) if action_type.is_active else None
    if allowance is None:
        raise ActionError(f"You may not take “{action_type}” for this customer.", code="forbidden")
    value = check_amount(action_type, amount)
    cleaned = fields.clean_values(action_type.fields, values or {})
    per_action = allowance.per_action
    with transaction.atomic():
        # The budget first, so the row goes in once with its final status.
        within = per_action is None or value <= per_action
        budget = policies.reserve(actor, allowance, value) if within else None
        action = TakenAction.objects.create(
            action_type=action_type,
            conversation=conversation,
            customer=customer,
            actor=actor,
            team=actor.teams.order_by("name").first(),
            amount=value,
            values=cleaned,
            message=(message or "").strip(),
            status=ActionStatus.DONE if budget else ActionStatus.AWAITING_APPROVAL,
            budget=budget,
        )
        if budget is None:
            _ask_for_approval(action)
        else:
            _carry_out(action, approver=None)
    return action


def _carry_out(action: TakenAction, *, approver: User | None) -> None:
    """The action (already marked done) happens: built-in effect, timeline, reply, webhook."""
    if action.action_type.slug == TIER_UPGRADE:
        tier = Tier.objects.get(slug=action.values["tier"])
        reason = action.values.get("reason") or f"Playbook action #{action.pk}"
        assign_tier(
            customer=action.customer, tier=tier, actor=approver or action.actor, reason=reason
        )
    events.action_taken(
        action.conversation,
        action.actor,
        action=action.pk,
        label=describe(action),
        approved_by=approver.display_name if approver else "",
    )
    if action.message:
        # From the person who took it: the customer has been talking to them.
        conversation_actions.add_reply(
            conversation=action.conversation, author=action.actor, body=action.message
        )
    payload = webhook_payload(action)
    transaction.on_commit(lambda: _queue_webhook(action.pk, payload))


def _queue_webhook(action_id: int, payload: dict[str, Any]) -> None:
    queue_event(event=TAKEN_EVENT, payload=payload, idempotency_key=f"playbook-action-{action_id}")


def webhook_payload(action: TakenAction) -> dict[str, Any]:
    """What the other systems receive; they answer with POST /api/v1/actions/{id}/outcome."""
    return {
        "id": action.pk,
        "type": action.action_type.slug,
        "amount": str(action.amount) if action.action_type.has_amount else None,
        "currency": action.currency,
        "values": action.values,
        "conversation_id": action.conversation_id,
        "customer": {"id": action.customer_id, "email": action.customer.email},
        "taken_by": action.actor.email,
        "approved_by": action.decided_by.email if action.decided_by else None,
        "created_at": action.created_at.isoformat(),
    }


def _ask_for_approval(action: TakenAction) -> None:
    events.action_requested(
        action.conversation, action.actor, action=action.pk, label=describe(action)
    )
    people = [
        person
        for person in _who_see(
            policies.approvers(action.action_type, action.customer, action.amount),
            action.conversation,
        )
        if person.pk != action.actor_id
    ]
    notify(
        users=people,
        kind="approval_requested",
        title=f"{action.actor.display_name} asks to approve: {describe(action)}",
        url=reverse("playbook:approvals"),
        body=f"On #{action.conversation_id} “{action.conversation.subject}”.",
        email=True,
    )


def _who_see(people: list[User], conversation: Conversation) -> list[User]:
    """Those of `people` who can open the conversation, so nobody is asked to decide on
    something they may not read. Asks `access` (one query per person: approvers are few)."""
    return [
        person
        for person in people
        if access.visible_conversations(person).filter(pk=conversation.pk).exists()
    ]


def _decide(action: TakenAction, actor: User, status: ActionStatus, reason: str) -> TakenAction:
    """Move a waiting request to `status`; a conditional UPDATE, so it is decided once."""
    now = timezone.now()
    moved = TakenAction.objects.filter(pk=action.pk, status=ActionStatus.AWAITING_APPROVAL).update(
        status=status, decided_by=actor, decided_at=now, decision_reason=reason
    )
    if not moved:
        raise ActionError("This request has already been decided.", code="conflict")
    action.status, action.decided_by, action.decided_at = status, actor, now
    action.decision_reason = reason
    return action


def _refuse_own(action: TakenAction, actor: User) -> None:
    if actor.pk == action.actor_id:
        raise ActionError("Someone else must decide on your own request.", code="forbidden")


@transaction.atomic
def approve(*, action: TakenAction, actor: User) -> TakenAction:
    """The approver grants it from their own limits: it counts against their budget."""
    _refuse_own(action, actor)
    if not policies.may_decide(actor, action.action_type, action.customer, action.amount):
        raise ActionError(
            f"Approving “{describe(action)}” is beyond your own limit.", code="forbidden"
        )
    action = _decide(action, actor, ActionStatus.DONE, "")
    allowance = policies.allowance(actor, action.customer, action.action_type)
    if allowance is not None:
        budget = policies.reserve(actor, allowance, action.amount)
        if budget is None and actor.role != Role.ADMIN:
            raise ActionError(
                "Approving this would pass what is left of your own budget for the period.",
                code="forbidden",
            )
        if budget is not None:
            action.budget = budget
            action.save(update_fields=["budget"])
    _carry_out(action, approver=actor)
    _tell_requester(action, f"Approved: {describe(action)}")
    return action


@transaction.atomic
def deny(*, action: TakenAction, actor: User, reason: str) -> TakenAction:
    reason = (reason or "").strip()
    if not reason:
        raise ActionError("Say why, so the requester can tell the customer.", field="reason")
    _refuse_own(action, actor)
    if not policies.may_decide(actor, action.action_type, action.customer, action.amount):
        raise ActionError("Only someone who could approve this may deny it.", code="forbidden")
    action = _decide(action, actor, ActionStatus.DENIED, reason)
    events.action_denied(
        action.conversation, actor, action=action.pk, label=describe(action), reason=reason
    )
    _tell_requester(action, f"Denied: {describe(action)}", body=reason)
    return action


def _tell_requester(action: TakenAction, title: str, body: str = "") -> None:
    notify(
        users=[action.actor],
        kind="approval_decided",
        title=f"{title} (by {action.decided_by.display_name if action.decided_by else '?'})",
        url=reverse("desk:conversation", args=[action.conversation_id]),
        body=body,
        email=True,
    )


@transaction.atomic
def report_outcome(
    *, action: TakenAction, reporter: User, outcome: str, reference: str = "", message: str = ""
) -> TakenAction:
    """The other system says it completed or failed. A failure gives the budget back.

    Sending the same report again (a retry) changes nothing; a different one is refused.
    """
    if outcome not in Outcome.values:
        raise ActionError(f"Use one of {', '.join(Outcome.values)}.", field="outcome")
    reference, message = reference.strip()[:200], message.strip()
    locked = TakenAction.objects.select_for_update().get(pk=action.pk)
    if locked.outcome:
        if (locked.outcome, locked.outcome_reference) == (outcome, reference):
            return locked
        raise ActionError("An outcome was already reported for this action.", code="conflict")
    if locked.status != ActionStatus.DONE:
        raise ActionError("Only an action that was carried out has an outcome.", code="conflict")
    now = timezone.now()
    fields_to_save = ["outcome", "outcome_reference", "outcome_message", "outcome_at"]
    if outcome == Outcome.FAILED:
        locked.status = ActionStatus.FAILED
        fields_to_save.append("status")
        if locked.budget_id:
            policies.release(locked.budget_id, locked.action_type, locked.amount)
    locked.outcome, locked.outcome_reference, locked.outcome_message = outcome, reference, message
    locked.outcome_at = now
    locked.save(update_fields=fields_to_save)
    note = " ".join(part for part in (reference and f"ref. {reference}", message) if part)
    events.action_outcome(
        locked.conversation,
        reporter,
        action=locked.pk,
        label=describe(locked),
        outcome=outcome,
        note=note,
    )
    if outcome == Outcome.FAILED:
        notify(
            users=[locked.actor],
            kind="action_failed",
            title=f"{describe(locked)} failed",
            url=reverse("desk:conversation", args=[locked.conversation_id]),
            body=message,
        )
    return locked
