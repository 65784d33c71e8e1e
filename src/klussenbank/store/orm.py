"""Tables. Every person belongs to one organisation; a pool spans several."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false, true

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class OrganisationRow(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PersonRow(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aad_object_id: Mapped[str] = mapped_column(String(64), unique=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    welcomed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The weekly digest of new klussen in their personal chat (`digest aan` / `digest uit`).
    digest: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")


class AvailabilityRow(Base):
    __tablename__ = "availability_profiles"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    weekdays: Mapped[list[str]] = mapped_column(JSON)
    work_mode: Mapped[str] = mapped_column(String(16))
    intro: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    paused_until: Mapped[date | None] = mapped_column(Date)
    suggestions: Mapped[bool] = mapped_column(Boolean, server_default=true())
    visible_to_own_line: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    skills: Mapped[list[AvailabilitySkillRow]] = relationship(
        cascade="all, delete-orphan",
        order_by="AvailabilitySkillRow.position",
        lazy="selectin",
    )
    organisations: Mapped[list[AvailabilityOrganisationRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class AvailabilitySkillRow(Base):
    """One skill of a profile: a vocabulary id, or a free-text term the person typed."""

    __tablename__ = "availability_skills"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("availability_profiles.person_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill: Mapped[str] = mapped_column(String(100))
    from_vocabulary: Mapped[bool] = mapped_column(Boolean)


class AvailabilityOrganisationRow(Base):
    __tablename__ = "availability_organisations"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("availability_profiles.person_id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), primary_key=True)

    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")


class ConversationRow(Base):
    """Where the bot can reach someone later: refreshed on every turn."""

    __tablename__ = "conversation_references"
    __table_args__ = (UniqueConstraint("conversation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(400))
    conversation_type: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    channel_id: Mapped[str] = mapped_column(String(32))
    service_url: Mapped[str] = mapped_column(String(400))
    reference: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class KlusRow(Base):
    __tablename__ = "klussen"
    __table_args__ = (Index("ix_klussen_status_deadline", "status", "interest_deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    poster_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    work_mode: Mapped[str] = mapped_column(String(16))
    place: Mapped[str] = mapped_column(String(200))
    people_needed: Mapped[int] = mapped_column(Integer)
    interest_deadline: Mapped[date] = mapped_column(Date)
    visibility: Mapped[str] = mapped_column(String(16))
    internal_first_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    poster: Mapped[PersonRow] = relationship(lazy="joined")
    organisation: Mapped[OrganisationRow] = relationship(lazy="joined")
    skills: Mapped[list[KlusSkillRow]] = relationship(
        cascade="all, delete-orphan", order_by="KlusSkillRow.position", lazy="selectin"
    )


class KlusSkillRow(Base):
    """A skill a klus asks for: `kind` is required, nice (to have) or free (text the poster typed)."""

    __tablename__ = "klus_skills"

    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    skill: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))


class InterestRow(Base):
    """How one person stands on one klus: invited, interested, chosen, confirmed, ..."""

    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("klus_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    motivation: Mapped[str] = mapped_column(Text)
    hours_per_week: Mapped[int] = mapped_column(Integer)  # the klus's hours, kept for capacity checks
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    person: Mapped[PersonRow] = relationship(lazy="joined")


class SuggestionRow(Base):
    """A "new klus for you" card the bot queued for someone: for the weekly cap and fair spread."""

    __tablename__ = "suggestions"
    __table_args__ = (UniqueConstraint("klus_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class OutboxMessageRow(Base):
    """Something the bot must send later; written in the transaction of the change that caused it."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxDeliveryRow(Base):
    """One recipient of an outbox message, and how delivery to them went."""

    __tablename__ = "outbox_deliveries"
    __table_args__ = (Index("ix_outbox_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(400))
    # Set when this delivery changes a message sent before (update_activity) instead of sending.
    updates_delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_deliveries.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(500))
    sent_conversation_id: Mapped[str | None] = mapped_column(String(400))
    activity_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RateLimitRow(Base):
    """One of Teams' limits, shared by every worker: the next moment it lets a message through."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(450), primary_key=True)
    next_free: Mapped[float] = mapped_column(Float)  # seconds since the Unix epoch


class DirectoryUserRow(Base):
    """A user from Microsoft Graph, kept by the delta sync so routing works when Graph is slow."""

    __tablename__ = "directory_users"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # the Entra object id
    display_name: Mapped[str] = mapped_column(String(256))
    mail: Mapped[str] = mapped_column(String(320))
    user_principal_name: Mapped[str] = mapped_column(String(320))
    department: Mapped[str | None] = mapped_column(String(256))
    job_title: Mapped[str | None] = mapped_column(String(256))
    office_location: Mapped[str | None] = mapped_column(String(256))
    company_name: Mapped[str | None] = mapped_column(String(256))
    manager_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The full sync round that last saw this user: a full round removes those it did not see.
    seen_round: Mapped[int] = mapped_column(Integer)
    synced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DirectorySyncStateRow(Base):
    """Where the users delta sync stands: the next page of a round underway, the delta link after one."""

    __tablename__ = "directory_sync_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_link: Mapped[str | None] = mapped_column(Text)
    delta_link: Mapped[str | None] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApprovalRow(Base):
    """The approval a confirmed match needs; people by their Entra object id (approvers may never
    have used the bot)."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("klus_id", "candidate_id"),
        Index("ix_approvals_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"))
    candidate_id: Mapped[str] = mapped_column(String(64), index=True)
    poster_id: Mapped[str] = mapped_column(String(64))
    organisation_key: Mapped[str] = mapped_column(String(64))
    across: Mapped[bool] = mapped_column(Boolean)
    share_motivation: Mapped[bool] = mapped_column(Boolean)
    step: Mapped[str] = mapped_column(String(16))
    approver_id: Mapped[str | None] = mapped_column(String(64), index=True)
    delegated_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reminded: Mapped[bool] = mapped_column(Boolean)
    escalations: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the work ended
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    step_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApprovalCardRow(Base):
    """A card about an approval sent to someone: every one is updated when the approval changes."""

    __tablename__ = "approval_cards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"))


class ApprovalEventRow(Base):
    """What happened to an approval, in order: routed, forwarded, reminded, escalated, decided."""

    __tablename__ = "approval_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    approver_id: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccessLogRow(Base):
    """Someone other than the person saw their data (a candidacy, an approval request); one row a day."""

    __tablename__ = "access_log"
    __table_args__ = (UniqueConstraint("subject_id", "viewer_id", "what", "klus_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    viewer_id: Mapped[str] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(String(32))
    klus_id: Mapped[int] = mapped_column(ForeignKey("klussen.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChannelRow(Base):
    """A team channel the app can post in: recorded from install and channel events."""

    __tablename__ = "channels"

    conversation_id: Mapped[str] = mapped_column(String(400), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(400), index=True)
    team_name: Mapped[str] = mapped_column(String(200))
    channel_name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnnouncementRow(Base):
    """An announcement by HR: its text, audience, when it goes out, and its outbox message."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_status_send_at", "status", "send_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[str] = mapped_column(String(64), index=True)
    organisation_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    link_title: Mapped[str] = mapped_column(String(100))
    link_url: Mapped[str] = mapped_column(String(600))
    channels: Mapped[list[str]] = mapped_column(JSON)
    organisations: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    send_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    report_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    report_counts: Mapped[dict[str, int]] = mapped_column(JSON)  # as last shown on the report card
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DigestRunRow(Base):
    """A weekly digest that went out for an organisation: each week's once."""

    __tablename__ = "digest_runs"
    __table_args__ = (UniqueConstraint("organisation_key", "week"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_key: Mapped[str] = mapped_column(String(64))
    week: Mapped[date] = mapped_column(Date)  # the digest's day
    klussen: Mapped[int] = mapped_column(Integer)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AgreementRow(Base):
    """The secondment agreement of an approved match in one language (nl, en), as the PDF the
    parties download; every language has the same number and says the same."""

    __tablename__ = "agreements"

    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditRow(Base):
    """An administrative action: who did what, when (HR announcing, exports, purges, CLI commands)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500))


class HoursRow(Base):
    """The hours of one month of an approved match: planned, reported by the employee, corrected."""

    __tablename__ = "hours"
    __table_args__ = (UniqueConstraint("approval_id", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    planned: Mapped[float] = mapped_column(Float)
    reported: Mapped[float | None] = mapped_column(Float)
    corrected: Mapped[float | None] = mapped_column(Float)
    # The poster's card for the month: changed in place when the employee reports again.
    poster_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvaluationRow(Base):
    """How one side found the work: seen by the two parties and HR; reports show averages."""

    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("approval_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    approval_id: Mapped[int] = mapped_column(ForeignKey("approvals.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    score: Mapped[int] = mapped_column(Integer)
    went_well: Mapped[str] = mapped_column(Text)
    could_be_better: Mapped[str] = mapped_column(Text)
    again: Mapped[bool] = mapped_column(Boolean)
    skills: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
