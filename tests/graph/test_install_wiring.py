"""With Microsoft Graph and a registered app, approvals install the app for approvers through Graph."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.config import load_settings
from klussenbank.graph.teams_apps import GraphInstaller
from klussenbank.wiring import Parts, approval_router
from tests.fake_graph import FakeGraph, FakeTeamsApp
from tests.graph.conftest import FixedCredential

APP_ID = "5f0e7c1a-0000-4000-8000-00000000b0b0"
ENV = {
    "KLUSSENBANK_DIRECTORY": "graph",
    "KLUSSENBANK_GRAPH_TENANT_ID": "tenant",
    "KLUSSENBANK_GRAPH_CLIENT_ID": "client",
    "KLUSSENBANK_GRAPH_CLIENT_SECRET": "secret",
    "KLUSSENBANK_APP_ID": APP_ID,
    "KLUSSENBANK_APP_SECRET": "bot-secret",
    "KLUSSENBANK_APP_TENANT_ID": "tenant",
}


async def test_the_graph_installer_installs_the_bots_own_app(fake_graph: FakeGraph, graph_url: str) -> None:
    fake_graph.publish(FakeTeamsApp("catalog-klussenbank", APP_ID))
    settings = load_settings({**ENV, "KLUSSENBANK_GRAPH_BASE_URL": graph_url})
    installer = GraphInstaller.for_settings(settings, credential=FixedCredential())

    assert await installer.install_for("staff-1")
    assert not await installer.install_for("nobody-graph-knows")
    assert fake_graph.installed_apps == {"staff-1": {"catalog-klussenbank"}}


async def test_only_graph_with_a_registered_app_installs(engine: AsyncEngine) -> None:
    with_graph = approval_router(Parts.load(load_settings(ENV), engine))
    local = approval_router(Parts.load(load_settings({}), engine))

    assert isinstance(with_graph.installer, GraphInstaller)
    assert local.installer is None
