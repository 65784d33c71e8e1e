"""The Microsoft 365 tenants one pool spans: each with its own single-tenant bot registration (app id
and credential), its own directory and its own Graph consent. From a tenants file
(KLUSSENBANK_TENANTS_FILE); without one, today's settings are the one-tenant case.

A tenants file never holds a secret: it names the environment variable that does, or a certificate
file, or a managed identity.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast, get_args

from klussenbank.config import DEFAULT_GRAPH_BASE_URL, ConfigError, Settings, _https

CredentialKind = Literal["ClientSecret", "Certificate", "UserManagedIdentity", "SystemManagedIdentity"]
# The key of the entry built from the settings (no tenants file).
SINGLE = "default"
SETTINGS = (
    "tenant_id",
    "app_id",
    "credential",
    "secret_variable",
    "certificate",
    "directory",
    "directory_file",
    "graph_client_id",
    "graph_credential",
    "graph_secret_variable",
    "graph_certificate",
    "graph_base_url",
    "authority",
    "organisation",
    "organisations",
    "external_chat",
)


@dataclass(frozen=True)
class Credential:
    """How an app registration signs in: its secret (read from the environment), a certificate file,
    or a managed identity. `kind` None: local mode, nothing to sign in with."""

    kind: CredentialKind | None
    secret: str = field(default="", repr=False)
    certificate: str = ""


@dataclass(frozen=True)
class Tenant:
    """One tenant: who it is, the bot registered in it, its directory, and whom its people may chat with."""

    key: str
    tenant_id: str  # the tenant the bot is registered in
    tenant_ids: frozenset[str]  # those it serves: more only in the one-tenant case (KLUSSENBANK_TENANT_IDS)
    app_id: str
    credential: Credential
    directory: Literal["file", "graph"] = "file"
    directory_file: str = "demo"
    graph_client_id: str = ""
    graph_credential: Credential = Credential(None)
    graph_base_url: str = DEFAULT_GRAPH_BASE_URL
    # Where its credentials sign in (Microsoft Entra's token service); "": Microsoft's global cloud.
    authority: str = ""
    # The whole tenant is one organisation, or (companyName, organisation key) pairs sort its people.
    organisation: str = ""
    organisations: tuple[tuple[str, str], ...] = ()
    external_chat: frozenset[str] = frozenset()  # keys of the tenants its people may chat with

    @property
    def organisation_keys(self) -> frozenset[str]:
        if self.organisation:
            return frozenset({self.organisation})
        return frozenset(key for _company, key in self.organisations)


@dataclass(frozen=True)
class Tenants:
    """Every tenant the pool spans; `source` is the tenants file ("" for the settings' one tenant)."""

    entries: tuple[Tenant, ...]
    source: str = ""

    @property
    def several(self) -> bool:
        return bool(self.source)

    @property
    def authenticated(self) -> bool:
        return any(entry.credential.kind is not None for entry in self.entries)

    def by_app(self, app_id: str) -> Tenant | None:
        return next((entry for entry in self.entries if entry.app_id == app_id), None)

    def of(self, tenant_id: str) -> Tenant | None:
        """The entry serving this tenant; in the one-tenant case also a tenant it serves by default."""
        wanted = tenant_id.lower()
        found = next((entry for entry in self.entries if wanted in entry.tenant_ids), None)
        return found or (None if self.several else self.entries[0])

    def chat_allowed(self, tenant_a: str, tenant_b: str) -> bool:
        """Whether people of these two tenants can open a Teams chat with each other: the same tenant,
        or both admins allowed external access to the other (the tenants file says so on both)."""
        a, b = self.of(tenant_a), self.of(tenant_b)
        if a is None or b is None:
            return False
        return a.key == b.key or (b.key in a.external_chat and a.key in b.external_chat)


def check_can_serve(settings: Settings) -> Tenants:
    """Refuse to expose an unauthenticated bot beyond this machine (KLUSSENBANK_APP_* or the tenants
    file's credentials); the tenants it serves."""
    tenants = load_tenants(settings)
    if not tenants.several:
        settings.check_can_serve()
    elif not tenants.authenticated and not settings.is_loopback:
        raise ConfigError(
            f"Refusing to listen on {settings.host} without credentials: every tenant in "
            f"{tenants.source} has credential = 'local'. Give each its bot's credential, or listen on "
            "127.0.0.1 for local use."
        )
    settings.check_metrics()
    return tenants


def single_tenant(settings: Settings) -> Tenants:
    """Today's settings as the one tenant: one app, the tenants KLUSSENBANK_TENANT_IDS names."""
    kind = cast(CredentialKind, settings.auth_type) if settings.has_credentials else None
    return Tenants(
        (
            Tenant(
                key=SINGLE,
                tenant_id=settings.app_tenant_id.lower(),
                tenant_ids=settings.allowed_tenants,
                app_id=settings.app_id,
                credential=Credential(kind, settings.app_secret),
                directory=settings.directory,
                directory_file=settings.directory_file,
                graph_base_url=settings.graph_base_url,  # its Graph credential: KLUSSENBANK_GRAPH_*
                organisation=settings.default_organisation
                if settings.graph_organisation_by == "tenant"
                else "",
                organisations=settings.graph_organisations,
            ),
        )
    )


def load_tenants(
    settings: Settings, environ: Mapping[str, str] | None = None, *, secrets: bool = True
) -> Tenants:
    """The tenants from KLUSSENBANK_TENANTS_FILE, or the settings' one tenant. A wrong file raises
    ConfigError naming the file, the entry and the key. Without `secrets` (building an app package),
    a secret that is not set is no error."""
    if not settings.tenants_file:
        return single_tenant(settings)
    source = settings.tenants_file
    path = Path(source)
    if not path.is_file():
        raise ConfigError(f"tenants file {source} does not exist (KLUSSENBANK_TENANTS_FILE).")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"tenants file {source} is not TOML: {error}") from None
    tables = data.get("tenants")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"tenants file {source}: needs one [tenants.<key>] table per tenant.")
    reader = _Reader(source, os.environ if environ is None else environ, path.parent, secrets)
    tenants = Tenants(tuple(reader.tenant(key, table) for key, table in tables.items()), source)
    _check_together(tenants)
    return tenants


@dataclass
class _Reader:
    source: str
    environ: Mapping[str, str]
    folder: Path
    secrets: bool

    def fail(self, key: str, name: str, problem: str) -> ConfigError:
        return ConfigError(f"tenants file {self.source}: [tenants.{key}] {name}: {problem}")

    def text(self, key: str, table: Mapping[str, Any], name: str, default: str | None = None) -> str:
        value = table.get(name, default)
        if value is None:
            raise self.fail(key, name, "is missing")
        if not isinstance(value, str):
            raise self.fail(key, name, f"must be text, not {value!r}")
        return value.strip()

    def tenant(self, key: str, table: object) -> Tenant:
        if not isinstance(table, dict):
            raise ConfigError(f"tenants file {self.source}: [tenants.{key}] must be a table")
        for name in table:
            if name not in SETTINGS:
                raise self.fail(key, name, f"is not a setting of a tenant (those are: {', '.join(SETTINGS)})")
        tenant_id = self.text(key, table, "tenant_id").lower()
        app_id = self.text(key, table, "app_id")
        if not tenant_id or not app_id:
            raise self.fail(key, "tenant_id" if not tenant_id else "app_id", "must not be empty")
        directory = self.text(key, table, "directory", "file")
        if directory not in ("file", "graph"):
            raise self.fail(key, "directory", f"must be 'file' or 'graph', not {directory!r}")
        organisation = self.text(key, table, "organisation", "")
        organisations = table.get("organisations", {})
        if not isinstance(organisations, dict) or not all(
            isinstance(value, str) and value for value in organisations.values()
        ):
            raise self.fail(key, "organisations", "must be a table of companyName = organisation key")
        if bool(organisation) == bool(organisations):
            raise self.fail(
                key,
                "organisation",
                "give either organisation (the whole tenant) or organisations (by companyName)",
            )
        external = table.get("external_chat", [])
        if not isinstance(external, list) or not all(isinstance(other, str) for other in external):
            raise self.fail(key, "external_chat", "must be a list of tenant keys")
        credential = self.credential(key, table, "")
        graph_base_url = self.text(key, table, "graph_base_url", DEFAULT_GRAPH_BASE_URL).rstrip("/")
        try:
            _https(graph_base_url, "graph_base_url")
        except ValueError as error:
            raise self.fail(key, "graph_base_url", str(error)) from None
        authority = self.text(key, table, "authority", "").rstrip("/")
        if authority and not authority.startswith("https://"):
            raise self.fail(key, "authority", f"must be an https:// address, not {authority!r}")
        directory_file = self.text(key, table, "directory_file", "")
        if directory == "file" and not directory_file:
            raise self.fail(
                key, "directory_file", "is needed with directory = 'file' ('demo' for the demo's)"
            )
        if directory_file and directory_file != "demo" and not Path(directory_file).is_absolute():
            directory_file = str(self.folder / directory_file)
        return Tenant(
            key=key,
            tenant_id=tenant_id,
            tenant_ids=frozenset({tenant_id}),
            app_id=app_id,
            credential=credential,
            directory=cast(Literal["file", "graph"], directory),
            directory_file=directory_file,
            graph_client_id=self.text(key, table, "graph_client_id", app_id),
            graph_credential=(
                self.credential(key, table, "graph_")
                if "graph_credential" in table
                else credential
                if directory == "graph"
                else Credential(None)
            ),
            graph_base_url=graph_base_url,
            authority=authority,
            organisation=organisation,
            organisations=tuple((company, value) for company, value in organisations.items()),
            external_chat=frozenset(external),
        )

    def credential(self, key: str, table: Mapping[str, Any], prefix: str) -> Credential:
        """The `credential` (or `graph_credential`) of an entry, with the secret it names."""
        name = f"{prefix}credential"
        kind = self.text(key, table, name, "local")
        if kind == "local":
            return Credential(None)
        if kind not in get_args(CredentialKind):
            choices = ", ".join([*get_args(CredentialKind), "local"])
            raise self.fail(key, name, f"must be one of {choices}, not {kind!r}")
        if kind == "ClientSecret":
            variable = self.text(key, table, f"{prefix}secret_variable")
            secret = self.environ.get(variable, "")
            if not secret and self.secrets:
                raise self.fail(
                    key, f"{prefix}secret_variable", f"the environment variable {variable} is not set"
                )
            return Credential("ClientSecret", secret)
        if kind == "Certificate":
            certificate = self.text(key, table, f"{prefix}certificate")
            found = Path(certificate) if Path(certificate).is_absolute() else self.folder / certificate
            if not found.is_file():
                raise self.fail(key, f"{prefix}certificate", f"the file {found} does not exist")
            return Credential("Certificate", certificate=str(found))
        return Credential(cast(CredentialKind, kind))


def check_organisations(tenants: Tenants, known: frozenset[str]) -> None:
    """Every organisation the tenants file names must be one the pool knows."""
    for entry in tenants.entries:
        for organisation in sorted(entry.organisation_keys - known):
            raise ConfigError(
                f"tenants file {tenants.source}: [tenants.{entry.key}] organisations: {organisation!r} is "
                "not an organisation of the pool (not in the organisations file nor in a directory file)"
            )


def _check_together(tenants: Tenants) -> None:
    """What no single entry shows: a tenant id or an organisation twice, unknown names."""
    source = tenants.source
    seen_tenants: dict[str, str] = {}
    seen_apps: dict[str, str] = {}
    seen_organisations: dict[str, str] = {}
    keys = {entry.key for entry in tenants.entries}
    local = [entry.key for entry in tenants.entries if entry.credential.kind is None]
    if local and len(local) != len(tenants.entries):
        raise ConfigError(
            f"tenants file {source}: [tenants.{local[0]}] credential: every tenant needs a credential "
            "once one has (credential = 'local' is for trying it on this machine only)"
        )
    for entry in tenants.entries:
        where = f"tenants file {source}: [tenants.{entry.key}]"
        for tenant_id in entry.tenant_ids:
            if tenant_id in seen_tenants:
                raise ConfigError(
                    f"{where} tenant_id: {tenant_id} is also [tenants.{seen_tenants[tenant_id]}]'s"
                )
            seen_tenants[tenant_id] = entry.key
        if entry.app_id in seen_apps:
            raise ConfigError(f"{where} app_id: {entry.app_id} is also [tenants.{seen_apps[entry.app_id]}]'s")
        seen_apps[entry.app_id] = entry.key
        for organisation in entry.organisation_keys:
            if organisation in seen_organisations:
                raise ConfigError(
                    f"{where} organisations: {organisation!r} is also in [tenants.{seen_organisations[organisation]}]"
                )
            seen_organisations[organisation] = entry.key
        for other in sorted(entry.external_chat - keys):
            raise ConfigError(f"{where} external_chat: {other!r} is not a tenant in this file")
