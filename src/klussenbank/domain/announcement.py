"""An announcement by HR to channels and people: what it says, who gets it, and when."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from klussenbank.domain.fields import Checks, FieldError

MAX_TITLE = 100
MAX_TEXT = 2000
MAX_LINK_TITLE = 40
MAX_URL = 500


class AnnouncementStatus(StrEnum):
    """scheduled -> sending -> sent; scheduled or sending -> cancelled; sent -> withdrawn."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class AnnouncementDraft:
    """What the composer sent; None or empty where a value is missing or unreadable."""

    title: str = ""
    text: str = ""
    link_title: str = ""
    link_url: str = ""
    channels: tuple[str, ...] = ()  # channel conversation ids
    organisations: tuple[str, ...] = ()  # everyone with the app in these organisations
    send_date: date | None = None  # for Inplannen: a local date and time
    send_time: time | None = None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Announcement:
    id: int
    author_id: str
    organisation_key: str  # the author's: its time zone applies
    title: str
    text: str
    link_title: str
    link_url: str
    channels: tuple[str, ...]
    organisations: tuple[str, ...]
    status: AnnouncementStatus
    send_at: datetime  # UTC
    created_at: datetime
    message_id: int | None = None  # the outbox message, once it is sent
    report_message_id: int | None = None  # the author's delivery report card


def validate_announcement(
    draft: AnnouncementDraft,
    *,
    channels: Collection[str],
    organisations: Collection[str],
    zone: ZoneInfo,
    now: datetime,
    scheduled: bool,
) -> tuple[Announcement | None, list[FieldError]]:
    """The announcement (id 0, no author yet), or the errors by field; `scheduled` asks for a date."""
    check = Checks(draft.unreadable)
    title = check.line("title", draft.title, MAX_TITLE, required=True)
    text = check.text("text", draft.text, MAX_TEXT, required=True)
    link_title = check.line("link_title", draft.link_title, MAX_LINK_TITLE)
    link_url = draft.link_url.strip()
    if link_url and not _web_address(link_url):
        check.add("link_url", "not_a_web_address")
    elif link_title and not link_url:
        check.add("link_url", "link_needs_address")
    if any(c not in channels for c in draft.channels) or any(
        o not in organisations for o in draft.organisations
    ):
        check.add("audience", "unknown_choice")
    elif not draft.channels and not draft.organisations:
        check.add("audience", "no_audience")
    send_at = now
    if scheduled:
        if draft.send_date is None or draft.send_time is None:
            check.add("send_date", "required")
        else:
            local = datetime.combine(draft.send_date, draft.send_time, tzinfo=zone)
            send_at = local.astimezone(UTC)
            if send_at <= now:
                check.add("send_date", "send_in_past")
    if check.errors:
        return None, check.errors
    return (
        Announcement(
            id=0,
            author_id="",
            organisation_key="",
            title=title,
            text=text,
            link_title=link_title or ((link_url and urlsplit(link_url).hostname) or ""),
            link_url=link_url,
            channels=tuple(dict.fromkeys(draft.channels)),
            organisations=tuple(dict.fromkeys(draft.organisations)),
            status=AnnouncementStatus.SCHEDULED if scheduled else AnnouncementStatus.SENDING,
            send_at=send_at,
            created_at=now,
        ),
        [],
    )


def _web_address(url: str) -> bool:
    if len(url) > MAX_URL:
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and " " not in url
