"""Approval of a confirmed match: who decides, the steps of the chain, and when to remind,
escalate or give up. Pure rules; the service does the routing and the messages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from klussenbank.domain.working_days import WorkingCalendar

MAX_REASON = 500


class ApprovalStatus(StrEnum):
    """pending -> approved / declined / expired (no decision in time) / cancelled (the klus was)."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class ApprovalStep(StrEnum):
    MANAGER = "manager"  # the candidate's line manager (or the HR approver standing in for them)
    HR = "hr"  # the HR approver of the candidate's organisation, after the manager


class ApprovalChain(StrEnum):
    """Per organisation: whose yes a match needs."""

    MANAGER = "manager"
    MANAGER_THEN_HR = "manager_then_hr"
    # HR too, but only when the klus belongs to another organisation than the candidate's.
    MANAGER_THEN_HR_ACROSS = "manager_then_hr_across"


@dataclass(frozen=True)
class ApprovalPolicy:
    """How an organisation approves; the times are in its working days (`WorkingCalendar`)."""

    chain: ApprovalChain = ApprovalChain.MANAGER
    hr_approvers: tuple[str, ...] = ()  # Entra object ids or e-mail addresses, first reachable first
    remind_after: int = 3
    escalate_after: int = 5
    expire_after: int = 10

    def __post_init__(self) -> None:
        if not 0 < self.remind_after <= self.escalate_after <= self.expire_after:
            raise ValueError(
                "approval times must satisfy 0 < remind_after <= escalate_after <= expire_after "
                f"(got {self.remind_after}, {self.escalate_after}, {self.expire_after})"
            )

    def needs_hr(self, *, across: bool) -> bool:
        return self.chain is ApprovalChain.MANAGER_THEN_HR or (
            self.chain is ApprovalChain.MANAGER_THEN_HR_ACROSS and across
        )


@dataclass(frozen=True)
class Approval:
    id: int
    klus_id: int
    candidate_id: str
    poster_id: str
    organisation_key: str  # the candidate's: its policy applies
    across: bool  # the klus belongs to another organisation
    share_motivation: bool
    step: ApprovalStep
    approver_id: str | None  # None: nobody could be found, HR must pick it up
    status: ApprovalStatus
    created_at: datetime
    step_started_at: datetime
    delegated_by: str | None = None  # the approver who forwarded it to the current one
    reminded: bool = False
    escalations: int = 0
    reason: str = ""  # why it was declined
    decided_by: str | None = None
    decided_at: datetime | None = None
    completed_at: datetime | None = None  # an approved match whose work has ended

    @property
    def pending(self) -> bool:
        return self.status is ApprovalStatus.PENDING

    def may_decide(self, person_id: str) -> bool:
        """The designated approver, or the one who forwarded it to them, while it is pending."""
        return self.pending and person_id in (self.approver_id, self.delegated_by)

    def routed_to(
        self, approver_id: str | None, now: datetime, *, step: ApprovalStep | None = None
    ) -> Approval:
        """A new approver for this or the next step: the clock for reminders starts again."""
        return replace(
            self,
            approver_id=approver_id,
            step=step or self.step,
            step_started_at=now,
            delegated_by=None,
            reminded=False,
        )

    def forwarded(self, delegate_id: str, by: str, now: datetime) -> Approval:
        return replace(self.routed_to(delegate_id, now), delegated_by=by)

    def decided(self, status: ApprovalStatus, by: str | None, now: datetime, reason: str = "") -> Approval:
        return replace(self, status=status, decided_by=by, decided_at=now, reason=reason)


class EventKind(StrEnum):
    ROUTED = "routed"  # sent to an approver (the first, or the next step's)
    FALLBACK = "fallback"  # the manager could not be reached: sent to HR instead
    FORWARDED = "forwarded"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    APPROVED = "approved"  # one step said yes (the last one approves the match)
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class ApprovalEvent:
    kind: EventKind
    at: datetime
    actor_id: str | None = None  # who did it; None for the bot's own doing
    approver_id: str | None = None  # who has it now


class Due(StrEnum):
    REMIND = "remind"
    ESCALATE = "escalate"
    EXPIRE = "expire"


def expires_on(approval: Approval, policy: ApprovalPolicy, calendar: WorkingCalendar) -> date:
    """The day a pending approval expires: `expire_after` working days after it started."""
    return calendar.add_working_days(approval.created_at.date(), policy.expire_after)


def due(approval: Approval, policy: ApprovalPolicy, calendar: WorkingCalendar, today: date) -> Due | None:
    """What a pending approval needs today: expiry counts from the start, the rest per approver."""
    if not approval.pending:
        return None
    if calendar.working_days_between(approval.created_at.date(), today) >= policy.expire_after:
        return Due.EXPIRE
    waited = calendar.working_days_between(approval.step_started_at.date(), today)
    if approval.approver_id is not None and waited >= policy.escalate_after:
        return Due.ESCALATE
    if approval.approver_id is not None and not approval.reminded and waited >= policy.remind_after:
        return Due.REMIND
    return None
