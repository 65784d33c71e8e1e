"""Settings, read once from the environment (and a local `.env` file) through pydantic-settings."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/klussenbank.db"
DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
ENV_PREFIX = "KLUSSENBANK_"
LOCAL = ("https://", "http://127.0.0.1", "http://localhost")

Secret = Annotated[str, Field(repr=False)]  # never in a repr or a log; masked by `describe`
# Where the Bot Framework publishes the issuer and signing keys of the tokens Teams sends the bot.
BOT_FRAMEWORK_OPENID_METADATA_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"


class ConfigError(ValueError):
    """A setting is missing or wrong; the message says which and how to fix it."""


class Settings(BaseSettings):
    """Each field is the environment variable KLUSSENBANK_<NAME> (DATABASE_URL for the database).
    `load_settings` reads them; `Settings(...)` takes only what it is given, so tests and command
    line overrides stay explicit."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, extra="ignore", validate_by_name=True
    )

    # Out of the repr: the URL may hold the database password (`describe` shows it without).
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL", repr=False)
    host: str = "127.0.0.1"
    port: int = 3978
    app_id: str = ""
    app_secret: Secret = ""
    app_tenant_id: str = ""
    auth_type: Literal["ClientSecret", "UserManagedIdentity", "SystemManagedIdentity"] = "ClientSecret"
    # The tenants whose people the bot serves (KLUSSENBANK_TENANT_IDS); () means the app's own tenant.
    tenant_ids: Annotated[tuple[str, ...], NoDecode] = ()
    openid_metadata_url: str = BOT_FRAMEWORK_OPENID_METADATA_URL
    # Several Microsoft 365 tenants, each with its own bot registration: a TOML file (klussenbank.tenants).
    tenants_file: str = ""
    directory_file: str = "demo"
    # Approval policy per organisation: a TOML file, `demo`, or "" for the built-in defaults.
    organisations_file: str = "demo"
    default_organisation: str = "default"
    log_level: str = "INFO"
    # text: one readable line per record; json: one JSON object per line, for a log collector.
    log_format: Literal["text", "json"] = "text"
    # /metrics (Prometheus) on a listener of its own: loopback unless a token guards it; port 0: none.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = Field(9478, ge=0, le=65535)
    metrics_token: Secret = ""
    # inline: deliver the outbox from the bot process; off: run `klussenbank worker` instead.
    worker: Literal["inline", "off"] = "inline"
    # How long a worker holds the deliveries it claimed before another may take over those it has
    # not started (a crashed worker's). It must comfortably exceed the time one batch (50) takes at
    # Teams' rate, about 1 s; short leases are for tests.
    worker_lease_seconds: float = Field(60.0, gt=0, allow_inf_nan=False)
    # Seconds between runs of every background chore; unset, each its own (5 s to a day). For tests.
    chore_seconds: float | None = Field(None, gt=0, allow_inf_nan=False)
    # Turns one process works on at once; more wait their turn, first come first served (see README,
    # "Turn benchmark"): under a burst most people get their answer sooner, none later.
    concurrent_turns: int = Field(8, ge=1, le=1000)
    suggestions_per_week: int = Field(3, ge=0)
    # A "date" between colleagues of at most this many hours needs no approval; a larger one is a klus.
    date_max_hours: int = Field(8, ge=0, le=40)
    # Skills lists: `typeahead` also asks the bot as people type (Teams), `filtered` filters the
    # list in the client only (the Agents Playground); `auto`: typeahead with an app registration.
    skill_search: Literal["auto", "typeahead", "filtered"] = "auto"
    # Where people's browsers reach the bot, for download links; "" means http://host:port.
    public_url: str = ""
    # Signs download links; "" makes a new one per process (links then end at a restart).
    link_secret: Secret = ""
    # Microsoft Graph as the directory (KLUSSENBANK_DIRECTORY=graph); see README, "Microsoft Graph directory".
    directory: Literal["file", "graph"] = "file"
    graph_tenant_id: str = ""
    graph_client_id: str = ""
    graph_client_secret: Secret = ""
    graph_auth_type: Literal["ClientSecret", "ManagedIdentity"] = "ClientSecret"
    graph_organisation_by: Literal["tenant", "companyName"] = "tenant"
    # `Gemeente Noord=noord;Gemeente Zuid=zuid;*=overig`: (companyName, organisation key) pairs.
    graph_organisations: Annotated[tuple[tuple[str, str], ...], NoDecode] = ()
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)  # the environment only through load_settings

    @field_validator("log_level")
    @classmethod
    def _upper(cls, level: str) -> str:
        return level.upper()

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, url: str) -> str:
        url = url.strip().rstrip("/")
        return _https(url, "KLUSSENBANK_PUBLIC_URL") if url else url

    @field_validator("tenant_ids", mode="before")
    @classmethod
    def _tenant_ids(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        return tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))

    @field_validator("openid_metadata_url")
    @classmethod
    def _openid_metadata_url(cls, url: str) -> str:
        return _https(url, "KLUSSENBANK_OPENID_METADATA_URL")

    @field_validator("link_secret", "metrics_token")
    @classmethod
    def _long_secret(cls, secret: str, info: ValidationInfo) -> str:
        if secret and len(secret) < 32:
            raise ValueError(
                f"{variable(str(info.field_name))} must be at least 32 characters "
                "(for example `openssl rand -hex 32`)."
            )
        return secret

    @field_validator("graph_organisations", mode="before")
    @classmethod
    def _graph_organisations(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        pairs: list[tuple[str, str]] = []
        for part in filter(None, (p.strip() for p in value.split(";"))):
            company, equals, key = (side.strip() for side in part.rpartition("="))
            if not equals or not company or not key:
                raise ValueError(
                    f"KLUSSENBANK_GRAPH_ORGANISATIONS: {part!r} is not 'companyName=organisation-key' "
                    "(pairs separated by ';', '*=key' for everyone else)."
                )
            pairs.append((company, key))
        return tuple(pairs)

    @field_validator("graph_base_url")
    @classmethod
    def _graph_base_url(cls, url: str) -> str:
        return url.rstrip("/")

    @model_validator(mode="after")
    def _graph_complete(self) -> Self:
        """With Microsoft Graph as the directory, what it needs to sign in and sort people."""
        if self.directory != "graph":
            return self
        if self.graph_auth_type == "ClientSecret":
            missing = [
                f"{ENV_PREFIX}GRAPH_{name.upper()}"
                for name in ("tenant_id", "client_id", "client_secret")
                if not getattr(self, f"graph_{name}")
            ]
            if missing:
                raise ValueError(
                    f"{ENV_PREFIX}DIRECTORY=graph with a client secret needs {', '.join(missing)} "
                    "(or KLUSSENBANK_GRAPH_AUTH_TYPE=ManagedIdentity)."
                )
        if self.graph_organisation_by == "companyName" and not self.graph_organisations:
            raise ValueError(
                "KLUSSENBANK_GRAPH_ORGANISATION_BY=companyName needs KLUSSENBANK_GRAPH_ORGANISATIONS, "
                "for example 'Gemeente Noord=noord;Gemeente Zuid=zuid'."
            )
        _https(self.graph_base_url, "KLUSSENBANK_GRAPH_BASE_URL")
        return self

    @property
    def base_url(self) -> str:
        return self.public_url or f"http://{self.host}:{self.port}"

    @property
    def has_credentials(self) -> bool:
        return bool(self.app_id)

    @property
    def skill_typeahead(self) -> bool:
        """Whether cards ask the client for type-ahead skills lists (the bot always answers them)."""
        return self.skill_search == "typeahead" or (self.skill_search == "auto" and self.has_credentials)

    @property
    def allowed_tenants(self) -> frozenset[str]:
        return frozenset(self.tenant_ids or ((self.app_tenant_id.lower(),) if self.app_tenant_id else ()))

    @property
    def is_loopback(self) -> bool:
        return _is_loopback(self.host)

    def check_metrics(self) -> None:
        """Refuse to show the metrics beyond this machine without a token (serve and worker)."""
        if self.metrics_port and not self.metrics_token and not _is_loopback(self.metrics_host):
            raise ConfigError(
                f"Refusing to serve /metrics on {self.metrics_host} without a token: anyone could read "
                "them. Set KLUSSENBANK_METRICS_TOKEN (for example `openssl rand -hex 32`) and give it to "
                "Prometheus, or keep KLUSSENBANK_METRICS_HOST=127.0.0.1."
            )

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
        self.check_metrics()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _https(url: str, variable: str) -> str:
    if not url.startswith(LOCAL):
        raise ValueError(f"{variable} must be an https:// address (http only on this machine).")
    return url


def variable(field: str) -> str:
    """The environment variable that sets `field`."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else ENV_PREFIX + field.upper()


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """The settings from `environ` (default: the process environment, over a `.env` file in the
    working directory). A wrong value raises ConfigError naming the variable and the fix."""
    environment = EnvSettingsSource(Settings)
    values: dict[str, Any] = {}
    if environ is None:
        if dotenv:
            values = DotEnvSettingsSource(Settings, env_file=Path.cwd() / ".env")()
    else:
        # What the source looks the variables up in, as it reads the process environment.
        environment.env_vars = parse_env_vars(environ, environment.case_sensitive)
    try:
        return Settings(**{**values, **environment()})
    except ValidationError as exc:
        raise _config_error(exc) from None


def _config_error(error: ValidationError) -> ConfigError:
    """The first problem, in the words the old hand-written checks used: the variable, what it
    must be and what it was."""
    problem = error.errors()[0]
    if problem["type"] == "value_error":  # our own validators already name the variable
        return ConfigError(str(problem["ctx"]["error"]))
    name = variable(str(problem["loc"][0]))
    context = problem.get("ctx", {})
    expected = {
        "int_parsing": "a whole number",
        "float_parsing": "a number",
        "finite_number": "a finite number",
        "literal_error": f"one of {context.get('expected', '')}",
        "greater_than": f"greater than {context.get('gt')}",
        "greater_than_equal": f"at least {context.get('ge')}",
        "less_than_equal": f"at most {context.get('le')}",
    }.get(problem["type"], problem["msg"].lower())
    return ConfigError(f"{name} must be {expected}, not {problem['input']!r}.")


def describe(settings: Settings) -> list[str]:
    """Every setting as `VARIABLE = value`, secrets masked, for `klussenbank config check`."""
    width = max(len(variable(field)) for field in Settings.model_fields)
    lines = []
    for field, info in Settings.model_fields.items():
        value = getattr(settings, field)
        if field == "database_url":
            shown = without_password(value)
        elif not info.repr:
            shown = "*** (set)" if value else "(not set)"
        elif field == "graph_organisations":
            shown = ";".join(f"{company}={key}" for company, key in value)
        else:
            shown = str(value)
        lines.append(f"{variable(field).ljust(width)} = {shown}")
    return lines


def without_password(url: str) -> str:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "*** (not a database URL)"
