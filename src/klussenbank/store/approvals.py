"""SQL repositories of approvals (with the cards sent and the events) and of the access log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.agreement import AgreementView
from klussenbank.domain.approval import Approval, ApprovalEvent, ApprovalStatus, ApprovalStep, EventKind
from klussenbank.domain.delivery import DeliveryStatus
from klussenbank.domain.work import Evaluation, HoursMonth, Role
from klussenbank.services.ports.records import AccessEntry, AgreementEntry, StoredAgreement
from klussenbank.store.agreement_terms import terms_json, terms_of
from klussenbank.store.db import insert_for, utc
from klussenbank.store.orm.approvals import AgreementRow, ApprovalCardRow, ApprovalEventRow, ApprovalRow
from klussenbank.store.orm.klussen import KlusRow
from klussenbank.store.orm.outbox import OutboxDeliveryRow
from klussenbank.store.orm.people import OrganisationRow
from klussenbank.store.orm.privacy import AccessLogRow
from klussenbank.store.orm.work import EvaluationRow, HoursRow


def _approval(row: ApprovalRow) -> Approval:
    return Approval(
        id=row.id,
        klus_id=row.klus_id,
        candidate_id=row.candidate_id,
        poster_id=row.poster_id,
        organisation_key=row.organisation_key,
        across=row.across,
        share_motivation=row.share_motivation,
        step=ApprovalStep(row.step),
        approver_id=row.approver_id,
        status=ApprovalStatus(row.status),
        created_at=utc(row.created_at),
        step_started_at=utc(row.step_started_at),
        delegated_by=row.delegated_by,
        reminded=row.reminded,
        escalations=row.escalations,
        reason=row.reason,
        decided_by=row.decided_by,
        decided_at=utc(row.decided_at),
        completed_at=utc(row.completed_at),
    )


class SqlApprovals:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, approval: Approval, *, now: datetime) -> int:
        row = ApprovalRow(klus_id=approval.klus_id, candidate_id=approval.candidate_id)
        self._fill(row, approval, now)
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def save(self, approval: Approval, *, now: datetime) -> None:
        row = await self._session.get(ApprovalRow, approval.id)
        if row is None:
            raise LookupError(f"no approval {approval.id}")
        self._fill(row, approval, now)
        await self._session.flush()

    @staticmethod
    def _fill(row: ApprovalRow, approval: Approval, now: datetime) -> None:
        row.poster_id = approval.poster_id
        row.organisation_key = approval.organisation_key
        row.across = approval.across
        row.share_motivation = approval.share_motivation
        row.step = approval.step.value
        row.approver_id = approval.approver_id
        row.delegated_by = approval.delegated_by
        row.status = approval.status.value
        row.reminded = approval.reminded
        row.escalations = approval.escalations
        row.reason = approval.reason
        row.decided_by = approval.decided_by
        row.decided_at = approval.decided_at
        row.completed_at = approval.completed_at
        row.created_at = approval.created_at
        row.step_started_at = approval.step_started_at
        row.updated_at = now

    async def get(self, approval_id: int, *, lock: bool = False) -> Approval | None:
        statement = select(ApprovalRow).where(ApprovalRow.id == approval_id)
        if lock:
            statement = statement.with_for_update()
        row = await self._session.scalar(statement.execution_options(populate_existing=True))
        return _approval(row) if row else None

    async def for_match(self, klus_id: int, candidate_id: str) -> Approval | None:
        row = await self._session.scalar(
            select(ApprovalRow).where(
                ApprovalRow.klus_id == klus_id, ApprovalRow.candidate_id == candidate_id
            )
        )
        return _approval(row) if row else None

    async def for_klus(self, klus_id: int) -> list[Approval]:
        rows = await self._session.scalars(
            select(ApprovalRow).where(ApprovalRow.klus_id == klus_id).order_by(ApprovalRow.id)
        )
        return [_approval(row) for row in rows]

    async def at_work(self) -> list[Approval]:
        """Approved matches whose work has not ended."""
        rows = await self._session.scalars(
            select(ApprovalRow)
            .where(ApprovalRow.status == ApprovalStatus.APPROVED.value, ApprovalRow.completed_at.is_(None))
            .order_by(ApprovalRow.id)
        )
        return [_approval(row) for row in rows]

    async def pending(self) -> list[Approval]:
        rows = await self._session.scalars(
            select(ApprovalRow)
            .where(ApprovalRow.status == ApprovalStatus.PENDING.value)
            .order_by(ApprovalRow.id)
        )
        return [_approval(row) for row in rows]

    async def add_card(self, approval_id: int, person_id: str, message_id: int) -> None:
        self._session.add(
            ApprovalCardRow(approval_id=approval_id, person_id=person_id, message_id=message_id)
        )
        await self._session.flush()

    async def cards(self, approval_id: int) -> list[tuple[str, int]]:
        rows = await self._session.execute(
            select(ApprovalCardRow.person_id, ApprovalCardRow.message_id)
            .where(ApprovalCardRow.approval_id == approval_id)
            .order_by(ApprovalCardRow.id)
        )
        return [(person, message) for person, message in rows]

    async def unreachable(self, approval_id: int, person_id: str) -> bool:
        """Every card about the approval sent to this person failed for good (403/404, dead letter)."""
        rows = await self._session.execute(
            select(OutboxDeliveryRow.status)
            .join(ApprovalCardRow, ApprovalCardRow.message_id == OutboxDeliveryRow.message_id)
            .where(
                ApprovalCardRow.approval_id == approval_id,
                ApprovalCardRow.person_id == person_id,
                OutboxDeliveryRow.updates_delivery_id.is_(None),
            )
        )
        statuses = {DeliveryStatus(status) for (status,) in rows}
        return bool(statuses) and statuses <= {DeliveryStatus.UNREACHABLE, DeliveryStatus.DEAD}

    async def add_event(
        self,
        approval_id: int,
        kind: EventKind,
        *,
        actor_id: str | None,
        approver_id: str | None,
        now: datetime,
    ) -> None:
        self._session.add(
            ApprovalEventRow(
                approval_id=approval_id, kind=kind.value, actor_id=actor_id, approver_id=approver_id, at=now
            )
        )
        await self._session.flush()

    async def events(self, approval_id: int) -> list[ApprovalEvent]:
        rows = await self._session.scalars(
            select(ApprovalEventRow)
            .where(ApprovalEventRow.approval_id == approval_id)
            .order_by(ApprovalEventRow.id)
        )
        return [ApprovalEvent(EventKind(r.kind), r.at, r.actor_id, r.approver_id) for r in rows]


class SqlWork:
    """Hours per month and evaluations of approved matches."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def hours(self, approval_id: int) -> list[HoursMonth]:
        rows = await self._session.scalars(
            select(HoursRow).where(HoursRow.approval_id == approval_id).order_by(HoursRow.month)
        )
        return [HoursMonth(r.approval_id, r.month, r.planned, r.reported, r.corrected) for r in rows]

    async def save_hours(self, hours: HoursMonth, *, now: datetime) -> None:
        row = await self._session.scalar(
            select(HoursRow).where(HoursRow.approval_id == hours.approval_id, HoursRow.month == hours.month)
        )
        if row is None:
            row = HoursRow(approval_id=hours.approval_id, month=hours.month)
            self._session.add(row)
        row.planned, row.reported, row.corrected, row.updated_at = (
            hours.planned,
            hours.reported,
            hours.corrected,
            now,
        )
        await self._session.flush()

    async def poster_card(self, approval_id: int, month: date) -> int | None:
        return await self._session.scalar(
            select(HoursRow.poster_message_id).where(
                HoursRow.approval_id == approval_id, HoursRow.month == month
            )
        )

    async def set_poster_card(self, approval_id: int, month: date, message_id: int) -> None:
        await self._session.execute(
            update(HoursRow)
            .where(HoursRow.approval_id == approval_id, HoursRow.month == month)
            .values(poster_message_id=message_id)
        )

    async def evaluation(self, approval_id: int, role: Role) -> Evaluation | None:
        row = await self._session.scalar(
            select(EvaluationRow).where(
                EvaluationRow.approval_id == approval_id, EvaluationRow.role == role.value
            )
        )
        if row is None:
            return None
        return Evaluation(
            row.approval_id,
            Role(row.role),
            row.score,
            row.went_well,
            row.could_be_better,
            row.again,
            tuple(row.skills),
        )

    async def add_evaluation(self, evaluation: Evaluation, *, now: datetime) -> None:
        self._session.add(
            EvaluationRow(
                approval_id=evaluation.approval_id,
                role=evaluation.role.value,
                score=evaluation.score,
                went_well=evaluation.went_well,
                could_be_better=evaluation.could_be_better,
                again=evaluation.again,
                skills=list(evaluation.skills),
                created_at=now,
            )
        )
        await self._session.flush()

    async def evaluated(self, organisation_key: str, since: datetime, until: datetime) -> list[int]:
        newest = func.max(EvaluationRow.created_at)
        rows = await self._session.scalars(
            select(EvaluationRow.approval_id)
            .join(ApprovalRow, ApprovalRow.id == EvaluationRow.approval_id)
            .join(KlusRow, KlusRow.id == ApprovalRow.klus_id)
            .join(OrganisationRow, OrganisationRow.id == KlusRow.organisation_id)
            .where(
                or_(
                    OrganisationRow.key == organisation_key, ApprovalRow.organisation_key == organisation_key
                ),
                EvaluationRow.created_at >= since,
                EvaluationRow.created_at < until,
            )
            .group_by(EvaluationRow.approval_id)
            .order_by(newest.desc(), EvaluationRow.approval_id.desc())
        )
        return list(rows)


class SqlAgreements:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, approval_id: int, terms: Sequence[AgreementView], *, now: datetime) -> None:
        self._session.add_all(
            AgreementRow(
                approval_id=approval_id,
                language=view.language,
                number=view.number,
                terms=terms_json(view),
                created_at=now,
            )
            for view in terms
        )
        await self._session.flush()

    async def get(self, approval_id: int, language: str) -> StoredAgreement | None:
        row = await self._session.scalar(
            select(AgreementRow)
            .where(AgreementRow.approval_id == approval_id)
            .order_by((AgreementRow.language == language).desc())
            .limit(1)
        )
        if row is None:
            return None
        terms = terms_of(row.terms) if row.terms is not None else None
        return StoredAgreement(row.number, row.language, row.pdf, terms)

    async def keep_pdf(self, approval_id: int, language: str, pdf: bytes) -> None:
        await self._session.execute(
            update(AgreementRow)
            .where(
                AgreementRow.approval_id == approval_id,
                AgreementRow.language == language,
                AgreementRow.pdf.is_(None),
            )
            .values(pdf=pdf)
        )

    async def number(self, approval_id: int) -> str | None:
        return await self._session.scalar(
            select(AgreementRow.number).where(AgreementRow.approval_id == approval_id).limit(1)
        )

    async def readable(self, aad_object_id: str, hr_organisations: Sequence[str]) -> list[AgreementEntry]:
        approved_it = select(ApprovalEventRow.approval_id).where(
            ApprovalEventRow.kind == EventKind.APPROVED.value, ApprovalEventRow.actor_id == aad_object_id
        )
        rows = await self._session.execute(
            select(AgreementRow.approval_id, AgreementRow.number, func.min(AgreementRow.created_at))
            .join(ApprovalRow, ApprovalRow.id == AgreementRow.approval_id)
            .where(
                or_(
                    ApprovalRow.candidate_id == aad_object_id,
                    ApprovalRow.poster_id == aad_object_id,
                    ApprovalRow.id.in_(approved_it),
                    ApprovalRow.organisation_key.in_(list(hr_organisations)),
                )
            )
            .group_by(AgreementRow.approval_id, AgreementRow.number)
            .order_by(func.min(AgreementRow.created_at).desc(), AgreementRow.approval_id.desc())
        )
        return [AgreementEntry(approval_id, number, utc(at)) for approval_id, number, at in rows]


class SqlAccessLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self, subject_id: str, viewer_id: str, what: str, klus_id: int | None, *, now: datetime
    ) -> None:
        await self.add_all([(subject_id, what)], viewer_id, klus_id, now=now)

    async def add_all(
        self, subjects: Sequence[tuple[str, str]], viewer_id: str, klus_id: int | None, *, now: datetime
    ) -> None:
        pairs = [(subject, what) for subject, what in dict.fromkeys(subjects) if subject != viewer_id]
        if pairs and klus_id is None:
            # the unique constraint does not hold for NULLs: leave out the looks kept today already
            kept = await self._session.execute(
                select(AccessLogRow.subject_id, AccessLogRow.what).where(
                    AccessLogRow.subject_id.in_({subject for subject, _ in pairs}),
                    AccessLogRow.viewer_id == viewer_id,
                    AccessLogRow.klus_id.is_(None),
                    AccessLogRow.day == now.date(),
                )
            )
            seen = {(subject, what) for subject, what in kept}
            pairs = [pair for pair in pairs if pair not in seen]
        rows = [
            {"subject_id": subject, "viewer_id": viewer_id, "what": what, "klus_id": klus_id, "day": now.date(), "at": now}
            for subject, what in pairs
        ]  # fmt: skip
        if rows:
            await self._session.execute(
                insert_for(self._session)(AccessLogRow).values(rows).on_conflict_do_nothing()
            )

    async def for_subject(self, subject_id: str) -> list[AccessEntry]:
        rows = await self._session.scalars(
            select(AccessLogRow)
            .where(AccessLogRow.subject_id == subject_id)
            .order_by(AccessLogRow.at.desc(), AccessLogRow.id.desc())
        )
        return [AccessEntry(r.viewer_id, r.what, r.klus_id, r.at) for r in rows]
