"""The users delta sync from the fake Graph into the cache table, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote

import pytest
from kiota_abstractions.api_error import APIError
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.graph.graph_directory import OrganisationMap, RetryPolicy
from klussenbank.graph.sync import DeltaSource, sync_users
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.directory import CachedDirectory, SqlDirectoryCache
from klussenbank.store.orm.directory import DirectoryUserRow
from tests.fake_graph import SLOW, FakeGraph, FakeUser, Fault, sample_users, too_many
from tests.graph.conftest import NOORD, ZUID, CountingSleep


@pytest.fixture
def cache(engine: AsyncEngine) -> SqlDirectoryCache:
    return SqlDirectoryCache(session_factory(engine))


@pytest.fixture
async def other_cache(database_url: str) -> AsyncIterator[SqlDirectoryCache]:
    """The same cache table through another engine: as the `directory sync` command next to the bot."""
    engine = create_engine(database_url)
    yield SqlDirectoryCache(session_factory(engine), poll=0.05)
    await engine.dispose()


@pytest.fixture
def source(client: Any, retry: RetryPolicy) -> DeltaSource:
    return DeltaSource(client, retry=retry)


@pytest.fixture
def cached(engine: AsyncEngine, organisations: OrganisationMap) -> CachedDirectory:
    return CachedDirectory(session_factory(engine), organisations)


async def ids(cached: CachedDirectory) -> set[str]:
    return {p.aad_object_id for p in await cached.people()}


async def test_a_first_sync_follows_every_page_and_keeps_the_delta_link(
    source: DeltaSource, cache: SqlDirectoryCache, cached: CachedDirectory, fake_graph: FakeGraph
) -> None:
    result = await sync_users(source, cache)
    assert (result.pages, result.upserted, result.full) == (3, 5, True)
    assert unquote(fake_graph.urls[0]) == (  # what msgraph-sdk sends
        "/v1.0/users/delta()?$expand=manager&$select="
        "id,displayName,mail,userPrincipalName,department,jobTitle,officeLocation,companyName"
    )
    assert await ids(cached) == set(fake_graph.users)
    next_link, delta_link = await cache.sync_state()
    assert next_link is None
    assert delta_link is not None and "$deltatoken=" in delta_link

    person = await cached.person("staff-1")
    assert person is not None
    assert (person.name, person.email, person.organisation, person.manager_aad_object_id) == (
        "Sam Medewerker",
        "sam@noord.example",
        NOORD,
        "lead-a",
    )
    assert (await cached.person("staff-2")).organisation == ZUID  # type: ignore[union-attr]
    assert await cached.reports("dir") == {"lead-a", "lead-b", "staff-1", "staff-2"}
    assert await cached.reports("lead-a") == {"staff-1"}
    assert [o.key for o in await cached.organisations()] == ["noord", "zuid"]


async def test_a_later_sync_brings_only_changes_and_removals(
    source: DeltaSource, cache: SqlDirectoryCache, cached: CachedDirectory, fake_graph: FakeGraph
) -> None:
    await sync_users(source, cache)
    fake_graph.change("staff-1", department="Financiën", manager="lead-b")
    fake_graph.change("lead-a", manager=None)
    fake_graph.remove("staff-2")
    fake_graph.put(FakeUser("new-1", "Nieuw Mens", "nieuw@zuid.example", company_name="Gemeente Zuid"))
    served = fake_graph.delta_pages_served

    result = await sync_users(source, cache)

    assert (result.upserted, result.removed, result.full) == (3, 1, False)
    assert fake_graph.delta_pages_served - served == 2  # four changes, two a page
    assert await ids(cached) == {"dir", "lead-a", "lead-b", "staff-1", "new-1"}
    staff = await cached.person("staff-1")
    assert staff is not None and staff.manager_aad_object_id == "lead-b"
    lead = await cached.person("lead-a")
    assert lead is not None and lead.manager_aad_object_id is None
    assert await cached.reports("lead-b") == {"staff-1"}
    assert await cached.reports("dir") == {"lead-b", "staff-1"}


async def test_nothing_changed_is_one_empty_page(
    source: DeltaSource, cache: SqlDirectoryCache, fake_graph: FakeGraph
) -> None:
    await sync_users(source, cache)
    result = await sync_users(source, cache)
    assert (result.pages, result.upserted, result.removed) == (1, 0, 0)


async def test_a_sync_that_fails_on_page_3_resumes_there_without_duplicates_or_gaps(
    source: DeltaSource,
    cache: SqlDirectoryCache,
    cached: CachedDirectory,
    fake_graph: FakeGraph,
    sleep: CountingSleep,
) -> None:
    for user in sample_users(count=15):
        fake_graph.put(user)
    fake_graph.fail_delta_page(3, Fault(500), times=6)  # more than the retries

    with pytest.raises(APIError):
        await sync_users(source, cache)
    assert len(sleep.waits) == 5
    assert await cache.count() == 4  # pages 1 and 2 are stored
    next_link, delta_link = await cache.sync_state()
    assert next_link is not None and delta_link is None

    served = fake_graph.delta_pages_served
    result = await sync_users(source, cache)

    assert fake_graph.delta_pages_served - served == 8  # pages 3 to 10, not from the start
    assert (result.pages, result.upserted) == (8, 16)
    assert await cache.count() == 20
    assert await ids(cached) == set(fake_graph.users)
    assert (await cache.sync_state())[1] is not None


async def test_429_during_a_sync_waits_and_goes_on(
    source: DeltaSource, cache: SqlDirectoryCache, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(None, too_many(11), None)
    result = await sync_users(source, cache)
    assert result.pages == 3
    assert sleep.waits == [11.0]
    assert await cache.count() == 5


async def test_a_lost_delta_link_starts_a_full_round_that_removes_the_missing(
    source: DeltaSource, cache: SqlDirectoryCache, cached: CachedDirectory, fake_graph: FakeGraph
) -> None:
    await sync_users(source, cache)
    fake_graph.remove("staff-2")
    fake_graph.forget_delta_tokens()
    result = await sync_users(source, cache)
    assert result.full
    assert "staff-2" not in await ids(cached)
    assert await cache.count() == 4


async def test_a_sync_through_a_flaky_graph_gets_everyone_once(
    source: DeltaSource,
    cache: SqlDirectoryCache,
    cached: CachedDirectory,
    fake_graph: FakeGraph,
    sleep: CountingSleep,
) -> None:
    for user in sample_users(count=40):
        fake_graph.put(user)
    fake_graph.fault_share = 0.3
    fake_graph.share_faults = (too_many(2), Fault(500), Fault(503))
    result = await sync_users(source, cache)
    faults = fake_graph.statuses[429] + fake_graph.statuses[500] + fake_graph.statuses[503]
    assert faults > 0, fake_graph.statuses
    assert len(sleep.waits) == faults  # one wait per refused request, no retries on top
    assert sleep.waits.count(2.0) >= fake_graph.statuses[429]
    assert result.pages == 23 and fake_graph.statuses[200] == 23
    assert await ids(cached) == set(fake_graph.users)


async def test_an_incremental_page_with_only_the_changed_fields_keeps_the_others(
    source: DeltaSource,
    cache: SqlDirectoryCache,
    cached: CachedDirectory,
    fake_graph: FakeGraph,
    engine: AsyncEngine,
) -> None:
    fake_graph.partial_updates = True
    await sync_users(source, cache)
    fake_graph.change("staff-1", job_title="Architect")
    result = await sync_users(source, cache)
    assert result.upserted == 1
    async with session_factory(engine)() as session:
        row = await session.get(DirectoryUserRow, "staff-1")
    assert row is not None
    assert (row.job_title, row.department, row.office_location, row.mail) == (
        "Architect",
        "ICT",
        "Noord 2.01",
        "sam@noord.example",
    )
    person = await cached.person("staff-1")
    assert person is not None and person.manager_aad_object_id == "lead-a"


async def test_two_syncs_at_once_take_turns_and_fetch_everyone_once(
    source: DeltaSource,
    engine: AsyncEngine,
    other_cache: SqlDirectoryCache,
    cached: CachedDirectory,
    fake_graph: FakeGraph,
) -> None:
    chore = SqlDirectoryCache(session_factory(engine), poll=0.05)
    fake_graph.slow_seconds = 0.3
    fake_graph.script(SLOW, SLOW, SLOW)  # the first round takes a while

    first, second = await asyncio.gather(sync_users(source, chore), sync_users(source, other_cache))

    # One full round, then an incremental one from its delta link: not two full rounds interleaved.
    assert sorted([(first.full, first.upserted), (second.full, second.upserted)]) == [(False, 0), (True, 5)]
    delta = [unquote(url) for url in fake_graph.urls]
    assert ["$deltatoken=" in url for url in delta] == [False, False, False, True]
    assert await ids(cached) == set(fake_graph.users)
    assert await chore.count() == 5


async def test_a_sync_waits_while_another_holds_the_cache(
    source: DeltaSource, cache: SqlDirectoryCache, other_cache: SqlDirectoryCache, fake_graph: FakeGraph
) -> None:
    async with cache.exclusive():
        waiting = asyncio.create_task(sync_users(source, other_cache))
        await asyncio.sleep(0.3)
        assert not waiting.done()
        assert fake_graph.delta_pages_served == 0
    result = await asyncio.wait_for(waiting, 10)
    assert result.upserted == 5


async def test_a_failed_sync_lets_go_of_the_cache(
    source: DeltaSource, cache: SqlDirectoryCache, other_cache: SqlDirectoryCache, fake_graph: FakeGraph
) -> None:
    fake_graph.fail_delta_page(2, Fault(500), times=6)
    with pytest.raises(APIError):
        await sync_users(source, cache)
    result = await asyncio.wait_for(sync_users(source, other_cache), 10)
    assert result.pages == 2  # pages 2 and 3


async def test_the_sync_tells_its_progress_after_every_page(
    source: DeltaSource, cache: SqlDirectoryCache
) -> None:
    """`directory sync` shows these totals while it follows a large directory's pages."""
    heard: list[tuple[int, int]] = []
    result = await sync_users(
        source, cache, on_page=lambda so_far: heard.append((so_far.pages, so_far.upserted))
    )
    assert heard[-1] == (result.pages, result.upserted) == (3, 5)
    assert [pages for pages, _ in heard] == [1, 2, 3]
