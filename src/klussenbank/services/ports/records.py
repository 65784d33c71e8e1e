"""The plain records the ports pass in and out: who acts, who is reached where, what was logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from klussenbank.domain.agreement import AgreementView
from klussenbank.domain.delivery import DeliveryStatus
from klussenbank.domain.people import Availability, Organisation, Person
from klussenbank.domain.pools import PoolSide
from klussenbank.domain.shifts import Shift


@dataclass(frozen=True)
class Actor:
    """Who is acting, taken from the activity's sender (never from a card payload)."""

    aad_object_id: str
    tenant_id: str
    name: str
    locale: str


@dataclass(frozen=True)
class PriorPress:
    """What the first press of a card's one-time key recorded: its action and what it made."""

    action: str
    record_id: int | None


@dataclass(frozen=True)
class ConversationRef:
    """Enough of a Bot Framework conversation reference to message someone later."""

    conversation_id: str
    conversation_type: str
    tenant_id: str
    channel_id: str
    service_url: str
    person_aad_object_id: str | None
    reference: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DirectoryPerson:
    aad_object_id: str
    name: str
    email: str
    organisation: Organisation
    manager_aad_object_id: str | None = None
    roles: tuple[str, ...] = ()
    department: str = ""
    job_title: str = ""


@dataclass(frozen=True)
class PoolMember:
    """Someone with an availability profile, as matching and suggestions need them."""

    person: Person
    availability: Availability
    confirmed_skills: tuple[str, ...] = ()  # confirmed by posters, not hidden (they count in matching)
    side: PoolSide = field(default_factory=PoolSide)  # their pools, qualifications and unavailable periods


@dataclass(frozen=True)
class KlusHistory:
    """What fair spread needs to know of someone's recent past."""

    recent_matches: int = 0
    times_passed_over: int = 0


@dataclass(frozen=True)
class AccessEntry:
    viewer_id: str
    what: str  # "candidacy", "interest", "approval", "track", "coaching", "talent_search", "talent_date", "pool"
    # None: not about a klus (HR saw a track or coaching profile; a talent search, a date request; a pool coordinator's look)
    klus_id: int | None
    at: datetime


@dataclass(frozen=True)
class AgreementEntry:
    """An agreement someone may open: of which approval, its number, when it was drawn up."""

    approval_id: int
    number: str
    created_at: datetime


@dataclass(frozen=True)
class StoredAgreement:
    """An agreement in one language: its PDF once it was made, and the terms it is made from
    (None for agreements from before their terms were kept, which all have their PDF)."""

    number: str
    language: str
    pdf: bytes | None
    terms: AgreementView | None


@dataclass(frozen=True)
class Channel:
    """A team channel the app can post in."""

    conversation_id: str
    team_id: str
    team_name: str
    channel_name: str


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass(frozen=True)
class Recipient:
    """A person (reached in their personal chat) or a conversation such as a team channel."""

    person_aad_object_id: str | None = None
    conversation_id: str | None = None


@dataclass(frozen=True)
class RecipientStatus:
    """One recipient of an outbox message and how delivery went, for a report."""

    name: str
    email: str  # "" for a channel
    channel: str  # "team › channel" for a channel, "" for a person
    status: str


@dataclass(frozen=True)
class ClaimedDelivery:
    """A delivery a worker holds the lease on."""

    id: int
    attempts: int
    content: dict[str, Any]
    target: ConversationRef | None  # the person's personal chat, or the conversation itself
    person_aad_object_id: str | None
    template: ConversationRef | None = None  # for a person never met: a conversation in their tenant
    replaces_activity_id: str | None = None  # an update of this activity rather than a new message
    # An update whose message is still on its way (wait for it), or was never delivered (drop it).
    original: DeliveryStatus | None = None
    queued_at: datetime | None = None
    correlation_id: str | None = None  # of the turn or chore run that queued it


@dataclass(frozen=True)
class PlannedShift:
    """A shift of a request by shift, with its klus and who is booked on it (confirmed or approved)."""

    shift: Shift
    klus_id: int
    title: str
    place: str
    organisation_key: str
    organisation_name: str
    people_needed: int
    booked: tuple[tuple[str, str], ...]  # (Entra object id, name) of each person booked

    @property
    def open_places(self) -> int:
        return max(0, self.people_needed - len(self.booked))


@dataclass(frozen=True)
class SettledHours:
    """Hours the poster settled in one month on a pool's klussen of one client organisation."""

    pool_key: str
    organisation_key: str
    organisation_name: str
    month: date
    hours: float
