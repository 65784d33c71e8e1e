"""The `klussenbank` command: its arguments, the logging set-up (telemetry/logs.py), and which command runs (cli/commands.py)."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from klussenbank.cli import commands
from klussenbank.cli.progress import Progress
from klussenbank.config import ConfigError, Settings, describe, load_settings
from klussenbank.i18n import LANGUAGES
from klussenbank.telemetry import logs
from klussenbank.tenants import check_can_serve

QUIET_HELP = "print nothing but errors (for cron); what a command is asked to show, it still shows"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="klussenbank", description="Klussenbank Teams bot")
    root.add_argument("-q", "--quiet", action="store_true", help=QUIET_HELP)
    # Also after the command (`klussenbank privacy purge --quiet`); SUPPRESS keeps a --quiet given
    # before the command from being reset by the command's own default.
    quiet = argparse.ArgumentParser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=QUIET_HELP)
    # Each process serves its own /metrics: on one machine, each needs a port of its own.
    metrics_port = argparse.ArgumentParser(add_help=False)
    metrics_port.add_argument(
        "--metrics-port",
        type=int,
        help="port of /metrics (default KLUSSENBANK_METRICS_PORT or 9478; 0: none)",
    )
    subcommands = root.add_subparsers(dest="command", required=True)

    serve = subcommands.add_parser("serve", parents=[metrics_port], help="run the bot on /api/messages")
    serve.add_argument("--host", help="address to listen on (default KLUSSENBANK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default KLUSSENBANK_PORT or 3978)")

    config = subcommands.add_parser("config", help="the settings").add_subparsers(
        dest="config_command", required=True
    )
    config.add_parser(
        "check", help="show the effective settings (secrets masked) and whether serve may start"
    )

    db = subcommands.add_parser("db", help="database tasks").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", parents=[quiet], help="apply all migrations")

    demo = subcommands.add_parser("demo", help="demo data").add_subparsers(dest="demo_command", required=True)
    load = demo.add_parser("load", parents=[quiet], help="load the directory's organisations and people")
    load.add_argument("--tenant-id", default="00000000-0000-0000-0000-000000000001")

    directory = subcommands.add_parser(
        "directory", help="the Microsoft Graph directory cache"
    ).add_subparsers(dest="directory_command", required=True)
    directory.add_parser(
        "sync",
        parents=[quiet],
        help="bring the local copy of the directory up to date (users delta); with a tenants file, "
        "each tenant's with its own credential",
    )

    subcommands.add_parser(
        "worker",
        parents=[metrics_port],
        help="deliver the outbox (also runs inside serve unless KLUSSENBANK_WORKER=off)",
    )
    outbox = subcommands.add_parser("outbox", help="the delivery queue").add_subparsers(
        dest="outbox_command", required=True
    )
    outbox.add_parser("status", help="deliveries per status")
    retry = outbox.add_parser("retry", parents=[quiet], help="queue dead-lettered deliveries again")
    retry.add_argument(
        "--unconfirmed",
        action="store_true",
        help="also resend deliveries a crashed worker may or may not have sent (may send twice)",
    )

    report = subcommands.add_parser(
        "report", parents=[quiet], help="an organisation's figures: CSV, or a PNG chart"
    )
    report.add_argument("--org", required=True, help="organisation key, e.g. ermelo")
    report.add_argument("--from", dest="start", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="end", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    report.add_argument("--format", choices=("csv", "png"), default="csv")
    report.add_argument("--out", type=Path, help="write to this file (default: CSV to the screen)")
    report.add_argument("--lang", choices=LANGUAGES, default="nl", help="the chart's language (default nl)")

    privacy = subcommands.add_parser("privacy", help="retention").add_subparsers(
        dest="privacy_command", required=True
    )
    privacy.add_parser(
        "purge", parents=[quiet], help="purge personal data past each organisation's retention_months now"
    )
    audit = subcommands.add_parser("audit", help="the latest administrative actions")
    audit.add_argument("--limit", type=int, default=50)

    tenants = subcommands.add_parser("tenants", help="the Microsoft 365 tenants (KLUSSENBANK_TENANTS_FILE)")
    tenants.add_subparsers(dest="tenants_command", required=True).add_parser(
        "status", help="per tenant: can its bot sign in, directory synced, outbox backlog, failures"
    )

    package = subcommands.add_parser("package", help="build the Teams app package (zip)")
    package.add_argument("--out", type=Path, default=Path("dist/klussenbank.zip"))
    package.add_argument("--app-id", default="", help="Entra app id (default KLUSSENBANK_APP_ID)")
    package.add_argument(
        "--tenant", default="", help="with a tenants file: this tenant's package (its own bot's app id)"
    )
    package.add_argument(
        "--domain", required=True, help="the bot's public host name, e.g. klussenbank.example.nl"
    )
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings()
        logs.configure("ERROR" if args.quiet else settings.log_level, settings.log_format)
        progress = Progress(quiet=args.quiet)
        given = {name: getattr(args, name, None) for name in ("host", "port", "metrics_port")}
        overrides = {name: value for name, value in given.items() if value is not None}
        if overrides:
            settings = Settings(**{**settings.__dict__, **overrides})
        if args.command == "serve":
            commands.serve(settings)
        elif args.command == "config":
            print("\n".join(describe(settings)))
            check_can_serve(settings)
        elif args.command == "db":
            commands.db_upgrade(settings, progress)
        elif args.command == "demo":
            commands.demo_load(settings, args.tenant_id, progress)
        elif args.command == "directory":
            commands.directory_sync(settings, progress)
        elif args.command == "worker":
            commands.worker(settings)
        elif args.command == "outbox":
            commands.outbox(settings, args.outbox_command, getattr(args, "unconfirmed", False), progress)
        elif args.command == "report":
            commands.report(
                settings, args.org, args.start, args.end, args.format, args.out, args.lang, progress
            )
        elif args.command == "privacy":
            commands.purge(settings, progress)
        elif args.command == "audit":
            commands.audit(settings, args.limit)
        elif args.command == "package":
            commands.package(settings, args.out, args.app_id, args.domain, args.tenant)
        elif args.command == "tenants":
            commands.tenants_status(settings)
    except (ConfigError, ValueError) as exc:
        print(f"klussenbank: {exc}", file=sys.stderr)
        return 2
    except commands.CommandFailed as exc:
        print(f"klussenbank: {exc}", file=sys.stderr)
        return 1
    return 0


def run() -> NoReturn:
    """The console script: `main`, then exit. Frozen first, the heap is left alone by the garbage
    collection of Python's shutdown, which took seconds for a bot process: a restart waited for it."""
    code = main()
    gc.freeze()
    sys.exit(code)
