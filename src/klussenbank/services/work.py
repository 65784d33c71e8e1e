"""After the approval: the work starts, the employee is asked for the hours of each month that
ended (hours.py takes it from there), the work ends (at the end date, or earlier when the poster
says so), and both sides say how it went. Those evaluations are for the two of them and HR only."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from klussenbank.domain.approval import Approval, ApprovalStatus
from klussenbank.domain.klus import KlusStatus
from klussenbank.domain.organisations import Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.work import (
    EvaluationDraft,
    HoursMonth,
    Role,
    months_due,
    planned_hours,
    validate_evaluation,
)
from klussenbank.services.approval_routing import SAW_EVALUATIONS, ApprovalRouter
from klussenbank.services.clock import Clock
from klussenbank.services.hours import HoursService, role_of
from klussenbank.services.klus_views import skill_choices
from klussenbank.services.once import first_press
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.renderers import WorkCards
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import EvaluationsView, EvaluationView, MatchEvaluations, Refusal


@dataclass(frozen=True)
class WorkResult:
    started: int = 0
    hours_asked: int = 0
    completed: int = 0


class WorkService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        vocabulary: SkillVocabulary,
        cards: WorkCards,
        router: ApprovalRouter,
        hours: HoursService,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._vocabulary = vocabulary
        self._cards = cards
        self._router = router
        self._hours = hours

    async def tick(self) -> WorkResult:
        """Daily: start the work, ask for the hours of months that ended, end work past its end date."""
        today = self._clock.today()
        result = WorkResult()
        async with self._uow() as uow:
            at_work = await uow.approvals.at_work()
        for approval in at_work:
            async with self._uow() as uow:
                klus = await uow.klussen.get(approval.klus_id, lock=True)
                if klus is None:
                    continue
                if klus.status is KlusStatus.FILLED and klus.start_date <= today:
                    await uow.klussen.set_status(klus.id, KlusStatus.IN_PROGRESS, now=self._clock.now())
                    result = replace(result, started=result.started + 1)
                known = {h.month for h in await uow.work.hours(approval.id)}
                for month in months_due(klus.start_date, klus.end_date, today):
                    if month in known:
                        continue
                    hours = HoursMonth(
                        approval.id,
                        month,
                        planned_hours(klus.hours_per_week, klus.start_date, klus.end_date, month),
                    )
                    await uow.work.save_hours(hours, now=self._clock.now())
                    await self._hours.send_card(uow, approval, hours, Role.EMPLOYEE)
                    result = replace(result, hours_asked=result.hours_asked + 1)
                if today > klus.end_date:
                    await self._complete(uow, approval)
                    result = replace(result, completed=result.completed + 1)
                await uow.commit()
        return result

    async def complete(self, actor: Actor, approval_id: int, *, once: str | None = None) -> bool | Refusal:
        """The poster says the work is done, before its end date; both sides are asked how it went.
        True: it ended now; False: it had ended already (also for a second press of the card)."""
        async with self._uow() as uow:
            again = await first_press(uow, actor, once, "work.complete", now=self._clock.now())
            approval = await uow.approvals.get(approval_id, lock=True)
            if (
                approval is None
                or approval.poster_id != actor.aad_object_id
                or approval.status is not ApprovalStatus.APPROVED
            ):
                return Refusal("match_not_found")
            if again or approval.completed_at is not None:
                return False
            await self._complete(uow, approval)
            await uow.commit()
            return True

    async def evaluate(
        self, actor: Actor, approval_id: int, draft: EvaluationDraft, *, once: str | None = None
    ) -> EvaluationView | Refusal:
        async with self._uow() as uow:
            again = await first_press(uow, actor, once, "evaluation.send", now=self._clock.now())
            approval = await uow.approvals.get(approval_id, lock=True)
            role = role_of(approval, actor)
            if approval is None or role is None or approval.completed_at is None:
                return Refusal("match_not_found")
            if again or await uow.work.evaluation(approval.id, role) is not None:
                return await self._evaluation_view(uow, approval, role)
            evaluation, errors = validate_evaluation(
                draft,
                approval_id=approval.id,
                role=role,
                vocabulary=frozenset(s.id for s in self._vocabulary.skills),
            )
            if evaluation is None:
                return replace(
                    await self._evaluation_view(uow, approval, role), draft=draft, errors=tuple(errors)
                )
            await uow.work.add_evaluation(evaluation, now=self._clock.now())
            if role is Role.POSTER and evaluation.skills:  # confirmed: they show on the profile, count more
                await uow.growth.confirm(
                    approval.candidate_id, approval.id, evaluation.skills, now=self._clock.now()
                )
            if evaluation.skills and draft.add_skills:
                availability = await uow.availability.get(actor.aad_object_id)
                if availability is not None:
                    skills = tuple(dict.fromkeys((*availability.skills, *evaluation.skills)))
                    await uow.availability.save(
                        actor.aad_object_id, replace(availability, skills=skills), now=self._clock.now()
                    )
            view = await self._evaluation_view(uow, approval, role)
            await uow.commit()
            return view

    async def evaluations(self, actor: Actor, approval_id: int) -> EvaluationsView | Refusal:
        """The match's evaluations, for its employee and poster and for HR of either organisation;
        anyone else (the line manager too) hears the match does not exist."""
        async with self._uow() as uow:
            approval = await uow.approvals.get(approval_id)
            klus = await uow.klussen.get(approval.klus_id) if approval else None
            if approval is None or klus is None or approval.completed_at is None:
                return Refusal("match_not_found")
            role = role_of(approval, actor)
            if role is None:
                hr_of = await self._router.roles.organisations_of(actor)
                if not {klus.organisation_key, approval.organisation_key} & set(hr_of):
                    return Refusal("match_not_found")
                await log_hr_reading(uow, approval, actor, self._clock.now())
            view = EvaluationsView(await match_evaluations(uow, approval, self._router.rules), role)
            await uow.commit()
            return view

    async def _complete(self, uow: UnitOfWork, approval: Approval) -> None:
        """The work ended: both sides are asked how it went; the klus is completed when all its work is."""
        now = self._clock.now()
        approval = replace(approval, completed_at=now)
        await uow.approvals.save(approval, now=now)
        await self._router.update_cards(uow, approval)
        running = [
            a
            for a in await uow.approvals.for_klus(approval.klus_id)
            if a.decided_at and a.completed_at is None
        ]
        if not any(a.id != approval.id and a.status is approval.status for a in running):
            await uow.klussen.set_status(approval.klus_id, KlusStatus.COMPLETED, now=now)
        for role, person_id in ((Role.EMPLOYEE, approval.candidate_id), (Role.POSTER, approval.poster_id)):
            person = await uow.people.get(person_id)
            if person is not None:
                view = await self._evaluation_view(uow, approval, role)
                await uow.outbox.enqueue(
                    {"card": self._cards.evaluation(view, person.locale)},
                    [Recipient(person_aad_object_id=person_id)],
                    reason="work.evaluation",
                    now=now,
                )

    async def _evaluation_view(self, uow: UnitOfWork, approval: Approval, role: Role) -> EvaluationView:
        klus = await uow.klussen.get(approval.klus_id)
        other = await uow.people.get(approval.poster_id if role is Role.EMPLOYEE else approval.candidate_id)
        return EvaluationView(
            approval_id=approval.id,
            klus_title=klus.title if klus else "",
            other_name=other.name if other else "",
            role=role,
            skill_choices=skill_choices(self._vocabulary, (s.id for s in self._vocabulary.skills)),
            done=await uow.work.evaluation(approval.id, role) is not None,
        )


async def match_evaluations(uow: UnitOfWork, approval: Approval, rules: Rules) -> MatchEvaluations:
    """The evaluations of a match whose work ended, with who and what they are about."""
    assert approval.completed_at is not None
    klus = await uow.klussen.get(approval.klus_id)
    employee = await uow.people.get(approval.candidate_id)
    poster = await uow.people.get(approval.poster_id)
    organisations = {o.key: o.name for o in await uow.organisations.all()}
    return MatchEvaluations(
        approval_id=approval.id,
        klus_title=klus.title if klus else "",
        employee_name=employee.name if employee else "",
        employee_organisation=organisations.get(approval.organisation_key, approval.organisation_key),
        poster_name=poster.name if poster else "",
        poster_organisation=organisations.get(klus.organisation_key, klus.organisation_key) if klus else "",
        completed_on=approval.completed_at.astimezone(rules.of(approval.organisation_key).zone).date(),
        employee=await uow.work.evaluation(approval.id, Role.EMPLOYEE),
        poster=await uow.work.evaluation(approval.id, Role.POSTER),
    )


async def log_hr_reading(uow: UnitOfWork, approval: Approval, hr: Actor, now: datetime) -> None:
    """HR read a match's evaluations: both sides see so in `wie zag mijn gegevens` (unless the HR
    person is one of them: the two sides may read their own match anyway)."""
    sides = (approval.candidate_id, approval.poster_id)
    if hr.aad_object_id in sides:
        return
    for subject in sides:
        await uow.access_log.add(subject, hr.aad_object_id, SAW_EVALUATIONS, approval.klus_id, now=now)
