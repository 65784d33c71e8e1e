"""The person's side of pools run by a coordinator: membership, onboarding steps, qualifications
(and expiry reminders) and unavailable periods. Changes go through the ORM so that the pool's change
log (`pool_changes`) sees them: matching respects all of these."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from klussenbank.domain.pools import PoolSide, PoolStanding, Qualification, UnavailablePeriod
from klussenbank.store.db import insert_for
from klussenbank.store.orm.people import PersonRow
from klussenbank.store.orm.pools import (
    OnboardingStepRow,
    PoolMemberRow,
    QualificationReminderRow,
    QualificationRow,
    UnavailablePeriodRow,
)
from klussenbank.store.pool_changes import note_person
from klussenbank.store.repositories import SqlPeople


def _qualification(row: QualificationRow, person_id: str) -> Qualification:
    return Qualification(
        id=row.id,
        person_id=person_id,
        name=row.name,
        obtained_on=row.obtained_on,
        expires_on=row.expires_on,
        recorded_by=row.recorded_by,
    )


def _period(row: UnavailablePeriodRow) -> UnavailablePeriod:
    return UnavailablePeriod(
        id=row.id,
        first_day=row.first_day,
        last_day=row.last_day,
        reason=row.reason,
        weekdays=tuple(row.weekdays),
    )


class SqlPoolPeople:
    def __init__(self, session: AsyncSession, people: SqlPeople) -> None:
        self._session = session
        self._people = people

    async def _row_id(self, aad_object_id: str) -> int:
        row = await self._people.row(aad_object_id)
        if row is None:
            raise LookupError("an unknown person")
        return row.id

    async def side(self, person_id: str) -> PoolSide:
        """The person's pools, qualifications and unavailable periods, as matching needs them."""
        row_id = await self._row_id(person_id)
        return (await pool_sides(self._session, [row_id])).get(row_id, PoolSide())

    # -- membership and onboarding ------------------------------------------------------------------

    async def add_member(self, pool_key: str, person_id: str, *, by: str, now: datetime) -> bool:
        """Add the person to the pool; False when they were a member already."""
        row_id = await self._row_id(person_id)
        if await self._member_row(pool_key, row_id) is not None:
            return False
        self._session.add(PoolMemberRow(pool_key=pool_key, person_id=row_id, added_by=by, created_at=now))
        await self._session.flush()
        return True

    async def remove_member(self, pool_key: str, person_id: str) -> bool:
        row_id = await self._row_id(person_id)
        row = await self._member_row(pool_key, row_id)
        if row is None:
            return False
        await self._session.delete(row)
        for step in await self._session.scalars(
            select(OnboardingStepRow).where(
                OnboardingStepRow.pool_key == pool_key, OnboardingStepRow.person_id == row_id
            )
        ):
            await self._session.delete(step)
        await self._session.flush()
        return True

    async def _member_row(self, pool_key: str, row_id: int) -> PoolMemberRow | None:
        return await self._session.scalar(
            select(PoolMemberRow).where(PoolMemberRow.pool_key == pool_key, PoolMemberRow.person_id == row_id)
        )

    async def members(self, pool_key: str) -> list[str]:
        """The pool's members, by name."""
        return list(
            await self._session.scalars(
                select(PersonRow.aad_object_id)
                .join(PoolMemberRow, PoolMemberRow.person_id == PersonRow.id)
                .where(PoolMemberRow.pool_key == pool_key)
                .order_by(PersonRow.name, PersonRow.id)
            )
        )

    async def pools_of(self, person_id: str) -> list[str]:
        """The keys of the pools the person is a member of."""
        return list(
            await self._session.scalars(
                select(PoolMemberRow.pool_key)
                .join(PersonRow, PersonRow.id == PoolMemberRow.person_id)
                .where(PersonRow.aad_object_id == person_id)
                .order_by(PoolMemberRow.pool_key)
            )
        )

    async def steps_done(self, pool_key: str, person_id: str) -> list[str]:
        return (await self.steps_done_of(pool_key, [person_id])).get(person_id, [])

    async def steps_done_of(self, pool_key: str, person_ids: Collection[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, OnboardingStepRow.step)
            .join(PersonRow, PersonRow.id == OnboardingStepRow.person_id)
            .where(OnboardingStepRow.pool_key == pool_key, PersonRow.aad_object_id.in_(list(person_ids)))
        )
        for person_id, step in rows:
            found[person_id].append(step)
        return dict(found)

    async def tick_step(self, pool_key: str, person_id: str, step: str, *, by: str, now: datetime) -> bool:
        """Tick off an onboarding step; False when it was ticked off already."""
        row_id = await self._row_id(person_id)
        result = await self._session.execute(
            insert_for(self._session)(OnboardingStepRow)
            .values(pool_key=pool_key, person_id=row_id, step=step, done_by=by, done_at=now)
            .on_conflict_do_nothing(
                index_elements=[
                    OnboardingStepRow.pool_key,
                    OnboardingStepRow.person_id,
                    OnboardingStepRow.step,
                ]
            )
        )
        ticked = bool(getattr(result, "rowcount", 0))
        if ticked:
            note_person(self._session, row_id)
        return ticked

    # -- qualifications -----------------------------------------------------------------------------

    async def record_qualification(self, qualification: Qualification, *, now: datetime) -> Qualification:
        """Record it; one the person holds already (by name) gets the new dates."""
        row_id = await self._row_id(qualification.person_id)
        row = await self._session.scalar(
            select(QualificationRow).where(
                QualificationRow.person_id == row_id, QualificationRow.name == qualification.name
            )
        )
        if row is None:
            row = QualificationRow(person_id=row_id, name=qualification.name, created_at=now)
        row.obtained_on = qualification.obtained_on
        row.expires_on = qualification.expires_on
        row.recorded_by = qualification.recorded_by
        row.updated_at = now
        self._session.add(row)
        await self._session.flush()
        return _qualification(row, qualification.person_id)

    async def qualifications(self, person_id: str) -> list[Qualification]:
        await self._row_id(person_id)  # someone unknown is an error, not "none"
        return (await self.qualifications_of([person_id])).get(person_id, [])

    async def qualifications_of(self, person_ids: Collection[str]) -> dict[str, list[Qualification]]:
        found: dict[str, list[Qualification]] = defaultdict(list)
        rows = await self._session.execute(
            select(QualificationRow, PersonRow.aad_object_id)
            .join(PersonRow, PersonRow.id == QualificationRow.person_id)
            .where(PersonRow.aad_object_id.in_(list(person_ids)))
            .order_by(QualificationRow.name)
        )
        for row, person_id in rows:
            found[person_id].append(_qualification(row, person_id))
        return dict(found)

    async def expiring(self, until: date) -> list[Qualification]:
        """Qualifications that expire on or before `until` and were not reminded of for that expiry."""
        rows = await self._session.execute(
            select(QualificationRow, PersonRow.aad_object_id)
            .join(PersonRow, PersonRow.id == QualificationRow.person_id)
            .outerjoin(
                QualificationReminderRow,
                (QualificationReminderRow.qualification_id == QualificationRow.id)
                & (QualificationReminderRow.expires_on == QualificationRow.expires_on),
            )
            .where(QualificationRow.expires_on <= until, QualificationReminderRow.id.is_(None))
            .order_by(QualificationRow.id)
        )
        return [_qualification(row, person) for row, person in rows]

    async def mark_reminded(self, qualification: Qualification, *, now: datetime) -> bool:
        """Note the reminder; False when another chore run sent it already."""
        assert qualification.expires_on is not None
        result = await self._session.execute(
            insert_for(self._session)(QualificationReminderRow)
            .values(qualification_id=qualification.id, expires_on=qualification.expires_on, sent_at=now)
            .on_conflict_do_nothing(
                index_elements=[
                    QualificationReminderRow.qualification_id,
                    QualificationReminderRow.expires_on,
                ]
            )
        )
        return bool(getattr(result, "rowcount", 0))

    # -- unavailable periods ------------------------------------------------------------------------

    async def add_period(self, person_id: str, period: UnavailablePeriod, *, now: datetime) -> int:
        row = UnavailablePeriodRow(
            person_id=await self._row_id(person_id),
            first_day=period.first_day,
            last_day=period.last_day,
            reason=period.reason,
            weekdays=list(period.weekdays),
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def remove_period(self, person_id: str, period_id: int) -> bool:
        """Remove one of the person's own periods; False when they have no such period."""
        row = await self._session.get(UnavailablePeriodRow, period_id)
        if row is None or row.person_id != await self._row_id(person_id):
            return False
        await self._session.delete(row)
        await self._session.flush()
        return True

    async def purge(self, *, ended_before: date, expired_before: date) -> int:
        """Retention: unavailable periods that ended, qualifications that expired long ago."""
        periods = await self._session.execute(
            delete(UnavailablePeriodRow).where(UnavailablePeriodRow.last_day < ended_before)
        )
        expired = await self._session.execute(
            delete(QualificationRow).where(QualificationRow.expires_on < expired_before)
        )
        return sum(int(getattr(result, "rowcount", 0) or 0) for result in (periods, expired))

    async def erase(self, person_id: str, pseudonym: str) -> None:
        """Everything pools hold about the person goes; what they did as a coordinator stays, under
        `pseudonym`."""
        row = await self._people.row(person_id)
        if row is None:
            return
        row_id = row.id
        for table in (PoolMemberRow, OnboardingStepRow, QualificationRow, UnavailablePeriodRow):
            await self._session.execute(delete(table).where(table.person_id == row_id))
        for column in (PoolMemberRow.added_by, OnboardingStepRow.done_by, QualificationRow.recorded_by):
            await self._session.execute(
                update(column.class_).where(column == person_id).values({column.key: pseudonym})
            )

    async def periods(self, person_id: str) -> list[UnavailablePeriod]:
        row_id = await self._row_id(person_id)
        rows = await self._session.scalars(
            select(UnavailablePeriodRow)
            .where(UnavailablePeriodRow.person_id == row_id)
            .order_by(UnavailablePeriodRow.first_day, UnavailablePeriodRow.id)
        )
        return [_period(row) for row in rows]


async def pool_sides(session: AsyncSession, person_ids: Collection[int]) -> Mapping[int, PoolSide]:
    """As matching needs it, by person row id: their pools with the steps done, qualifications and
    unavailable periods (only people with any of these are in the map)."""
    if not person_ids:
        return {}
    ids = sorted(person_ids)

    def of_these(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
        return column.in_(ids) if len(ids) <= 1_000 else column.between(ids[0], ids[-1])

    steps: dict[tuple[int, str], list[str]] = defaultdict(list)
    for person, pool_key, step in await session.execute(
        select(OnboardingStepRow.person_id, OnboardingStepRow.pool_key, OnboardingStepRow.step).where(
            of_these(OnboardingStepRow.person_id)
        )
    ):
        steps[person, pool_key].append(step)
    pools: dict[int, list[PoolStanding]] = defaultdict(list)
    for person, pool_key in await session.execute(
        select(PoolMemberRow.person_id, PoolMemberRow.pool_key)
        .where(of_these(PoolMemberRow.person_id))
        .order_by(PoolMemberRow.pool_key)
    ):
        pools[person].append(PoolStanding(pool_key, tuple(sorted(steps[person, pool_key]))))
    held: dict[int, list[Qualification]] = defaultdict(list)
    for qualification in await session.scalars(
        select(QualificationRow).where(of_these(QualificationRow.person_id)).order_by(QualificationRow.name)
    ):
        held[qualification.person_id].append(_qualification(qualification, ""))
    periods: dict[int, list[UnavailablePeriod]] = defaultdict(list)
    for row in await session.scalars(
        select(UnavailablePeriodRow)
        .where(of_these(UnavailablePeriodRow.person_id))
        .order_by(UnavailablePeriodRow.first_day, UnavailablePeriodRow.id)
    ):
        periods[row.person_id].append(_period(row))
    return {
        person: PoolSide(tuple(pools[person]), tuple(held[person]), tuple(periods[person]))
        for person in set(pools) | set(held) | set(periods)
        if person in person_ids
    }
