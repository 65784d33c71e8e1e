"""Fixtures of the marketplace tests: the demo directory's people, met, and the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from klussenbank.cards.announcements import AnnouncementCardRenderer
from klussenbank.cards.approval import ApprovalCardRenderer
from klussenbank.cards.general import erased_card
from klussenbank.cards.klus_notices import CardRenderer
from klussenbank.cards.pools import PoolCardRenderer
from klussenbank.cards.talent import TalentCardRenderer
from klussenbank.cards.tracks import TrackCardRenderer
from klussenbank.cards.work import WorkCardRenderer
from klussenbank.data import load_rules
from klussenbank.documents import render_agreement, render_track
from klussenbank.domain.organisations import Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.agreements import AgreementService
from klussenbank.services.announcement_chores import AnnouncementChores
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.announcer import Announcer
from klussenbank.services.approval_chores import ApprovalChores
from klussenbank.services.approval_routing import ApprovalOutcome, ApprovalRouter
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.choosing import ChoosingService
from klussenbank.services.contacts import ChatAllowed, everyone_may_chat
from klussenbank.services.digests import DigestService
from klussenbank.services.hours import HoursService
from klussenbank.services.interest import InterestService
from klussenbank.services.klus_chores import KlusChores
from klussenbank.services.links import LinkSigner
from klussenbank.services.marketplace import KlusSettings, Marketplace
from klussenbank.services.people import import_directory
from klussenbank.services.pools import PoolService
from klussenbank.services.ports.directory import AppInstaller, Directory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.posting import PostingService
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import ReportService
from klussenbank.services.signup import SignupService
from klussenbank.services.talent import TalentService
from klussenbank.services.tracks import TrackService
from klussenbank.services.work import WorkService
from tests.conftest import FixedClock

TENANT = "00000000-0000-0000-0000-000000000001"
ANNA = Actor("6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01", TENANT, "Anna de Vries", "nl-NL")  # HR, Harderwijk
BRAM = Actor("6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02", TENANT, "Bram Jansen", "nl-NL")  # team lead, Ermelo
CHANTAL = Actor("6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03", TENANT, "Chantal Bakker", "nl-NL")  # reports to Bram
DAAN = Actor("6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e04", TENANT, "Daan Visser", "en-US")  # reports to Bram
EVA = Actor("6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05", TENANT, "Eva Smit", "nl-NL")  # Zeewolde
EVERYONE = (ANNA, BRAM, CHANTAL, DAAN, EVA)


@pytest.fixture
def directory() -> FileDirectory:
    return FileDirectory.load("demo")


@pytest.fixture
async def signup(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: SkillVocabulary, directory: FileDirectory
) -> SignupService:
    service = SignupService(
        uow_factory, clock=clock, vocabulary=vocabulary, directory=directory, default_organisation="ermelo"
    )
    await import_directory(uow_factory, directory, clock, tenant_id=TENANT)
    for actor in EVERYONE:
        await service.meet(actor, None)
    return service


@dataclass(frozen=True)
class Market:
    """The klus services and the approvals, wired as `wiring.py` wires them; `shared` is their
    common part (the digest ranks with it)."""

    shared: Marketplace
    posting: PostingService
    choosing: ChoosingService
    interest: InterestService
    chores: KlusChores
    approvals: ApprovalService
    approval_chores: ApprovalChores
    talent: TalentService


def marketplace(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    *,
    rules: Rules | None = None,
    installer: AppInstaller | None = None,
    chat_allowed: ChatAllowed = everyone_may_chat,
    **settings: Any,
) -> Market:
    router = approval_router(
        clock, vocabulary, directory, rules=rules, installer=installer, chat_allowed=chat_allowed
    )
    shared = Marketplace(
        clock=clock,
        vocabulary=vocabulary,
        renderer=CardRenderer(),
        settings=KlusSettings(**settings),
        pools=(rules or load_rules("demo")).pools,
        chat_allowed=chat_allowed,
    )
    posting = PostingService(uow_factory, market=shared, approvals=router)
    chores = KlusChores(uow_factory, market=shared, approvals=router, posting=posting)
    outcome = ApprovalOutcome(
        router,
        settle=chores.settle,
        notices=CardRenderer(),
        agreements=agreement_service(uow_factory, clock, directory, rules),
    )
    return Market(
        shared,
        posting,
        ChoosingService(uow_factory, market=shared, directory=directory),
        InterestService(uow_factory, market=shared, approvals=router),
        chores,
        ApprovalService(uow_factory, router=router, outcome=outcome),
        ApprovalChores(uow_factory, router=router, outcome=outcome),
        TalentService(uow_factory, market=shared, directory=directory, cards=TalentCardRenderer()),
    )


def approval_router(
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    *,
    rules: Rules | None = None,
    installer: AppInstaller | None = None,
    chat_allowed: ChatAllowed = everyone_may_chat,
) -> ApprovalRouter:
    return ApprovalRouter(
        clock=clock,
        directory=directory,
        renderer=ApprovalCardRenderer(),
        vocabulary=vocabulary,
        rules=rules or load_rules("demo"),
        installer=installer,
        chat_allowed=chat_allowed,
    )


def agreement_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: Directory, rules: Rules | None = None
) -> AgreementService:
    return AgreementService(
        uow_factory,
        clock=clock,
        directory=directory,
        rules=rules or load_rules("demo"),
        render=render_agreement,
        cards=ApprovalCardRenderer(),
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
    )


LINK_SECRET = b"test-secret-for-download-links!!"


def announcer(clock: FixedClock, rules: Rules | None = None) -> Announcer:
    return Announcer(
        clock=clock,
        rules=rules or load_rules("demo"),
        renderer=AnnouncementCardRenderer(),
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
    )


def announcement_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: Directory, rules: Rules | None = None
) -> AnnouncementService:
    return AnnouncementService(uow_factory, announcer=announcer(clock, rules), directory=directory)


def announcement_chores(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AnnouncementChores:
    return AnnouncementChores(uow_factory, announcer=announcer(clock))


def digest_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, market: Marketplace, rules: Rules | None = None
) -> DigestService:
    return DigestService(
        uow_factory,
        clock=clock,
        rules=rules or load_rules("demo"),
        market=market,
        renderer=CardRenderer(),
    )


def privacy_service(uow_factory: UnitOfWorkFactory, clock: FixedClock, chores: KlusChores) -> PrivacyService:
    return PrivacyService(
        uow_factory,
        clock=clock,
        klus_chores=chores,
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
        rules=load_rules("demo"),
        erased_card=erased_card,
    )


def track_service(
    uow_factory: UnitOfWorkFactory, market: Marketplace, directory: Directory, rules: Rules | None = None
) -> TrackService:
    return TrackService(
        uow_factory,
        market=market,
        directory=directory,
        rules=rules or load_rules("demo"),
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
        cards=TrackCardRenderer(),
        render_pdf=render_track,
    )


def hours_service(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> HoursService:
    return HoursService(uow_factory, clock=clock, cards=WorkCardRenderer())


def work_service(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    rules: Rules | None = None,
) -> WorkService:
    return WorkService(
        uow_factory,
        clock=clock,
        vocabulary=vocabulary,
        cards=WorkCardRenderer(),
        router=approval_router(clock, vocabulary, directory, rules=rules),
        hours=hours_service(uow_factory, clock),
    )


def report_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: Directory, rules: Rules | None = None
) -> ReportService:
    return ReportService(
        uow_factory,
        clock=clock,
        directory=directory,
        rules=rules or load_rules("demo"),
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
    )


@pytest.fixture
def market(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> Market:
    return marketplace(uow_factory, clock, vocabulary, directory)


def pool_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: Directory, rules: Rules | None = None
) -> PoolService:
    return PoolService(
        uow_factory,
        clock=clock,
        directory=directory,
        rules=rules or load_rules("demo"),
        renderer=PoolCardRenderer(),
    )


@pytest.fixture
def pools(uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory) -> PoolService:
    return pool_service(uow_factory, clock, directory)
