"""The users delta sync: Graph's `/users/delta` into a local cache, one transaction per page.

Each page is stored together with the `@odata.nextLink` that follows it, so an interrupted sync goes on
from the page after the last stored one: pages are upserts by id, so nothing is duplicated or dropped.
The `@odata.deltaLink` is stored only after the last page. A first (full) round also marks every user it
sees; at its end users it did not see are removed, so a full round started again after a lost delta link
cleans up too. One sync runs at a time per cache (the `directory sync` command and the bot's chore):
another waits for it and then goes on from its delta link.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from klussenbank.graph.graph_directory import USER_FIELDS, GraphUser, RetryPolicy

if TYPE_CHECKING:
    from msgraph.graph_service_client import GraphServiceClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeltaPage:
    """One page: changed users (profile fields as sent), removed ids, managers that changed."""

    users: Sequence[GraphUser] = ()
    removed: Sequence[str] = ()
    managers: Mapping[str, str | None] = field(default_factory=dict)
    # Per user, the profile fields the page carries: an incremental page may leave out unchanged ones.
    fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    next_link: str | None = None
    delta_link: str | None = None


class UserCache(Protocol):
    async def sync_state(self) -> tuple[str | None, str | None]:
        """(the next page of a round underway, the delta link of the last finished round)"""

    async def apply(self, page: DeltaPage, *, full: bool) -> None:
        """Store the page and its links in one transaction; a page with a delta link ends a round
        (a full round: users not seen in it are removed)."""

    async def restart(self) -> None:
        """Forget the links: the next sync is a full round."""

    def exclusive(self) -> AbstractAsyncContextManager[None]:
        """Held for a whole sync: another sync, in any process, waits until it is let go."""


@dataclass
class SyncResult:
    pages: int = 0
    upserted: int = 0
    removed: int = 0
    full: bool = False


class SyncStateLost(Exception):
    """Graph no longer knows the stored link (410 or 400 on it): start a full round."""


def page_from_json(body: Mapping[str, Any]) -> DeltaPage:
    users: list[GraphUser] = []
    removed: list[str] = []
    managers: dict[str, str | None] = {}
    fields: dict[str, frozenset[str]] = {}
    for entry in body.get("value", []):
        user_id = str(entry["id"])
        if "@removed" in entry:
            removed.append(user_id)
            continue
        users.append(
            GraphUser(
                id=user_id,
                display_name=entry.get("displayName") or "",
                mail=entry.get("mail") or "",
                user_principal_name=entry.get("userPrincipalName") or "",
                department=entry.get("department"),
                job_title=entry.get("jobTitle"),
                office_location=entry.get("officeLocation"),
                company_name=entry.get("companyName"),
                manager_id=None,
            )
        )
        fields[user_id] = frozenset(name for key, name in PROFILE_FIELDS.items() if key in entry)
        if "manager@delta" in entry:
            current = [m["id"] for m in entry["manager@delta"] if "@removed" not in m]
            managers[user_id] = str(current[0]) if current else None
    return DeltaPage(
        users=users,
        removed=removed,
        managers=managers,
        fields=fields,
        next_link=body.get("@odata.nextLink"),
        delta_link=body.get("@odata.deltaLink"),
    )


PROFILE_FIELDS = {
    "displayName": "display_name",
    "mail": "mail",
    "userPrincipalName": "user_principal_name",
    "department": "department",
    "jobTitle": "job_title",
    "officeLocation": "office_location",
    "companyName": "company_name",
}
"""Graph's property names and GraphUser's."""


class DeltaSource:
    """Reads delta pages as raw JSON through the GraphServiceClient: the typed models cannot tell a
    property Graph left out of an incremental page from one it set to null."""

    def __init__(self, client: GraphServiceClient, *, retry: RetryPolicy | None = None) -> None:
        self._client = client
        self._retry = retry or RetryPolicy()

    async def page(self, link: str | None) -> DeltaPage:
        from kiota_abstractions.api_error import APIError
        from kiota_abstractions.base_request_configuration import RequestConfiguration
        from msgraph.generated.models.o_data_errors.o_data_error import ODataError
        from msgraph.generated.users.delta.delta_request_builder import DeltaRequestBuilder

        builder = self._client.users.delta
        if link is None:
            query = DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(
                select=list(USER_FIELDS), expand=["manager"]
            )
            info = builder.to_get_request_information(RequestConfiguration(query_parameters=query))
        else:
            info = builder.with_url(link).to_get_request_information()
        errors: dict[str, Any] = {"XXX": ODataError}
        adapter = self._client.request_adapter

        async def fetch() -> Any:
            return await adapter.send_primitive_async(info, "bytes", errors)

        try:
            raw = await self._retry.run(fetch)
        except APIError as exc:
            if link is not None and exc.response_status_code in (400, 410):
                raise SyncStateLost(str(exc)) from exc
            raise
        return page_from_json(json.loads(raw or b"{}"))


async def sync_users(
    source: DeltaSource, cache: UserCache, *, on_page: Callable[[SyncResult], None] | None = None
) -> SyncResult:
    """Follow the delta pages from where the cache stands to the next delta link, one sync at a time;
    `on_page` hears the totals so far after each page is stored."""
    async with cache.exclusive():
        return await _sync_users(source, cache, on_page)


async def _sync_users(
    source: DeltaSource, cache: UserCache, on_page: Callable[[SyncResult], None] | None
) -> SyncResult:
    next_link, delta_link = await cache.sync_state()
    # Only a full round has no delta link: incremental rounds keep the old one until they end.
    result = SyncResult(full=delta_link is None)
    link = next_link or delta_link
    try:
        page = await source.page(link)
    except SyncStateLost:
        log.warning("Graph lost our delta state; starting a full directory sync")
        await cache.restart()
        result.full = True
        page = await source.page(None)
    while True:
        await cache.apply(page, full=result.full)
        result.pages += 1
        result.upserted += len(page.users)
        result.removed += len(page.removed)
        if on_page is not None:
            on_page(result)
        if page.delta_link or not page.next_link:
            return result
        page = await source.page(page.next_link)
