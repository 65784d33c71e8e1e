"""Choosing the directory by configuration; msgraph stays unimported unless Graph is configured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.cli import main
from klussenbank.config import ConfigError, Settings, load_settings
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.store.directory import CachedDirectory
from klussenbank.wiring import directory, graph_sync
from tests.fake_graph import FakeGraph
from tests.graph.conftest import FixedCredential

GRAPH_ENV = {
    "KLUSSENBANK_DIRECTORY": "graph",
    "KLUSSENBANK_GRAPH_TENANT_ID": "tenant",
    "KLUSSENBANK_GRAPH_CLIENT_ID": "client",
    "KLUSSENBANK_GRAPH_CLIENT_SECRET": "secret",
}


@pytest.mark.parametrize("env", [{}, GRAPH_ENV], ids=["file", "graph"])
def test_building_the_bot_does_not_import_msgraph(tmp_path: Path, env: dict[str, str]) -> None:
    """With the directory file msgraph is never loaded; with Graph only once the first sync runs."""
    env = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/k.db"}
    script = (
        "import sys\n"
        "from klussenbank.config import load_settings\n"
        "from klussenbank.wiring import build_web_app\n"
        f"settings = load_settings({env!r})\n"
        "build_web_app(settings)\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('msgraph', 'msgraph_core', 'kiota_http'))\n"
        "print(loaded)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_default_is_the_demo_directory_file() -> None:
    settings = load_settings({})
    assert (settings.directory, settings.directory_file) == ("file", "demo")


async def test_graph_configured_means_the_cache(engine: AsyncEngine) -> None:
    graph = load_settings(GRAPH_ENV)
    assert isinstance(directory(graph, engine), CachedDirectory)
    assert isinstance(directory(Settings(), engine), FileDirectory)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KLUSSENBANK_DIRECTORY": "ldap"}, "KLUSSENBANK_DIRECTORY must be"),
        ({**GRAPH_ENV, "KLUSSENBANK_GRAPH_CLIENT_SECRET": ""}, "KLUSSENBANK_GRAPH_CLIENT_SECRET"),
        ({"KLUSSENBANK_DIRECTORY": "graph"}, "KLUSSENBANK_GRAPH_TENANT_ID, KLUSSENBANK_GRAPH_CLIENT_ID"),
        ({**GRAPH_ENV, "KLUSSENBANK_GRAPH_AUTH_TYPE": "Password"}, "KLUSSENBANK_GRAPH_AUTH_TYPE"),
        (
            {**GRAPH_ENV, "KLUSSENBANK_GRAPH_ORGANISATION_BY": "companyName"},
            "KLUSSENBANK_GRAPH_ORGANISATIONS",
        ),
        ({**GRAPH_ENV, "KLUSSENBANK_GRAPH_ORGANISATION_BY": "office"}, "ORGANISATION_BY must be"),
        ({"KLUSSENBANK_GRAPH_ORGANISATIONS": "Gemeente Noord"}, "not 'companyName=organisation-key'"),
        ({**GRAPH_ENV, "KLUSSENBANK_GRAPH_BASE_URL": "http://graph.example"}, "https://"),
    ],
)
def test_wrong_graph_settings_say_what_to_fix(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(env)


def test_managed_identity_needs_no_secret() -> None:
    settings = load_settings(
        {"KLUSSENBANK_DIRECTORY": "graph", "KLUSSENBANK_GRAPH_AUTH_TYPE": "ManagedIdentity"}
    )
    assert settings.graph_auth_type == "ManagedIdentity"


async def test_the_sync_chore_fills_the_cache_the_bot_reads(
    engine: AsyncEngine, graph_url: str, fake_graph: FakeGraph
) -> None:
    settings = load_settings(
        {
            **GRAPH_ENV,
            "KLUSSENBANK_GRAPH_ORGANISATION_BY": "companyName",
            "KLUSSENBANK_GRAPH_ORGANISATIONS": "Gemeente Noord=noord;*=overig",
            "KLUSSENBANK_GRAPH_BASE_URL": graph_url,
        }
    )
    result = await graph_sync(settings, engine, credential=FixedCredential())()
    assert result.upserted == 5
    cached = directory(settings, engine)
    staff, other = await cached.person("staff-1"), await cached.person("staff-2")
    assert staff is not None and staff.organisation.key == "noord"
    assert other is not None and other.organisation.key == "overig"
    assert {o.key for o in await cached.organisations()} == {"noord", "overig"}


def test_directory_sync_needs_graph(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KLUSSENBANK_DIRECTORY", raising=False)
    assert main(["directory", "sync"]) == 2
    assert "KLUSSENBANK_DIRECTORY=graph" in capsys.readouterr().err
