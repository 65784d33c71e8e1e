"""SQL repositories of the people side: organisations, people, availability, conversations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from klussenbank.domain.people import (
    Availability,
    AvailabilityStatus,
    Organisation,
    Person,
    WorkMode,
)
from klussenbank.services.ports.records import ConversationRef
from klussenbank.store.db import insert_for
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import (
    AvailabilityOrganisationRow,
    AvailabilityRow,
    AvailabilitySkillRow,
    ConversationRow,
    OrganisationRow,
    PersonRow,
)
from klussenbank.store.pool_changes import note_person


class SqlOrganisations:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> list[Organisation]:
        rows = await self._session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))
        return [Organisation(row.key, row.name) for row in rows]

    async def get(self, key: str) -> Organisation | None:
        row = await self._row(key)
        return Organisation(row.key, row.name) if row else None

    async def add(self, organisation: Organisation, *, now: datetime) -> None:
        # Two first contacts from one new organisation may reach two instances at once: whoever
        # comes second finds it there (PostgreSQL waits for the first to commit), and no turn fails.
        await self._session.execute(
            insert_for(self._session)(OrganisationRow)
            .values(key=organisation.key, name=organisation.name, created_at=now)
            .on_conflict_do_nothing(index_elements=[OrganisationRow.key])
        )

    async def _row(self, key: str) -> OrganisationRow | None:
        return await self._session.scalar(select(OrganisationRow).where(OrganisationRow.key == key))

    async def ids(self, keys: tuple[str, ...]) -> dict[str, int]:
        rows = await self._session.execute(
            select(OrganisationRow.key, OrganisationRow.id).where(OrganisationRow.key.in_(keys))
        )
        return {key: id_ for key, id_ in rows}


_PERSON = (
    select(
        PersonRow.tenant_id,
        PersonRow.name,
        PersonRow.email,
        OrganisationRow.key,
        PersonRow.locale,
        PersonRow.welcomed_at,
    )
    .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
    .where(PersonRow.aad_object_id == bindparam("aad_object_id"))
)


def _doings() -> Select[bool, bool, bool, str | None]:
    me = select(PersonRow.id).where(PersonRow.aad_object_id == bindparam("aad_object_id")).scalar_subquery()
    return select(
        select(AvailabilityRow.person_id).where(AvailabilityRow.person_id == me).exists(),
        select(KlusRow.id).where(KlusRow.poster_id == me).exists(),
        select(InterestRow.id).where(InterestRow.person_id == me).exists(),
        select(OrganisationRow.key)
        .join(PersonRow, PersonRow.organisation_id == OrganisationRow.id)
        .where(PersonRow.id == me)
        .scalar_subquery(),
    )


_DOINGS = _doings()  # built once: the help card asks it on every turn


class SqlPeople:
    def __init__(self, session: AsyncSession, organisations: SqlOrganisations) -> None:
        self._session = session
        self._organisations = organisations

    async def row(self, aad_object_id: str) -> PersonRow | None:
        return await self._session.scalar(
            select(PersonRow)
            .where(PersonRow.aad_object_id == aad_object_id)
            .execution_options(populate_existing=True)  # as `save` left it
        )

    async def get(self, aad_object_id: str) -> Person | None:
        # Columns, not the mapped row: every turn reads its person, and the ORM's bookkeeping
        # (identity map, the joined organisation) costs more than the query.
        found = (await self._session.execute(_PERSON, {"aad_object_id": aad_object_id})).first()
        if found is None:
            return None
        tenant_id, name, email, organisation_key, locale, welcomed_at = found
        return Person(aad_object_id, tenant_id, name, email, organisation_key, locale, welcomed_at)

    async def some(self, aad_object_ids: Sequence[str]) -> list[Person]:
        if not aad_object_ids:
            return []
        rows = await self._session.scalars(
            select(PersonRow).where(PersonRow.aad_object_id.in_(aad_object_ids))
        )
        return [person_of(row) for row in rows]

    async def save(self, person: Person, *, now: datetime) -> None:
        org_ids = await self._organisations.ids((person.organisation_key,))
        if person.organisation_key not in org_ids:
            raise LookupError(f"unknown organisation {person.organisation_key!r}")
        changes = {
            "tenant_id": person.tenant_id,
            "name": person.name,
            "email": person.email,
            "organisation_id": org_ids[person.organisation_key],
            "locale": person.locale,
            "updated_at": now,
        }
        # An upsert: a new person's install and first message may reach two instances at once.
        person_id = await self._session.scalar(
            insert_for(self._session)(PersonRow)
            .values(aad_object_id=person.aad_object_id, created_at=now, **changes)
            .on_conflict_do_update(index_elements=[PersonRow.aad_object_id], set_=changes)
            .returning(PersonRow.id)
        )
        # A person is saved only when something changed, and their home organisation may be it.
        note_person(self._session, person_id)

    async def claim_welcome(self, aad_object_id: str, *, now: datetime) -> bool:
        result = await self._session.execute(
            update(PersonRow)
            .where(PersonRow.aad_object_id == aad_object_id, PersonRow.welcomed_at.is_(None))
            .values(welcomed_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def set_digest(self, aad_object_id: str, on: bool, *, now: datetime) -> None:
        await self._session.execute(
            update(PersonRow)
            .where(PersonRow.aad_object_id == aad_object_id)
            .values(digest=on, updated_at=now)
            .execution_options(synchronize_session=False)
        )

    async def wants_digest(self, aad_object_id: str) -> bool:
        return bool(
            await self._session.scalar(
                select(PersonRow.digest).where(PersonRow.aad_object_id == aad_object_id)
            )
        )

    async def digest_readers(self) -> list[Person]:
        rows = await self._session.scalars(select(PersonRow).where(PersonRow.digest).order_by(PersonRow.id))
        return [person_of(row) for row in rows]

    async def reachable(self, organisation_keys: Sequence[str]) -> list[str]:
        rows = await self._session.scalars(
            select(PersonRow.aad_object_id)
            .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            .where(
                OrganisationRow.key.in_(organisation_keys),
                select(ConversationRow.id)
                .where(
                    ConversationRow.person_id == PersonRow.id, ConversationRow.conversation_type == "personal"
                )
                .exists(),
            )
            .order_by(PersonRow.id)
        )
        return list(rows)

    async def doings(self, aad_object_id: str) -> tuple[bool, bool, bool, str | None]:
        found = (await self._session.execute(_DOINGS, {"aad_object_id": aad_object_id})).one()
        return bool(found[0]), bool(found[1]), bool(found[2]), found[3]


def person_of(row: PersonRow) -> Person:
    return Person(
        aad_object_id=row.aad_object_id,
        tenant_id=row.tenant_id,
        name=row.name,
        email=row.email,
        organisation_key=row.organisation.key,
        locale=row.locale,
        welcomed_at=row.welcomed_at,
    )


class SqlAvailability:
    def __init__(self, session: AsyncSession, people: SqlPeople, organisations: SqlOrganisations) -> None:
        self._session = session
        self._people = people
        self._organisations = organisations

    async def _row(self, aad_object_id: str) -> AvailabilityRow | None:
        # One person's profile in one query, its skills and organisations joined (a handful of rows),
        # instead of one query for each list: `profiel`, `klussen` and saving all read it.
        found = await self._session.execute(
            select(AvailabilityRow)
            .join(PersonRow, PersonRow.id == AvailabilityRow.person_id)
            .where(PersonRow.aad_object_id == aad_object_id)
            .options(joinedload(AvailabilityRow.skills), joinedload(AvailabilityRow.organisations))
        )
        return found.unique().scalar_one_or_none()

    async def get(self, aad_object_id: str) -> Availability | None:
        row = await self._row(aad_object_id)
        return self.availability_of(row) if row else None

    async def intros(self, aad_object_ids: Sequence[str]) -> dict[str, str]:
        if not aad_object_ids:
            return {}
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, AvailabilityRow.intro)
            .join(PersonRow, PersonRow.id == AvailabilityRow.person_id)
            .where(PersonRow.aad_object_id.in_(aad_object_ids))
        )
        return {person: intro for person, intro in rows}

    @staticmethod
    def availability_of(row: AvailabilityRow) -> Availability:
        return Availability(
            skills=tuple(s.skill for s in row.skills if s.from_vocabulary),
            free_skills=tuple(s.skill for s in row.skills if not s.from_vocabulary),
            hours_per_week=row.hours_per_week,
            start_date=row.start_date,
            end_date=row.end_date,
            weekdays=tuple(row.weekdays),
            organisations=tuple(sorted(o.organisation.key for o in row.organisations)),
            work_mode=WorkMode(row.work_mode),
            intro=row.intro,
            status=AvailabilityStatus(row.status),
            paused_until=row.paused_until,
            suggestions=row.suggestions,
            visible_to_own_line=row.visible_to_own_line,
            findable=row.findable,
            talent_text=row.talent_text,
            learning_skills=tuple(row.learning_skills),
            learning_other=tuple(row.learning_other),
        )

    async def save(self, aad_object_id: str, availability: Availability, *, now: datetime) -> None:
        person = await self._people.row(aad_object_id)
        if person is None:
            raise LookupError("availability for an unknown person")
        org_ids = await self._organisations.ids(availability.organisations)
        row = await self._row(aad_object_id)
        if row is None:
            row = AvailabilityRow(person_id=person.id, created_at=now, skills=[], organisations=[])
            self._session.add(row)
        row.hours_per_week = availability.hours_per_week
        row.start_date = availability.start_date
        row.end_date = availability.end_date
        row.weekdays = list(availability.weekdays)
        row.work_mode = availability.work_mode.value
        row.intro = availability.intro
        row.status = availability.status.value
        row.paused_until = availability.paused_until
        row.suggestions = availability.suggestions
        row.visible_to_own_line = availability.visible_to_own_line
        row.findable = availability.findable
        row.talent_text = availability.talent_text
        row.learning_skills = list(availability.learning_skills)
        row.learning_other = list(availability.learning_other)
        row.updated_at = now
        skills = [(s, True) for s in availability.skills] + [(s, False) for s in availability.free_skills]
        row.skills.clear()
        row.organisations.clear()
        await self._session.flush()
        row.skills.extend(
            AvailabilitySkillRow(position=i, skill=skill, from_vocabulary=known)
            for i, (skill, known) in enumerate(skills)
        )
        row.organisations.extend(
            AvailabilityOrganisationRow(organisation_id=org_ids[key]) for key in availability.organisations
        )
        await self._session.flush()


def _met() -> Select[Any]:
    """One query, built once (an alias is costly to build on every turn), asked on every turn: the
    person's columns (as `_PERSON`), and the stored row of the conversation they speak in, whose it is
    and whether another of theirs was used since (all None when it was never stored)."""
    other, owner = aliased(ConversationRow), aliased(PersonRow)
    used_since = (
        select(other.id)
        .where(
            other.person_id == ConversationRow.person_id,
            or_(
                other.updated_at > ConversationRow.updated_at,
                and_(other.updated_at == ConversationRow.updated_at, other.id > ConversationRow.id),
            ),
        )
        .exists()
    )
    return (
        _PERSON.add_columns(
            ConversationRow.conversation_type,
            ConversationRow.tenant_id,
            ConversationRow.channel_id,
            ConversationRow.service_url,
            ConversationRow.reference,
            owner.aad_object_id,
            used_since,
        )
        .outerjoin(ConversationRow, ConversationRow.conversation_id == bindparam("conversation_id"))
        .outerjoin(owner, owner.id == ConversationRow.person_id)
    )


_MET = _met()


class SqlConversations:
    def __init__(self, session: AsyncSession, people: SqlPeople) -> None:
        self._session = session
        self._people = people

    async def save(self, ref: ConversationRef, *, now: datetime) -> None:
        person = await self._people.row(ref.person_aad_object_id) if ref.person_aad_object_id else None
        values = {
            "conversation_id": ref.conversation_id,
            "conversation_type": ref.conversation_type,
            "tenant_id": ref.tenant_id,
            "channel_id": ref.channel_id,
            "service_url": ref.service_url,
            "reference": ref.reference,
            "updated_at": now,
        }
        changes = dict(values)
        if person is not None:
            values["person_id"] = changes["person_id"] = person.id
        # Teams sends install events at the same moment: an upsert, so neither turn fails.
        statement = insert_for(self._session)(ConversationRow).values(values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=[ConversationRow.conversation_id], set_=changes)
        )

    async def met(self, aad_object_id: str, ref: ConversationRef | None) -> tuple[Person | None, bool]:
        if ref is None:
            return await self._people.get(aad_object_id), True
        found = (
            await self._session.execute(
                _MET, {"aad_object_id": aad_object_id, "conversation_id": ref.conversation_id}
            )
        ).first()
        if found is None:
            return None, False
        tenant_id, name, email, organisation_key, locale, welcomed_at, *stored = found
        person = Person(aad_object_id, tenant_id, name, email, organisation_key, locale, welcomed_at)
        *where, reference, owner, newer = stored
        if reference is None:
            return person, False
        if ref.person_aad_object_id is not None and (owner != ref.person_aad_object_id or newer):
            return person, False
        current = tuple(where) == (
            ref.conversation_type,
            ref.tenant_id,
            ref.channel_id,
            ref.service_url,
        ) and _without_activity(reference) == _without_activity(ref.reference)
        return person, current

    async def for_person(self, aad_object_id: str) -> list[ConversationRef]:
        return (await self.for_people([aad_object_id])).get(aad_object_id, [])

    async def for_people(self, aad_object_ids: Sequence[str]) -> dict[str, list[ConversationRef]]:
        found: dict[str, list[ConversationRef]] = {}
        if not aad_object_ids:
            return found
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, ConversationRow)
            .join(PersonRow, PersonRow.id == ConversationRow.person_id)
            .where(PersonRow.aad_object_id.in_(aad_object_ids))
            .order_by(ConversationRow.updated_at.desc())
        )
        for person, row in rows:
            found.setdefault(person, []).append(conversation_ref(row, person))
        return found


PER_REQUEST = ("activityId", "requestId")  # of the activity a reference was taken from


def _without_activity(reference: dict[str, Any]) -> dict[str, Any]:
    """A stored reference but for what is new on every turn: the incoming activity's id and the
    request's id (nothing sent later uses them: a proactive message starts its own thread)."""
    return {key: value for key, value in reference.items() if key not in PER_REQUEST}


def conversation_ref(row: ConversationRow, person_aad_object_id: str | None) -> ConversationRef:
    return ConversationRef(
        conversation_id=row.conversation_id,
        conversation_type=row.conversation_type,
        tenant_id=row.tenant_id,
        channel_id=row.channel_id,
        service_url=row.service_url,
        person_aad_object_id=person_aad_object_id,
        reference=row.reference,
    )
