"""The real GraphServiceClient against the fake Graph on 127.0.0.1, with a fixed-token credential."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from azure.core.credentials import AccessToken

from klussenbank.domain.people import Organisation
from klussenbank.graph.graph_directory import GraphDirectory, OrganisationMap, RetryPolicy, graph_session
from tests.fake_graph import TOKEN, FakeGraph, sample_users, serving

NOORD = Organisation("noord", "Gemeente Noord")
ZUID = Organisation("zuid", "Gemeente Zuid")


class FixedCredential:
    """What azure-identity's async credentials look like to msgraph, with a token the fake accepts."""

    async def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(TOKEN, 4_102_444_800)

    async def close(self) -> None:
        pass


@dataclass
class CountingSleep:
    """Counts the retry waits instead of waiting."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def fake_graph() -> FakeGraph:
    return FakeGraph({u.id: u for u in sample_users()})


@pytest.fixture
async def graph_url(fake_graph: FakeGraph) -> AsyncIterator[str]:
    async with serving(fake_graph) as url:
        yield url


@pytest.fixture
def sleep() -> CountingSleep:
    return CountingSleep()


@pytest.fixture
def retry(sleep: CountingSleep) -> RetryPolicy:
    return RetryPolicy(sleep=sleep)


@pytest.fixture
async def client(graph_url: str) -> AsyncIterator[Any]:
    async with graph_session(FixedCredential(), base_url=graph_url, request_timeout=2.0) as graph:
        yield graph


@pytest.fixture
def organisations() -> OrganisationMap:
    return OrganisationMap(by_company={"Gemeente Noord": NOORD, "Gemeente Zuid": ZUID})


@pytest.fixture
def directory(client: Any, organisations: OrganisationMap, retry: RetryPolicy) -> GraphDirectory:
    return GraphDirectory(client, organisations, retry=retry)
