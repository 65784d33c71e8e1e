"""Skills confirmed by posters, and the monthly pulse (see `domain.growth`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.approval import EventKind
from klussenbank.domain.growth import ConfirmedSkill, PulseAnswer
from klussenbank.store.db import insert_for
from klussenbank.store.orm.approvals import ApprovalEventRow, ApprovalRow
from klussenbank.store.orm.growth import PulseRow, SkillConfirmationRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import AvailabilityRow, OrganisationRow, PersonRow
from klussenbank.store.orm.work import HoursRow
from klussenbank.store.repositories import SqlPeople

DECISIONS = [EventKind.APPROVED.value, EventKind.DECLINED.value, EventKind.FORWARDED.value]


class SqlGrowth:
    def __init__(self, session: AsyncSession, people: SqlPeople) -> None:
        self._session = session
        self._people = people

    async def confirm(
        self, aad_object_id: str, approval_id: int, skills: Sequence[str], *, now: datetime
    ) -> None:
        person = await self._people.row(aad_object_id)
        if person is None:
            return
        for skill in dict.fromkeys(skills):  # (ORM rows: the pool's change log sees them)
            self._session.add(
                SkillConfirmationRow(
                    person_id=person.id, approval_id=approval_id, skill=skill, created_at=now
                )
            )
        await self._session.flush()

    async def confirmed(self, aad_object_id: str) -> list[ConfirmedSkill]:
        """The person's confirmed skills, most confirmed first."""
        count = func.count(SkillConfirmationRow.id)
        rows = await self._session.execute(
            select(
                SkillConfirmationRow.skill, count, func.max(case((SkillConfirmationRow.hidden, 1), else_=0))
            )
            .join(PersonRow, PersonRow.id == SkillConfirmationRow.person_id)
            .where(PersonRow.aad_object_id == aad_object_id)
            .group_by(SkillConfirmationRow.skill)
            .order_by(count.desc(), SkillConfirmationRow.skill)
        )
        return [ConfirmedSkill(skill, n, bool(hidden)) for skill, n, hidden in rows]

    async def set_hidden(self, aad_object_id: str, skill: str, hidden: bool) -> bool:
        """Hide (or show) the person's confirmations of a skill; False when they have none."""
        rows = list(
            await self._session.scalars(
                select(SkillConfirmationRow)
                .join(PersonRow, PersonRow.id == SkillConfirmationRow.person_id)
                .where(PersonRow.aad_object_id == aad_object_id, SkillConfirmationRow.skill == skill)
            )
        )
        for row in rows:
            row.hidden = hidden
        await self._session.flush()
        return bool(rows)

    async def active(self, since: datetime, until: datetime) -> list[str]:
        """The people who used Klussenbank in [since, until) (see `domain.growth`)."""
        person = PersonRow.id
        used = union(
            select(AvailabilityRow.person_id).where(AvailabilityRow.updated_at.between(since, until)),
            select(KlusRow.poster_id).where(KlusRow.created_at.between(since, until)),
            select(InterestRow.person_id).where(InterestRow.created_at.between(since, until)),
            select(PersonRow.id)
            .join(ApprovalRow, ApprovalRow.candidate_id == PersonRow.aad_object_id)
            .join(HoursRow, HoursRow.approval_id == ApprovalRow.id)
            .where(HoursRow.reported.is_not(None), HoursRow.updated_at.between(since, until)),
            select(PersonRow.id)
            .join(ApprovalEventRow, ApprovalEventRow.actor_id == PersonRow.aad_object_id)
            .where(ApprovalEventRow.kind.in_(DECISIONS), ApprovalEventRow.at.between(since, until)),
        ).subquery()
        rows = await self._session.scalars(
            select(PersonRow.aad_object_id).where(person.in_(select(used.c[0])), PersonRow.name != "")
        )
        return sorted(rows)

    async def start_pulse(self, aad_object_id: str, month: date, *, now: datetime) -> int | None:
        """The pulse of the month for the person, if they have none yet (on any instance): its id."""
        person = await self._people.row(aad_object_id)
        if person is None:
            return None
        statement = (
            insert_for(self._session)(PulseRow)
            .values(person_id=person.id, month=month, text="", signed=False, sent_at=now)
            .on_conflict_do_nothing(index_elements=[PulseRow.person_id, PulseRow.month])
            .returning(PulseRow.id)
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def answer_pulse(
        self, aad_object_id: str, pulse_id: int, score: int, text: str, signed: bool, *, now: datetime
    ) -> bool | None:
        """The person's answer to their pulse: True when stored, False when it was answered already,
        None when it is not theirs."""
        row = await self._session.scalar(
            select(PulseRow)
            .join(PersonRow, PersonRow.id == PulseRow.person_id)
            .where(PulseRow.id == pulse_id, PersonRow.aad_object_id == aad_object_id)
            .with_for_update()
        )
        if row is None:
            return None
        if row.answered_at is not None:
            return False
        row.score, row.text, row.signed, row.answered_at = score, text, signed, now
        await self._session.flush()
        return True

    async def pulse_answers(
        self, organisation_key: str, since: datetime, until: datetime
    ) -> list[PulseAnswer]:
        """The answers of the organisation's people in [since, until), newest first; names only of
        those who signed."""
        rows = await self._session.execute(
            select(PulseRow.score, PulseRow.text, PulseRow.signed, PersonRow.name)
            .join(PersonRow, PersonRow.id == PulseRow.person_id)
            .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            .where(
                OrganisationRow.key == organisation_key,
                PulseRow.score.is_not(None),
                PulseRow.answered_at >= since,
                PulseRow.answered_at < until,
            )
            .order_by(PulseRow.answered_at.desc(), PulseRow.id.desc())
        )
        return [PulseAnswer(score or 0, text, name if signed else "") for score, text, signed, name in rows]
