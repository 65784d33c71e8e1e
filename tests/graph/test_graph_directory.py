"""GraphDirectory reads through the real msgraph client from the fake Graph, retrying what Graph asks."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from kiota_abstractions.api_error import APIError

from klussenbank.graph.graph_directory import GraphDirectory
from tests.fake_graph import SLOW, FakeGraph, Fault, too_many
from tests.graph.conftest import NOORD, ZUID, CountingSleep


async def test_a_profile_with_its_manager_and_organisation(directory: GraphDirectory) -> None:
    user = await directory.user("staff-1")
    assert user is not None
    assert (user.display_name, user.mail, user.department, user.job_title, user.office_location) == (
        "Sam Medewerker",
        "sam@noord.example",
        "ICT",
        "Developer",
        "Noord 2.01",
    )
    assert user.manager_id == "lead-a"
    person = await directory.person("staff-1")
    assert person is not None
    assert (person.organisation, person.manager_aad_object_id, person.email) == (
        NOORD,
        "lead-a",
        "sam@noord.example",
    )
    assert (await directory.person("staff-2")).organisation == ZUID  # type: ignore[union-attr]


async def test_someone_unknown_is_none(directory: GraphDirectory) -> None:
    assert await directory.person("nobody") is None


async def test_the_line_manager(directory: GraphDirectory) -> None:
    boss = await directory.manager("staff-1")
    assert boss is not None and (boss.id, boss.display_name) == ("lead-a", "Ali Leider")
    assert await directory.manager("dir") is None


async def test_the_manager_chain_to_the_top(directory: GraphDirectory, fake_graph: FakeGraph) -> None:
    chain = await directory.manager_chain("staff-1")
    assert [(u.id, u.manager_id) for u in chain] == [("lead-a", "dir"), ("dir", None)]
    assert chain[0].department == "ICT"
    sent = unquote(fake_graph.urls[-1])  # what msgraph-sdk sends, as Graph documents it
    assert sent.startswith("/v1.0/users/staff-1?$expand=manager($levels=max;$select=id,displayName,")
    assert sent.endswith("&$count=true")
    assert await directory.manager_chain("dir") == []


async def test_direct_and_indirect_reports(directory: GraphDirectory) -> None:
    assert {u.id for u in await directory.direct_reports("dir")} == {"lead-a", "lead-b"}
    assert await directory.reports("dir") == {"lead-a", "lead-b", "staff-1", "staff-2"}
    assert await directory.reports("lead-b") == {"staff-2"}
    assert await directory.reports("staff-1") == frozenset()


async def test_people_pages_through_all_users(directory: GraphDirectory, fake_graph: FakeGraph) -> None:
    people = await directory.people()
    assert {p.aad_object_id for p in people} == set(fake_graph.users)
    assert fake_graph.requests["/v1.0/users"] == 3  # five users, two a page
    assert [o.key for o in await directory.organisations()] == ["noord", "zuid"]


async def test_429_waits_as_long_as_retry_after_says(
    directory: GraphDirectory, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(too_many(7), too_many(3))
    assert await directory.person("staff-1") is not None
    assert sleep.waits == [7.0, 3.0]
    assert fake_graph.statuses[429] == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_is_retried_with_backoff(
    directory: GraphDirectory, fake_graph: FakeGraph, sleep: CountingSleep, status: int
) -> None:
    fake_graph.script(Fault(status), Fault(status))
    assert await directory.person("staff-1") is not None
    assert len(sleep.waits) == 2
    assert sleep.waits[1] > sleep.waits[0] > 0
    # msgraph's own retry handler is off: one request per attempt, no retries on top of ours.
    assert fake_graph.statuses[status] == 2


async def test_retries_end(directory: GraphDirectory, fake_graph: FakeGraph, sleep: CountingSleep) -> None:
    fake_graph.script(*[Fault(503)] * 6)
    with pytest.raises(APIError):
        await directory.person("staff-1")
    assert len(sleep.waits) == 5
    assert fake_graph.statuses[503] == 6


async def test_a_404_or_400_is_not_retried(directory: GraphDirectory, sleep: CountingSleep) -> None:
    assert await directory.person("nobody") is None
    assert sleep.waits == []


async def test_a_timeout_is_retried(
    directory: GraphDirectory, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.slow_seconds = 3.0  # the client gives up after 2 s
    fake_graph.script(SLOW)
    assert await directory.person("staff-1") is not None
    assert len(sleep.waits) == 1


async def test_a_retry_after_longer_than_the_cap_gives_up_at_once(
    directory: GraphDirectory, fake_graph: FakeGraph, sleep: CountingSleep
) -> None:
    fake_graph.script(too_many(60), too_many(61))
    with pytest.raises(APIError) as raised:
        await directory.person("staff-1")
    assert raised.value.response_status_code == 429
    assert sleep.waits == [60.0]  # the cap itself is still waited for
    assert fake_graph.statuses[429] == 2
