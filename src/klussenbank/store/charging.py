"""SQL repository of charging a pool's clients: the settled hours of its klussen, per client and month."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.services.ports.records import SettledHours
from klussenbank.store.orm.approvals import ApprovalRow
from klussenbank.store.orm.klussen import KlusRow
from klussenbank.store.orm.people import OrganisationRow
from klussenbank.store.orm.work import HoursRow


class SqlCharging:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def settled(self, pool_keys: Collection[str], first: date, last: date) -> list[SettledHours]:
        if not pool_keys:
            return []
        rows = await self._session.execute(
            select(
                KlusRow.pool_key,
                OrganisationRow.key,
                OrganisationRow.name,
                HoursRow.month,
                func.sum(HoursRow.corrected),
            )
            .join(ApprovalRow, ApprovalRow.id == HoursRow.approval_id)
            .join(KlusRow, KlusRow.id == ApprovalRow.klus_id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(
                KlusRow.pool_key.in_(list(pool_keys)),
                HoursRow.corrected.is_not(None),
                HoursRow.month >= first,
                HoursRow.month <= last,
            )
            .group_by(KlusRow.pool_key, OrganisationRow.key, OrganisationRow.name, HoursRow.month)
            .order_by(HoursRow.month, OrganisationRow.name)
        )
        return [
            SettledHours(pool or "", key, name, month, float(hours or 0))
            for pool, key, name, month, hours in rows
        ]
