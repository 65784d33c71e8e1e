"""GraphAppInstaller installs the bot's Teams app through the real msgraph client against the fake Graph."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote

import pytest

from klussenbank.graph.graph_directory import RetryPolicy
from klussenbank.graph.teams_apps import GraphAppInstaller, app_installer
from klussenbank.services.ports.directory import AppInstaller
from tests.fake_graph import LATE, SLOW, FakeGraph, FakeTeamsApp, Fault, too_many
from tests.graph.conftest import CountingSleep, FixedCredential

MANIFEST_ID = "5f0e7c1a-0000-4000-8000-00000000b0b0"
CATALOG_ID = "catalog-klussenbank"
INSTALLATIONS = "/v1.0/users/{id}/teamwork/installedApps"
CATALOG = "/v1.0/appCatalogs/teamsApps"


@pytest.fixture
def fake_graph(fake_graph: FakeGraph) -> FakeGraph:
    fake_graph.publish(FakeTeamsApp(CATALOG_ID, MANIFEST_ID))
    fake_graph.publish(FakeTeamsApp("catalog-other", "another-manifest", "Iets anders"))
    return fake_graph


@pytest.fixture
def installer(client: Any, retry: RetryPolicy) -> GraphAppInstaller:
    return GraphAppInstaller(client, external_id=MANIFEST_ID, retry=retry)


def posts(fake_graph: FakeGraph) -> int:
    return fake_graph.requests[f"POST {INSTALLATIONS}"]


async def test_installs_once_then_finds_it_installed(
    installer: GraphAppInstaller, fake_graph: FakeGraph
) -> None:
    checker: AppInstaller = installer
    assert await checker.install_for("staff-1")
    assert fake_graph.installed_apps == {"staff-1": {CATALOG_ID}}
    assert posts(fake_graph) == 1

    assert await installer.install_for("staff-1")
    assert posts(fake_graph) == 1  # found installed: no second POST
    assert fake_graph.requests[INSTALLATIONS] == 2


async def test_what_msgraph_sends(installer: GraphAppInstaller, fake_graph: FakeGraph) -> None:
    await installer.install_for("staff-1")
    sent = [unquote(url) for url in fake_graph.urls]
    assert sent == [
        f"/v1.0/users/staff-1/teamwork/installedApps?$expand=teamsApp"
        f"&$filter=teamsApp/externalId eq '{MANIFEST_ID}'",
        f"/v1.0/appCatalogs/teamsApps?$filter=externalId eq '{MANIFEST_ID}'",
        "/v1.0/users/staff-1/teamwork/installedApps",
    ]


async def test_the_catalog_id_is_looked_up_once(installer: GraphAppInstaller, fake_graph: FakeGraph) -> None:
    assert await installer.install_for("staff-1")
    assert await installer.install_for("staff-2")
    assert await installer.install_for("lead-a")
    assert fake_graph.requests[CATALOG] == 1
    assert set(fake_graph.installed_apps) == {"staff-1", "staff-2", "lead-a"}


async def test_a_given_catalog_id_needs_no_catalog(
    client: Any, fake_graph: FakeGraph, retry: RetryPolicy
) -> None:
    installer = GraphAppInstaller(client, external_id=MANIFEST_ID, catalog_id=CATALOG_ID, retry=retry)
    assert await installer.install_for("staff-1")
    assert fake_graph.requests[CATALOG] == 0


async def test_installed_by_the_person_themselves_counts(
    installer: GraphAppInstaller, fake_graph: FakeGraph
) -> None:
    fake_graph.install("staff-1", CATALOG_ID)
    fake_graph.install("staff-1", "catalog-other")
    assert await installer.installed("staff-1")
    assert not await installer.installed("staff-2")
    assert await installer.install_for("staff-1")
    assert posts(fake_graph) == 0


async def test_409_conflict_means_installed(
    installer: GraphAppInstaller, fake_graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def not_yet(aad_object_id: str) -> bool:
        return False  # checked just before the person installed it themselves

    monkeypatch.setattr(installer, "installed", not_yet)
    fake_graph.install("staff-1", CATALOG_ID)
    assert await installer.install_for("staff-1")
    assert fake_graph.statuses[409] == 1


async def test_a_post_that_timed_out_but_went_through_is_installed(
    installer: GraphAppInstaller, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.slow_seconds = 3.0  # the client gives up after 2 s
    fake_graph.script(None, None, LATE)  # the check, the catalog, then the POST
    assert await installer.install_for("staff-1")
    assert len(sleep.waits) == 1
    assert fake_graph.statuses[409] == 1  # the retried POST
    assert fake_graph.installed_apps == {"staff-1": {CATALOG_ID}}


async def test_someone_graph_does_not_know_is_false(
    installer: GraphAppInstaller,
    fake_graph: FakeGraph,
    sleep: CountingSleep,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, "klussenbank.graph.teams_apps"):
        assert not await installer.install_for("nobody")
    assert "nobody" in caplog.text and "404" in caplog.text and "does not know" in caplog.text
    assert posts(fake_graph) == 0 and sleep.waits == []


async def test_an_app_not_in_the_catalog_is_false(
    client: Any, fake_graph: FakeGraph, retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    installer = GraphAppInstaller(client, external_id="not-published", retry=retry)
    with caplog.at_level(logging.WARNING, "klussenbank.graph.teams_apps"):
        assert not await installer.install_for("staff-1")
        assert not await installer.install_for("staff-2")
    assert "not-published" in caplog.text and "app catalog" in caplog.text
    assert posts(fake_graph) == 0
    # Not remembered: once the app is published, the next install finds it.
    assert fake_graph.requests[CATALOG] == 2
    fake_graph.publish(FakeTeamsApp("catalog-late", "not-published"))
    assert await installer.install_for("staff-1")


async def test_an_app_removed_from_the_catalog_after_the_lookup_is_false(
    installer: GraphAppInstaller, fake_graph: FakeGraph
) -> None:
    assert await installer.catalog_id() == CATALOG_ID
    del fake_graph.teams_apps[CATALOG_ID]
    assert not await installer.install_for("staff-1")
    assert fake_graph.statuses[404] == 1


async def test_no_licence_is_false(
    installer: GraphAppInstaller, fake_graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    fake_graph.unlicensed.add("staff-2")
    with caplog.at_level(logging.WARNING, "klussenbank.graph.teams_apps"):
        assert not await installer.install_for("staff-2")
    assert "403" in caplog.text and "licence" in caplog.text
    assert fake_graph.installed_apps == {}


async def test_429_waits_as_long_as_retry_after_says(
    installer: GraphAppInstaller, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(too_many(4), None, too_many(2), None, too_many(9))
    assert await installer.install_for("staff-1")
    assert sleep.waits == [4.0, 2.0, 9.0]  # one on each of the check, the catalog and the POST
    assert posts(fake_graph) == 2 and fake_graph.installed_apps == {"staff-1": {CATALOG_ID}}


async def test_a_retry_after_beyond_the_cap_is_false_for_now(
    installer: GraphAppInstaller, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(too_many(600))
    assert not await installer.install_for("staff-1")
    assert sleep.waits == []
    assert await installer.install_for("staff-1")  # the next try goes ahead


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_is_retried(
    installer: GraphAppInstaller, fake_graph: FakeGraph, sleep: CountingSleep, status: int
) -> None:
    fake_graph.script(Fault(status), None, Fault(status), None, Fault(status))
    assert await installer.install_for("staff-1")
    assert len(sleep.waits) == 3
    assert posts(fake_graph) == 2 and fake_graph.installed_apps == {"staff-1": {CATALOG_ID}}


async def test_graph_still_failing_after_the_retries_is_false(
    installer: GraphAppInstaller, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(*[Fault(503)] * 6)
    assert not await installer.install_for("staff-1")
    assert len(sleep.waits) == 5
    assert posts(fake_graph) == 0


async def test_graph_that_does_not_answer_is_false(
    client: Any, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    installer = GraphAppInstaller(client, external_id=MANIFEST_ID, retry=RetryPolicy(attempts=2, sleep=sleep))
    fake_graph.slow_seconds = 3.0
    fake_graph.script(SLOW, SLOW)
    assert not await installer.install_for("staff-1")
    assert len(sleep.waits) == 1


async def test_the_factory_opens_and_closes_its_graph_session(graph_url: str, fake_graph: FakeGraph) -> None:
    async with app_installer(FixedCredential(), external_id=MANIFEST_ID, base_url=graph_url) as installer:
        assert await installer.install_for("staff-1")
    assert fake_graph.installed_apps == {"staff-1": {CATALOG_ID}}
