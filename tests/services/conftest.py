"""Fixtures of the marketplace tests: the demo directory's people, met, and the two services."""

from __future__ import annotations

from typing import Any

import pytest

from klussenbank.cards.announcements import AnnouncementCardRenderer
from klussenbank.cards.approval import ApprovalCardRenderer
from klussenbank.cards.general import erased_card
from klussenbank.cards.klus_notices import CardRenderer
from klussenbank.cards.work import WorkCardRenderer
from klussenbank.data import load_rules
from klussenbank.documents import render_agreement
from klussenbank.domain.organisations import Rules
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.agreements import AgreementService
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.approvals import ApprovalRouter, ApprovalService
from klussenbank.services.digests import DigestService
from klussenbank.services.klussen import KlusService, KlusSettings
from klussenbank.services.links import LinkSigner
from klussenbank.services.people import import_directory
from klussenbank.services.ports import Actor, AppInstaller, Directory, UnitOfWorkFactory
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import ReportService
from klussenbank.services.signup import SignupService
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


def marketplace(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    *,
    rules: Rules | None = None,
    installer: AppInstaller | None = None,
    **settings: Any,
) -> tuple[KlusService, ApprovalService]:
    """The marketplace and the approvals, wired as `wiring.py` wires them."""
    router = approval_router(clock, vocabulary, directory, rules=rules, installer=installer)
    klussen = KlusService(
        uow_factory,
        clock=clock,
        vocabulary=vocabulary,
        directory=directory,
        renderer=CardRenderer(),
        approvals=router,
        settings=KlusSettings(**settings),
    )
    approvals = ApprovalService(
        uow_factory,
        router=router,
        settle=klussen.settle,
        notices=CardRenderer(),
        agreements=agreement_service(uow_factory, clock, directory, rules),
    )
    return klussen, approvals


def approval_router(
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Directory,
    *,
    rules: Rules | None = None,
    installer: AppInstaller | None = None,
) -> ApprovalRouter:
    return ApprovalRouter(
        clock=clock,
        directory=directory,
        renderer=ApprovalCardRenderer(),
        vocabulary=vocabulary,
        rules=rules or load_rules("demo"),
        installer=installer,
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


def announcement_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: Directory, rules: Rules | None = None
) -> AnnouncementService:
    return AnnouncementService(
        uow_factory,
        clock=clock,
        directory=directory,
        rules=rules or load_rules("demo"),
        renderer=AnnouncementCardRenderer(),
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
    )


def digest_service(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    klussen: KlusService,
    rules: Rules | None = None,
) -> DigestService:
    return DigestService(
        uow_factory,
        clock=clock,
        rules=rules or load_rules("demo"),
        klussen=klussen,
        vocabulary=vocabulary,
        renderer=CardRenderer(),
    )


def privacy_service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, klussen: KlusService
) -> PrivacyService:
    return PrivacyService(
        uow_factory,
        clock=clock,
        klussen=klussen,
        links=LinkSigner(LINK_SECRET, "http://127.0.0.1:3978"),
        rules=load_rules("demo"),
        erased_card=erased_card,
    )


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


def service_with(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
    **settings: Any,
) -> KlusService:
    return marketplace(uow_factory, clock, vocabulary, directory, **settings)[0]


@pytest.fixture
def market(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> tuple[KlusService, ApprovalService]:
    return marketplace(uow_factory, clock, vocabulary, directory)


@pytest.fixture
def klussen(market: tuple[KlusService, ApprovalService]) -> KlusService:
    return market[0]


@pytest.fixture
def approvals(market: tuple[KlusService, ApprovalService]) -> ApprovalService:
    return market[1]
