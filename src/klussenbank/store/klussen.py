"""SQL repositories of the work side: klussen, interest in them, and suggestions sent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from klussenbank.domain.klus import HOLDS_HOURS, Interest, InterestStatus, Klus, KlusStatus, Visibility
from klussenbank.domain.matching import Commitment
from klussenbank.domain.people import Availability, AvailabilityStatus, Person, WorkMode
from klussenbank.domain.pools import PoolSide
from klussenbank.services.ports.records import KlusHistory, PoolMember
from klussenbank.store.db import utc
from klussenbank.store.orm.growth import SkillConfirmationRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow, KlusSkillRow, SuggestionRow
from klussenbank.store.orm.people import (
    AvailabilityOrganisationRow,
    AvailabilityRow,
    AvailabilitySkillRow,
    OrganisationRow,
    PersonRow,
)
from klussenbank.store.orm.pool import PoolChangeRow, PoolVersionRow
from klussenbank.store.pool_changes import KEPT
from klussenbank.store.pools import pool_sides
from klussenbank.store.repositories import SqlOrganisations, SqlPeople

REQUIRED, NICE, FREE, LEARN = "required", "nice", "free", "learn"
PASSED_OVER = (InterestStatus.NOT_CHOSEN,)


def _klus(row: KlusRow) -> Klus:
    def skills(kind: str) -> tuple[str, ...]:
        return tuple(s.skill for s in row.skills if s.kind == kind)

    return Klus(
        id=row.id,
        poster_id=row.poster.aad_object_id,
        organisation_key=row.organisation.key,
        title=row.title,
        description=row.description,
        required_skills=skills(REQUIRED),
        nice_skills=skills(NICE),
        free_skills=skills(FREE),
        hours_per_week=row.hours_per_week,
        start_date=row.start_date,
        end_date=row.end_date,
        work_mode=WorkMode(row.work_mode),
        place=row.place,
        people_needed=row.people_needed,
        interest_deadline=row.interest_deadline,
        visibility=Visibility(row.visibility),
        internal_first_until=row.internal_first_until,
        status=KlusStatus(row.status),
        created_at=utc(row.created_at),
        learning_skills=skills(LEARN),
        leerklus=row.leerklus,
        pool_key=row.pool_key or "",
        qualifications=tuple(row.qualifications or ()),
    )


class SqlKlussen:
    def __init__(self, session: AsyncSession, people: SqlPeople, organisations: SqlOrganisations) -> None:
        self._session = session
        self._people = people
        self._organisations = organisations

    async def add(self, klus: Klus, *, now: datetime) -> int:
        poster = await self._people.row(klus.poster_id)
        if poster is None:
            raise LookupError("a klus by an unknown person")
        row = KlusRow(poster_id=poster.id, created_at=now, skills=[])
        await self._fill(row, klus, now)
        return row.id

    async def update(self, klus: Klus, *, now: datetime) -> None:
        row = await self._session.get(KlusRow, klus.id)
        if row is None:
            raise LookupError(f"no klus {klus.id}")
        row.skills.clear()
        await self._session.flush()
        await self._fill(row, klus, now)

    async def _fill(self, row: KlusRow, klus: Klus, now: datetime) -> None:
        org_ids = await self._organisations.ids((klus.organisation_key,))
        row.organisation_id = org_ids[klus.organisation_key]
        row.title = klus.title
        row.description = klus.description
        row.hours_per_week = klus.hours_per_week
        row.start_date = klus.start_date
        row.end_date = klus.end_date
        row.work_mode = klus.work_mode.value
        row.place = klus.place
        row.people_needed = klus.people_needed
        row.interest_deadline = klus.interest_deadline
        row.visibility = klus.visibility.value
        row.internal_first_until = klus.internal_first_until
        row.status = klus.status.value
        row.leerklus = klus.leerklus
        row.pool_key = klus.pool_key or None
        row.qualifications = list(klus.qualifications) or None
        row.updated_at = now
        kinds = (
            [(s, REQUIRED) for s in klus.required_skills]
            + [(s, NICE) for s in klus.nice_skills]
            + [(s, FREE) for s in klus.free_skills]
            + [(s, LEARN) for s in klus.learning_skills]
        )
        row.skills.extend(KlusSkillRow(position=i, skill=s, kind=k) for i, (s, k) in enumerate(kinds))
        self._session.add(row)  # only now: a half-filled row must not be flushed by a query above
        await self._session.flush()

    async def get(self, klus_id: int, *, lock: bool = False) -> Klus | None:
        statement = select(KlusRow).where(KlusRow.id == klus_id)
        if lock:
            statement = statement.with_for_update(of=KlusRow)
        row = await self._session.scalar(statement.execution_options(populate_existing=True))
        return _klus(row) if row else None

    async def set_status(self, klus_id: int, status: KlusStatus, *, now: datetime) -> None:
        row = await self._session.get(KlusRow, klus_id)
        if row is None:
            raise LookupError(f"no klus {klus_id}")
        row.status = status.value
        row.updated_at = now
        await self._session.flush()

    async def by_poster(self, aad_object_id: str) -> list[Klus]:
        return await self._list(
            select(KlusRow)
            .join(PersonRow, PersonRow.id == KlusRow.poster_id)
            .where(PersonRow.aad_object_id == aad_object_id)
            .order_by(KlusRow.created_at.desc(), KlusRow.id.desc())
        )

    async def open(self, today: date) -> list[Klus]:
        return await self._list(
            select(KlusRow)
            .where(KlusRow.status == KlusStatus.OPEN.value, KlusRow.interest_deadline >= today)
            .order_by(KlusRow.id)
        )

    async def overdue(self, today: date) -> list[Klus]:
        return await self._list(
            select(KlusRow)
            .where(KlusRow.status == KlusStatus.OPEN.value, KlusRow.interest_deadline < today)
            .order_by(KlusRow.id)
        )

    async def _list(self, statement: Select[KlusRow]) -> list[Klus]:
        return [_klus(row) for row in (await self._session.scalars(statement)).unique()]


class SqlInterests:
    def __init__(self, session: AsyncSession, people: SqlPeople) -> None:
        self._session = session
        self._people = people

    def _select(self) -> Select[InterestRow]:
        return select(InterestRow).join(PersonRow, PersonRow.id == InterestRow.person_id)

    async def _row(self, klus_id: int, aad_object_id: str) -> InterestRow | None:
        return await self._session.scalar(
            self._select().where(InterestRow.klus_id == klus_id, PersonRow.aad_object_id == aad_object_id)
        )

    async def get(self, klus_id: int, aad_object_id: str) -> Interest | None:
        row = await self._row(klus_id, aad_object_id)
        return _interest(row) if row else None

    async def save(self, interest: Interest, *, hours_per_week: int, now: datetime) -> None:
        row = await self._row(interest.klus_id, interest.person_id)
        if row is None:
            person = await self._people.row(interest.person_id)
            if person is None:
                raise LookupError("interest of an unknown person")
            row = InterestRow(klus_id=interest.klus_id, person_id=person.id, created_at=now)
            self._session.add(row)
        row.status = interest.status.value
        row.motivation = interest.motivation
        row.hours_per_week = hours_per_week
        row.updated_at = now
        await self._session.flush()

    async def for_klus(self, klus_id: int) -> list[Interest]:
        rows = await self._session.scalars(
            self._select()
            .where(InterestRow.klus_id == klus_id)
            .order_by(InterestRow.created_at, InterestRow.id)
        )
        return [_interest(row) for row in rows]

    async def for_person(self, aad_object_id: str) -> list[Interest]:
        rows = await self._session.scalars(
            self._select().where(PersonRow.aad_object_id == aad_object_id).order_by(InterestRow.id)
        )
        return [_interest(row) for row in rows]

    async def counts(self, klus_ids: Sequence[int]) -> dict[int, dict[InterestStatus, int]]:
        rows = await self._session.execute(
            select(InterestRow.klus_id, InterestRow.status, func.count())
            .where(InterestRow.klus_id.in_(klus_ids))
            .group_by(InterestRow.klus_id, InterestRow.status)
        )
        counts: dict[int, dict[InterestStatus, int]] = defaultdict(dict)
        for klus_id, status, count in rows:
            counts[klus_id][InterestStatus(status)] = count
        return dict(counts)

    async def commitments(self, aad_object_id: str, *, lock: bool = False) -> list[Commitment]:
        if lock:
            # Capacity checks for one person queue up here, so two confirmations cannot both
            # count the same free hours (PostgreSQL; SQLite has one writer at a time anyway).
            await self._session.execute(
                select(PersonRow.id).where(PersonRow.aad_object_id == aad_object_id).with_for_update()
            )
        return (await self._commitments(PersonRow.aad_object_id == aad_object_id)).get(aad_object_id, [])

    async def all_commitments(
        self, aad_object_ids: Collection[str] | None = None
    ) -> dict[str, list[Commitment]]:
        if aad_object_ids is None:
            return await self._commitments()
        return await self._commitments(PersonRow.aad_object_id.in_(list(aad_object_ids)))

    async def _commitments(self, *where: ColumnElement[bool]) -> dict[str, list[Commitment]]:
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, KlusRow.start_date, KlusRow.end_date, InterestRow.hours_per_week)
            .join(InterestRow, InterestRow.klus_id == KlusRow.id)
            .join(PersonRow, PersonRow.id == InterestRow.person_id)
            .where(InterestRow.status.in_([s.value for s in HOLDS_HOURS]), *where)
        )
        found: dict[str, list[Commitment]] = defaultdict(list)
        for person, start, end, hours in rows:
            found[person].append(Commitment(start, end, hours))
        return dict(found)

    async def history(
        self, since: datetime, aad_object_ids: Collection[str] | None = None
    ) -> dict[str, KlusHistory]:
        only = () if aad_object_ids is None else (PersonRow.aad_object_id.in_(list(aad_object_ids)),)
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, InterestRow.status, func.count())
            .join(PersonRow, PersonRow.id == InterestRow.person_id)
            .where(InterestRow.updated_at >= since, *only)
            .group_by(PersonRow.aad_object_id, InterestRow.status)
        )
        matches: dict[str, int] = defaultdict(int)
        passed: dict[str, int] = defaultdict(int)
        for person, status, count in rows:
            if InterestStatus(status) in HOLDS_HOURS:
                matches[person] += count
            elif InterestStatus(status) in PASSED_OVER:
                passed[person] += count
        return {p: KlusHistory(matches[p], passed[p]) for p in set(matches) | set(passed)}


def _interest(row: InterestRow) -> Interest:
    return Interest(
        klus_id=row.klus_id,
        person_id=row.person.aad_object_id,
        status=InterestStatus(row.status),
        motivation=row.motivation,
        created_at=row.created_at,
    )


class SqlSuggestions:
    def __init__(self, session: AsyncSession, people: SqlPeople) -> None:
        self._session = session
        self._people = people

    async def add(self, klus_id: int, aad_object_ids: Sequence[str], *, now: datetime) -> None:
        if not aad_object_ids:
            return
        ids = await self._session.scalars(
            select(PersonRow.id).where(PersonRow.aad_object_id.in_(aad_object_ids))
        )
        self._session.add_all(SuggestionRow(klus_id=klus_id, person_id=i, created_at=now) for i in ids)
        await self._session.flush()

    async def reached(self, since: datetime, limit: int) -> set[str]:
        # Counted by row id first: joined before grouping, PostgreSQL read all of `people` for it
        # (70 ms a post with 100,000 people); this reads the week's suggestions by their index.
        reached = (
            select(SuggestionRow.person_id)
            .where(SuggestionRow.created_at >= since)
            .group_by(SuggestionRow.person_id)
            .having(func.count() >= limit)
        )
        rows = await self._session.scalars(select(PersonRow.aad_object_id).where(PersonRow.id.in_(reached)))
        return set(rows)

    async def for_klus(self, klus_id: int) -> set[str]:
        rows = await self._session.scalars(
            select(PersonRow.aad_object_id)
            .join(SuggestionRow, SuggestionRow.person_id == PersonRow.id)
            .where(SuggestionRow.klus_id == klus_id)
        )
        return set(rows)


class SqlPool:
    """The pool as matching sees it, read lean (plain rows, no ORM objects): 100,000 people load in
    pages without holding them all at once."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def page(self, after: int, size: int) -> tuple[list[PoolMember], int]:
        """Up to `size` members after the person with row id `after`, and the last row id read (0 at
        the end)."""
        ids = list(
            await self._session.scalars(
                self._members_query(PersonRow.id > after).with_only_columns(PersonRow.id).limit(size)
            )
        )
        if not ids:
            return [], 0
        where = (PersonRow.id >= ids[0], PersonRow.id <= ids[-1])
        return await self._members(*where), ids[-1]

    async def some(self, aad_object_ids: Collection[str]) -> list[PoolMember]:
        """These people, those of them who are members."""
        if not aad_object_ids:
            return []
        return await self._members(PersonRow.aad_object_id.in_(list(aad_object_ids)))

    async def version(self) -> int:
        """The number of the last change to the pool (see `pool_changes`)."""
        return await self._session.scalar(select(PoolVersionRow.version).where(PoolVersionRow.id == 1)) or 0

    async def changed_since(self, version: int) -> tuple[int, set[str]] | None:
        """The version now and the people changed after `version`; None when the log no longer goes
        back that far. One read: every matching turn asks it."""
        changes = (
            select(PoolChangeRow.version, PersonRow.aad_object_id)
            .join(PersonRow, PersonRow.id == PoolChangeRow.person_id)
            .where(PoolChangeRow.version > version)
            .subquery()
        )
        now = PoolVersionRow.version
        rows = (
            await self._session.execute(
                select(now, changes.c.aad_object_id)
                .outerjoin(changes, and_(changes.c.version <= now, now - version < KEPT))
                .where(PoolVersionRow.id == 1)
            )
        ).all()
        latest = rows[0][0] if rows else 0
        if latest - version >= KEPT:
            return None
        return latest, {person for _, person in rows if person is not None}

    async def history_changed(self, start: datetime, end: datetime) -> set[str]:
        """People with an interest last changed in [start, end): they leave a history window then."""
        rows = await self._session.scalars(
            select(PersonRow.aad_object_id)
            .join(InterestRow, InterestRow.person_id == PersonRow.id)
            .where(InterestRow.updated_at >= start, InterestRow.updated_at < end)
        )
        return set(rows)

    @staticmethod
    def _members_query(*where: ColumnElement[bool]) -> Select[Any]:
        return (
            select(PersonRow.id)
            .join(AvailabilityRow, AvailabilityRow.person_id == PersonRow.id)
            .where(AvailabilityRow.status != AvailabilityStatus.WITHDRAWN.value, *where)
            .order_by(PersonRow.id)
        )

    async def _members(self, *where: ColumnElement[bool]) -> list[PoolMember]:
        a = AvailabilityRow
        rows = (
            await self._session.execute(
                self._members_query(*where)
                .with_only_columns(
                    PersonRow.id,
                    PersonRow.aad_object_id,
                    PersonRow.tenant_id,
                    PersonRow.name,
                    PersonRow.email,
                    OrganisationRow.key,
                    PersonRow.locale,
                    PersonRow.welcomed_at,
                    a.hours_per_week,
                    a.start_date,
                    a.end_date,
                    a.weekdays,
                    a.work_mode,
                    a.intro,
                    a.status,
                    a.paused_until,
                    a.suggestions,
                    a.visible_to_own_line,
                    a.findable,
                    a.talent_text,
                    a.learning_skills,
                    a.learning_other,
                )
                .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            )
        ).all()
        if not rows:
            return []
        ids = [row[0] for row in rows]

        def of_these(column: InstrumentedAttribute[int]) -> ColumnElement[bool]:
            return column.in_(ids) if len(ids) <= 1_000 else column.between(ids[0], ids[-1])

        skills: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for person, skill, known in await self._session.execute(
            select(
                AvailabilitySkillRow.person_id,
                AvailabilitySkillRow.skill,
                AvailabilitySkillRow.from_vocabulary,
            )
            .where(of_these(AvailabilitySkillRow.person_id))
            .order_by(AvailabilitySkillRow.person_id, AvailabilitySkillRow.position)
        ):
            skills[person][0 if known else 1].append(skill)
        confirmed: dict[int, list[str]] = defaultdict(list)
        for person, skill in await self._session.execute(
            select(SkillConfirmationRow.person_id, SkillConfirmationRow.skill)
            .where(of_these(SkillConfirmationRow.person_id), SkillConfirmationRow.hidden.is_(False))
            .order_by(SkillConfirmationRow.person_id, SkillConfirmationRow.id)
        ):
            if skill not in confirmed[person]:
                confirmed[person].append(skill)
        willing: dict[int, list[str]] = defaultdict(list)
        for person, key in await self._session.execute(
            select(AvailabilityOrganisationRow.person_id, OrganisationRow.key)
            .join(OrganisationRow, OrganisationRow.id == AvailabilityOrganisationRow.organisation_id)
            .where(of_these(AvailabilityOrganisationRow.person_id))
        ):
            willing[person].append(key)
        sides = await pool_sides(self._session, ids)
        return [
            PoolMember(
                Person(aad, tenant, name, email, organisation, locale, utc(welcomed)),
                Availability(
                    skills=tuple(skills[row_id][0]),
                    free_skills=tuple(skills[row_id][1]),
                    hours_per_week=hours,
                    start_date=start,
                    end_date=end,
                    weekdays=tuple(weekdays),
                    organisations=tuple(sorted(willing[row_id])),
                    work_mode=WorkMode(mode),
                    intro=intro,
                    status=AvailabilityStatus(status),
                    paused_until=paused_until,
                    suggestions=suggestions,
                    visible_to_own_line=visible,
                    findable=findable,
                    talent_text=talent_text,
                    learning_skills=tuple(learning),
                    learning_other=tuple(learning_other),
                ),
                tuple(confirmed[row_id]),
                sides.get(row_id, PoolSide()),
            )
            for (
                row_id,
                aad,
                tenant,
                name,
                email,
                organisation,
                locale,
                welcomed,
                hours,
                start,
                end,
                weekdays,
                mode,
                intro,
                status,
                paused_until,
                suggestions,
                visible,
                findable,
                talent_text,
                learning,
                learning_other,
            ) in rows
        ]
