"""Turning view models into cards, in the reader's language: cards/ implements these."""

from __future__ import annotations

from typing import Any, Protocol

from klussenbank.domain.pools import Qualification
from klussenbank.services.views import (
    AnnouncementView,
    ApprovalView,
    DigestView,
    EvaluationView,
    HoursView,
    KlusNotice,
    PulseView,
    ReportView,
)


class NoticeRenderer(Protocol):
    """Turns a message about a klus into a card in the recipient's language (cards/ implements it)."""

    def render(self, notice: KlusNotice, locale: str) -> dict[str, Any]: ...


class ApprovalRenderer(Protocol):
    """Turns an approval into a card for one person, in their language (cards/ implements it)."""

    def render(self, view: ApprovalView, locale: str) -> dict[str, Any]: ...


class AnnouncementRenderer(Protocol):
    """Turns announcements and reports into cards (cards/ implements it)."""

    def announcement(self, view: AnnouncementView) -> dict[str, Any]: ...

    def report(self, view: ReportView, locale: str) -> dict[str, Any]: ...


class DigestRenderer(Protocol):
    def digest(self, view: DigestView, locale: str) -> dict[str, Any]: ...


class GrowthCards(Protocol):
    def pulse(self, view: PulseView, locale: str) -> dict[str, Any]: ...


class WorkCards(Protocol):
    def hours(self, view: HoursView, locale: str) -> dict[str, Any]: ...

    def evaluation(self, view: EvaluationView, locale: str) -> dict[str, Any]: ...


class AgreementCards(Protocol):
    """What the parties get in their chat (cards/ implements it)."""

    def ready(self, approval_id: int, klus_title: str, locale: str) -> dict[str, Any]: ...


class PoolRenderer(Protocol):
    """Messages of pools run by a coordinator, in the recipient's language (cards/ implements it)."""

    def expiry_reminder(self, qualification: Qualification, locale: str) -> dict[str, Any]:
        """A qualification expires in 30 days."""
