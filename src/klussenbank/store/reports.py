"""The records behind HR's report, read in a few queries per organisation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.approval import ApprovalStatus
from klussenbank.domain.klus import InterestStatus, KlusStatus
from klussenbank.domain.people import AvailabilityStatus
from klussenbank.domain.report import AvailabilityRecord, KlusRecord, MatchRecord
from klussenbank.store.db import utc
from klussenbank.store.orm.approvals import ApprovalRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import AvailabilityRow, OrganisationRow, PersonRow
from klussenbank.store.orm.work import EvaluationRow, HoursRow


class SqlReports:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def klussen(self, organisation_key: str) -> list[KlusRecord]:
        first_interest = (
            select(InterestRow.klus_id, func.min(InterestRow.created_at).label("first"))
            .where(InterestRow.status != InterestStatus.INVITED.value)
            .group_by(InterestRow.klus_id)
            .subquery()
        )
        rows = await self._session.execute(
            select(KlusRow.created_at, KlusRow.status, first_interest.c.first)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .outerjoin(first_interest, first_interest.c.klus_id == KlusRow.id)
            .where(OrganisationRow.key == organisation_key)
            .order_by(KlusRow.id)
        )
        return [
            KlusRecord(organisation_key, utc(created), KlusStatus(status), utc(first))
            for created, status, first in rows
        ]

    async def matches(self, organisation_key: str) -> list[MatchRecord]:
        hours: dict[int, list[tuple[date, float]]] = defaultdict(list)
        scores: dict[int, list[tuple[str, int]]] = defaultdict(list)
        own = (
            select(ApprovalRow.id)
            .join(KlusRow, KlusRow.id == ApprovalRow.klus_id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(OrganisationRow.key == organisation_key)
        )
        for row in await self._session.scalars(select(HoursRow).where(HoursRow.approval_id.in_(own))):
            if row.reported is not None or row.corrected is not None:
                worked = row.corrected if row.corrected is not None else row.reported
                assert worked is not None
                hours[row.approval_id].append((row.month, worked))
        for evaluation in await self._session.scalars(
            select(EvaluationRow).where(EvaluationRow.approval_id.in_(own))
        ):
            scores[evaluation.approval_id].append((evaluation.role, evaluation.score))
        rows = await self._session.execute(
            select(ApprovalRow, KlusRow)
            .join(KlusRow, KlusRow.id == ApprovalRow.klus_id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(OrganisationRow.key == organisation_key)
            .order_by(ApprovalRow.id)
        )
        return [
            MatchRecord(
                klus_organisation=organisation_key,
                klus_created_at=utc(klus.created_at),
                internal_first_until=klus.internal_first_until,
                created_at=utc(approval.created_at),
                decided_at=utc(approval.decided_at),
                status=ApprovalStatus(approval.status),
                hours_per_week=klus.hours_per_week,
                start_date=klus.start_date,
                end_date=klus.end_date,
                worked=tuple(hours[approval.id]),
                scores=tuple(scores[approval.id]),
            )
            for approval, klus in rows
        ]

    async def availability(self, organisation_key: str) -> list[AvailabilityRecord]:
        rows = await self._session.execute(
            select(AvailabilityRow.start_date, AvailabilityRow.end_date)
            .join(PersonRow, PersonRow.id == AvailabilityRow.person_id)
            .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            .where(
                OrganisationRow.key == organisation_key,
                AvailabilityRow.status != AvailabilityStatus.WITHDRAWN.value,
            )
        )
        return [AvailabilityRecord(organisation_key, start, end) for start, end in rows]
