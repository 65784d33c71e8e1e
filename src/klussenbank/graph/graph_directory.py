"""The Directory port from Microsoft Graph, through msgraph-sdk.

msgraph is imported inside functions only: it is a large package, slow to import cold, and the bot must
start without it when a directory file is configured.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from klussenbank.config import Settings
from klussenbank.domain.people import Organisation
from klussenbank.services.ports.directory import DirectoryProfile
from klussenbank.services.ports.records import DirectoryPerson
from klussenbank.tenants import Tenant

if TYPE_CHECKING:
    import httpx
    from kiota_abstractions.api_error import APIError
    from msgraph.generated.models.user import User
    from msgraph.graph_service_client import GraphServiceClient

log = logging.getLogger(__name__)

GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0"
USER_FIELDS = (
    "id",
    "displayName",
    "mail",
    "userPrincipalName",
    "department",
    "jobTitle",
    "officeLocation",
    "companyName",
)
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


@dataclass(frozen=True)
class GraphUser:
    """A user's profile as Graph gives it; `manager_id` is None for someone without a manager."""

    id: str
    display_name: str
    mail: str = ""
    user_principal_name: str = ""
    department: str | None = None
    job_title: str | None = None
    office_location: str | None = None
    company_name: str | None = None
    manager_id: str | None = None


class OrganisationMap:
    """Which organisation a Graph user belongs to: one per tenant, or by their `companyName`.

    `by_company` maps a companyName (compared case-insensitively) to an organisation; the key `*` catches
    every other companyName. Someone whose companyName maps to nothing is not in the directory.
    """

    def __init__(
        self, *, tenant: Organisation | None = None, by_company: Mapping[str, Organisation] | None = None
    ) -> None:
        if (tenant is None) == (by_company is None):
            raise ValueError("an organisation map is either per tenant or by companyName")
        self._tenant = tenant
        self._by_company = {name.casefold(): org for name, org in (by_company or {}).items()}

    def of(self, company_name: str | None) -> Organisation | None:
        if self._tenant is not None:
            return self._tenant
        found = self._by_company.get((company_name or "").casefold())
        return found if found is not None else self._by_company.get("*")

    def organisations(self) -> list[Organisation]:
        if self._tenant is not None:
            return [self._tenant]
        return list({org.key: org for org in self._by_company.values()}.values())

    def person(self, profile: DirectoryProfile) -> DirectoryPerson | None:
        """The person a Graph profile is in the marketplace, live from Graph or from the cache alike."""
        organisation = self.of(profile.company_name)
        if organisation is None:
            return None
        return DirectoryPerson(
            aad_object_id=profile.id,
            name=profile.display_name,
            email=profile.mail or profile.user_principal_name,
            organisation=organisation,
            manager_aad_object_id=profile.manager_id,
            department=profile.department or "",
            job_title=profile.job_title or "",
        )


@dataclass
class RetryPolicy:
    """Retries 429, 5xx and timeouts, waiting `Retry-After` when Graph sends it, else a jittered backoff.

    A `Retry-After` longer than `max_retry_after` gives up at once: a caller such as a chore or a turn
    should not hang for minutes, and the next round asks again.

    The msgraph client's own retry handler is switched off (see `graph_client`): it retries neither 500,
    502 nor timeouts and cannot be given a sleep to count, and two layers of retries multiply.
    """

    attempts: int = 6
    first_delay: float = 0.5
    max_delay: float = 60.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def run(self, call: Callable[[], Awaitable[T]]) -> T:
        import httpx
        from kiota_abstractions.api_error import APIError

        for attempt in range(1, self.attempts + 1):
            try:
                return await call()
            except APIError as exc:
                if exc.response_status_code not in RETRIED_STATUSES or attempt == self.attempts:
                    raise
                asked = _retry_after(exc.response_headers)
                if asked is not None and asked > self.max_retry_after:
                    log.warning("Graph asks to wait %.0f s; giving up until the next round", asked)
                    raise
                delay = asked or self._backoff(attempt)
                reason = str(exc.response_status_code)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                if attempt == self.attempts:
                    raise
                delay, reason = self._backoff(attempt), type(exc).__name__
            log.info("Graph answered %s; trying again in %.1f s (attempt %d)", reason, delay, attempt)
            await self.sleep(delay)
        raise AssertionError("unreachable")

    def _backoff(self, attempt: int) -> float:
        return min(self.max_delay, self.first_delay * 2.0 ** (attempt - 1) * random.uniform(1.0, 2.0))


def _retry_after(headers: Any) -> float | None:
    if not headers:
        return None
    value = next((v for k, v in dict(headers).items() if k.lower() == "retry-after"), None)
    try:
        return None if value is None else max(0.0, float(str(value)))
    except ValueError:
        return None  # an HTTP date: Graph sends seconds, so the backoff is good enough here


_MSGRAPH_MODULES = (
    "kiota_abstractions.default_query_parameters",
    "msgraph.generated.users.users_request_builder",
    "msgraph.generated.users.item.user_item_request_builder",
    "msgraph.generated.users.item.manager.manager_request_builder",
    "msgraph.generated.users.item.direct_reports.direct_reports_request_builder",
    "msgraph.generated.users.delta.delta_request_builder",
    "msgraph.generated.models.user",
    "msgraph.generated.models.o_data_errors.o_data_error",
    "msgraph.generated.app_catalogs.app_catalogs_request_builder",
    "msgraph.generated.app_catalogs.teams_apps.teams_apps_request_builder",
    "msgraph.generated.users.item.teamwork.teamwork_request_builder",
    "msgraph.generated.users.item.teamwork.installed_apps.installed_apps_request_builder",
    "msgraph.generated.models.teams_app_collection_response",
    "msgraph.generated.models.user_scope_teams_app_installation",
    "msgraph.generated.models.user_scope_teams_app_installation_collection_response",
)


def graph_client(
    credential: Any, http: httpx.AsyncClient, *, base_url: str = GRAPH_BASE_URL
) -> GraphServiceClient:
    """A GraphServiceClient on `base_url` (national clouds, the fake Graph in tests) without its retries.

    `http` carries the timeouts; the caller closes it."""
    import warnings

    with warnings.catch_warnings():
        # msgraph's generated request builders warn about their own deprecated classes as they are
        # imported (and they import each other lazily): import the ones we use once, quietly.
        warnings.simplefilter("ignore", DeprecationWarning)
        for module in _MSGRAPH_MODULES:
            importlib.import_module(module)
    from kiota_authentication_azure.azure_identity_authentication_provider import (
        AzureIdentityAuthenticationProvider,
    )
    from kiota_http.middleware.options import RetryHandlerOption
    from msgraph.graph_request_adapter import GraphRequestAdapter
    from msgraph.graph_service_client import GraphServiceClient
    from msgraph_core import GraphClientFactory  # type: ignore[import-untyped]

    host = urlsplit(base_url).hostname or "graph.microsoft.com"
    scope_host = "graph.microsoft.com" if host in ("127.0.0.1", "localhost") else host
    auth = AzureIdentityAuthenticationProvider(
        credential, scopes=[f"https://{scope_host}/.default"], allowed_hosts=[host]
    )
    http = GraphClientFactory.create_with_default_middleware(
        client=http,
        options={RetryHandlerOption.get_key(): RetryHandlerOption(max_retries=0)},
    )
    adapter = GraphRequestAdapter(auth, client=http)
    adapter.base_url = base_url.rstrip("/")
    return GraphServiceClient(request_adapter=adapter)


@asynccontextmanager
async def graph_session(
    credential: Any, *, base_url: str = GRAPH_BASE_URL, request_timeout: float = 30.0
) -> AsyncIterator[GraphServiceClient]:
    """A GraphServiceClient whose connections are closed afterwards."""
    import httpx

    transport = httpx.AsyncHTTPTransport()
    async with httpx.AsyncClient(timeout=httpx.Timeout(request_timeout), transport=transport) as http:
        try:
            yield graph_client(credential, http, base_url=base_url)
        finally:
            # msgraph-core wraps our transport in one whose aclose does not reach ours.
            await transport.aclose()


def credential_from(settings: Settings) -> Any:
    """An azure-identity async credential from the KLUSSENBANK_GRAPH_* settings: a client secret, or the
    managed identity (user-assigned with a client id)."""
    from azure.identity.aio import ClientSecretCredential, ManagedIdentityCredential

    if settings.graph_auth_type == "ManagedIdentity":
        return ManagedIdentityCredential(client_id=settings.graph_client_id or None)
    return ClientSecretCredential(
        settings.graph_tenant_id, settings.graph_client_id, settings.graph_client_secret
    )


def tenant_credential(tenant: Tenant) -> Any:
    """An azure-identity async credential for a tenant's Graph (its entry in the tenants file): its
    app's client secret or certificate, or a managed identity."""
    from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential

    credential = tenant.graph_credential
    # azure-identity signs in at Microsoft's global cloud unless told otherwise.
    cloud = {"authority": tenant.authority} if tenant.authority else {}
    if credential.kind == "ClientSecret":
        return ClientSecretCredential(tenant.tenant_id, tenant.graph_client_id, credential.secret, **cloud)
    if credential.kind == "Certificate":
        return CertificateCredential(
            tenant.tenant_id, tenant.graph_client_id, credential.certificate, **cloud
        )
    if credential.kind == "UserManagedIdentity":
        return ManagedIdentityCredential(client_id=tenant.graph_client_id)
    return ManagedIdentityCredential()


def user_from(graph_user: User, manager_id: str | None = None) -> GraphUser:
    return GraphUser(
        id=str(graph_user.id),
        display_name=graph_user.display_name or "",
        mail=graph_user.mail or "",
        user_principal_name=graph_user.user_principal_name or "",
        department=graph_user.department,
        job_title=graph_user.job_title,
        office_location=graph_user.office_location,
        company_name=graph_user.company_name,
        manager_id=manager_id,
    )


class GraphDirectory:
    """Reads people live from Graph, a request or a few per call. The bot routes with the cache instead
    (`store.directory.CachedDirectory`, filled by the delta sync) so it never waits on Graph; this is
    for live reads such as a manager chain at the moment of an approval."""

    def __init__(
        self, client: GraphServiceClient, organisations: OrganisationMap, *, retry: RetryPolicy | None = None
    ) -> None:
        self._client = client
        self._organisations = organisations
        self._retry = retry or RetryPolicy()

    async def user(self, aad_object_id: str) -> GraphUser | None:
        """The profile with the manager's id, in one request (`$expand=manager($select=id)`)."""
        from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

        query = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(
            select=list(USER_FIELDS), expand=["manager($select=id)"]
        )
        found = await self._get_or_none(
            lambda: self._client.users.by_user_id(aad_object_id).get(
                request_configuration=request_config(query)
            )
        )
        if found is None:
            return None
        return user_from(found, found.manager.id if found.manager else None)

    async def manager(self, aad_object_id: str) -> GraphUser | None:
        """The person's line manager, or None when they have none (Graph answers 404)."""
        from msgraph.generated.models.user import User

        found = await self._get_or_none(lambda: self._client.users.by_user_id(aad_object_id).manager.get())
        return user_from(found) if isinstance(found, User) else None

    async def manager_chain(self, aad_object_id: str) -> list[GraphUser]:
        """The person's manager, their manager, and so on to the top (`$expand=manager($levels=max)`)."""
        from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

        query = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(
            select=list(USER_FIELDS), expand=[f"manager($levels=max;$select={','.join(USER_FIELDS)})"]
        )
        builder = self._client.users.by_user_id(aad_object_id)
        # Graph's example adds $count=true to $levels, which the typed query parameters cannot say.
        request = builder.to_get_request_information(request_config(query))
        request.path_parameters["baseurl"] = self._client.request_adapter.base_url
        url = request.url + "&%24count=true"
        found = await self._get_or_none(
            lambda: builder.with_url(url).get(request_configuration=request_config(None, consistency=True))
        )
        chain: list[User] = []
        node = found.manager if found else None
        while node is not None and len(chain) < 100:
            chain.append(node)  # type: ignore[arg-type]
            node = getattr(node, "manager", None)
        return [
            user_from(boss, chain[n + 1].id if n + 1 < len(chain) else None) for n, boss in enumerate(chain)
        ]

    async def direct_reports(self, aad_object_id: str) -> list[GraphUser]:
        from msgraph.generated.models.user import User

        page = await self._get_or_none(
            lambda: self._client.users.by_user_id(aad_object_id).direct_reports.get()
        )
        found: list[GraphUser] = []
        while page is not None:
            found += [user_from(u, aad_object_id) for u in page.value or [] if isinstance(u, User)]
            link = page.odata_next_link
            if not link:
                break
            builder = self._client.users.by_user_id(aad_object_id).direct_reports.with_url(link)
            page = await self._retry.run(builder.get)
        return found

    # -- the Directory port ---------------------------------------------------------------------------

    async def person(self, aad_object_id: str) -> DirectoryPerson | None:
        user = await self.user(aad_object_id)
        return None if user is None else self._organisations.person(user)

    async def organisations(self) -> Sequence[Organisation]:
        return self._organisations.organisations()

    async def people(self) -> Sequence[DirectoryPerson]:
        from msgraph.generated.users.users_request_builder import UsersRequestBuilder

        query = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(select=list(USER_FIELDS))
        page = await self._retry.run(
            lambda: self._client.users.get(request_configuration=request_config(query))
        )
        people: list[DirectoryPerson] = []
        while page is not None:
            for found in page.value or []:
                person = self._organisations.person(user_from(found))
                if person is not None:
                    people.append(person)
            if not page.odata_next_link:
                break
            page = await self._retry.run(self._client.users.with_url(page.odata_next_link).get)
        return people

    async def reports(self, aad_object_id: str) -> frozenset[str]:
        below: set[str] = set()
        level = [aad_object_id]
        while level:  # one level of the tree per round; `below` stops a loop in bad data
            found = [u.id for boss in level for u in await self.direct_reports(boss) if u.id not in below]
            below |= set(found)
            level = found
        return frozenset(below)

    async def _get_or_none(self, call: Callable[[], Awaitable[T | None]]) -> T | None:
        from kiota_abstractions.api_error import APIError

        try:
            return await self._retry.run(call)
        except APIError as exc:
            if exc.response_status_code == 404:
                return None
            raise


def error_text(exc: APIError) -> str:
    """Graph's code and message of a failed request, in brackets ("" when it sent none)."""
    error = getattr(exc, "error", None)  # msgraph's ODataError carries Graph's code and message
    if error is not None and (error.code or error.message):
        return f"({error.code}: {error.message})"
    return ""


def failure_text(error: BaseException) -> str:
    """Why a round with Graph failed, in one line for an operator: the token refused, Graph's answer,
    or no answer at all."""
    import httpx
    from azure.core.exceptions import ClientAuthenticationError
    from kiota_abstractions.api_error import APIError

    if isinstance(error, ClientAuthenticationError):
        said = " ".join(str(error.message or error).split())
        return f"no Graph token: the sign-in service refused the Graph credential ({said[:300]})"
    if isinstance(error, APIError):
        return f"Graph answered {error.response_status_code} {error_text(error)}".rstrip()
    if isinstance(error, (httpx.TransportError, OSError)):
        return f"Graph did not answer ({type(error).__name__}: {error})"
    return f"{type(error).__name__}: {error}"


def request_config(query: Any, *, consistency: bool = False) -> Any:
    """A RequestConfiguration with these query parameters (None: none)."""
    from kiota_abstractions.base_request_configuration import RequestConfiguration

    config: RequestConfiguration[Any] = RequestConfiguration()
    if query is not None:
        config.query_parameters = query
    if consistency:  # Graph answers $levels=max only as an advanced query
        config.headers.add("ConsistencyLevel", "eventual")
    return config
