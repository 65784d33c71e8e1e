"""Use cases of a person's own availability: sign up, change, pause, withdraw."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from klussenbank.domain.availability import AvailabilityDraft, validate_availability, validate_pause
from klussenbank.domain.fields import MAX_OTHER_SKILLS_TEXT
from klussenbank.domain.people import (
    Availability,
    AvailabilityStatus,
    Organisation,
    Person,
    WorkMode,
)
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.clock import Clock
from klussenbank.services.once import Repeated, first_press
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, ConversationRef
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.views import (
    ConfirmedView,
    FormView,
    PauseView,
    ProfileView,
    SkillChoice,
    WelcomeView,
)

DEFAULT_HOURS = 8

_Change = Callable[[Availability], Availability]


class UnknownPerson(LookupError):
    """The actor has never been met; every turn meets them first, so this is a bug or a race."""


class SignupService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        clock: Clock,
        vocabulary: SkillVocabulary,
        directory: Directory,
        default_organisation: str,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._vocabulary = vocabulary
        self._directory = directory
        self._default_organisation = default_organisation

    async def meet(self, actor: Actor, conversation: ConversationRef | None) -> WelcomeView | None:
        """Register or refresh the person and their conversation; a welcome the first time.

        Nearly every turn finds both as they were: then it only reads, without a transaction. A write
        on every turn would make every turn wait for the others on SQLite, which has one writer at a
        time.
        """
        now = self._clock.now()
        entry = await self._directory.person(actor.aad_object_id)
        async with self._uow(reads_only=True) as uow:
            known, current = await uow.conversations.met(actor.aad_object_id, conversation)
        organisation = entry.organisation if entry else None
        if organisation is None:
            key = known.organisation_key if known else self._default_organisation
            organisation = Organisation(key, key)
        person = Person(
            aad_object_id=actor.aad_object_id,
            tenant_id=actor.tenant_id,
            name=actor.name or (entry.name if entry else "") or (known.name if known else ""),
            email=entry.email if entry else (known.email if known else ""),
            organisation_key=organisation.key,
            locale=actor.locale or (known.locale if known else ""),
        )
        changed = known is None or replace(known, welcomed_at=None) != person
        unwelcomed = known is None or known.welcomed_at is None
        if not (changed or unwelcomed or not current):
            return None
        # Writes are upserts and a claim, so they hold when another turn wrote since the reads.
        async with self._uow() as uow:
            if changed:
                if await uow.organisations.get(organisation.key) is None:
                    await uow.organisations.add(organisation, now=now)
                await uow.people.save(person, now=now)
            # Teams may deliver two first turns at once (install events, a quick first message):
            # claiming the welcome in the database lets exactly one of them say hello.
            first_contact = unwelcomed and await uow.people.claim_welcome(actor.aad_object_id, now=now)
            if conversation is not None and not current:
                await uow.conversations.save(conversation, now=now)
            await uow.commit()
        return WelcomeView(name=person.name) if first_contact else None

    async def remember_conversation(self, conversation: ConversationRef) -> None:
        async with self._uow() as uow:
            await uow.conversations.save(conversation, now=self._clock.now())
            await uow.commit()

    async def locale_of(self, aad_object_id: str) -> str:
        """The Teams locale this person last used with Klussenbank; empty when they never did."""
        async with self._uow() as uow:
            person = await uow.people.get(aad_object_id)
            return person.locale if person else ""

    async def profile(self, actor: Actor) -> ProfileView | None:
        async with self._uow(reads_only=True) as uow:
            availability = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                return None
            return await self._profile_view(uow, actor, availability)

    async def set_confirmation_hidden(
        self, actor: Actor, skill: str, hidden: bool
    ) -> tuple[ProfileView, bool] | None:
        """Hide or show the confirmations of one of the actor's skills (only their own: the server
        looks them up by the actor, whatever the card sends): the profile as it is then, and whether
        they had that skill confirmed; None without a profile."""
        async with self._uow() as uow:
            changed = await uow.growth.set_hidden(actor.aad_object_id, skill, hidden)
            availability = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                return None
            view = await self._profile_view(uow, actor, availability)
            await uow.commit()
            return view, changed

    async def form(self, actor: Actor) -> FormView:
        today = self._clock.today()
        async with self._uow() as uow:
            person = await self._person(uow, actor)
            availability = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                values = AvailabilityDraft(
                    hours_per_week=DEFAULT_HOURS,
                    start_date=today,
                    organisations=(person.organisation_key,),
                    work_mode=WorkMode.HYBRID,
                )
            else:
                values = AvailabilityDraft(
                    skills=availability.skills,
                    skills_other=_free_skills_text(availability.free_skills),
                    hours_per_week=availability.hours_per_week,
                    # A start in the past would be refused, so an edit starts from today.
                    start_date=max(availability.start_date, today),
                    end_date=availability.end_date,
                    weekdays=availability.weekdays,
                    organisations=availability.organisations,
                    work_mode=availability.work_mode,
                    intro=availability.intro,
                    suggestions=availability.suggestions,
                    visible_to_own_line=availability.visible_to_own_line,
                    findable=availability.findable,
                    talent_text=availability.talent_text,
                    learning_skills=availability.learning_skills,
                    learning_other=_free_skills_text(availability.learning_other),
                )
            return FormView(
                values=values,
                skill_choices=self._skill_choices(),
                organisation_choices=tuple(await uow.organisations.all()),
                today=today,
                is_update=availability is not None,
            )

    async def save(
        self, actor: Actor, draft: AvailabilityDraft, *, once: str | None = None
    ) -> ProfileView | FormView | Repeated[ProfileView]:
        """Sign up, or change the profile; a second press of the form gets the profile the first saved."""
        today = self._clock.today()
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "availability.save", now=self._clock.now()):
                saved = await uow.availability.get(actor.aad_object_id)
                if saved is not None:
                    return Repeated(await self._profile_view(uow, actor, saved))
            await self._person(uow, actor)
            organisations = await uow.organisations.all()
            availability, errors = validate_availability(
                draft,
                today=today,
                vocabulary=self._vocabulary,
                organisations={org.key for org in organisations},
            )
            existing = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                return FormView(
                    values=draft,
                    skill_choices=self._skill_choices(),
                    organisation_choices=tuple(organisations),
                    today=today,
                    is_update=existing is not None,
                    errors=tuple(errors),
                )
            if existing is not None and existing.status_on(today) is AvailabilityStatus.PAUSED:
                # Changing your details does not end a pause you chose.
                assert existing.paused_until is not None
                availability = availability.paused(existing.paused_until)
            await uow.availability.save(actor.aad_object_id, availability, now=self._clock.now())
            view = await self._profile_view(uow, actor, availability)
            await uow.commit()
            return view

    async def pause_form(self, actor: Actor) -> PauseView | None:
        today = self._clock.today()
        profile = await self.profile(actor)
        if profile is None:
            return None
        return PauseView(today=today, paused_until=profile.paused_until)

    async def pause(self, actor: Actor, until: date | None) -> ProfileView | PauseView | None:
        today = self._clock.today()
        errors = validate_pause(until, today=today)
        if errors:
            if await self.profile(actor) is None:
                return None
            return PauseView(today=today, paused_until=until, errors=tuple(errors))
        assert until is not None
        return await self._change(actor, lambda availability: availability.paused(until))

    async def resume(self, actor: Actor) -> ProfileView | None:
        return await self._change(actor, Availability.resumed)

    async def withdraw(self, actor: Actor) -> ProfileView | None:
        return await self._change(actor, Availability.withdrawn)

    async def _change(self, actor: Actor, change: _Change) -> ProfileView | None:
        async with self._uow() as uow:
            availability = await uow.availability.get(actor.aad_object_id)
            if availability is None:
                return None
            availability = change(availability)
            await uow.availability.save(actor.aad_object_id, availability, now=self._clock.now())
            view = await self._profile_view(uow, actor, availability)
            await uow.commit()
            return view

    async def _person(self, uow: UnitOfWork, actor: Actor) -> Person:
        person = await uow.people.get(actor.aad_object_id)
        if person is None:
            raise UnknownPerson(actor.aad_object_id)
        return person

    async def _profile_view(self, uow: UnitOfWork, actor: Actor, availability: Availability) -> ProfileView:
        today = self._clock.today()
        person = await self._person(uow, actor)
        names = {org.key: org for org in await uow.organisations.all()}
        return ProfileView(
            name=person.name,
            skills=tuple(self._choice(skill) for skill in availability.skills if skill in self._vocabulary),
            free_skills=availability.free_skills,
            hours_per_week=availability.hours_per_week,
            start_date=availability.start_date,
            end_date=availability.end_date,
            weekdays=availability.weekdays,
            organisations=tuple(names[key] for key in availability.organisations if key in names),
            work_mode=availability.work_mode,
            intro=availability.intro,
            status=availability.status_on(today),
            paused_until=availability.paused_until,
            today=today,
            findable=availability.findable,
            talent_text=availability.talent_text,
            learning=(
                *(self._choice(skill) for skill in availability.learning_skills if skill in self._vocabulary),
                *availability.learning_other,
            ),
            confirmed=tuple(
                ConfirmedView(self._choice(c.skill), c.count, c.hidden)
                for c in await uow.growth.confirmed(actor.aad_object_id)
                if c.skill in self._vocabulary
            ),
        )

    def _choice(self, skill_id: str) -> SkillChoice:
        skill = self._vocabulary.get(skill_id)
        return SkillChoice(skill.id, skill.label_nl, skill.label_en)

    def _skill_choices(self) -> tuple[SkillChoice, ...]:
        return tuple(SkillChoice(s.id, s.label_nl, s.label_en) for s in self._vocabulary.skills)


def _free_skills_text(free_skills: tuple[str, ...]) -> str:
    """The free skills as the form shows them; saving that text unchanged must pass the rules.

    The person may have typed "a;b;c": joined by ", " that grows, possibly over the limit.
    Joined by "," it never does, as the terms they typed were at least one character apart.
    """
    text = ", ".join(free_skills)
    return text if len(text) <= MAX_OTHER_SKILLS_TEXT else ",".join(free_skills)
