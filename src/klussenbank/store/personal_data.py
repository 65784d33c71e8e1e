"""Everything Klussenbank holds about one person, as they may ask to see it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.store.orm.approvals import ApprovalEventRow, ApprovalRow
from klussenbank.store.orm.growth import PulseRow, SkillConfirmationRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import AvailabilityRow, PersonRow
from klussenbank.store.orm.pools import (
    OnboardingStepRow,
    PoolMemberRow,
    QualificationRow,
    UnavailablePeriodRow,
)
from klussenbank.store.orm.privacy import AccessLogRow
from klussenbank.store.orm.talent import TalentDateRow
from klussenbank.store.orm.work import EvaluationRow, HoursRow
from klussenbank.store.tracks import track_data


async def personal_data(session: AsyncSession, aad_object_id: str) -> dict[str, Any] | None:
    """The person's own data, as plain JSON-ready values; None for someone unknown."""
    person = await session.scalar(select(PersonRow).where(PersonRow.aad_object_id == aad_object_id))
    if person is None:
        return None
    availability = await session.get(AvailabilityRow, person.id)
    interests = await session.execute(
        select(InterestRow, KlusRow.title)
        .join(KlusRow, KlusRow.id == InterestRow.klus_id)
        .where(InterestRow.person_id == person.id)
        .order_by(InterestRow.id)
    )
    posted = await session.scalars(select(KlusRow).where(KlusRow.poster_id == person.id).order_by(KlusRow.id))
    approvals = await session.scalars(
        select(ApprovalRow).where(ApprovalRow.candidate_id == aad_object_id).order_by(ApprovalRow.id)
    )
    seen = await session.scalars(
        select(AccessLogRow).where(AccessLogRow.subject_id == aad_object_id).order_by(AccessLogRow.id)
    )
    hours = await session.scalars(
        select(HoursRow)
        .join(ApprovalRow, ApprovalRow.id == HoursRow.approval_id)
        .where(ApprovalRow.candidate_id == aad_object_id)
        .order_by(HoursRow.approval_id, HoursRow.month)
    )
    evaluations = await session.scalars(
        select(EvaluationRow)
        .where(EvaluationRow.approval_id.in_(matches_of(aad_object_id)))
        .order_by(EvaluationRow.id)
    )
    dates = await session.scalars(
        select(TalentDateRow)
        .where((TalentDateRow.requester_id == person.id) | (TalentDateRow.talent_id == person.id))
        .order_by(TalentDateRow.id)
    )
    decisions = await session.execute(
        select(ApprovalEventRow, ApprovalRow.klus_id)
        .join(ApprovalRow, ApprovalRow.id == ApprovalEventRow.approval_id)
        .where(ApprovalEventRow.actor_id == aad_object_id)
        .order_by(ApprovalEventRow.id)
    )
    confirmations = await session.scalars(
        select(SkillConfirmationRow)
        .where(SkillConfirmationRow.person_id == person.id)
        .order_by(SkillConfirmationRow.id)
    )
    pulses = await session.scalars(
        select(PulseRow).where(PulseRow.person_id == person.id).order_by(PulseRow.id)
    )
    pools = await session.scalars(
        select(PoolMemberRow).where(PoolMemberRow.person_id == person.id).order_by(PoolMemberRow.pool_key)
    )
    steps = await session.scalars(
        select(OnboardingStepRow)
        .where(OnboardingStepRow.person_id == person.id)
        .order_by(OnboardingStepRow.id)
    )
    qualifications = await session.scalars(
        select(QualificationRow)
        .where(QualificationRow.person_id == person.id)
        .order_by(QualificationRow.name)
    )
    periods = await session.scalars(
        select(UnavailablePeriodRow)
        .where(UnavailablePeriodRow.person_id == person.id)
        .order_by(UnavailablePeriodRow.first_day)
    )
    return {
        "person": {
            "aad_object_id": person.aad_object_id,
            "name": person.name,
            "email": person.email,
            "organisation": person.organisation.name,
            "locale": person.locale,
            "weekly_digest": person.digest,
            "first_seen": _when(person.created_at),
        },
        "availability": None
        if availability is None
        else {
            "skills": [s.skill for s in availability.skills],
            "hours_per_week": availability.hours_per_week,
            "start_date": availability.start_date.isoformat(),
            "end_date": availability.end_date.isoformat() if availability.end_date else None,
            "weekdays": availability.weekdays,
            "organisations": sorted(o.organisation.name for o in availability.organisations),
            "work_mode": availability.work_mode,
            "intro": availability.intro,
            "status": availability.status,
            "paused_until": availability.paused_until.isoformat() if availability.paused_until else None,
            "suggestions": availability.suggestions,
            "visible_to_own_line": availability.visible_to_own_line,
            "findable": availability.findable,
            "talent_text": availability.talent_text,
            "learning_skills": availability.learning_skills,
            "learning_other": availability.learning_other,
        },
        "interests": [
            {
                "klus": title,
                "status": row.status,
                "motivation": row.motivation,
                "since": _when(row.created_at),
            }
            for row, title in interests
        ],
        "klussen_posted": [
            {"title": k.title, "status": k.status, "posted": _when(k.created_at)} for k in posted
        ],
        "approvals": [
            {"klus_id": a.klus_id, "status": a.status, "reason": a.reason, "decided": _when(a.decided_at)}
            for a in approvals
        ],
        "approval_actions": [
            {"klus_id": klus_id, "action": event.kind, "at": _when(event.at)} for event, klus_id in decisions
        ],
        "hours": [
            {
                "approval_id": row.approval_id,
                "month": row.month.isoformat(),
                "planned": row.planned,
                "reported": row.reported,
                "corrected": row.corrected,
            }
            for row in hours
        ],
        "evaluations": [  # by either side of a match of theirs: what the other side said is about them
            {
                "approval_id": row.approval_id,
                "by": row.role,
                "score": row.score,
                "went_well": row.went_well,
                "could_be_better": row.could_be_better,
                "again": row.again,
                "skills": row.skills,
                "at": _when(row.created_at),
            }
            for row in evaluations
        ],
        "talent_dates": [  # asked by them, or asked of them
            {
                "role": "requester" if row.requester_id == person.id else "talent",
                "text": row.text,
                "hours": row.hours,
                "start_date": row.start_date.isoformat() if row.start_date else None,
                "end_date": row.end_date.isoformat() if row.end_date else None,
                "status": row.status,
                "asked": _when(row.created_at),
                "decided": _when(row.decided_at),
            }
            for row in dates
        ],
        "confirmed_skills": [  # by posters after the work; hidden ones count nowhere
            {
                "skill": row.skill,
                "approval_id": row.approval_id,
                "hidden": row.hidden,
                "at": _when(row.created_at),
            }
            for row in confirmations
        ],
        "pulse": [
            {
                "month": row.month.isoformat(),
                "score": row.score,
                "text": row.text,
                "name_added": row.signed,
                "sent": _when(row.sent_at),
                "answered": _when(row.answered_at),
            }
            for row in pulses
        ],
        "pools": [{"pool": row.pool_key, "since": _when(row.created_at)} for row in pools],
        "onboarding_steps": [
            {"pool": row.pool_key, "step": row.step, "done": _when(row.done_at)} for row in steps
        ],
        "qualifications": [
            {
                "name": row.name,
                "obtained_on": row.obtained_on.isoformat(),
                "expires_on": row.expires_on.isoformat() if row.expires_on else None,
            }
            for row in qualifications
        ],
        "unavailable_periods": [
            {
                "first_day": row.first_day.isoformat(),
                "last_day": row.last_day.isoformat(),
                "reason": row.reason,
                "weekdays_available": row.weekdays,
            }
            for row in periods
        ],
        "seen_by": [
            {"viewer": row.viewer_id, "what": row.what, "klus_id": row.klus_id, "at": _when(row.at)}
            for row in seen
        ],
        **await track_data(session, person),
    }


def matches_of(aad_object_id: str) -> Select[int]:
    """The approvals of the matches a person was in, as employee or as poster."""
    return select(ApprovalRow.id).where(
        (ApprovalRow.candidate_id == aad_object_id) | (ApprovalRow.poster_id == aad_object_id)
    )


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
