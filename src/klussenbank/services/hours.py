"""The hours of a match: the employee confirms each month's hours, the poster checks them and may
correct them; that settles them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klussenbank.domain.approval import Approval
from klussenbank.domain.fields import FieldError
from klussenbank.domain.work import HoursDraft, HoursMonth, Role, check_hours, month_of
from klussenbank.services.clock import Clock
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.renderers import WorkCards
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import HoursView, Refusal


class HoursService:
    def __init__(self, uow: UnitOfWorkFactory, *, clock: Clock, cards: WorkCards) -> None:
        self._uow = uow
        self._clock = clock
        self._cards = cards

    async def hours(self, actor: Actor, approval_id: int, month: date | None) -> HoursView | Refusal:
        """A month's hours as the employee or the poster sees them."""
        async with self._uow() as uow:
            found = await self._month(uow, actor, approval_id, month)
            return found if isinstance(found, Refusal) else await self._hours_view(uow, *found)

    async def report_hours(self, actor: Actor, approval_id: int, draft: HoursDraft) -> HoursView | Refusal:
        """The employee confirms (or changes) a month's hours until the poster has checked them;
        the poster's card for the month shows them (changed in place after the first time)."""
        return await self._hours(actor, approval_id, draft, Role.EMPLOYEE)

    async def correct_hours(
        self, actor: Actor, approval_id: int, draft: HoursDraft, *, shown: float | None
    ) -> HoursView | Refusal:
        """The poster agrees with the hours (the draft's are `shown`) or corrects them; that settles them.
        `shown`: the employee's hours on the poster's card. If the employee changed them since, that
        card is out of date: nothing is saved, and the poster gets the month as it is now."""
        return await self._hours(actor, approval_id, draft, Role.POSTER, shown)

    async def _hours(
        self, actor: Actor, approval_id: int, draft: HoursDraft, role: Role, shown: float | None = None
    ) -> HoursView | Refusal:
        async with self._uow() as uow:
            found = await self._month(uow, actor, approval_id, draft.month, lock=True)
            if isinstance(found, Refusal) or found[2] is not role:
                return Refusal("match_not_found")
            approval, hours, _ = found
            employee = role is Role.EMPLOYEE
            if hours.corrected is not None:  # settled
                return await self._hours_view(uow, approval, hours, role)
            if not employee and shown != hours.reported:
                return await self._hours_view(uow, approval, hours, role, changed=True)
            value = draft.hours
            errors = check_hours(value, draft.unreadable)
            if errors or value is None:
                return await self._hours_view(uow, approval, hours, role, errors=tuple(errors))
            hours = replace(hours, reported=value) if employee else replace(hours, corrected=value)
            await uow.work.save_hours(hours, now=self._clock.now())
            if employee:
                await self.send_card(uow, approval, hours, Role.POSTER)
            view = await self._hours_view(uow, approval, hours, role)
            await uow.commit()
            return view

    async def send_card(self, uow: UnitOfWork, approval: Approval, hours: HoursMonth, role: Role) -> None:
        """The employee's card for the month; or the poster's, which is one card a month: sent the
        first time, changed in place when the employee reports again."""
        person_id = approval.candidate_id if role is Role.EMPLOYEE else approval.poster_id
        person = await uow.people.get(person_id)
        if person is None:
            return
        view = await self._hours_view(uow, approval, hours, role)
        content = {"card": self._cards.hours(view, person.locale)}
        now = self._clock.now()
        sent = await uow.work.poster_card(approval.id, hours.month) if role is Role.POSTER else None
        if sent is not None:
            await uow.outbox.enqueue_update(sent, content, reason="work.hours.update", now=now)
            return
        message_id = await uow.outbox.enqueue(
            content, [Recipient(person_aad_object_id=person_id)], reason=f"work.hours.{role.value}", now=now
        )
        if role is Role.POSTER:
            await uow.work.set_poster_card(approval.id, hours.month, message_id)

    async def _month(
        self, uow: UnitOfWork, actor: Actor, approval_id: int, month: date | None, *, lock: bool = False
    ) -> tuple[Approval, HoursMonth, Role] | Refusal:
        """The month's hours, and the actor's part in the match (employee or poster)."""
        approval = await uow.approvals.get(approval_id, lock=lock)
        role = role_of(approval, actor)
        if approval is None or role is None or month is None:
            return Refusal("match_not_found")
        hours = next((h for h in await uow.work.hours(approval.id) if h.month == month_of(month)), None)
        if hours is None:
            return Refusal("match_not_found")
        return approval, hours, role

    async def _hours_view(
        self,
        uow: UnitOfWork,
        approval: Approval,
        hours: HoursMonth,
        role: Role,
        *,
        changed: bool = False,
        errors: tuple[FieldError, ...] = (),
    ) -> HoursView:
        klus = await uow.klussen.get(approval.klus_id)
        employee = await uow.people.get(approval.candidate_id)
        return HoursView(
            approval.id,
            klus.title if klus else "",
            employee.name if employee else "",
            role,
            hours,
            changed,
            errors,
        )


def role_of(approval: Approval | None, actor: Actor) -> Role | None:
    if approval is None:
        return None
    if actor.aad_object_id == approval.candidate_id:
        return Role.EMPLOYEE
    if actor.aad_object_id == approval.poster_id:
        return Role.POSTER
    return None
