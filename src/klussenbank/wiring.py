"""The composition root: builds adapters and services from settings."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.server import Chore, init_app
from klussenbank.cards.announcements import AnnouncementCardRenderer
from klussenbank.cards.approval import ApprovalCardRenderer
from klussenbank.cards.general import erased_card
from klussenbank.cards.growth import GrowthCardRenderer
from klussenbank.cards.klus_notices import CardRenderer
from klussenbank.cards.pools import PoolCardRenderer
from klussenbank.cards.talent import TalentCardRenderer
from klussenbank.cards.tracks import TrackCardRenderer
from klussenbank.cards.work import WorkCardRenderer
from klussenbank.config import ConfigError, Settings
from klussenbank.data import load_rules, load_skill_vocabulary
from klussenbank.dialogs.turn import Services
from klussenbank.documents import render_agreement, render_track
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import Organisation
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.graph.graph_directory import (
    OrganisationMap,
    credential_from,
    graph_session,
    tenant_credential,
)
from klussenbank.graph.sync import DeltaSource, SyncResult, sync_users
from klussenbank.graph.teams_apps import GraphInstaller, TenantInstallers
from klussenbank.graph.tenant_directories import TenantDirectories
from klussenbank.services.agreements import AgreementService
from klussenbank.services.announcement_chores import AnnouncementChores
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.announcer import Announcer
from klussenbank.services.applications import ApplicationsService
from klussenbank.services.approval_chores import ApprovalChores
from klussenbank.services.approval_routing import ApprovalOutcome, ApprovalRouter
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.charging import ChargingService
from klussenbank.services.choosing import ChoosingService
from klussenbank.services.clock import Clock, SystemClock
from klussenbank.services.delivery import DeliveryWorker, WorkerSettings
from klussenbank.services.digests import DigestService
from klussenbank.services.growth import PulseService
from klussenbank.services.guide import GuideService
from klussenbank.services.hours import HoursService
from klussenbank.services.interest import InterestService
from klussenbank.services.klus_chores import KlusChores
from klussenbank.services.links import LinkSigner
from klussenbank.services.marketplace import KlusSettings, Marketplace
from klussenbank.services.planning import PlanningService
from klussenbank.services.pool_roles import check_pools
from klussenbank.services.pools import PoolService
from klussenbank.services.ports.delivery import DeliveryObserver, Sender
from klussenbank.services.ports.directory import AppInstaller, Directory
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.posting import PostingService
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import ReportService
from klussenbank.services.shifts import Coordinators, ShiftService
from klussenbank.services.signup import SignupService
from klussenbank.services.skill_search import SkillSearch
from klussenbank.services.talent import TalentService
from klussenbank.services.tracks import TrackService
from klussenbank.services.work import WorkService
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.delivery_queue import SqlDeliveryQueue
from klussenbank.store.directory import CachedDirectory, SqlDirectoryCache
from klussenbank.store.rate_limits import MemoryRateLimiter, SqlRateLimiter
from klussenbank.store.uow import sql_unit_of_work
from klussenbank.telemetry.metrics import Metrics, listening
from klussenbank.tenants import Tenant, Tenants, check_organisations, load_tenants, single_tenant

CHORE_EVERY = 300.0  # seconds between runs of most chores (expiring klussen, the Graph sync)
APPROVALS_EVERY = 60.0  # approvals waiting for an app installation should not wait long
DAILY = 24 * 3600.0  # retention: purging old personal data
FEED_LIFETIME = timedelta(days=366)  # a calendar feed's link: Outlook keeps the subscription a year
ANNOUNCEMENTS_EVERY = 5.0  # planned announcements go out, and report cards keep up, within seconds


def organisation_map(tenant: Tenant) -> OrganisationMap:
    """Which organisation a tenant's Graph user belongs to: the whole tenant's, or by companyName."""
    if tenant.organisation:
        return OrganisationMap(tenant=Organisation(tenant.organisation, tenant.organisation))
    return OrganisationMap(
        by_company={
            company: Organisation(key, key if company == "*" else company)
            for company, key in tenant.organisations
        }
    )


def directory(settings: Settings, engine: AsyncEngine, tenants: Tenants | None = None) -> Directory:
    """The directory file, or with Microsoft Graph the local cache the delta sync keeps: routing
    must not wait on Graph. With several tenants, each tenant's own directory file, seen as one."""
    if tenants is not None and tenants.several:
        files = {
            entry.key: FileDirectory.load(entry.directory_file)
            for entry in tenants.entries
            if entry.directory == "file"
        }
        seen: dict[str, str] = {}
        for key, file in files.items():
            for person in sorted(file.person_ids):
                if seen.setdefault(person, key) != key:
                    raise ConfigError(
                        f"tenants file {tenants.source}: [tenants.{key}] directory_file: person {person} is "
                        f"also in [tenants.{seen[person]}]'s directory; a person belongs to one tenant"
                    )
        # A tenant's Graph users are cached under its key (Entra object ids are unique across tenants).
        return TenantDirectories(
            {
                entry.key: files.get(entry.key)
                or CachedDirectory(session_factory(engine), organisation_map(entry), tenant=entry.key)
                for entry in tenants.entries
            }
        )
    if settings.directory == "graph":
        return CachedDirectory(session_factory(engine), organisation_map(single_tenant(settings).entries[0]))
    return FileDirectory.load(settings.directory_file)


def tenants_of(settings: Settings, rules: Rules) -> Tenants:
    """The tenants file's tenants (or the settings' one), checked against the organisations the
    pool knows: the organisations file's and those in the tenants' directory files."""
    tenants = load_tenants(settings)
    if tenants.several:
        known = set(rules.by_organisation)
        for entry in tenants.entries:
            # A Graph tenant's organisations are the ones its companyName mapping names.
            known |= (
                FileDirectory.load(entry.directory_file).organisation_keys
                if entry.directory == "file"
                else entry.organisation_keys
            )
        check_organisations(tenants, frozenset(known))
    return tenants


def graph_sync(
    settings: Settings,
    engine: AsyncEngine,
    *,
    credential: Any = None,
    on_page: Callable[[SyncResult], None] | None = None,
    tenant: Tenant | None = None,
) -> Callable[[], Awaitable[SyncResult]]:
    """The users delta sync from Microsoft Graph into the cache: a chore and `directory sync`. With
    `tenant` (a tenants file's entry), that tenant's Graph into its own part of the cache."""

    async def sync_directory() -> SyncResult:
        own = credential is None
        used = credential or (tenant_credential(tenant) if tenant else credential_from(settings))
        base_url = tenant.graph_base_url if tenant else settings.graph_base_url
        cache = SqlDirectoryCache(session_factory(engine), tenant=tenant.key if tenant else None)
        try:
            async with graph_session(used, base_url=base_url) as client:
                return await sync_users(DeltaSource(client), cache, on_page=on_page)
        finally:
            if own:
                await used.close()

    return sync_directory


def directory_syncs(parts: Parts) -> list[tuple[str, Callable[[], Awaitable[object]], float]]:
    """The Graph sync chores: the one directory's, or each Graph tenant's of a tenants file."""
    settings, tenants = parts.settings, parts.tenants
    if tenants.several:
        return [
            (f"directory_sync:{entry.key}", graph_sync(settings, parts.engine, tenant=entry), CHORE_EVERY)
            for entry in tenants.entries
            if entry.directory == "graph"
        ]
    return (
        [("directory_sync", graph_sync(settings, parts.engine), CHORE_EVERY)]
        if settings.directory == "graph"
        else []
    )


def link_signer(settings: Settings) -> LinkSigner:
    """Signs download links; without a configured secret, links end when the process does."""
    secret = settings.link_secret.encode() if settings.link_secret else secrets.token_bytes(32)
    return LinkSigner(secret, settings.base_url)


@dataclass(frozen=True)
class Parts:
    """What the services share, each loaded once: the database, the directory, the organisations'
    rules, the skills, the link signer and the clock."""

    settings: Settings
    engine: AsyncEngine
    tenants: Tenants
    directory: Directory
    rules: Rules
    vocabulary: SkillVocabulary
    links: LinkSigner
    clock: Clock

    @classmethod
    def load(cls, settings: Settings, engine: AsyncEngine) -> Parts:
        rules = load_rules(settings.organisations_file)
        tenants = tenants_of(settings, rules)
        return cls(
            settings,
            engine,
            tenants,
            directory(settings, engine, tenants),
            rules,
            load_skill_vocabulary(),
            link_signer(settings),
            SystemClock(),
        )

    @property
    def uow(self) -> UnitOfWorkFactory:
        return sql_unit_of_work(session_factory(self.engine))


@asynccontextmanager
async def command_parts(settings: Settings) -> AsyncIterator[Parts]:
    """For a command-line command: the parts, on an engine disposed of afterwards."""
    engine = create_engine(settings.database_url)
    try:
        yield Parts.load(settings, engine)
    finally:
        await engine.dispose()


def signup_service(parts: Parts) -> SignupService:
    return SignupService(
        parts.uow,
        clock=parts.clock,
        vocabulary=parts.vocabulary,
        directory=parts.directory,
        default_organisation=parts.settings.default_organisation,
    )


def installer_of(parts: Parts) -> AppInstaller | None:
    """With Graph and a registered app, an approver who never opened the app gets it installed: with
    a tenants file, by their home tenant's Graph, in that tenant's own app."""
    settings, tenants = parts.settings, parts.tenants
    if not tenants.several:
        graph = settings.directory == "graph" and settings.has_credentials
        return GraphInstaller.for_settings(settings) if graph else None
    installers = {
        entry.key: GraphInstaller.for_tenant(entry)
        for entry in tenants.entries
        if entry.directory == "graph" and entry.credential.kind is not None
    }
    if not installers:
        return None
    assert isinstance(parts.directory, TenantDirectories)  # a tenants file's directory (see directory())
    return TenantInstallers(parts.directory, installers)


def approval_router(parts: Parts) -> ApprovalRouter:
    return ApprovalRouter(
        clock=parts.clock,
        directory=parts.directory,
        renderer=ApprovalCardRenderer(),
        vocabulary=parts.vocabulary,
        rules=parts.rules,
        installer=installer_of(parts),
        chat_allowed=parts.tenants.chat_allowed,
    )


def marketplace(parts: Parts) -> Marketplace:
    return Marketplace(
        clock=parts.clock,
        vocabulary=parts.vocabulary,
        renderer=CardRenderer(),
        settings=KlusSettings(suggestions_per_week=parts.settings.suggestions_per_week),
        pools=parts.rules.pools,
        chat_allowed=parts.tenants.chat_allowed,
    )


def posting_service(
    parts: Parts, market: Marketplace | None = None, router: ApprovalRouter | None = None
) -> PostingService:
    return PostingService(
        parts.uow, market=market or marketplace(parts), approvals=router or approval_router(parts)
    )


def klus_chores(
    parts: Parts,
    market: Marketplace | None = None,
    router: ApprovalRouter | None = None,
    posting: PostingService | None = None,
) -> KlusChores:
    market = market or marketplace(parts)
    router = router or approval_router(parts)
    posting = posting or posting_service(parts, market, router)
    return KlusChores(parts.uow, market=market, approvals=router, posting=posting)


def report_service(parts: Parts) -> ReportService:
    return ReportService(
        parts.uow, clock=parts.clock, directory=parts.directory, rules=parts.rules, links=parts.links
    )


def privacy_service(parts: Parts, chores: KlusChores) -> PrivacyService:
    return PrivacyService(
        parts.uow,
        clock=parts.clock,
        klus_chores=chores,
        links=parts.links,
        rules=parts.rules,
        erased_card=erased_card,
    )


def digest_service(parts: Parts, market: Marketplace) -> DigestService:
    return DigestService(
        parts.uow,
        clock=parts.clock,
        rules=parts.rules,
        market=market,
        renderer=CardRenderer(),
    )


def agreement_service(parts: Parts) -> AgreementService:
    return AgreementService(
        parts.uow,
        clock=parts.clock,
        directory=parts.directory,
        rules=parts.rules,
        render=render_agreement,
        cards=ApprovalCardRenderer(),
        links=parts.links,
    )


def track_service(parts: Parts, market: Marketplace) -> TrackService:
    return TrackService(
        parts.uow,
        market=market,
        directory=parts.directory,
        rules=parts.rules,
        links=parts.links,
        cards=TrackCardRenderer(),
        render_pdf=render_track,
    )


def shift_service(parts: Parts, market: Marketplace | None = None) -> ShiftService:
    return ShiftService(
        parts.uow,
        market=market or marketplace(parts),
        directory=parts.directory,
        coordinators=Coordinators(parts.directory, parts.rules),
    )


def pool_service(parts: Parts) -> PoolService:
    return PoolService(
        parts.uow,
        clock=parts.clock,
        directory=parts.directory,
        rules=parts.rules,
        renderer=PoolCardRenderer(),
    )


def work_service(parts: Parts, router: ApprovalRouter, hours: HoursService) -> WorkService:
    return WorkService(
        parts.uow,
        clock=parts.clock,
        vocabulary=parts.vocabulary,
        cards=WorkCardRenderer(),
        router=router,
        hours=hours,
    )


def delivery_worker(
    engine: AsyncEngine,
    sender: Sender,
    *,
    name: str | None = None,
    lease: timedelta | None = None,
    observer: DeliveryObserver | None = None,
) -> DeliveryWorker:
    sessions = session_factory(engine)
    # SQLite has one writer, so one worker: its buckets can live in memory. PostgreSQL shares them.
    limiter = SqlRateLimiter(sessions) if engine.dialect.name == "postgresql" else MemoryRateLimiter()
    return DeliveryWorker(
        name or f"{socket.gethostname()}-{os.getpid()}",
        SqlDeliveryQueue(sessions),
        sender,
        limiter,
        SystemClock(),
        settings=WorkerSettings() if lease is None else WorkerSettings(lease=lease),
        observer=observer,
    )


def process_metrics(engine: AsyncEngine) -> Metrics:
    """A process's metrics, with the outbox backlog read from the database at each scrape."""
    return Metrics(backlog=SqlDeliveryQueue(session_factory(engine)).backlog)


@asynccontextmanager
async def metrics_listener(settings: Settings, metrics: Metrics) -> AsyncIterator[None]:
    """Serve /metrics as the settings say (KLUSSENBANK_METRICS_*); port 0: not at all."""
    if not settings.metrics_port:
        yield
        return
    async with listening(metrics, settings.metrics_host, settings.metrics_port, settings.metrics_token):
        yield


def build_web_app(settings: Settings) -> web.Application:
    engine = create_engine(settings.database_url)
    parts = Parts.load(settings, engine)
    metrics = process_metrics(engine)
    lease = timedelta(seconds=settings.worker_lease_seconds)
    worker = (
        partial(delivery_worker, engine, lease=lease, observer=metrics)
        if settings.worker == "inline"
        else None
    )
    router = approval_router(parts)
    market = marketplace(parts)
    posting = posting_service(parts, market, router)
    chores = klus_chores(parts, market, router, posting)
    privacy = privacy_service(parts, chores)
    hours = HoursService(parts.uow, clock=parts.clock, cards=WorkCardRenderer())
    work = work_service(parts, router, hours)
    agreements = agreement_service(parts)
    outcome = ApprovalOutcome(router, settle=chores.settle, notices=CardRenderer(), agreements=agreements)
    approval_chores = ApprovalChores(parts.uow, router=router, outcome=outcome)
    announcing = Announcer(
        clock=parts.clock, rules=parts.rules, renderer=AnnouncementCardRenderer(), links=parts.links
    )
    announcement_chores = AnnouncementChores(parts.uow, announcer=announcing)
    digests = digest_service(parts, market)
    pulse = PulseService(parts.uow, clock=parts.clock, cards=GrowthCardRenderer())
    coordinators = Coordinators(parts.directory, parts.rules)
    services = Services(
        signup=signup_service(parts),
        posting=posting,
        choosing=ChoosingService(parts.uow, market=market, directory=parts.directory),
        interest=InterestService(parts.uow, market=market, approvals=router),
        approvals=ApprovalService(parts.uow, router=router, outcome=outcome),
        announcements=AnnouncementService(parts.uow, announcer=announcing, directory=parts.directory),
        announcement_chores=announcement_chores,
        digests=digests,
        privacy=privacy,
        reports=report_service(parts),
        agreements=agreements,
        hours=hours,
        work=work,
        guide=GuideService(parts.uow, directory=parts.directory, rules=parts.rules),
        applications=ApplicationsService(parts.uow, vocabulary=parts.vocabulary),
        skills=SkillSearch(parts.vocabulary),
        tracks=track_service(parts, market),
        talent=TalentService(
            parts.uow,
            market=market,
            directory=parts.directory,
            cards=TalentCardRenderer(),
            max_free_hours=settings.date_max_hours,
        ),
        pulse=pulse,
        shifts=shift_service(parts, market),
        planning=PlanningService(
            parts.uow,
            clock=parts.clock,
            rules=parts.rules,
            coordinators=coordinators,
            links=parts.links,
            feeds=parts.links.lasting(FEED_LIFETIME),
        ),
        charging=ChargingService(
            parts.uow, clock=parts.clock, directory=parts.directory, rules=parts.rules, links=parts.links
        ),
        pools=pool_service(parts),
    )
    app = init_app(
        settings,
        engine=engine,
        services=services,
        worker=worker,
        metrics=metrics,
        tenants=parts.tenants,
        chores=[
            Chore(name, job, settings.chore_seconds or every)
            for name, job, every in [
                ("expire_klussen", chores.expire_overdue, CHORE_EVERY),
                ("approvals", approval_chores.tick, APPROVALS_EVERY),
                ("announcements", announcement_chores.send_due, ANNOUNCEMENTS_EVERY),
                ("report_cards", announcement_chores.refresh_reports, ANNOUNCEMENTS_EVERY),
                ("digests", digests.run_due, CHORE_EVERY),
                ("privacy_purge", privacy.purge, DAILY),
                ("work", work.tick, CHORE_EVERY),
                ("pulse", pulse.send_due, DAILY),
                ("qualification_reminders", services.pools.remind_expiring, DAILY),
                *directory_syncs(parts),
            ]
        ],
    )

    async def check_pool_settings(_app: web.Application) -> AsyncIterator[None]:
        # A pool naming an unknown organisation or coordinator stops the start (a clear error).
        await check_pools(parts.rules, parts.directory)
        yield

    async def serve_metrics(_app: web.Application) -> AsyncIterator[None]:
        async with metrics_listener(settings, metrics):
            yield

    async def warm_pool(_app: web.Application) -> AsyncIterator[None]:
        # Load the pool index beside the first turns, so that no klus post waits for it.
        task = asyncio.create_task(market.pool.warm(parts.uow))
        task.add_done_callback(_log_warm_failure)
        yield
        task.cancel()

    app.cleanup_ctx.append(check_pool_settings)
    app.cleanup_ctx.append(serve_metrics)
    app.cleanup_ctx.append(warm_pool)
    return app


def _log_warm_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "loading the pool index at start-up failed; the first matching turn loads it",
            exc_info=task.exception(),
        )
