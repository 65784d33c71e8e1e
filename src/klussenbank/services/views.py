"""View models: what a card shows, in plain data, language-neutral."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from klussenbank.domain.announcement import AnnouncementDraft, AnnouncementStatus
from klussenbank.domain.approval import ApprovalStatus, ApprovalStep
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import InterestStatus, Klus, KlusDraft
from klussenbank.domain.matching import Match
from klussenbank.domain.people import AvailabilityStatus, Organisation, WorkMode
from klussenbank.domain.work import Evaluation, EvaluationDraft, HoursMonth, Role
from klussenbank.services.ports.records import Channel


@dataclass(frozen=True)
class Refusal:
    """Why an action changed nothing; `code` names a message in the catalogs (`refusal.<code>`)."""

    code: str


@dataclass(frozen=True)
class SkillChoice:
    id: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class ProfileView:
    name: str
    skills: tuple[SkillChoice, ...]
    free_skills: tuple[str, ...]
    hours_per_week: int
    start_date: date
    end_date: date | None
    weekdays: tuple[str, ...]
    organisations: tuple[Organisation, ...]
    work_mode: WorkMode
    intro: str
    status: AvailabilityStatus
    paused_until: date | None
    today: date
    findable: bool = False  # colleagues may find them in a talent search, with this text
    talent_text: str = ""
    learning: tuple[SkillChoice | str, ...] = ()  # what they want to learn: skills, and own words
    confirmed: tuple[ConfirmedView, ...] = ()


@dataclass(frozen=True)
class ConfirmedView:
    """A skill of theirs that posters confirmed after the work: by how many matches; hidden or not."""

    skill: SkillChoice
    count: int
    hidden: bool


@dataclass(frozen=True)
class FormView:
    """The sign-up form: prefilled values, or what the person submitted, with its errors."""

    values: AvailabilityDraft
    skill_choices: tuple[SkillChoice, ...]
    organisation_choices: tuple[Organisation, ...]
    today: date
    is_update: bool
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class PauseView:
    today: date
    paused_until: date | None = None
    errors: tuple[FieldError, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class WelcomeView:
    name: str


@dataclass(frozen=True)
class KlusFormView:
    """The klus form: prefilled values, or what the poster submitted, with its errors."""

    values: KlusDraft
    skill_choices: tuple[SkillChoice, ...]
    organisation_choices: tuple[Organisation, ...]
    today: date
    klus_id: int | None = None  # set when the poster edits a klus they posted
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True, kw_only=True)
class KlusView(Klus):
    """A klus as cards show it: the klus itself, with its organisation, its poster's name and its
    skills by name."""

    organisation: Organisation
    poster_name: str
    required_skill_choices: tuple[SkillChoice, ...]
    nice_skill_choices: tuple[SkillChoice, ...]


@dataclass(frozen=True)
class Contact:
    """The other side of a match, to talk to: given only between its parties (see `contacts`)."""

    name: str
    email: str  # from the directory; may be empty
    aad_object_id: str
    chat: bool = True  # whether a Teams chat can reach them (not across tenants without external access)


@dataclass(frozen=True)
class KlusOffer:
    """A klus as a candidate sees it: why it fits them, and where they stand."""

    klus: KlusView
    match: Match | None
    interest: InterestStatus | None = None
    motivation: str = ""
    own: bool = False  # the reader posted it
    accepts_interest: bool = True  # open, and its deadline has not passed
    work_done: bool = False  # approved, and the reader's work on it has ended
    banner: str = ""  # a catalog key shown on top: why the reader's press changed nothing
    refresh_user_ids: tuple[str, ...] = ()  # the reader's Teams user ids: their client refreshes the card
    contact: Contact | None = None  # the poster, once the reader has a place on the klus


@dataclass(frozen=True)
class KlusSummary:
    """One of my posted klussen, with counts of the people on it."""

    klus: KlusView
    interested: int
    chosen: int
    confirmed: int


@dataclass(frozen=True)
class CandidateRow:
    person_id: str
    name: str
    organisation: str
    interest: InterestStatus | None  # None: a suggestion who has not reacted yet
    motivation: str
    match: Match | None
    intro: str = ""  # what they wrote about themselves when they signed up
    contact: Contact | None = None  # once they have a place on the klus


@dataclass(frozen=True)
class CandidatesView:
    klus: KlusView
    candidates: tuple[CandidateRow, ...]
    chosen: int


@dataclass(frozen=True)
class KlusNotice:
    """A message about a klus to one person: `kind` names its text; `others` are klussen that fit them."""

    kind: str
    klus: KlusView
    name: str = ""  # the other person in the story (the candidate, for the poster)
    match: Match | None = None
    others: tuple[KlusOffer, ...] = ()
    motivation: str = ""
    reason: str = ""  # why an approver said no (for the candidate only)
    approver: str = ""  # who was asked to approve
    agreement_id: int | None = None  # the approval whose agreement the message offers
    refresh_user_ids: tuple[str, ...] = ()  # the recipient's Teams user ids: their client refreshes the card
    contact: Contact | None = None  # the other side of the match, when the two should talk


@dataclass(frozen=True)
class OfferFilters:
    organisation: str | None = None
    remote: bool = False
    max_hours: int | None = None


@dataclass(frozen=True)
class OffersView:
    """Open klussen ranked for someone, with the filters they chose and the ones they can choose."""

    offers: tuple[KlusOffer, ...]
    filters: OfferFilters
    organisation_choices: tuple[Organisation, ...]
    has_profile: bool = True  # without one, the next step is signing up


@dataclass(frozen=True)
class StepDecision:
    """A yes or no someone gave on an approval: "Goedgekeurd door Bram Jansen op 12 mei"."""

    approved: bool
    name: str
    at: date


@dataclass(frozen=True)
class ApprovalView:
    """An approval as one person sees it: `role` decides what the card shows and offers.

    approver: the details (and the motivation, if the candidate shared it) with the buttons;
    candidate and poster: the status; other: someone who held it before (forwarded, escalated).
    """

    approval_id: int
    role: str  # "approver", "candidate", "poster", "other"
    status: ApprovalStatus
    step: ApprovalStep
    klus: KlusView
    candidate_name: str
    candidate_organisation: str
    approver_name: str  # who has it now ("" when nobody could be found)
    decisions: tuple[StepDecision, ...] = ()
    motivation: str = ""  # only for the approver, and only when the candidate shared it
    reason: str = ""  # why it was declined: for the candidate and the approvers, not the poster
    forwarded_by: str = ""
    refresh_user_ids: tuple[str, ...] = ()  # Teams user ids whose client refreshes the card
    banner: str = ""  # a catalog key shown on top: "already decided", "not yours", ...
    at_work: bool = False  # approved, and the work has not ended: the poster may say it is done
    completed_on: date | None = None  # the day the work ended, where the candidate works
    expires_on: date | None = None  # for the approver of a pending approval: decide before this day
    errors: tuple[FieldError, ...] = ()
    agreement: bool = False  # approved, and this person is a party to its agreement


@dataclass(frozen=True)
class AccessRow:
    viewer_name: str
    what: str
    klus_title: str
    at: date


@dataclass(frozen=True)
class AccessLogView:
    rows: tuple[AccessRow, ...]


@dataclass(frozen=True)
class ComposerView:
    """The announcement composer: its values (or what the author sent, with its errors)."""

    values: AnnouncementDraft
    channels: tuple[Channel, ...]
    organisations: tuple[Organisation, ...]
    today: date
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class AnnouncementView:
    """An announcement as its readers see it."""

    title: str
    text: str
    link_title: str
    link_url: str
    author_name: str
    organisation_name: str
    withdrawn: bool = False


@dataclass(frozen=True)
class PreviewView:
    """What the author is about to send, to whom; Versturen and Inplannen carry `draft` along."""

    draft: AnnouncementDraft
    announcement: AnnouncementView
    channels: tuple[Channel, ...]
    people: int  # everyone with the app in `organisations`
    today: date
    errors: tuple[FieldError, ...] = ()
    organisations: tuple[str, ...] = ()  # their names


@dataclass(frozen=True)
class ReportView:
    """The author's delivery report: how many were sent, not reachable, failed, still to go."""

    announcement_id: int
    title: str
    status: AnnouncementStatus
    send_at: datetime  # local time of the organisation
    counts: dict[str, int]
    csv_url: str
    banner: str = ""


@dataclass(frozen=True)
class DigestView:
    """The weekly digest of new klussen, for a channel or (ranked) for one person."""

    organisation_name: str
    offers: tuple[KlusOffer, ...]
    personal: bool  # in someone's own chat: ranked for them, with a way to stop it


@dataclass(frozen=True)
class HoursView:
    approval_id: int
    klus_title: str
    employee_name: str
    role: Role  # the employee confirms; the poster checks and may correct
    hours: HoursMonth
    changed: bool = False  # the employee changed the hours since the poster's card showed them
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class EvaluationView:
    approval_id: int
    klus_title: str
    other_name: str  # the poster, for the employee; the employee, for the poster
    role: Role
    skill_choices: tuple[SkillChoice, ...] = ()
    done: bool = False
    draft: EvaluationDraft = field(default_factory=EvaluationDraft)
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class MatchEvaluations:
    """What the employee and the poster of one match said about the work (None: not yet)."""

    approval_id: int
    klus_title: str
    employee_name: str
    employee_organisation: str
    poster_name: str
    poster_organisation: str  # the klus's
    completed_on: date
    employee: Evaluation | None
    poster: Evaluation | None


@dataclass(frozen=True)
class EvaluationsView:
    """One match's evaluations, as one of its two sides (`role`) or HR (None) reads them."""

    match: MatchEvaluations
    role: Role | None = None


@dataclass(frozen=True)
class PulseView:
    """The monthly pulse card: "Hoe bevalt Klussenbank? Wat mis je?"."""

    pulse_id: int
    draft: PulseDraft | None = None  # what they sent, when it came back with a question
    error: str = ""


@dataclass(frozen=True)
class PulseDraft:
    score: int | None
    text: str = ""
    signed: bool = False


@dataclass(frozen=True)
class PulseOutcome:
    """After answering the pulse: thanks, or why nothing was stored."""

    code: str  # "thanks", "already", "not_found", "invalid"
    pulse_id: int = 0
    draft: PulseDraft | None = None
