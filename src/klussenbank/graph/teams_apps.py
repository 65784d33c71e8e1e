"""The AppInstaller port through Microsoft Graph: installs Klussenbank in someone's Teams, so the bot can
open a personal chat with a person who never opened the app.

Graph permissions (application): TeamsAppInstallation.ReadWriteSelfForUser.All to read and add the app's
own installation for a user, and AppCatalog.Read.All to find the app in the catalog (unless its catalog
id is given). msgraph is imported inside functions only, as in graph_directory.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Any

from klussenbank.config import Settings
from klussenbank.graph.graph_directory import (
    GRAPH_BASE_URL,
    RetryPolicy,
    credential_from,
    error_text,
    graph_session,
    request_config,
    tenant_credential,
)
from klussenbank.graph.tenant_directories import TenantDirectories
from klussenbank.services.ports.directory import AppInstaller
from klussenbank.tenants import Tenant

if TYPE_CHECKING:
    from msgraph.graph_service_client import GraphServiceClient

log = logging.getLogger(__name__)

WHY = {
    403: "Graph refuses: is TeamsAppInstallation.ReadWriteSelfForUser.All consented, and does the person "
    "have a Teams licence?",
    404: "Graph does not know the person, or the app is not (or no longer) in the app catalog",
}


class GraphAppInstaller:
    """Installs the Teams app whose manifest id is `external_id` for a person, unless it already is.

    The app's id in the tenant's catalog differs from the manifest id for an app the organisation
    published; it is looked up once and kept (or given as `catalog_id`).
    """

    def __init__(
        self,
        client: GraphServiceClient,
        *,
        external_id: str,
        catalog_id: str | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._client = client
        self._external_id = external_id
        self._catalog_id = catalog_id
        self._looking_up = asyncio.Lock()
        self._retry = retry or RetryPolicy()

    async def install_for(self, aad_object_id: str) -> bool:
        """True when the app is installed for the person, now or before; False (logged) when Graph
        cannot or will not, after the retry policy's tries for 429, 5xx and timeouts."""
        import httpx
        from kiota_abstractions.api_error import APIError

        try:
            if await self.installed(aad_object_id):
                return True
            app_id = await self.catalog_id()
            if app_id is None:
                log.warning(
                    "Cannot install the Teams app for %s: no app with manifest id %s in the app catalog",
                    aad_object_id,
                    self._external_id,
                )
                return False
            return await self._install(aad_object_id, app_id)
        except APIError as exc:
            log.warning(
                "Cannot install the Teams app for %s: Graph answered %s %s. %s",
                aad_object_id,
                exc.response_status_code,
                error_text(exc),
                WHY.get(exc.response_status_code or 0, ""),
            )
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            log.warning("Cannot install the Teams app for %s: Graph did not answer (%r)", aad_object_id, exc)
        return False

    async def installed(self, aad_object_id: str) -> bool:
        """Whether the app is installed for the person (Graph answers 404 for someone it does not know)."""
        from msgraph.generated.users.item.teamwork.installed_apps.installed_apps_request_builder import (
            InstalledAppsRequestBuilder,
        )

        query = InstalledAppsRequestBuilder.InstalledAppsRequestBuilderGetQueryParameters(
            expand=["teamsApp"], filter=f"teamsApp/externalId eq {_quoted(self._external_id)}"
        )
        apps = self._client.users.by_user_id(aad_object_id).teamwork.installed_apps
        found = await self._retry.run(lambda: apps.get(request_configuration=request_config(query)))
        return bool(found and found.value)

    async def catalog_id(self) -> str | None:
        """The app's id in the tenant's app catalog, or None when it is not there (not kept: it may be
        published later)."""
        if self._catalog_id is not None:
            return self._catalog_id
        async with self._looking_up:  # many first installs at once look it up once
            if self._catalog_id is None:
                self._catalog_id = await self._find_in_catalog()
        return self._catalog_id

    async def _find_in_catalog(self) -> str | None:
        from msgraph.generated.app_catalogs.teams_apps.teams_apps_request_builder import (
            TeamsAppsRequestBuilder,
        )

        query = TeamsAppsRequestBuilder.TeamsAppsRequestBuilderGetQueryParameters(
            filter=f"externalId eq {_quoted(self._external_id)}"
        )
        catalog = self._client.app_catalogs.teams_apps
        found = await self._retry.run(lambda: catalog.get(request_configuration=request_config(query)))
        from msgraph.generated.models.teams_app_distribution_method import TeamsAppDistributionMethod

        apps = [app for app in (found.value if found else None) or [] if app.id]
        # The organisation's own upload before a sideloaded copy of the same manifest.
        apps.sort(key=lambda app: app.distribution_method != TeamsAppDistributionMethod.Organization)
        return apps[0].id if apps else None

    async def _install(self, aad_object_id: str, app_id: str) -> bool:
        from kiota_abstractions.api_error import APIError
        from msgraph.generated.models.user_scope_teams_app_installation import (
            UserScopeTeamsAppInstallation,
        )

        base_url = self._client.request_adapter.base_url
        body = UserScopeTeamsAppInstallation(
            additional_data={"teamsApp@odata.bind": f"{base_url}/appCatalogs/teamsApps/{app_id}"}
        )
        apps = self._client.users.by_user_id(aad_object_id).teamwork.installed_apps
        try:
            await self._retry.run(lambda: apps.post(body))
        except APIError as exc:
            # Installed meanwhile: by the person, another worker, or our own try that timed out.
            if exc.response_status_code != 409:
                raise
        log.info("Installed the Teams app for %s", aad_object_id)
        return True


@asynccontextmanager
async def app_installer(
    credential: Any,
    *,
    external_id: str,
    catalog_id: str | None = None,
    base_url: str = GRAPH_BASE_URL,
    request_timeout: float = 30.0,
    retry: RetryPolicy | None = None,
) -> AsyncIterator[GraphAppInstaller]:
    """A GraphAppInstaller whose Graph connections are closed afterwards; the caller closes `credential`."""
    async with graph_session(credential, base_url=base_url, request_timeout=request_timeout) as client:
        yield GraphAppInstaller(client, external_id=external_id, catalog_id=catalog_id, retry=retry)


class GraphInstaller:
    """The AppInstaller port with one tenant's Microsoft Graph: a Graph session per installation (they
    are rare: only for an approver the bot has never met). `external_id` is the manifest id of the
    tenant's Teams app: its bot's app id."""

    def __init__(
        self, external_id: str, base_url: str, new_credential: Callable[[], Any], *, credential: Any = None
    ) -> None:
        self._external_id = external_id
        self._base_url = base_url
        self._new_credential = new_credential
        self._credential = credential

    @classmethod
    def for_settings(cls, settings: Settings, *, credential: Any = None) -> GraphInstaller:
        """The one tenant's: KLUSSENBANK_APP_ID's app, with the KLUSSENBANK_GRAPH_* credential."""
        return cls(
            settings.app_id,
            settings.graph_base_url,
            partial(credential_from, settings),
            credential=credential,
        )

    @classmethod
    def for_tenant(cls, tenant: Tenant, *, credential: Any = None) -> GraphInstaller:
        """A tenants file's entry: its own bot's app, in its own Graph, with its own Graph credential."""
        return cls(
            tenant.app_id, tenant.graph_base_url, partial(tenant_credential, tenant), credential=credential
        )

    async def install_for(self, aad_object_id: str) -> bool:
        credential = self._credential or self._new_credential()
        try:
            async with app_installer(
                credential, external_id=self._external_id, base_url=self._base_url
            ) as installer:
                return await installer.install_for(aad_object_id)
        finally:
            if self._credential is None:
                await credential.close()


class TenantInstallers:
    """The AppInstaller port over several tenants: the app is installed for someone by their home
    tenant's installer (that tenant's own app, Graph and credential). A tenant without one (a directory
    file) has nothing to install with: its people's chats are opened by the outbox, as without Graph."""

    def __init__(self, directories: TenantDirectories, installers: Mapping[str, AppInstaller]) -> None:
        self._directories = directories
        self._installers = dict(installers)

    async def install_for(self, aad_object_id: str) -> bool:
        home = await self._directories.home(aad_object_id)
        installer = self._installers.get(home) if home is not None else None
        return True if installer is None else await installer.install_for(aad_object_id)


def _quoted(value: str) -> str:
    """An OData string literal: a quote inside is doubled."""
    return "'" + value.replace("'", "''") + "'"
