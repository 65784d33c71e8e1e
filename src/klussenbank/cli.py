"""The `klussenbank` command: serve, config check, db upgrade, demo load, directory sync, package."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from klussenbank.config import ConfigError, Settings, describe, load_settings

log = logging.getLogger("klussenbank")


def _serve(settings: Settings) -> None:
    from aiohttp import web

    from klussenbank.wiring import build_web_app

    settings.check_can_serve()
    mode = "with app registration" if settings.has_credentials else "in local mode (no credentials)"
    print(f"Klussenbank listening on http://{settings.host}:{settings.port}/api/messages {mode}")
    print(f"Database: {settings.database_url}")
    if not settings.has_credentials:
        print("Open the Agents Playground against it: make playground (then browse to the URL it prints)")
    try:
        web.run_app(build_web_app(settings), host=settings.host, port=settings.port, print=None)
    except OSError as exc:
        raise ConfigError(
            f"cannot listen on {settings.host}:{settings.port} ({exc.strerror}). Is another bot running? "
            "Stop it or choose another port with --port."
        ) from exc


def _db_upgrade(settings: Settings) -> None:
    from klussenbank.store.migrate import upgrade

    upgrade(settings.database_url)
    print(f"Database is up to date: {settings.database_url}")


def _demo_load(settings: Settings, tenant_id: str) -> None:
    from klussenbank.wiring import load_demo_marketplace, load_directory

    result = asyncio.run(load_directory(settings, tenant_id=tenant_id))
    print(
        f"Directory loaded: {result.organisations_added} organisations added, "
        f"{result.people_added} people added, {result.people_updated} updated."
    )
    if settings.directory == "file" and settings.directory_file == "demo":
        demo = asyncio.run(load_demo_marketplace(settings, tenant_id=tenant_id))
        print(f"Demo marketplace: {demo.profiles_added} profiles and {demo.klussen_added} klussen added.")


def _directory_sync(settings: Settings) -> None:
    if settings.directory != "graph":
        raise ConfigError(
            "directory sync reads Microsoft Graph: set KLUSSENBANK_DIRECTORY=graph (see README, "
            "'Microsoft Graph directory')."
        )
    from klussenbank.wiring import sync_directory

    result = asyncio.run(sync_directory(settings))
    kind = "full" if result.full else "changes only"
    print(
        f"Directory synced from Microsoft Graph ({kind}): {result.upserted} people updated, "
        f"{result.removed} removed, {result.pages} pages."
    )


def _worker(settings: Settings) -> None:
    from klussenbank.wiring import run_worker

    print(f"Klussenbank delivery worker on {settings.database_url}; stop with Ctrl-C")
    asyncio.run(run_worker(settings))


def _outbox(settings: Settings, command: str, unconfirmed: bool) -> None:
    from klussenbank.wiring import outbox_retry, outbox_status

    if command == "status":
        counts = asyncio.run(outbox_status(settings))
        width = max(len(status) for status in counts)
        for status, count in counts.items():
            print(f"{status:<{width}}  {count}")
    else:
        count = asyncio.run(outbox_retry(settings, f"cli:{getpass.getuser()}", unconfirmed=unconfirmed))
        print(f"{count} deliveries queued again")


def _package(settings: Settings, out: Path, app_id: str, domain: str) -> None:
    from klussenbank.appmanifest import build_package

    path = build_package(out, app_id=app_id or settings.app_id, bot_domain=domain)
    print(f"Teams app package written to {path}")


def _report(
    settings: Settings, organisation: str, start: date, end: date, kind: str, out: Path | None
) -> None:
    from klussenbank.cards.chart import bar_chart_png
    from klussenbank.services.reports import figures_csv
    from klussenbank.wiring import report_figures

    if end < start:
        raise ConfigError("--to lies before --from.")
    found = asyncio.run(report_figures(settings, organisation, start, end))
    if kind == "png":
        target = out or Path(f"rapport-{organisation}.png")
        target.write_bytes(bar_chart_png([(m.posted, m.filled) for m in found.months]))
        print(f"Chart of klussen posted and filled per month written to {target}")
    elif out is not None:
        out.write_text(figures_csv(found), encoding="utf-8")
        print(f"Figures written to {out}")
    else:
        print(figures_csv(found), end="")


def _purge(settings: Settings) -> None:
    from klussenbank.wiring import purge_now

    purged = asyncio.run(purge_now(settings, f"cli:{getpass.getuser()}"))
    for what, count in purged.items():
        print(f"{what}: {count} purged")


def _audit(settings: Settings, limit: int) -> None:
    from klussenbank.wiring import audit_entries

    for entry in asyncio.run(audit_entries(settings, limit)):
        print(f"{entry.at:%Y-%m-%d %H:%M}  {entry.actor}  {entry.action}  {entry.detail}")


def _configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The SDK warns on every turn without an app id (local mode) and logs a traceback for every
    # malformed activity, which the host already answers with 400; neither helps an operator.
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(
        logging.ERROR
    )
    logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="klussenbank", description="Klussenbank Teams bot")
    commands = root.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the bot on /api/messages")
    serve.add_argument("--host", help="address to listen on (default KLUSSENBANK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default KLUSSENBANK_PORT or 3978)")

    config = commands.add_parser("config", help="the settings").add_subparsers(
        dest="config_command", required=True
    )
    config.add_parser(
        "check", help="show the effective settings (secrets masked) and whether serve may start"
    )

    db = commands.add_parser("db", help="database tasks").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply all migrations")

    demo = commands.add_parser("demo", help="demo data").add_subparsers(dest="demo_command", required=True)
    load = demo.add_parser("load", help="load the directory's organisations and people")
    load.add_argument("--tenant-id", default="00000000-0000-0000-0000-000000000001")

    directory = commands.add_parser("directory", help="the Microsoft Graph directory cache").add_subparsers(
        dest="directory_command", required=True
    )
    directory.add_parser("sync", help="bring the local copy of the directory up to date (users delta)")

    commands.add_parser(
        "worker", help="deliver the outbox (also runs inside serve unless KLUSSENBANK_WORKER=off)"
    )
    outbox = commands.add_parser("outbox", help="the delivery queue").add_subparsers(
        dest="outbox_command", required=True
    )
    outbox.add_parser("status", help="deliveries per status")
    retry = outbox.add_parser("retry", help="queue dead-lettered deliveries again")
    retry.add_argument(
        "--unconfirmed",
        action="store_true",
        help="also resend deliveries a crashed worker may or may not have sent (may send twice)",
    )

    report = commands.add_parser("report", help="an organisation's figures: CSV, or a PNG chart")
    report.add_argument("--org", required=True, help="organisation key, e.g. ermelo")
    report.add_argument("--from", dest="start", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "png"), default="csv")
    report.add_argument("--out", type=Path, help="write to this file (default: CSV to the screen)")

    privacy = commands.add_parser("privacy", help="retention").add_subparsers(
        dest="privacy_command", required=True
    )
    privacy.add_parser("purge", help="purge personal data past each organisation's retention_months now")
    audit = commands.add_parser("audit", help="the latest administrative actions")
    audit.add_argument("--limit", type=int, default=50)

    package = commands.add_parser("package", help="build the Teams app package (zip)")
    package.add_argument("--out", type=Path, default=Path("dist/klussenbank.zip"))
    package.add_argument("--app-id", default="", help="Entra app id (default KLUSSENBANK_APP_ID)")
    package.add_argument(
        "--domain", required=True, help="the bot's public host name, e.g. klussenbank.example.nl"
    )
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        if args.command == "serve":
            overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
            _serve(Settings(**{**settings.__dict__, **overrides}))
        elif args.command == "config":
            print("\n".join(describe(settings)))
            settings.check_can_serve()
        elif args.command == "db":
            _db_upgrade(settings)
        elif args.command == "demo":
            _demo_load(settings, args.tenant_id)
        elif args.command == "directory":
            _directory_sync(settings)
        elif args.command == "worker":
            _worker(settings)
        elif args.command == "outbox":
            _outbox(settings, args.outbox_command, getattr(args, "unconfirmed", False))
        elif args.command == "report":
            _report(settings, args.org, args.start, args.end, args.format, args.out)
        elif args.command == "privacy":
            _purge(settings)
        elif args.command == "audit":
            _audit(settings, args.limit)
        elif args.command == "package":
            _package(settings, args.out, args.app_id, args.domain)
    except (ConfigError, ValueError) as exc:
        print(f"klussenbank: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
