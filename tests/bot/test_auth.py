"""With an app registration configured, the SDK validates inbound tokens: no token, no turn."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.server import init_app
from klussenbank.config import Settings
from tests.bot.conftest import BotHarness
from tests.conftest import no_services
from tests.fake_connector import FakeConnector

APP_ID = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
async def secured(engine: AsyncEngine) -> AsyncIterator[TestClient[object, object]]:
    settings = Settings(app_id=APP_ID, app_secret="not-a-real-secret", app_tenant_id="tenant")
    app = init_app(settings, engine=engine, services=no_services())
    client: TestClient[object, object] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


async def test_requests_without_a_token_are_refused(
    secured: TestClient[object, object], harness: BotHarness
) -> None:
    activity = harness.activity(type="message", text="beschikbaar")
    response = await secured.post("/api/messages", json=activity)
    assert response.status == 401
    forged = await secured.post(
        "/api/messages", json=activity, headers={"Authorization": "Bearer abc.def.ghi"}
    )
    assert forged.status == 401
    assert isinstance(harness.connector, FakeConnector)
    assert harness.connector.sent == [], "nothing was answered"
