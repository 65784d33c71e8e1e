"""Settings, read once from the environment (and a local `.env` file)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/klussenbank.db"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
# Where the Bot Framework publishes the issuer and signing keys of the tokens Teams sends the bot.
BOT_FRAMEWORK_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"


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
    # The tenants whose people the bot serves (KLUSSENBANK_TENANT_IDS); () means the app's own tenant.
    tenant_ids: tuple[str, ...] = ()
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID_METADATA_URL
    auth_type: str = "ClientSecret"
    directory_file: str = "demo"
    # Approval policy per organisation: a TOML file, `demo`, or "" for the built-in defaults.
    organisations_file: str = "demo"
    default_organisation: str = "default"
    log_level: str = "INFO"
    worker: str = "inline"
    worker_lease_seconds: float = 60.0
    suggestions_per_week: int = 3
    # Where people's browsers reach the bot, for download links; "" means http://host:port.
    public_url: str = ""
    # Signs download links; "" makes a new one per process (links then end at a restart).
    link_secret: str = ""
    # Microsoft Graph as the directory (KLUSSENBANK_DIRECTORY=graph); see README, "Microsoft Graph directory".
    directory: str = "file"
    graph_tenant_id: str = ""
    graph_client_id: str = ""
    graph_client_secret: str = ""
    graph_auth_type: str = "ClientSecret"
    graph_organisation_by: str = "tenant"
    graph_organisations: tuple[tuple[str, str], ...] = ()
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id)

    @property
    def allowed_tenants(self) -> frozenset[str]:
        return frozenset(self.tenant_ids or ((self.app_tenant_id.lower(),) if self.app_tenant_id else ()))

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
_GRAPH_AUTH_TYPES = ("ClientSecret", "ManagedIdentity")
_ORGANISATION_BY = ("tenant", "companyName")


def _graph_organisations(text: str) -> tuple[tuple[str, str], ...]:
    """`Gemeente Noord=noord;Gemeente Zuid=zuid;*=overig` -> (companyName, organisation key) pairs."""
    pairs: list[tuple[str, str]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        company, equals, key = (side.strip() for side in part.rpartition("="))
        if not equals or not company or not key:
            raise ConfigError(
                f"KLUSSENBANK_GRAPH_ORGANISATIONS: {part!r} is not 'companyName=organisation-key' "
                "(pairs separated by ';', '*=key' for everyone else)."
            )
        pairs.append((company, key))
    return tuple(pairs)


def _graph_settings(env: Mapping[str, str]) -> dict[str, Any]:
    directory = env.get("KLUSSENBANK_DIRECTORY", "file")
    if directory not in ("file", "graph"):
        raise ConfigError(
            "KLUSSENBANK_DIRECTORY must be 'file' (KLUSSENBANK_DIRECTORY_FILE) or 'graph' (Microsoft Graph)."
        )
    auth_type = env.get("KLUSSENBANK_GRAPH_AUTH_TYPE", "ClientSecret")
    if auth_type not in _GRAPH_AUTH_TYPES:
        raise ConfigError(f"KLUSSENBANK_GRAPH_AUTH_TYPE must be one of {', '.join(_GRAPH_AUTH_TYPES)}.")
    by = env.get("KLUSSENBANK_GRAPH_ORGANISATION_BY", "tenant")
    if by not in _ORGANISATION_BY:
        raise ConfigError(f"KLUSSENBANK_GRAPH_ORGANISATION_BY must be one of {', '.join(_ORGANISATION_BY)}.")
    organisations = _graph_organisations(env.get("KLUSSENBANK_GRAPH_ORGANISATIONS", ""))
    base_url = env.get("KLUSSENBANK_GRAPH_BASE_URL", DEFAULT_GRAPH_BASE_URL).rstrip("/")
    found: dict[str, Any] = {
        "directory": directory,
        "graph_tenant_id": env.get("KLUSSENBANK_GRAPH_TENANT_ID", ""),
        "graph_client_id": env.get("KLUSSENBANK_GRAPH_CLIENT_ID", ""),
        "graph_client_secret": env.get("KLUSSENBANK_GRAPH_CLIENT_SECRET", ""),
        "graph_auth_type": auth_type,
        "graph_organisation_by": by,
        "graph_organisations": organisations,
        "graph_base_url": base_url,
    }
    if directory != "graph":
        return found
    if auth_type == "ClientSecret":
        missing = [
            name
            for name in ("TENANT_ID", "CLIENT_ID", "CLIENT_SECRET")
            if not env.get(f"KLUSSENBANK_GRAPH_{name}")
        ]
        if missing:
            raise ConfigError(
                "KLUSSENBANK_DIRECTORY=graph with a client secret needs "
                + ", ".join(f"KLUSSENBANK_GRAPH_{name}" for name in missing)
                + " (or KLUSSENBANK_GRAPH_AUTH_TYPE=ManagedIdentity)."
            )
    if by == "companyName" and not organisations:
        raise ConfigError(
            "KLUSSENBANK_GRAPH_ORGANISATION_BY=companyName needs KLUSSENBANK_GRAPH_ORGANISATIONS, "
            "for example 'Gemeente Noord=noord;Gemeente Zuid=zuid'."
        )
    if not base_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError(
            "KLUSSENBANK_GRAPH_BASE_URL must be an https:// address (http only on this machine)."
        )
    return found


def _public_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if url and not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError("KLUSSENBANK_PUBLIC_URL must be an https:// address (http only on this machine).")
    return url


def _tenant_ids(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))


def _openid_metadata_url(url: str) -> str:
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ConfigError(
            "KLUSSENBANK_OPENID_METADATA_URL must be an https:// address (http only on this machine)."
        )
    return url


def _link_secret(secret: str) -> str:
    if secret and len(secret) < 32:
        raise ConfigError(
            "KLUSSENBANK_LINK_SECRET must be at least 32 characters (for example `openssl rand -hex 32`)."
        )
    return secret


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
        tenant_ids=_tenant_ids(env.get("KLUSSENBANK_TENANT_IDS", "")),
        openid_metadata_url=_openid_metadata_url(
            env.get("KLUSSENBANK_OPENID_METADATA_URL", BOT_FRAMEWORK_OPENID_METADATA_URL)
        ),
        auth_type=auth_type,
        directory_file=env.get("KLUSSENBANK_DIRECTORY_FILE", "demo"),
        organisations_file=env.get("KLUSSENBANK_ORGANISATIONS_FILE", "demo"),
        default_organisation=env.get("KLUSSENBANK_DEFAULT_ORGANISATION", "default"),
        log_level=env.get("KLUSSENBANK_LOG_LEVEL", "INFO").upper(),
        worker=worker,
        worker_lease_seconds=worker_lease_seconds,
        suggestions_per_week=int(weekly_text),
        public_url=_public_url(env.get("KLUSSENBANK_PUBLIC_URL", "")),
        link_secret=_link_secret(env.get("KLUSSENBANK_LINK_SECRET", "")),
        **_graph_settings(env),
    )
