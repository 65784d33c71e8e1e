"""What each `klussenbank` command does; the parts it uses come from the composition root (wiring.py).

Each command imports what it needs when it runs: the bot SDK and SQLAlchemy are slow to import cold, and
`--help` or `package` need neither.
"""

from __future__ import annotations

import asyncio
import getpass
import signal
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from klussenbank.cli.progress import Progress
from klussenbank.config import ConfigError, Settings, without_password

if TYPE_CHECKING:
    from klussenbank.domain.report import Figures
    from klussenbank.graph.sync import SyncResult
    from klussenbank.i18n import Language
    from klussenbank.services.demo import DemoResult
    from klussenbank.services.people import ImportResult
    from klussenbank.services.ports.records import AuditEntry
    from klussenbank.tenants import Tenants


def serve(settings: Settings) -> None:
    from aiohttp import web

    from klussenbank.bot.server import AccessLog
    from klussenbank.tenants import check_can_serve
    from klussenbank.wiring import build_web_app

    tenants = check_can_serve(settings)
    mode = (
        f"with the app registrations of {', '.join(e.key for e in tenants.entries)}"
        if tenants.several and tenants.authenticated
        else "with app registration"
        if tenants.authenticated
        else "in local mode (no credentials)"
    )
    print(f"Klussenbank listening on http://{settings.host}:{settings.port}/api/messages {mode}")
    print(f"Database: {without_password(settings.database_url)}")
    _print_metrics_address(settings)
    if not settings.has_credentials:
        print("Open the Agents Playground against it: make playground (then browse to the URL it prints)")
    try:
        web.run_app(
            build_web_app(settings),
            host=settings.host,
            port=settings.port,
            print=None,
            access_log_class=AccessLog,
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {settings.host}:{settings.port} ({exc.strerror}). Is another bot running? "
            "Stop it or choose another port with --port."
        ) from exc


def db_upgrade(settings: Settings, progress: Progress) -> None:
    from klussenbank.store.migrate import upgrade

    progress.step("Applying migrations")
    upgrade(settings.database_url)
    progress.summary(f"Database is up to date: {settings.database_url}")


def demo_load(settings: Settings, tenant_id: str, progress: Progress) -> None:
    progress.step("Loading the directory's organisations and people")
    result = asyncio.run(_load_directory(settings, progress, tenant_id=tenant_id))
    summary = [
        f"Directory loaded: {result.organisations_added} organisations added, "
        f"{result.people_added} people added, {result.people_updated} updated."
    ]
    if settings.directory == "file" and settings.directory_file == "demo":
        progress.step("Adding the demo profiles and klussen")
        demo = asyncio.run(_load_demo_marketplace(settings, tenant_id=tenant_id))
        summary.append(
            f"Demo marketplace: {demo.profiles_added} profiles and {demo.klussen_added} klussen added."
        )
    progress.summary(*summary)


async def _load_directory(settings: Settings, progress: Progress, *, tenant_id: str) -> ImportResult:
    from dataclasses import astuple

    from klussenbank.graph.tenant_directories import TenantDirectories
    from klussenbank.services.people import ImportResult, import_directory
    from klussenbank.wiring import command_parts

    def people_done(done: int, total: int) -> None:
        progress.count(done, total, "people")

    async with command_parts(settings) as parts:
        if not isinstance(parts.directory, TenantDirectories):
            return await import_directory(
                parts.uow, parts.directory, parts.clock, tenant_id=tenant_id, progress=people_done
            )
        # Several tenants: each one's people are of that tenant (the tenants file says which it is).
        results = [
            await import_directory(
                parts.uow, parts.directory.by_tenant[entry.key], parts.clock, tenant_id=entry.tenant_id
            )
            for entry in parts.tenants.entries
        ]
        return ImportResult(*(sum(counts) for counts in zip(*(astuple(r) for r in results), strict=True)))


async def _load_demo_marketplace(settings: Settings, *, tenant_id: str) -> DemoResult:
    from klussenbank.services.demo import seed_demo_flexpool, seed_demo_marketplace, seed_demo_shifts
    from klussenbank.wiring import command_parts, pool_service, posting_service, shift_service, signup_service

    async with command_parts(settings) as parts:
        signup, posting = signup_service(parts), posting_service(parts)
        result = await seed_demo_marketplace(signup, posting, parts.clock, tenant_id=tenant_id)
        if await seed_demo_flexpool(pool_service(parts), signup, posting, parts.clock, tenant_id=tenant_id):
            await seed_demo_shifts(shift_service(parts), parts.clock, tenant_id=tenant_id)
        return result


class CommandFailed(Exception):
    """A command did part of its work; the message says what failed (exit code 1)."""


def directory_sync(settings: Settings, progress: Progress) -> None:
    from klussenbank.tenants import load_tenants

    tenants = load_tenants(settings)
    if tenants.several:
        _sync_tenant_directories(settings, tenants, progress)
        return
    if settings.directory != "graph":
        raise ConfigError(
            "directory sync reads Microsoft Graph: set KLUSSENBANK_DIRECTORY=graph (see README, "
            "'Microsoft Graph directory')."
        )
    progress.step("Reading the users delta from Microsoft Graph")
    result = asyncio.run(_sync_directory(settings, progress))
    progress.summary(f"Directory synced from Microsoft Graph {_synced(result)}")


def _synced(result: SyncResult) -> str:
    kind = "full" if result.full else "changes only"
    return f"({kind}): {result.upserted} people updated, {result.removed} removed, {result.pages} pages."


def _page_counter(progress: Progress) -> Callable[[SyncResult], None]:
    def page_done(so_far: SyncResult) -> None:
        progress.count(so_far.pages, None, f"pages ({so_far.upserted} people, {so_far.removed} removed)")

    return page_done


async def _sync_directory(settings: Settings, progress: Progress) -> SyncResult:
    from klussenbank.store.db import create_engine
    from klussenbank.wiring import graph_sync

    engine = create_engine(settings.database_url)
    try:
        return await graph_sync(settings, engine, on_page=_page_counter(progress))()
    finally:
        await engine.dispose()


def _sync_tenant_directories(settings: Settings, tenants: Tenants, progress: Progress) -> None:
    """Each tenant's directory of the tenants file, with that tenant's own credential; one failing
    does not stop the others, and the command fails at the end naming it."""
    lines, failed = asyncio.run(_sync_each_tenant(settings, tenants, progress))
    progress.summary(*lines)
    if failed:
        raise CommandFailed(
            "directory sync failed for "
            + "; ".join(f"{key}: {why}" for key, why in failed.items())
            + (". The other tenants were synced." if len(failed) < len(lines) else ".")
        )


async def _sync_each_tenant(
    settings: Settings, tenants: Tenants, progress: Progress
) -> tuple[list[str], dict[str, str]]:
    from klussenbank.graph.directory_file import FileDirectory
    from klussenbank.graph.graph_directory import failure_text
    from klussenbank.store.db import create_engine
    from klussenbank.wiring import graph_sync

    lines: list[str] = []
    failed: dict[str, str] = {}
    engine = create_engine(settings.database_url)
    try:
        for entry in tenants.entries:
            try:
                if entry.directory == "graph":
                    progress.step(f"{entry.key}: reading the users delta from its Microsoft Graph")
                    sync = graph_sync(settings, engine, on_page=_page_counter(progress), tenant=entry)
                    lines.append(f"{entry.key}: synced from Microsoft Graph {_synced(await sync())}")
                else:
                    progress.step(f"{entry.key}: reading its directory file")
                    people = len(FileDirectory.load(entry.directory_file).person_ids)
                    lines.append(
                        f"{entry.key}: directory file {entry.directory_file}: {people} people "
                        "(nothing to sync: the bot reads it at start-up)"
                    )
            except Exception as error:  # one tenant failing must not stop the others: reported below
                failed[entry.key] = failure_text(error)
                lines.append(f"{entry.key}: FAILED: {failed[entry.key]}")
    finally:
        await engine.dispose()
    return lines, failed


def _print_metrics_address(settings: Settings) -> None:
    if settings.metrics_port:
        guard = " (bearer token required)" if settings.metrics_token else ""
        print(f"Metrics: http://{settings.metrics_host}:{settings.metrics_port}/metrics{guard}")


def worker(settings: Settings) -> None:
    settings.check_metrics()
    print(f"Klussenbank delivery worker on {without_password(settings.database_url)}; stop with Ctrl-C")
    _print_metrics_address(settings)
    asyncio.run(_run_worker(settings))


async def _run_worker(settings: Settings) -> None:
    """The stand-alone worker process: delivers until SIGTERM or SIGINT, then stops cleanly; serves
    its own /metrics meanwhile."""
    from klussenbank.bot.sender import TeamsSender
    from klussenbank.store.db import create_engine
    from klussenbank.wiring import delivery_worker, metrics_listener, process_metrics

    engine = create_engine(settings.database_url)
    metrics = process_metrics(engine)
    worker = delivery_worker(
        engine,
        TeamsSender.for_settings(settings),
        # KLUSSENBANK_WORKER_LEASE_SECONDS (config.py): how soon a crashed worker's claims are due again.
        lease=timedelta(seconds=settings.worker_lease_seconds),
        observer=metrics,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        async with metrics_listener(settings, metrics):
            await worker.run(stop)
    finally:
        await worker.close()
        await engine.dispose()


def outbox(settings: Settings, command: str, unconfirmed: bool, progress: Progress) -> None:
    if command == "status":
        counts = asyncio.run(_outbox_counts(settings))
        width = max(len(status) for status in counts)
        for status, count in counts.items():
            print(f"{status:<{width}}  {count}")
    else:
        progress.step(
            "Queueing dead-lettered deliveries again" + (", unconfirmed too" if unconfirmed else "")
        )
        count = asyncio.run(_outbox_retry(settings, _actor(), unconfirmed=unconfirmed))
        progress.summary(f"{count} deliveries queued again")


async def _outbox_counts(settings: Settings) -> dict[str, int]:
    from klussenbank.store.db import create_engine, session_factory
    from klussenbank.store.delivery_queue import SqlDeliveryQueue

    engine = create_engine(settings.database_url)
    try:
        return await SqlDeliveryQueue(session_factory(engine)).counts()
    finally:
        await engine.dispose()


async def _outbox_retry(settings: Settings, actor: str, *, unconfirmed: bool) -> int:
    from klussenbank.services.clock import SystemClock
    from klussenbank.store.db import create_engine, session_factory
    from klussenbank.store.delivery_queue import SqlDeliveryQueue

    engine = create_engine(settings.database_url)
    try:
        return await SqlDeliveryQueue(session_factory(engine)).retry(
            actor, now=SystemClock().now(), unconfirmed=unconfirmed
        )
    finally:
        await engine.dispose()


def package(settings: Settings, out: Path, app_id: str, domain: str, tenant: str = "") -> None:
    from klussenbank.appmanifest import build_package
    from klussenbank.tenants import load_tenants

    if tenant:
        # Each tenant installs its own app: the manifest names that tenant's own bot.
        tenants = load_tenants(settings, secrets=False)
        entry = next((e for e in tenants.entries if e.key == tenant and tenants.several), None)
        if entry is None:
            known = ", ".join(e.key for e in tenants.entries) if tenants.several else "none: no tenants file"
            raise ConfigError(
                f"--tenant {tenant}: not a tenant of KLUSSENBANK_TENANTS_FILE (tenants: {known})."
            )
        app_id = app_id or entry.app_id
        out = out.with_name(f"{out.stem}-{tenant}{out.suffix}")
    path = build_package(out, app_id=app_id or settings.app_id, bot_domain=domain)
    print(f"Teams app package written to {path}")


def tenants_status(settings: Settings) -> None:
    """Per tenant: whether its bot can get a token, when its directory was last synced, its outbox
    backlog and the sends that failed in the last day."""
    for line in asyncio.run(_tenants_status(settings)):
        print(line)


async def _tenants_status(settings: Settings) -> list[str]:
    from klussenbank.bot.auth import can_sign_in, connections
    from klussenbank.store.db import create_engine, session_factory
    from klussenbank.store.delivery_queue import SqlDeliveryQueue
    from klussenbank.store.directory import SqlDirectoryCache
    from klussenbank.tenants import load_tenants

    tenants = load_tenants(settings)
    manager = connections(tenants)
    engine = create_engine(settings.database_url)
    try:
        outbox = await SqlDeliveryQueue(session_factory(engine)).by_tenant(
            datetime.now(UTC) - timedelta(days=1)
        )
        lines = []
        for entry in tenants.entries:
            cache = SqlDirectoryCache(session_factory(engine), tenant=entry.key if tenants.several else None)
            synced = await cache.last_synced()
            backlog = sum(outbox.get(t, (0, 0))[0] for t in entry.tenant_ids)
            failed = sum(outbox.get(t, (0, 0))[1] for t in entry.tenant_ids)
            directory = (
                (f"Graph, last synced {synced:%Y-%m-%d %H:%M} UTC" if synced else "Graph, never synced")
                if entry.directory == "graph"
                else f"file {entry.directory_file} (read at start-up)"
            )
            lines += [
                f"{entry.key} (tenant {entry.tenant_id or '-'}, app {entry.app_id or '-'})",
                f"  token:     {await can_sign_in(manager, entry)}",
                f"  directory: {directory}",
                f"  outbox:    {backlog} waiting, {failed} failed sends in the last 24 hours",
            ]
        return lines
    finally:
        await engine.dispose()


def report(
    settings: Settings,
    organisation: str,
    start: date,
    end: date,
    kind: str,
    out: Path | None,
    language: Language,
    progress: Progress,
) -> None:
    from klussenbank.cards.chart import bar_chart_png
    from klussenbank.cards.report import months_chart
    from klussenbank.i18n import Translator
    from klussenbank.services.reports import figures_csv

    if end < start:
        raise ConfigError("--to lies before --from.")
    progress.step(f"Counting {organisation}'s figures from {start} to {end}")
    found = asyncio.run(_report_figures(settings, organisation, start, end))
    if kind == "png":
        target = out or Path(f"rapport-{organisation}.png")
        progress.step(f"Drawing the chart of {len(found.months)} months")
        target.write_bytes(bar_chart_png(months_chart(found.months, Translator(language))))
        progress.summary(f"Chart of klussen posted and filled per month written to {target}")
    elif out is not None:
        out.write_text(figures_csv(found), encoding="utf-8")
        progress.summary(f"Figures written to {out}")
    else:
        print(figures_csv(found), end="")


async def _report_figures(settings: Settings, organisation: str, start: date, end: date) -> Figures:
    """An organisation's figures, without the bot."""
    from klussenbank.wiring import command_parts, report_service

    async with command_parts(settings) as parts:
        return await report_service(parts).figures(organisation, start, end)


def purge(settings: Settings, progress: Progress) -> None:
    progress.step("Purging personal data past each organisation's retention period")
    counts = asyncio.run(_purge_now(settings, _actor()))
    progress.summary(*(f"{what}: {count} purged" for what, count in counts.items()))


async def _purge_now(settings: Settings, actor: str) -> dict[str, int]:
    """The retention purge, now."""
    from klussenbank.wiring import command_parts, klus_chores, privacy_service

    async with command_parts(settings) as parts:
        return await privacy_service(parts, klus_chores(parts)).purge(actor)


def audit(settings: Settings, limit: int) -> None:
    for entry in asyncio.run(_audit_entries(settings, limit)):
        print(f"{entry.at:%Y-%m-%d %H:%M}  {entry.actor}  {entry.action}  {entry.detail}")


async def _audit_entries(settings: Settings, limit: int) -> list[AuditEntry]:
    from klussenbank.wiring import command_parts, klus_chores, privacy_service

    async with command_parts(settings) as parts:
        return await privacy_service(parts, klus_chores(parts)).audit(limit)


def _actor() -> str:
    """Who ran an administrative command, for the audit log."""
    return f"cli:{getpass.getuser()}"
