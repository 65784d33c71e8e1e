"""With a tenants file, the Teams app is installed for an approver through their home tenant's Graph,
as that tenant's own app: two tenants, each with its own fake Graph and app catalog."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.config import Settings
from klussenbank.graph.teams_apps import GraphInstaller, TenantInstallers
from klussenbank.graph.tenant_directories import TenantDirectories
from klussenbank.wiring import Parts, approval_router, graph_sync
from tests.fake_graph import FakeGraph, FakeTeamsApp, FakeUser, serving
from tests.graph.conftest import FixedCredential

TENANT_A = "0000000a-0000-0000-0000-00000000000a"
TENANT_B = "0000000b-0000-0000-0000-00000000000b"
APP_A = "aaaaaaaa-1111-1111-1111-111111111111"
APP_B = "bbbbbbbb-2222-2222-2222-222222222222"

DEMO_TENANTS = Path(__file__).resolve().parents[2] / "demo" / "two-tenants" / "tenants.toml"
TENANTS_FILE = """
[tenants.noord]
tenant_id = "{tenant_a}"
app_id = "{app_a}"
credential = "ClientSecret"
secret_variable = "NOORD_BOT_SECRET"
directory = "graph"
graph_base_url = "{graph_a}"
organisation = "ermelo"

[tenants.zuid]
tenant_id = "{tenant_b}"
app_id = "{app_b}"
credential = "ClientSecret"
secret_variable = "ZUID_BOT_SECRET"
directory = "graph"
graph_base_url = "{graph_b}"
organisation = "zeewolde"
"""


def two_graphs() -> tuple[FakeGraph, FakeGraph]:
    """Tenant A's Graph (Anna and her manager Bas) and B's (Eva and her manager Mila), each with its
    own Klussenbank app in its catalog: the manifest id is that tenant's bot's app id."""
    a = FakeGraph(
        {
            "anna": FakeUser("anna", "Anna de Vries", "anna@ermelo.example", manager="bas"),
            "bas": FakeUser("bas", "Bas Bos", "bas@ermelo.example"),
        }
    )
    b = FakeGraph(
        {
            "eva": FakeUser("eva", "Eva Smit", "eva@zeewolde.example", manager="mila"),
            "mila": FakeUser("mila", "Mila Mulder", "mila@zeewolde.example"),
        }
    )
    a.publish(FakeTeamsApp("catalog-a", APP_A))
    b.publish(FakeTeamsApp("catalog-b", APP_B))
    return a, b


@dataclass
class TwoGraphs:
    a: FakeGraph
    b: FakeGraph
    parts: Parts


@pytest.fixture
async def graphs(
    tmp_path: Path, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[TwoGraphs]:
    monkeypatch.setenv("NOORD_BOT_SECRET", "not-a-real-secret-a")
    monkeypatch.setenv("ZUID_BOT_SECRET", "not-a-real-secret-b")
    a, b = two_graphs()
    async with serving(a) as graph_a, serving(b) as graph_b:
        path = tmp_path / "tenants.toml"
        path.write_text(
            TENANTS_FILE.format(
                tenant_a=TENANT_A,
                tenant_b=TENANT_B,
                app_a=APP_A,
                app_b=APP_B,
                graph_a=graph_a,
                graph_b=graph_b,
            ),
            encoding="utf-8",
        )
        parts = Parts.load(Settings(tenants_file=str(path)), engine)
        for entry in parts.tenants.entries:
            await graph_sync(parts.settings, engine, credential=FixedCredential(), tenant=entry)()
        yield TwoGraphs(a, b, parts)


def installation_requests(graph: FakeGraph) -> list[str]:
    return [unquote(url) for url in graph.urls if "installedApps" in url or "appCatalogs" in url]


async def test_a_tenants_file_with_graph_tenants_installs_per_tenant(
    graphs: TwoGraphs, engine: AsyncEngine
) -> None:
    assert isinstance(approval_router(graphs.parts).installer, TenantInstallers)
    # Tenants with directory files only (the demo's): nothing to install with, as without Graph.
    demo = Settings(tenants_file=str(DEMO_TENANTS))
    assert approval_router(Parts.load(demo, engine)).installer is None


async def test_the_app_is_installed_for_a_tenant_b_approver_by_bs_graph_only(graphs: TwoGraphs) -> None:
    directories = graphs.parts.directory
    assert isinstance(directories, TenantDirectories)
    installers = TenantInstallers(
        directories,
        {
            entry.key: GraphInstaller.for_tenant(entry, credential=FixedCredential())
            for entry in graphs.parts.tenants.entries
        },
    )

    assert await installers.install_for("mila")
    assert graphs.b.installed_apps == {"mila": {"catalog-b"}}
    assert installation_requests(graphs.a) == [], "tenant A's Graph heard nothing of B's approver"
    assert f"/v1.0/appCatalogs/teamsApps?$filter=externalId eq '{APP_B}'" in installation_requests(graphs.b)

    assert await installers.install_for("bas")
    assert graphs.a.installed_apps == {"bas": {"catalog-a"}}
    assert set(graphs.b.installed_apps) == {"mila"}
    # Someone in neither tenant's directory: no Graph is asked.
    assert await installers.install_for("nobody")
    assert all("nobody" not in url for url in graphs.a.urls + graphs.b.urls)
