"""Settings, read once from the environment (and a local `.env` file)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/klussenbank.db"


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 3978
    app_id: str = ""
    app_secret: str = ""
    app_tenant_id: str = ""
    auth_type: str = "ClientSecret"
    directory_file: str = "demo"
    default_organisation: str = "default"
    log_level: str = "INFO"
    worker: str = "inline"
    worker_lease_seconds: float = 60.0
    suggestions_per_week: int = 3

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id)

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False

    def check_can_serve(self) -> None:
        """Refuse to expose an unauthenticated bot beyond this machine."""
        if not self.has_credentials and not self.is_loopback:
            raise ConfigError(
                f"Refusing to listen on {self.host} without credentials: anyone could talk to "
                "the bot as anyone. Set KLUSSENBANK_APP_ID, KLUSSENBANK_APP_SECRET and "
                "KLUSSENBANK_APP_TENANT_ID (see README, 'Deploy to a tenant'), or listen on "
                "127.0.0.1 for local use."
            )
        if self.has_credentials and not self.app_tenant_id:
            raise ConfigError("KLUSSENBANK_APP_TENANT_ID is required with KLUSSENBANK_APP_ID.")
        if self.auth_type == "ClientSecret" and self.has_credentials and not self.app_secret:
            raise ConfigError(
                "KLUSSENBANK_APP_SECRET is required for KLUSSENBANK_AUTH_TYPE=ClientSecret "
                "(or use UserManagedIdentity / SystemManagedIdentity)."
            )


_AUTH_TYPES = ("ClientSecret", "UserManagedIdentity", "SystemManagedIdentity")


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    if environ is None:
        if dotenv:
            from dotenv import load_dotenv

            load_dotenv(Path.cwd() / ".env", override=False)
        environ = os.environ
    env = environ
    port_text = env.get("KLUSSENBANK_PORT", "3978")
    try:
        port = int(port_text)
    except ValueError as exc:
        raise ConfigError(f"KLUSSENBANK_PORT must be a number, not {port_text!r}.") from exc
    auth_type = env.get("KLUSSENBANK_AUTH_TYPE", "ClientSecret")
    if auth_type not in _AUTH_TYPES:
        raise ConfigError(f"KLUSSENBANK_AUTH_TYPE must be one of {', '.join(_AUTH_TYPES)}.")
    worker = env.get("KLUSSENBANK_WORKER", "inline")
    if worker not in ("inline", "off"):
        raise ConfigError("KLUSSENBANK_WORKER must be 'inline' (deliver from the bot process) or 'off'.")
    # KLUSSENBANK_WORKER_LEASE_SECONDS: how long a worker holds the deliveries it claimed before
    # another may take over those it has not started (a crashed worker's). Default 60. It must
    # comfortably exceed the time one batch (50) takes at Teams' rate, about 1 s; short leases
    # are for tests.
    lease_text = env.get("KLUSSENBANK_WORKER_LEASE_SECONDS", "60")
    try:
        worker_lease_seconds = float(lease_text)
    except ValueError as exc:
        raise ConfigError(f"KLUSSENBANK_WORKER_LEASE_SECONDS must be a number, not {lease_text!r}.") from exc
    if not 0 < worker_lease_seconds < float("inf"):
        raise ConfigError("KLUSSENBANK_WORKER_LEASE_SECONDS must be a positive number of seconds.")
    weekly_text = env.get("KLUSSENBANK_SUGGESTIONS_PER_WEEK", "3")
    if not weekly_text.isdigit():
        raise ConfigError(f"KLUSSENBANK_SUGGESTIONS_PER_WEEK must be a whole number, not {weekly_text!r}.")
    return Settings(
        database_url=env.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        host=env.get("KLUSSENBANK_HOST", "127.0.0.1"),
        port=port,
        app_id=env.get("KLUSSENBANK_APP_ID", ""),
        app_secret=env.get("KLUSSENBANK_APP_SECRET", ""),
        app_tenant_id=env.get("KLUSSENBANK_APP_TENANT_ID", ""),
        auth_type=auth_type,
        directory_file=env.get("KLUSSENBANK_DIRECTORY_FILE", "demo"),
        default_organisation=env.get("KLUSSENBANK_DEFAULT_ORGANISATION", "default"),
        log_level=env.get("KLUSSENBANK_LOG_LEVEL", "INFO").upper(),
        worker=worker,
        worker_lease_seconds=worker_lease_seconds,
        suggestions_per_week=int(weekly_text),
    )
