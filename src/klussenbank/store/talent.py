"""Dates between colleagues, and the opaque references a talent search hands out for its results."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from klussenbank.domain.talent import DateStatus, TalentDate
from klussenbank.store.db import utc
from klussenbank.store.orm.people import PersonRow
from klussenbank.store.orm.talent import TalentDateRow

_Requester, _Talent = aliased(PersonRow), aliased(PersonRow)


class SqlTalent:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def refs(self, aad_object_ids: Collection[str]) -> dict[str, int]:
        """A reference per person that names nobody outside Klussenbank (their row number)."""
        if not aad_object_ids:
            return {}
        rows = await self._session.execute(
            select(PersonRow.aad_object_id, PersonRow.id).where(PersonRow.aad_object_id.in_(aad_object_ids))
        )
        return {aad: row_id for aad, row_id in rows}

    async def person_of(self, ref: int) -> str | None:
        return await self._session.scalar(select(PersonRow.aad_object_id).where(PersonRow.id == ref))

    async def add(self, talent_date: TalentDate, *, now: datetime) -> int:
        ids = await self.refs([talent_date.requester_id, talent_date.talent_id])
        row = TalentDateRow(
            requester_id=ids[talent_date.requester_id],
            talent_id=ids[talent_date.talent_id],
            text=talent_date.text,
            hours=talent_date.hours,
            start_date=talent_date.start_date,
            end_date=talent_date.end_date,
            status=talent_date.status.value,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def get(self, date_id: int, *, lock: bool = False) -> TalentDate | None:
        statement = (
            select(TalentDateRow, _Requester.aad_object_id, _Talent.aad_object_id)
            .join(_Requester, _Requester.id == TalentDateRow.requester_id)
            .join(_Talent, _Talent.id == TalentDateRow.talent_id)
            .where(TalentDateRow.id == date_id)
        )
        if lock:
            statement = statement.with_for_update(of=TalentDateRow)
        found = (await self._session.execute(statement.execution_options(populate_existing=True))).first()
        if found is None:
            return None
        row, requester, talent = found
        return TalentDate(
            id=row.id,
            requester_id=requester,
            talent_id=talent,
            text=row.text,
            hours=row.hours,
            start_date=row.start_date,
            end_date=row.end_date,
            status=DateStatus(row.status),
            created_at=utc(row.created_at),
        )

    async def decide(self, date_id: int, status: DateStatus, *, now: datetime) -> None:
        row = await self._session.get(TalentDateRow, date_id)
        if row is None:
            raise LookupError(f"no date {date_id}")
        row.status = status.value
        row.decided_at = now
        await self._session.flush()
