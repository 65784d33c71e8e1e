"""The repositories the use cases read and write through, and the unit of work that holds them in
one transaction."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from klussenbank.domain.agreement import AgreementView
from klussenbank.domain.announcement import Announcement
from klussenbank.domain.approval import Approval, ApprovalEvent, EventKind
from klussenbank.domain.growth import ConfirmedSkill, PulseAnswer
from klussenbank.domain.klus import Interest, InterestStatus, Klus, KlusStatus
from klussenbank.domain.matching import Commitment
from klussenbank.domain.people import Availability, Organisation, Person
from klussenbank.domain.pools import PoolSide, Qualification, UnavailablePeriod
from klussenbank.domain.report import AvailabilityRecord, KlusRecord, MatchRecord
from klussenbank.domain.shifts import Shift
from klussenbank.domain.talent import DateStatus, TalentDate
from klussenbank.domain.track import Track, TrackEvent, TrackEventKind, TrackGoals, TrackKind
from klussenbank.domain.work import Evaluation, HoursMonth, Role
from klussenbank.services.ports.delivery import OutboxRepository
from klussenbank.services.ports.records import (
    AccessEntry,
    AgreementEntry,
    AuditEntry,
    Channel,
    ConversationRef,
    KlusHistory,
    PlannedShift,
    PoolMember,
    PriorPress,
    SettledHours,
    StoredAgreement,
)


class OrganisationRepository(Protocol):
    async def all(self) -> list[Organisation]: ...

    async def get(self, key: str) -> Organisation | None: ...

    async def add(self, organisation: Organisation, *, now: datetime) -> None: ...


class PersonRepository(Protocol):
    async def get(self, aad_object_id: str) -> Person | None: ...

    async def some(self, aad_object_ids: Sequence[str]) -> list[Person]:
        """Those of these people who are known, in no particular order."""

    async def save(self, person: Person, *, now: datetime) -> None:
        """Insert or update the person; `welcomed_at` is only ever set by `claim_welcome`."""

    async def claim_welcome(self, aad_object_id: str, *, now: datetime) -> bool:
        """Mark the person welcomed; True only for the one caller that did so first."""

    async def set_digest(self, aad_object_id: str, on: bool, *, now: datetime) -> None:
        """Whether the person gets the weekly digest of new klussen."""

    async def wants_digest(self, aad_object_id: str) -> bool: ...

    async def digest_readers(self) -> list[Person]:
        """Everyone who asked for the weekly digest."""

    async def reachable(self, organisation_keys: Sequence[str]) -> list[str]:
        """Everyone in these organisations with a personal chat with the app (the app installed)."""

    async def doings(self, aad_object_id: str) -> tuple[bool, bool, bool, str | None]:
        """Whether the person has a profile (whatever its status), ever posted a klus, and ever
        reacted to or was invited to one, and their organisation's key (None if unknown): one read,
        without reading any of them."""


class AvailabilityRepository(Protocol):
    async def get(self, aad_object_id: str) -> Availability | None: ...

    async def intros(self, aad_object_ids: Sequence[str]) -> dict[str, str]:
        """The introduction on each of these people's profiles (whatever its status), by person."""

    async def save(self, aad_object_id: str, availability: Availability, *, now: datetime) -> None: ...


class PoolRepository(Protocol):
    """Members are everyone whose profile is active or paused (withdrawn people are left out)."""

    async def page(self, after: int, size: int) -> tuple[list[PoolMember], int]:
        """Up to `size` members after the one at `after` (0: from the start), and where this page ends
        (0 when there are no more)."""

    async def some(self, aad_object_ids: Collection[str]) -> list[PoolMember]:
        """Those of these people who are members."""

    async def version(self) -> int:
        """The number of the last change to anyone as matching sees them (0 before any)."""

    async def changed_since(self, version: int) -> tuple[int, set[str]] | None:
        """The version now and who changed after `version`; None when that is too long ago to say."""

    async def history_changed(self, start: datetime, end: datetime) -> set[str]:
        """People with an interest last changed in [start, end)."""


class KlusRepository(Protocol):
    async def add(self, klus: Klus, *, now: datetime) -> int: ...

    async def get(self, klus_id: int, *, lock: bool = False) -> Klus | None:
        """With `lock`, other transactions changing this klus wait until this one ends."""

    async def update(self, klus: Klus, *, now: datetime) -> None: ...

    async def set_status(self, klus_id: int, status: KlusStatus, *, now: datetime) -> None: ...

    async def by_poster(self, aad_object_id: str) -> list[Klus]: ...

    async def open(self, today: date) -> list[Klus]:
        """Klussen still taking interest today."""

    async def overdue(self, today: date) -> list[Klus]:
        """Open klussen whose deadline for interest has passed."""


class InterestRepository(Protocol):
    async def get(self, klus_id: int, aad_object_id: str) -> Interest | None: ...

    async def save(self, interest: Interest, *, hours_per_week: int, now: datetime) -> None:
        """Insert or update the one row for this klus and person."""

    async def for_klus(self, klus_id: int) -> list[Interest]: ...

    async def for_person(self, aad_object_id: str) -> list[Interest]: ...

    async def counts(self, klus_ids: Sequence[int]) -> dict[int, dict[InterestStatus, int]]: ...

    async def commitments(self, aad_object_id: str, *, lock: bool = False) -> list[Commitment]:
        """The hours this person confirmed for klussen; `lock` serialises capacity checks for them."""

    async def all_commitments(
        self, aad_object_ids: Collection[str] | None = None
    ) -> dict[str, list[Commitment]]:
        """Everyone's (or these people's) confirmed hours, by person: one query for a whole pool."""

    async def history(
        self, since: datetime, aad_object_ids: Collection[str] | None = None
    ) -> dict[str, KlusHistory]:
        """Recent matches and times passed over, by person: everyone's, or these people's."""


class SuggestionRepository(Protocol):
    async def add(self, klus_id: int, aad_object_ids: Sequence[str], *, now: datetime) -> None: ...

    async def reached(self, since: datetime, limit: int) -> set[str]:
        """The people who got `limit` suggestions or more since then."""

    async def for_klus(self, klus_id: int) -> set[str]: ...


class ApprovalRepository(Protocol):
    async def add(self, approval: Approval, *, now: datetime) -> int: ...

    async def get(self, approval_id: int, *, lock: bool = False) -> Approval | None:
        """With `lock`, other transactions deciding on this approval wait until this one ends."""

    async def for_match(self, klus_id: int, candidate_id: str) -> Approval | None: ...

    async def for_klus(self, klus_id: int) -> list[Approval]: ...

    async def save(self, approval: Approval, *, now: datetime) -> None: ...

    async def pending(self) -> list[Approval]: ...

    async def at_work(self) -> list[Approval]:
        """Approved matches whose work has not ended."""

    async def add_card(self, approval_id: int, person_id: str, message_id: int) -> None:
        """Remember a card sent about the approval, so it is updated when the approval changes."""

    async def cards(self, approval_id: int) -> list[tuple[str, int]]:
        """(person, outbox message id) of every card sent about the approval."""

    async def unreachable(self, approval_id: int, person_id: str) -> bool:
        """Every card about the approval sent to this person failed for good (403/404, dead letter)."""

    async def add_event(
        self,
        approval_id: int,
        kind: EventKind,
        *,
        actor_id: str | None,
        approver_id: str | None,
        now: datetime,
    ) -> None: ...

    async def events(self, approval_id: int) -> list[ApprovalEvent]: ...


class AccessLogRepository(Protocol):
    async def add(
        self, subject_id: str, viewer_id: str, what: str, klus_id: int | None, *, now: datetime
    ) -> None:
        """Someone other than the subject saw their data; kept once a day per viewer, kind and klus
        (None: outside any klus, such as a talent search or a pool coordinator's look)."""

    async def add_all(
        self, subjects: Sequence[tuple[str, str]], viewer_id: str, klus_id: int | None, *, now: datetime
    ) -> None:
        """`add` for many (subject, what) pairs seen by one viewer at once, in a statement or two."""

    async def for_subject(self, subject_id: str) -> list[AccessEntry]:
        """Newest first."""


class TalentRepository(Protocol):
    async def refs(self, aad_object_ids: Collection[str]) -> dict[str, int]:
        """A reference per person for cards, that names nobody outside Klussenbank."""

    async def person_of(self, ref: int) -> str | None: ...

    async def add(self, talent_date: TalentDate, *, now: datetime) -> int: ...

    async def get(self, date_id: int, *, lock: bool = False) -> TalentDate | None:
        """With `lock`, other transactions deciding this date wait until this one ends."""

    async def decide(self, date_id: int, status: DateStatus, *, now: datetime) -> None: ...


class ChannelRepository(Protocol):
    async def save(self, channel: Channel, *, now: datetime) -> None:
        """Record (or rename) a channel; it is active again if it was removed."""

    async def remove(self, conversation_id: str, *, now: datetime) -> None: ...

    async def remove_team(self, team_id: str, *, now: datetime) -> None: ...

    async def active(self) -> list[Channel]: ...


class AnnouncementRepository(Protocol):
    async def add(self, announcement: Announcement, *, now: datetime) -> int: ...

    async def get(self, announcement_id: int, *, lock: bool = False) -> Announcement | None: ...

    async def save(self, announcement: Announcement, *, now: datetime) -> None: ...

    async def due(self, now: datetime) -> list[Announcement]:
        """Scheduled announcements whose time has come."""

    async def sending(self) -> list[Announcement]: ...

    async def shown_counts(self, announcement_id: int) -> dict[str, int]:
        """The delivery counts the author's report card shows now."""

    async def set_shown_counts(self, announcement_id: int, counts: dict[str, int]) -> None: ...


class DigestRunRepository(Protocol):
    async def claim(self, organisation_key: str, day: date, klussen: int, *, now: datetime) -> bool:
        """Record that the digest of `day` went out; False when it already had (another process)."""

    async def last(self, organisation_key: str) -> datetime | None:
        """When the organisation's last digest went out."""


class WorkRepository(Protocol):
    async def hours(self, approval_id: int) -> list[HoursMonth]: ...

    async def save_hours(self, hours: HoursMonth, *, now: datetime) -> None: ...

    async def poster_card(self, approval_id: int, month: date) -> int | None:
        """The outbox message of the poster's card for the month's hours, if one was sent."""

    async def set_poster_card(self, approval_id: int, month: date, message_id: int) -> None: ...

    async def evaluation(self, approval_id: int, role: Role) -> Evaluation | None: ...

    async def add_evaluation(self, evaluation: Evaluation, *, now: datetime) -> None: ...

    async def evaluated(self, organisation_key: str, since: datetime, until: datetime) -> list[int]:
        """Matches on the organisation's klussen or of its employees that got an evaluation in
        [since, until): their approval ids, the newest evaluation first."""


class AgreementRepository(Protocol):
    async def add(self, approval_id: int, terms: Sequence[AgreementView], *, now: datetime) -> None:
        """The agreement's terms, one row per language (each view's `language`); no PDF yet."""

    async def get(self, approval_id: int, language: str) -> StoredAgreement | None:
        """The approval's agreement in `language`, if there is one; in another language when it has
        none in this one (those made before 0010 are in Dutch only)."""

    async def keep_pdf(self, approval_id: int, language: str, pdf: bytes) -> None:
        """The PDF made from the terms in `language` (kept once: a PDF already there stays)."""

    async def number(self, approval_id: int) -> str | None:
        """The agreement's number, if the approval has one (without reading its PDFs)."""

    async def readable(self, aad_object_id: str, hr_organisations: Sequence[str]) -> list[AgreementEntry]:
        """The agreements this person is a party to (employee, poster, someone who approved), and
        those of employees of the organisations they are HR for; newest first."""


class ReportRepository(Protocol):
    """The records an organisation's figures are computed from (all of them: a pool is small)."""

    async def klussen(self, organisation_key: str) -> list[KlusRecord]: ...

    async def matches(self, organisation_key: str) -> list[MatchRecord]:
        """Approvals of matches on the organisation's klussen."""

    async def availability(self, organisation_key: str) -> list[AvailabilityRecord]: ...


class PrivacyRepository(Protocol):
    async def export(self, aad_object_id: str) -> dict[str, Any] | None:
        """Everything held about the person, as JSON-ready values; None for someone unknown."""

    async def erase(self, aad_object_id: str, pseudonym: str, *, now: datetime) -> list[int]:
        """Delete or anonymise everything personal; figures stay under `pseudonym`. The ids of the
        delivered messages that named the person (their copies in the chats are to change too)."""

    async def purge_closed(self, organisation_key: str, before: datetime) -> int:
        """Retention: the personal data of klussen that closed before then; how many klussen."""

    async def purge_messages(self, before: datetime) -> int:
        """Retention of the outbox: finished messages older than that; how many."""

    async def purge_talent(self, before: datetime) -> int:
        """Retention of talent search: dates asked before then, and looks outside klussen; how many dates."""

    async def purge_pulses(self, before: datetime) -> int:
        """Retention of the pulse: the texts of answers older than that; how many."""


class AuditRepository(Protocol):
    async def add(self, actor: str, action: str, detail: str, *, now: datetime) -> None: ...

    async def recent(self, limit: int) -> list[AuditEntry]:
        """Newest first."""


class ConversationRepository(Protocol):
    async def save(self, ref: ConversationRef, *, now: datetime) -> None: ...

    async def met(self, aad_object_id: str, ref: ConversationRef | None) -> tuple[Person | None, bool]:
        """The person as stored (None if unknown), and whether saving `ref` would change nothing but
        its time: stored exactly so (but for the ids of the activity and the request it came with), and
        the most recently used conversation of its person (True without a `ref`). One query: every
        turn asks it."""

    async def for_person(self, aad_object_id: str) -> list[ConversationRef]:
        """Newest first."""

    async def for_people(self, aad_object_ids: Sequence[str]) -> dict[str, list[ConversationRef]]:
        """`for_person` for many people in one read; people without a conversation are left out."""


class OnceKeyRepository(Protocol):
    async def claim(self, actor_id: str, key: str, action: str, *, now: datetime) -> PriorPress | None:
        """Record the person's one-time key in this transaction: None for the first press; for a
        later one (also one still under way in another transaction, which is waited for), what the
        first recorded."""

    async def settle(self, actor_id: str, key: str, record_id: int) -> None:
        """What the press made or acted on, for a later press to show."""

    async def forget(self, actor_id: str) -> None:
        """Every key of the person (their data is erased)."""

    async def purge(self, before: datetime) -> int:
        """Keys older than `before`: a card that old is not pressed twice by accident."""


class TrackRepository(Protocol):
    """Development tracks, their timeline, and who asked HR for coaching."""

    async def add(
        self,
        person_id: str,
        organisation_key: str,
        adviser_id: str,
        kind: TrackKind,
        goals: TrackGoals,
        *,
        now: datetime,
    ) -> Track: ...

    async def get(self, track_id: int) -> Track | None: ...

    async def of_person(self, person_id: str) -> list[Track]: ...

    async def advised_by(self, adviser_id: str) -> list[Track]: ...

    async def end(self, track_id: int, *, now: datetime) -> None: ...

    async def add_event(
        self, track_id: int, kind: TrackEventKind, *, now: datetime, klus_title: str = ""
    ) -> None: ...

    async def events(self, track_id: int) -> list[TrackEvent]: ...

    async def goal_skills(self, person_id: str) -> tuple[str, ...]: ...

    async def wants_coaching(self, person_id: str) -> bool: ...

    async def set_coaching(self, person_id: str, wanted: bool, *, now: datetime) -> None: ...

    async def people_in(self, organisation_key: str, *, coaching: bool = False) -> list[str]: ...

    async def purge_ended(self, organisation_key: str, before: datetime) -> int: ...


class GrowthRepository(Protocol):
    """Skills confirmed by posters, and the monthly pulse (see `domain.growth`)."""

    async def confirm(
        self, aad_object_id: str, approval_id: int, skills: Sequence[str], *, now: datetime
    ) -> None: ...

    async def confirmed(self, aad_object_id: str) -> list[ConfirmedSkill]: ...

    async def set_hidden(self, aad_object_id: str, skill: str, hidden: bool) -> bool:
        """Hide or show the person's own confirmations of a skill; False when they have none."""

    async def active(self, since: datetime, until: datetime) -> list[str]:
        """The people who used Klussenbank in [since, until)."""

    async def start_pulse(self, aad_object_id: str, month: date, *, now: datetime) -> int | None:
        """The month's pulse for the person, once across instances: its id, None when they had it."""

    async def answer_pulse(
        self, aad_object_id: str, pulse_id: int, score: int, text: str, signed: bool, *, now: datetime
    ) -> bool | None:
        """True: stored; False: answered before; None: not their pulse."""

    async def pulse_answers(
        self, organisation_key: str, since: datetime, until: datetime
    ) -> list[PulseAnswer]: ...


class ShiftRepository(Protocol):
    async def add(self, klus_id: int, shifts: Sequence[Shift]) -> None: ...

    async def of_klussen(self, klus_ids: Collection[int]) -> dict[int, list[Shift]]:
        """The shifts of those of these klussen that are requests by shift."""

    async def booked(self, person_ids: Collection[str], *, but: int = 0) -> dict[str, list[Shift]]:
        """The shifts each person is booked on (their interest holds hours), other than klus `but`'s."""

    async def planned(
        self, first: date, last: date, *, organisations: Collection[str] | None = None, person_id: str = ""
    ) -> list[PlannedShift]:
        """Shifts from `first` to `last` of klussen not cancelled or expired, in time order: of these
        organisations (all: None), or only those `person_id` is booked on."""


class PoolPeopleRepository(Protocol):
    """The person's side of pools run by a coordinator (see `store.pools`)."""

    async def side(self, person_id: str) -> PoolSide:
        """The person's pools, qualifications and unavailable periods, as matching needs them."""

    async def add_member(self, pool_key: str, person_id: str, *, by: str, now: datetime) -> bool:
        """Add the person to the pool; False when they were a member already."""

    async def remove_member(self, pool_key: str, person_id: str) -> bool: ...

    async def members(self, pool_key: str) -> list[str]:
        """The pool's members' Entra object ids, by name."""

    async def pools_of(self, person_id: str) -> list[str]:
        """The keys of the pools the person is a member of."""

    async def steps_done(self, pool_key: str, person_id: str) -> list[str]: ...

    async def steps_done_of(self, pool_key: str, person_ids: Collection[str]) -> dict[str, list[str]]:
        """`steps_done` for many people at once, by person (those with none left out)."""

    async def tick_step(self, pool_key: str, person_id: str, step: str, *, by: str, now: datetime) -> bool:
        """Tick off an onboarding step; False when it was ticked off already."""

    async def record_qualification(self, qualification: Qualification, *, now: datetime) -> Qualification:
        """Record it; one the person holds already (by name) gets the new dates."""

    async def qualifications(self, person_id: str) -> list[Qualification]: ...

    async def qualifications_of(self, person_ids: Collection[str]) -> dict[str, list[Qualification]]:
        """`qualifications` for many people at once, by person (those with none left out)."""

    async def expiring(self, until: date) -> list[Qualification]:
        """Qualifications expiring on or before `until` not yet reminded of for that expiry."""

    async def mark_reminded(self, qualification: Qualification, *, now: datetime) -> bool:
        """Note the reminder; False when it was sent already."""

    async def add_period(self, person_id: str, period: UnavailablePeriod, *, now: datetime) -> int: ...

    async def remove_period(self, person_id: str, period_id: int) -> bool:
        """Remove one of the person's own periods; False when they have no such period."""

    async def periods(self, person_id: str) -> list[UnavailablePeriod]: ...

    async def purge(self, *, ended_before: date, expired_before: date) -> int:
        """Retention: unavailable periods that ended, qualifications that expired long ago."""

    async def erase(self, person_id: str, pseudonym: str) -> None:
        """Everything pools hold about the person goes; their acts as a coordinator stay, under
        `pseudonym`."""


class ChargingRepository(Protocol):
    async def settled(self, pool_keys: Collection[str], first: date, last: date) -> list[SettledHours]:
        """Settled hours of these pools' klussen per pool, client organisation and month (first days
        from `first` to `last`), by month and client."""


class UnitOfWork(Protocol):
    @property
    def organisations(self) -> OrganisationRepository: ...

    @property
    def growth(self) -> GrowthRepository: ...

    @property
    def people(self) -> PersonRepository: ...

    @property
    def availability(self) -> AvailabilityRepository: ...

    @property
    def conversations(self) -> ConversationRepository: ...

    @property
    def outbox(self) -> OutboxRepository: ...

    @property
    def pool(self) -> PoolRepository: ...

    @property
    def klussen(self) -> KlusRepository: ...

    @property
    def shifts(self) -> ShiftRepository: ...

    @property
    def charging(self) -> ChargingRepository: ...

    @property
    def interests(self) -> InterestRepository: ...

    @property
    def suggestions(self) -> SuggestionRepository: ...

    @property
    def approvals(self) -> ApprovalRepository: ...

    @property
    def access_log(self) -> AccessLogRepository: ...

    @property
    def channels(self) -> ChannelRepository: ...

    @property
    def announcements(self) -> AnnouncementRepository: ...

    @property
    def digests(self) -> DigestRunRepository: ...

    @property
    def privacy(self) -> PrivacyRepository: ...

    @property
    def reports(self) -> ReportRepository: ...

    @property
    def agreements(self) -> AgreementRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def work(self) -> WorkRepository: ...

    @property
    def once_keys(self) -> OnceKeyRepository: ...

    @property
    def tracks(self) -> TrackRepository: ...

    @property
    def talent(self) -> TalentRepository: ...

    @property
    def pool_people(self) -> PoolPeopleRepository: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, reads_only: bool = False) -> UnitOfWork:
        """A unit of work; one made `reads_only` cannot commit and so needs no transaction: each read
        sees what is committed when it runs (as in PostgreSQL's READ COMMITTED transactions), and
        the turn saves the round trips of BEGIN and ROLLBACK."""
