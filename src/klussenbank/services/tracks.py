"""A development track that only the person and their HR adviser see (re-integration, career
development): HR proposes it, the person consents in chat before anything is stored, and may end it
at any time; the adviser follows it (klussen done, hours, evaluations, a timeline, CSV and PDF for the
personnel file) and may suggest klussen. Also HR's overview of standing candidates: counts only, and
the profiles of people who asked for coaching.

Nobody else learns of a track: a poster's candidates and a manager's cards are made elsewhere and never
read the tracks; the favouring of klussen that serve a track is in the person's own list only
(`Marketplace.offers_for`)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import InterestStatus, Klus
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import AvailabilityStatus, Person
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.track import (
    HOURS_BANDS,
    Track,
    TrackEvent,
    TrackEventKind,
    TrackGoals,
    TrackKind,
    check_goals,
    goals_served,
    hours_band,
    shown_count,
)
from klussenbank.domain.work import Evaluation, Role
from klussenbank.services.klus_views import skill_choices
from klussenbank.services.links import LinkSigner
from klussenbank.services.marketplace import Marketplace, may_see
from klussenbank.services.once import ALREADY_DONE, Repeated, first_press, settle
from klussenbank.services.own_line import hidden_from
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, DirectoryPerson, Recipient
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.services.roles import HrRoles, find_person
from klussenbank.services.shifts import by_shift
from klussenbank.services.spreadsheet import cell
from klussenbank.services.views import Refusal, SkillChoice

SAW_TRACK = "track"  # the HR adviser looked at the person's track
SAW_COACHING = "coaching"  # HR saw the profile of someone who asked for coaching
CONSENT_VALID = timedelta(days=14)  # a consent card older than this asks HR to propose again
SUGGESTIONS_SHOWN = 5
MAX_LISTED = 100  # people on the start card's list; with more, HR types an e-mail address


@dataclass(frozen=True)
class TrackRequest:
    """What HR filled in on the start card; also what the consent card carries back, sealed."""

    person_id: str = ""
    kind: TrackKind | None = None
    skills: tuple[str, ...] = ()
    hours: int | None = None
    until: date | None = None
    adviser_id: str = ""
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A track HR proposed, as the consent card carries it (with the proposer and a seal)."""

    person_id: str
    proposer_id: str
    adviser_id: str
    kind: TrackKind
    goals: TrackGoals

    def text(self) -> str:
        """What the seal covers."""
        skills = ",".join(self.goals.skills)
        return (
            f"track|{self.person_id}|{self.proposer_id}|{self.adviser_id}|{self.kind.value}|{skills}"
            f"|{self.goals.hours}|{self.goals.until.isoformat()}"
        )


@dataclass(frozen=True)
class Choice:
    id: str
    name: str


@dataclass(frozen=True)
class TrackFormView:
    people: tuple[Choice, ...]
    advisers: tuple[Choice, ...]
    skills: tuple[SkillChoice, ...]
    values: TrackRequest
    today: date
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class ConsentView:
    """The card the person gets: what HR proposes, with yes and no."""

    proposal: Proposal
    seal: str
    proposer_name: str
    adviser_name: str
    skills: tuple[SkillChoice, ...]


@dataclass(frozen=True)
class TrackNotice:
    """A short message about a track, to the adviser or the person: `kind` names its text."""

    kind: str  # "proposed", "declined", "started", "ended", "suggested"
    name: str  # the other person
    track_id: int | None = None
    klus: Klus | None = None


@dataclass(frozen=True)
class TrackSummary:
    track: Track
    person_name: str
    adviser_name: str
    skills: tuple[SkillChoice, ...]


@dataclass(frozen=True)
class MyTrackView:
    tracks: tuple[TrackSummary, ...]
    coaching: bool
    banner: str = ""


@dataclass(frozen=True)
class TracksView:
    """HR: the tracks I coach."""

    tracks: tuple[TrackSummary, ...]


@dataclass(frozen=True)
class DoneKlus:
    title: str
    hours: float
    scores: tuple[int | None, int | None]  # the employee's and the poster's
    skills: tuple[str, ...]  # goal skills the evaluations name


@dataclass(frozen=True)
class TrackProgressView:
    """HR's view of one track: against the goals, with the timeline and the exports."""

    summary: TrackSummary
    done: tuple[DoneKlus, ...]
    hours: float
    skills_practised: tuple[SkillChoice, ...]
    timeline: tuple[TrackEvent, ...]
    csv_url: str
    pdf_urls: dict[str, str]  # by language


@dataclass(frozen=True)
class TrackKlussenView:
    """Open klussen that serve the track's goals, for the adviser to suggest one."""

    summary: TrackSummary
    klussen: tuple[Klus, ...]
    banner: str = ""


@dataclass(frozen=True)
class Cell:
    label: str  # a domain id, or an hours band "1-8"
    count: int | None  # None: fewer than shown_count allows


@dataclass(frozen=True)
class CoachingProfile:
    name: str
    job_title: str
    skills: tuple[SkillChoice, ...]
    hours_per_week: int | None  # None: not signed up


@dataclass(frozen=True)
class StandingView:
    organisation: str
    available: Cell
    by_domain: tuple[Cell, ...]
    by_hours: tuple[Cell, ...]
    coaching: tuple[CoachingProfile, ...]
    domain_labels: dict[str, tuple[str, str]]  # id -> (nl, en)


def track_csv_path(track_id: int) -> str:
    return f"/api/tracks/{track_id}.csv"


def track_pdf_path(track_id: int, language: str) -> str:
    return f"/api/tracks/{track_id}.{language}.pdf"


class TrackCards(Protocol):
    """What cards/ renders for messages about tracks sent outside the actor's turn."""

    def consent(self, view: ConsentView, locale: str) -> dict[str, Any]: ...

    def notice(self, notice: TrackNotice, locale: str) -> dict[str, Any]: ...


class TrackService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        market: Marketplace,
        directory: Directory,
        rules: Rules,
        links: LinkSigner,
        cards: TrackCards,
        render_pdf: Callable[[TrackProgressView, str], bytes],
    ) -> None:
        self._uow = uow
        self._market = market
        self._clock = market.clock
        self._vocabulary: SkillVocabulary = market.vocabulary
        self._directory = directory
        self._rules = rules
        self._roles = HrRoles(directory, rules)
        self._links = links
        self._cards = cards
        self._render_pdf = render_pdf

    # -- HR proposes, the person decides ---------------------------------------------------------

    async def form(self, actor: Actor, values: TrackRequest | None = None) -> TrackFormView | Refusal:
        mine = await self._roles.organisations_of(actor)
        if not mine:
            return Refusal("not_hr")
        people = [p for p in await self._directory.people() if p.organisation.key in mine]
        advisers = [p for p in people if any(self._roles.is_hr_of(p, key) for key in mine)]
        others = [p for p in people if p.aad_object_id != actor.aad_object_id]
        return TrackFormView(
            # A long list would not fit in a Teams message: then the card asks for an e-mail address.
            people=tuple(Choice(p.aad_object_id, p.name) for p in others)
            if len(others) <= MAX_LISTED
            else (),
            advisers=tuple(Choice(p.aad_object_id, p.name) for p in advisers),
            skills=skill_choices(self._vocabulary, (s.id for s in self._vocabulary.skills)),
            values=values or TrackRequest(adviser_id=actor.aad_object_id),
            today=self._clock.today(),
        )

    async def propose(
        self, actor: Actor, request: TrackRequest, *, once: str | None = None
    ) -> TrackNotice | TrackFormView | Refusal:
        """Checks the proposal and sends the person the consent card; stores nothing of the track."""
        form = await self.form(actor, request)
        if isinstance(form, Refusal):
            return form
        errors = [FieldError(name, "unreadable") for name in request.unreadable]
        person = await find_person(self._directory, request.person_id) if request.person_id else None
        mine = await self._roles.organisations_of(actor)
        if (
            person is None
            or person.organisation.key not in mine
            or person.aad_object_id == actor.aad_object_id
        ):
            errors.append(FieldError("person", "unknown_choice"))
        if request.kind is None:
            errors.append(FieldError("kind", "unknown_choice"))
        if person is not None and not await self._may_advise(request.adviser_id, person):
            errors.append(FieldError("adviser", "unknown_choice"))
        goals = TrackGoals(request.skills, request.hours or 0, request.until or self._clock.today())
        errors += check_goals(goals, self._vocabulary, self._clock.today())
        if errors or person is None or request.kind is None:
            return _with_errors(form, errors)
        now = self._clock.now()
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "track.propose", now=now):
                return TrackNotice("proposed", person.name)
            known = await uow.people.get(person.aad_object_id)
            if known is None:  # the bot never met them: it cannot ask them
                return _with_errors(form, [FieldError("person", "track_not_reachable")])
            if any(t.active for t in await uow.tracks.of_person(person.aad_object_id)):
                return _with_errors(form, [FieldError("person", "track_exists")])
            proposal = Proposal(
                person.aad_object_id, actor.aad_object_id, request.adviser_id, request.kind, goals
            )
            view = ConsentView(
                proposal,
                self._links.seal(proposal.text(), now + CONSENT_VALID),
                actor.name,
                await self._name(request.adviser_id),
                skill_choices(self._vocabulary, goals.skills),
            )
            await uow.outbox.enqueue(
                {"card": self._cards.consent(view, known.locale)},
                [Recipient(person_aad_object_id=person.aad_object_id)],
                reason="track.consent",
                now=now,
            )
            await uow.audit.add(actor.aad_object_id, "track.proposed", person.organisation.key, now=now)
            await uow.commit()
        return TrackNotice("proposed", person.name)

    async def answer(
        self, actor: Actor, proposal: Proposal | None, seal: str, *, yes: bool, once: str | None = None
    ) -> MyTrackView | Repeated[MyTrackView] | Refusal:
        """The person's yes (the track exists from now on) or no (nothing is stored; HR hears it kindly)."""
        now = self._clock.now()
        if (
            proposal is None
            or proposal.person_id != actor.aad_object_id
            or not self._links.sealed(proposal.text(), seal, now)
        ):
            return Refusal("track_proposal_invalid")
        async with self._uow() as uow:
            if await first_press(uow, actor, once, "track.answer", now=now):
                return Repeated(await self._mine(uow, actor))
            person = await uow.people.get(actor.aad_object_id)
            directory_person = await self._directory.person(actor.aad_object_id)
            if person is None or directory_person is None:
                return Refusal("track_proposal_invalid")
            if not yes:
                await self._tell(uow, proposal.proposer_id, TrackNotice("declined", person.name))
                await uow.commit()
                return await self._mine(uow, actor, banner="track.declined_by_you")
            if any(t.active for t in await uow.tracks.of_person(actor.aad_object_id)):
                return await self._mine(uow, actor, banner="track.already_active")
            if not await self._may_advise(proposal.adviser_id, directory_person):
                return Refusal("track_proposal_invalid")
            track = await uow.tracks.add(
                actor.aad_object_id,
                directory_person.organisation.key,
                proposal.adviser_id,
                proposal.kind,
                proposal.goals,
                now=now,
            )
            await uow.tracks.add_event(track.id, TrackEventKind.STARTED, now=now)
            for hr in dict.fromkeys((proposal.adviser_id, proposal.proposer_id)):
                await self._tell(uow, hr, TrackNotice("started", person.name, track.id))
            await settle(uow, actor, once, track.id)
            await uow.commit()
            return await self._mine(uow, actor, banner="track.started_by_you")

    # -- the person --------------------------------------------------------------------------------

    async def mine(self, actor: Actor) -> MyTrackView:
        async with self._uow() as uow:
            return await self._mine(uow, actor)

    async def end(self, actor: Actor, track_id: int) -> MyTrackView:
        """The person ends their consent: the track closes now; its details go after the retention."""
        now = self._clock.now()
        async with self._uow() as uow:
            track = await uow.tracks.get(track_id)
            if track is None or track.person_id != actor.aad_object_id or not track.active:
                return await self._mine(uow, actor)
            await uow.tracks.end(track.id, now=now)
            await uow.tracks.add_event(track.id, TrackEventKind.ENDED, now=now)
            await self._tell(uow, track.adviser_id, TrackNotice("ended", actor.name))
            await uow.commit()
            return await self._mine(uow, actor, banner="track.ended_by_you")

    async def set_coaching(self, actor: Actor, wanted: bool) -> MyTrackView:
        async with self._uow() as uow:
            await uow.tracks.set_coaching(actor.aad_object_id, wanted, now=self._clock.now())
            await uow.commit()
            return await self._mine(uow, actor, banner=f"track.coaching_{'on' if wanted else 'off'}")

    # -- the HR adviser ----------------------------------------------------------------------------

    async def advised(self, actor: Actor) -> TracksView | Refusal:
        if not await self._roles.organisations_of(actor):
            return Refusal("not_hr")
        async with self._uow() as uow:
            tracks = await uow.tracks.advised_by(actor.aad_object_id)
            return TracksView(tuple([await self._summary(t) for t in tracks]))

    async def progress(self, actor: Actor, track_id: int) -> TrackProgressView | Refusal:
        """The adviser's view of a track; in the person's access log."""
        now = self._clock.now()
        async with self._uow() as uow:
            track = await self._advised(uow, actor, track_id)
            if track is None:
                return Refusal("track_not_found")
            view = await self._progress(uow, track)
            await uow.access_log.add(track.person_id, actor.aad_object_id, SAW_TRACK, None, now=now)
            await uow.commit()
            return view

    async def klussen(self, actor: Actor, track_id: int, *, banner: str = "") -> TrackKlussenView | Refusal:
        """Open klussen the person may see that serve the track's goals."""
        async with self._uow() as uow:
            track = await self._advised(uow, actor, track_id)
            if track is None:
                return Refusal("track_not_found")
            person = await uow.people.get(track.person_id)
            assert person is not None
            fitting = [
                k
                for k in await uow.klussen.open(self._clock.today())
                if k.poster_id != person.aad_object_id
                and may_see(k, person)
                and goals_served(k, track.goals.skills)
            ]
            # A request by shift is its coordinators' to give out: the person could not react to it.
            shifts = await uow.shifts.of_klussen([k.id for k in fitting])
            fitting = [k for k in fitting if k.id not in shifts]
            return TrackKlussenView(await self._summary(track), tuple(fitting[:SUGGESTIONS_SHOWN]), banner)

    async def suggest(
        self, actor: Actor, track_id: int, klus_id: int, *, once: str | None = None
    ) -> TrackKlussenView | Refusal:
        """The adviser suggests a klus: the person gets it and decides; the adviser learns no more."""
        now = self._clock.now()
        async with self._uow() as uow:
            track = await self._advised(uow, actor, track_id)
            if track is None:
                return Refusal("track_not_found")
            repeated = await first_press(uow, actor, once, "track.suggest", now=now)
            if not repeated:
                person = await uow.people.get(track.person_id)
                klus = await uow.klussen.get(klus_id)
                if (
                    person is None
                    or klus is None
                    or not may_see(klus, person)
                    or not klus.open_on(self._clock.today())
                    or await by_shift(uow, klus)
                ):
                    return Refusal("klus_not_found")
                await self._tell(
                    uow, person.aad_object_id, TrackNotice("suggested", actor.name, track.id, klus)
                )
                await uow.tracks.add_event(track.id, TrackEventKind.SUGGESTED, now=now, klus_title=klus.title)
                await uow.commit()
        return await self.klussen(actor, track_id, banner=ALREADY_DONE if repeated else "track.suggested")

    async def csv(self, track_id: int, expires: str, signature: str) -> str | None:
        if not self._links.valid(track_csv_path(track_id), expires, signature, self._clock.now()):
            return None
        async with self._uow() as uow:
            track = await uow.tracks.get(track_id)
            return progress_csv(await self._progress(uow, track)) if track else None

    async def pdf(self, track_id: int, language: str, expires: str, signature: str) -> bytes | None:
        if not self._links.valid(track_pdf_path(track_id, language), expires, signature, self._clock.now()):
            return None
        async with self._uow() as uow:
            track = await uow.tracks.get(track_id)
            return self._render_pdf(await self._progress(uow, track), language) if track else None

    async def standing(self, actor: Actor) -> StandingView | Refusal:
        """HR's own organisation: how many are available by skill domain and hours (small counts
        hidden), and the profiles of those who asked for coaching (each look in their access log)."""
        mine = await self._roles.organisations_of(actor)
        if not mine:
            return Refusal("not_hr")
        key, today, now = mine[0], self._clock.today(), self._clock.now()
        async with self._uow() as uow:
            hidden = await hidden_from(uow, self._directory, actor.aad_object_id)
            members = [
                m
                for m in await uow.pool.some(await uow.tracks.people_in(key))
                if m.availability.status_on(today) is AvailabilityStatus.ACTIVE
            ]
            domains: Counter[str] = Counter()
            bands: Counter[int] = Counter()
            for member in members:
                domains.update(
                    {
                        self._vocabulary.get(s).domain
                        for s in member.availability.skills
                        if s in self._vocabulary
                    }
                )
                bands[hours_band(member.availability.hours_per_week)] += 1
            profiles = []
            for person_id in await uow.tracks.people_in(key, coaching=True):
                availability = await uow.availability.get(person_id)
                # The manager-blind rule: HR who manage someone do not see them here unless allowed.
                if person_id == actor.aad_object_id or person_id in hidden:
                    continue
                person = await uow.people.get(person_id)
                entry = await self._directory.person(person_id)
                if person is None:
                    continue
                profiles.append(
                    CoachingProfile(
                        person.name,
                        entry.job_title if entry else "",
                        skill_choices(self._vocabulary, availability.skills if availability else ()),
                        availability.hours_per_week if availability else None,
                    )
                )
                await uow.access_log.add(person_id, actor.aad_object_id, SAW_COACHING, None, now=now)
            await uow.audit.add(actor.aad_object_id, "standing.viewed", key, now=now)
            await uow.commit()
            organisation = await uow.organisations.get(key)
        return StandingView(
            organisation=organisation.name if organisation else key,
            available=Cell("", shown_count(len(members))),
            by_domain=tuple(
                Cell(d, shown_count(n)) for d, n in sorted(domains.items(), key=lambda i: (-i[1], i[0]))
            ),
            by_hours=tuple(
                Cell(f"{low}-{high}", shown_count(bands[i])) for i, (low, high) in enumerate(HOURS_BANDS)
            ),
            coaching=tuple(profiles),
            domain_labels={d.id: (d.label_nl, d.label_en) for d in self._vocabulary.domains},
        )

    # -- shared --------------------------------------------------------------------------------

    async def _may_advise(self, adviser_id: str, person: DirectoryPerson) -> bool:
        adviser = await self._directory.person(adviser_id) if adviser_id else None
        return (
            adviser is not None
            and adviser.aad_object_id != person.aad_object_id
            and self._roles.is_hr_of(adviser, person.organisation.key)
        )

    async def _advised(self, uow: UnitOfWork, actor: Actor, track_id: int) -> Track | None:
        """The track, only for its adviser while it runs: to anyone else it does not exist."""
        track = await uow.tracks.get(track_id)
        if track is None or track.adviser_id != actor.aad_object_id or not track.active:
            return None
        return track

    async def _name(self, aad_object_id: str) -> str:
        entry = await self._directory.person(aad_object_id)
        return entry.name if entry else ""

    async def _summary(self, track: Track) -> TrackSummary:
        return TrackSummary(
            track,
            await self._name(track.person_id),
            await self._name(track.adviser_id),
            skill_choices(self._vocabulary, track.goals.skills),
        )

    async def _mine(self, uow: UnitOfWork, actor: Actor, *, banner: str = "") -> MyTrackView:
        tracks = [t for t in await uow.tracks.of_person(actor.aad_object_id)]
        return MyTrackView(
            tuple([await self._summary(t) for t in tracks]),
            await uow.tracks.wants_coaching(actor.aad_object_id),
            banner,
        )

    async def _tell(self, uow: UnitOfWork, aad_object_id: str, notice: TrackNotice) -> None:
        person: Person | None = await uow.people.get(aad_object_id)
        if person is None:
            return
        await uow.outbox.enqueue(
            {"card": self._cards.notice(notice, person.locale)},
            [Recipient(person_aad_object_id=aad_object_id)],
            reason=f"track.{notice.kind}",
            now=self._clock.now(),
        )

    async def _progress(self, uow: UnitOfWork, track: Track) -> TrackProgressView:
        """The klussen approved for the person since the track started, their hours and evaluations."""
        done: list[DoneKlus] = []
        practised: dict[str, None] = {}
        # The poster's evaluation confirms skills; one the person hid counts nowhere, here neither.
        hidden = {c.skill for c in await uow.growth.confirmed(track.person_id) if c.hidden}
        for interest in await uow.interests.for_person(track.person_id):
            if interest.status is not InterestStatus.APPROVED:
                continue
            approval = await uow.approvals.for_match(interest.klus_id, track.person_id)
            klus = await uow.klussen.get(interest.klus_id)
            if (
                approval is None
                or klus is None
                or approval.decided_at is None
                or approval.decided_at < track.started_at
            ):
                continue
            hours = sum(h.worked for h in await uow.work.hours(approval.id))
            evaluations = [
                await uow.work.evaluation(approval.id, role) for role in (Role.EMPLOYEE, Role.POSTER)
            ]
            own, confirmed = (e.skills if e else () for e in evaluations)
            named = (*own, *(s for s in confirmed if s not in hidden))
            skills = tuple(dict.fromkeys(s for s in named if s in track.goals.skills))
            practised.update(dict.fromkeys(skills))
            done.append(
                DoneKlus(
                    klus.title,
                    hours,
                    (_score(evaluations[0]), _score(evaluations[1])),
                    skills,
                )
            )
        now = self._clock.now()
        return TrackProgressView(
            await self._summary(track),
            tuple(done),
            sum(d.hours for d in done),
            skill_choices(self._vocabulary, practised),
            tuple(await uow.tracks.events(track.id)),
            self._links.url(track_csv_path(track.id), now),
            {lang: self._links.url(track_pdf_path(track.id, lang), now) for lang in ("nl", "en")},
        )


def _score(evaluation: Evaluation | None) -> int | None:
    return evaluation.score if evaluation else None


def _with_errors(form: TrackFormView, errors: list[FieldError] | tuple[FieldError, ...]) -> TrackFormView:
    return TrackFormView(form.people, form.advisers, form.skills, form.values, form.today, tuple(errors))


def progress_csv(view: TrackProgressView) -> str:
    """The track against its goals, for the personnel file."""
    out = io.StringIO()
    writer = csv.writer(out)
    track = view.summary.track
    writer.writerow(["field", "value"])
    for name, value in (
        ("person", view.summary.person_name),
        ("adviser", view.summary.adviser_name),
        ("kind", track.kind.value),
        ("status", track.status.value),
        ("started", track.started_at.date().isoformat()),
        ("until", track.goals.until.isoformat()),
        ("goal_skills", " ".join(track.goals.skills)),
        ("goal_hours", track.goals.hours),
        ("hours_done", view.hours),
        ("skills_practised", " ".join(s.id for s in view.skills_practised)),
    ):
        writer.writerow([name, value])
    writer.writerow([])
    writer.writerow(["klus", "hours", "score_employee", "score_poster", "goal_skills"])
    for klus in view.done:
        writer.writerow(
            [
                cell(klus.title),
                klus.hours,
                *("" if s is None else s for s in klus.scores),
                " ".join(klus.skills),
            ]
        )
    writer.writerow([])
    writer.writerow(["date", "event", "klus"])
    for event in view.timeline:
        writer.writerow([event.at.date().isoformat(), event.kind.value, cell(event.klus_title)])
    return out.getvalue()
