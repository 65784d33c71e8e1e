"""SQL repository of requests by shift: their shifts, and who is booked on which."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.klus import HOLDS_HOURS, KlusStatus
from klussenbank.domain.shifts import Shift
from klussenbank.services.ports.records import PlannedShift
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import OrganisationRow, PersonRow
from klussenbank.store.orm.shifts import ShiftRow

_HOLDING = [s.value for s in HOLDS_HOURS]
_GONE = [KlusStatus.CANCELLED.value, KlusStatus.EXPIRED.value]


def _shift(row: ShiftRow) -> Shift:
    return Shift(row.day, row.start, row.end)


class SqlShifts:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, klus_id: int, shifts: Sequence[Shift]) -> None:
        self._session.add_all(ShiftRow(klus_id=klus_id, day=s.day, start=s.start, end=s.end) for s in shifts)
        await self._session.flush()

    async def of_klussen(self, klus_ids: Collection[int]) -> dict[int, list[Shift]]:
        found: dict[int, list[Shift]] = defaultdict(list)
        if klus_ids:
            rows = await self._session.scalars(
                select(ShiftRow)
                .where(ShiftRow.klus_id.in_(list(klus_ids)))
                .order_by(ShiftRow.day, ShiftRow.start)
            )
            for row in rows:
                found[row.klus_id].append(_shift(row))
        return dict(found)

    async def booked(self, person_ids: Collection[str], *, but: int = 0) -> dict[str, list[Shift]]:
        found: dict[str, list[Shift]] = defaultdict(list)
        if person_ids:
            rows = await self._session.execute(
                select(PersonRow.aad_object_id, ShiftRow)
                .join(InterestRow, InterestRow.person_id == PersonRow.id)
                .join(ShiftRow, ShiftRow.klus_id == InterestRow.klus_id)
                .where(
                    PersonRow.aad_object_id.in_(list(person_ids)),
                    InterestRow.status.in_(_HOLDING),
                    InterestRow.klus_id != but,
                )
            )
            for person, row in rows:
                found[person].append(_shift(row))
        return dict(found)

    async def planned(
        self, first: date, last: date, *, organisations: Collection[str] | None = None, person_id: str = ""
    ) -> list[PlannedShift]:
        query = (
            select(
                ShiftRow,
                KlusRow.title,
                KlusRow.place,
                KlusRow.people_needed,
                OrganisationRow.key,
                OrganisationRow.name,
            )
            .join(KlusRow, KlusRow.id == ShiftRow.klus_id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(ShiftRow.day >= first, ShiftRow.day <= last, KlusRow.status.not_in(_GONE))
            .order_by(ShiftRow.day, ShiftRow.start, KlusRow.id)
        )
        if organisations is not None:
            query = query.where(OrganisationRow.key.in_(list(organisations)))
        rows = (await self._session.execute(query)).all()
        people = await self._booked_people({row[0].klus_id for row in rows})
        planned = [
            PlannedShift(
                shift=_shift(shift),
                klus_id=shift.klus_id,
                title=title,
                place=place,
                organisation_key=key,
                organisation_name=name,
                people_needed=needed,
                booked=people.get(shift.klus_id, ()),
            )
            for shift, title, place, needed, key, name in rows
        ]
        if person_id:
            planned = [p for p in planned if any(who == person_id for who, _ in p.booked)]
        return planned

    async def _booked_people(self, klus_ids: set[int]) -> dict[int, tuple[tuple[str, str], ...]]:
        found: dict[int, list[tuple[str, str]]] = defaultdict(list)
        if klus_ids:
            rows = await self._session.execute(
                select(InterestRow.klus_id, PersonRow.aad_object_id, PersonRow.name)
                .join(PersonRow, PersonRow.id == InterestRow.person_id)
                .where(InterestRow.klus_id.in_(klus_ids), InterestRow.status.in_(_HOLDING))
                .order_by(PersonRow.name)
            )
            for klus_id, person, name in rows:
                found[klus_id].append((person, name))
        return {k: tuple(v) for k, v in found.items()}
