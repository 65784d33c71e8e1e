"""The secondment agreement of an approved match: drawn up at approval in Dutch and English, in the
lending organisation's wording, and offered to the parties (employee, poster, the approvers, HR) as
a PDF in each one's language behind a short-lived, signed link."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from klussenbank.domain.agreement import AgreementView, Contact
from klussenbank.domain.agreement_wording import LANGUAGES
from klussenbank.domain.approval import Approval, EventKind
from klussenbank.domain.organisations import Rules
from klussenbank.i18n import language_of
from klussenbank.services.clock import Clock
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, DirectoryPerson, Recipient
from klussenbank.services.ports.renderers import AgreementCards
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import HrRoles
from klussenbank.services.views import Refusal

Render = Callable[[AgreementView], bytes]


def pdf_path(approval_id: int, language: str) -> str:
    """Where the agreement is served in `language`: signing the path binds the language too."""
    return f"/api/agreements/{approval_id}.{language}.pdf"


@dataclass(frozen=True)
class AgreementLink:
    approval_id: int
    number: str
    klus_title: str
    url: str


@dataclass(frozen=True)
class AgreementRowView:
    """One agreement in my list: of which match, its number, and the day it was drawn up."""

    approval_id: int
    number: str
    klus_title: str
    employee_name: str
    drawn_up_on: date


@dataclass(frozen=True)
class AgreementsView:
    """`overeenkomst`: the agreements I may open; `has_profile` picks the next step when there are none."""

    rows: tuple[AgreementRowView, ...]
    has_profile: bool


class AgreementService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        directory: Directory,
        rules: Rules,
        render: Render,
        cards: AgreementCards,
        links: LinkSigner,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._directory = directory
        self._rules = rules
        self._render = render
        self._cards = cards
        self._links = links
        self._roles = HrRoles(directory, rules)

    async def draw_up(self, uow: UnitOfWork, approval: Approval) -> None:
        """In the approving transaction: the terms are stored in every language. The PDF of a
        language is made when it is first opened (`pdf`): making one takes about 0.1 s of CPU, too
        much to spend twice on every approval, beside everyone else's turns."""
        view = await self._view(uow, approval)
        terms = [replace(view, language=language) for language in LANGUAGES]
        await uow.agreements.add(approval.id, terms, now=self._clock.now())

    async def offer(self, uow: UnitOfWork, approval: Approval, *, told: Collection[str]) -> None:
        """The parties hear the agreement is ready, except those `told` already (in one message
        with the outcome, or on their own card): one message each."""
        klus = await uow.klussen.get(approval.klus_id)
        for person_id in await self._parties(uow, approval):
            person = await uow.people.get(person_id)
            if person is None or person_id in told:
                continue
            await uow.outbox.enqueue(
                {"card": self._cards.ready(approval.id, klus.title if klus else "", person.locale)},
                [Recipient(person_aad_object_id=person_id)],
                reason="agreement.ready",
                now=self._clock.now(),
            )

    async def link(self, actor: Actor, approval_id: int) -> AgreementLink | Refusal:
        """A fresh download link, for a party to the agreement only, to the PDF in their language."""
        async with self._uow() as uow:
            approval = await uow.approvals.get(approval_id)
            reader = await uow.people.get(actor.aad_object_id)
            language = language_of(reader.locale if reader else actor.locale)
            number = await uow.agreements.number(approval_id)
            if approval is None or number is None or not await self._may_read(uow, actor, approval):
                return Refusal("agreement_not_found")
            klus = await uow.klussen.get(approval.klus_id)
            return AgreementLink(
                approval_id,
                number,
                klus.title if klus else "",
                self._links.url(pdf_path(approval_id, language), self._clock.now()),
            )

    async def mine(self, actor: Actor) -> AgreementsView:
        """The agreements I may open: as a party, or as HR of the employee's organisation."""
        hr_of = await self._roles.organisations_of(actor)
        async with self._uow() as uow:
            rows = []
            for entry in await uow.agreements.readable(actor.aad_object_id, hr_of):
                approval = await uow.approvals.get(entry.approval_id)
                if approval is None:
                    continue
                klus = await uow.klussen.get(approval.klus_id)
                employee = await uow.people.get(approval.candidate_id)
                zone = self._rules.of(approval.organisation_key).zone
                rows.append(
                    AgreementRowView(
                        approval.id,
                        entry.number,
                        klus.title if klus else "",
                        employee.name if employee else "",
                        entry.created_at.astimezone(zone).date(),
                    )
                )
            has_profile = await uow.availability.get(actor.aad_object_id) is not None
            return AgreementsView(tuple(rows), has_profile)

    async def pdf(
        self, approval_id: int, language: str, expires: str, signature: str
    ) -> tuple[str, bytes] | None:
        if not self._links.valid(pdf_path(approval_id, language), expires, signature, self._clock.now()):
            return None
        async with self._uow(reads_only=True) as uow:
            stored = await uow.agreements.get(approval_id, language)
        if stored is None:
            return None
        if stored.pdf is not None:
            return stored.number, stored.pdf
        assert stored.terms is not None  # (an agreement has its PDF, its terms, or both)
        # Made in a thread: the process keeps answering turns meanwhile. The same terms give the
        # same bytes, so two first opens at once keep one and the same PDF.
        pdf = await asyncio.to_thread(self._render, stored.terms)
        async with self._uow() as uow:
            await uow.agreements.keep_pdf(approval_id, stored.language, pdf)
            await uow.commit()
        return stored.number, pdf

    async def _may_read(self, uow: UnitOfWork, actor: Actor, approval: Approval) -> bool:
        if actor.aad_object_id in await self._parties(uow, approval, with_hr=False):
            return True
        return approval.organisation_key in await self._roles.organisations_of(actor)

    async def _parties(self, uow: UnitOfWork, approval: Approval, *, with_hr: bool = True) -> list[str]:
        deciders = [
            e.actor_id
            for e in await uow.approvals.events(approval.id)
            if e.kind is EventKind.APPROVED and e.actor_id
        ]
        hr = await self._hr_contact(approval) if with_hr else None
        people = [approval.candidate_id, approval.poster_id, *deciders, *([hr.aad_object_id] if hr else [])]
        return list(dict.fromkeys(people))

    async def _hr_contact(self, approval: Approval) -> DirectoryPerson | None:
        return await self._roles.approver(approval.organisation_key)

    async def _view(self, uow: UnitOfWork, approval: Approval) -> AgreementView:
        klus = await uow.klussen.get(approval.klus_id)
        assert klus is not None
        candidate = await self._directory.person(approval.candidate_id)
        poster = await self._directory.person(approval.poster_id)
        candidate_row = await uow.people.get(approval.candidate_id)
        poster_row = await uow.people.get(approval.poster_id)
        manager = (
            await self._directory.person(candidate.manager_aad_object_id)
            if candidate and candidate.manager_aad_object_id
            else None
        )
        hr = await self._hr_contact(approval)
        lending = await uow.organisations.get(approval.organisation_key)
        borrowing = await uow.organisations.get(klus.organisation_key)
        approvals = [e for e in await uow.approvals.events(approval.id) if e.kind is EventKind.APPROVED]
        last = approvals[-1] if approvals else None
        approver = await self._directory.person(last.actor_id) if last and last.actor_id else None
        lending_rules = self._rules.of(approval.organisation_key)  # it is their employee
        rate = lending_rules.internal_hourly_rate
        today = self._clock.today()
        return AgreementView(
            number=f"KB-{today.year}-{approval.id:04d}",
            agreement_date=today,
            generated_at=self._clock.now(),
            lending_organisation=lending.name if lending else approval.organisation_key,
            lending_department=candidate.department if candidate else "",
            borrowing_organisation=borrowing.name if borrowing else klus.organisation_key,
            borrowing_department=poster.department if poster else "",
            employee_name=candidate_row.name if candidate_row else "",
            employee_job_title=candidate.job_title if candidate else "",
            employee_email=candidate_row.email if candidate_row else "",
            klus_title=klus.title,
            klus_description=klus.description,
            hours_per_week=klus.hours_per_week,
            start_date=klus.start_date,
            end_date=klus.end_date,
            hourly_rate=None if rate is None else Decimal(str(rate)),
            poster=Contact(poster_row.name, poster_row.email) if poster_row else Contact("", ""),
            line_manager=Contact(manager.name, manager.email) if manager else Contact("", ""),
            hr_contact=Contact(hr.name, hr.email) if hr else Contact("", ""),
            approved_by=approver.name if approver else "",
            approved_on=last.at.date() if last else today,
            template=lending_rules.agreement_template,
        )
