from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from klussenbank.cli import main
from klussenbank.config import ConfigError, Settings, describe, load_settings


def test_defaults_are_the_embedded_local_setup() -> None:
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert (settings.host, settings.port, settings.has_credentials) == ("127.0.0.1", 3978, False)
    settings.check_can_serve()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.53"])
def test_local_mode_is_allowed_on_loopback(host: str) -> None:
    Settings(host=host).check_can_serve()


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::", "bot.example.nl"])
def test_local_mode_refuses_other_addresses(host: str) -> None:
    with pytest.raises(ConfigError, match="without credentials"):
        Settings(host=host).check_can_serve()


def test_credentials_allow_any_address_but_need_tenant_and_secret() -> None:
    Settings(host="0.0.0.0", app_id="a", app_secret="s", app_tenant_id="t").check_can_serve()
    with pytest.raises(ConfigError, match="TENANT_ID"):
        Settings(host="0.0.0.0", app_id="a", app_secret="s").check_can_serve()
    with pytest.raises(ConfigError, match="APP_SECRET"):
        Settings(host="0.0.0.0", app_id="a", app_tenant_id="t").check_can_serve()
    Settings(
        host="0.0.0.0", app_id="a", app_tenant_id="t", auth_type="SystemManagedIdentity"
    ).check_can_serve()


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "::", "metrics.example.nl"])
def test_metrics_beyond_this_machine_need_a_token(host: str) -> None:
    with pytest.raises(ConfigError, match="KLUSSENBANK_METRICS_TOKEN"):
        Settings(metrics_host=host).check_can_serve()
    Settings(metrics_host=host, metrics_token="t" * 32).check_can_serve()
    Settings(metrics_host=host, metrics_port=0).check_metrics()  # no listener: nothing to guard
    assert (Settings().metrics_host, Settings().metrics_port) == ("127.0.0.1", 9478)


def test_the_served_tenants_are_a_list_defaulting_to_the_apps_own() -> None:
    assert load_settings({"KLUSSENBANK_APP_TENANT_ID": "T1"}).allowed_tenants == {"t1"}
    many = load_settings({"KLUSSENBANK_APP_TENANT_ID": "t1", "KLUSSENBANK_TENANT_IDS": " T2, t3,,t2 "})
    assert (many.tenant_ids, many.allowed_tenants) == (("t2", "t3"), {"t2", "t3"})
    assert load_settings({}).allowed_tenants == frozenset()


def test_the_token_keys_come_from_https_or_this_machine() -> None:
    assert load_settings({}).openid_metadata_url.startswith("https://login.botframework.com/")
    local = "http://127.0.0.1:8080/openid"
    assert load_settings({"KLUSSENBANK_OPENID_METADATA_URL": local}).openid_metadata_url == local
    with pytest.raises(ConfigError, match="KLUSSENBANK_OPENID_METADATA_URL"):
        load_settings({"KLUSSENBANK_OPENID_METADATA_URL": "http://keys.example/openid"})


def test_bad_values_are_explained() -> None:
    with pytest.raises(ConfigError, match="KLUSSENBANK_PORT"):
        load_settings({"KLUSSENBANK_PORT": "eighty"})
    with pytest.raises(ConfigError, match="KLUSSENBANK_AUTH_TYPE"):
        load_settings({"KLUSSENBANK_AUTH_TYPE": "Password"})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"KLUSSENBANK_PORT": ""}, "KLUSSENBANK_PORT must be a whole number, not ''."),
        (
            {"KLUSSENBANK_SUGGESTIONS_PER_WEEK": "drie"},
            "KLUSSENBANK_SUGGESTIONS_PER_WEEK must be a whole number",
        ),
        ({"KLUSSENBANK_SUGGESTIONS_PER_WEEK": "-1"}, "KLUSSENBANK_SUGGESTIONS_PER_WEEK must be at least 0"),
        ({"KLUSSENBANK_WORKER_LEASE_SECONDS": "kort"}, "KLUSSENBANK_WORKER_LEASE_SECONDS must be a number"),
        (
            {"KLUSSENBANK_WORKER_LEASE_SECONDS": "0"},
            "KLUSSENBANK_WORKER_LEASE_SECONDS must be greater than 0",
        ),
        ({"KLUSSENBANK_WORKER_LEASE_SECONDS": "inf"}, "KLUSSENBANK_WORKER_LEASE_SECONDS must be a finite"),
        ({"KLUSSENBANK_WORKER": "cron"}, "KLUSSENBANK_WORKER must be one of 'inline' or 'off', not 'cron'."),
        (
            {"KLUSSENBANK_METRICS_PORT": "70000"},
            "KLUSSENBANK_METRICS_PORT must be at most 65535, not '70000'.",
        ),
        (
            {"KLUSSENBANK_LOG_FORMAT": "xml"},
            "KLUSSENBANK_LOG_FORMAT must be one of 'text' or 'json', not 'xml'.",
        ),
        ({"KLUSSENBANK_METRICS_TOKEN": "kort"}, "KLUSSENBANK_METRICS_TOKEN must be at least 32 characters"),
    ],
)
def test_a_wrong_value_names_the_variable_and_what_it_must_be(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings(env)
    assert str(raised.value).startswith(message)


def test_values_come_through_typed() -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgresql+asyncpg://kb@db/kb",
            "KLUSSENBANK_PORT": "8080",
            "KLUSSENBANK_WORKER_LEASE_SECONDS": "2.5",
            "KLUSSENBANK_LOG_LEVEL": "debug",
            "KLUSSENBANK_GRAPH_ORGANISATIONS": "Gemeente Noord=noord; *=overig",
            "KLUSSENBANK_GRAPH_BASE_URL": "http://127.0.0.1:8000/v1.0/",
            "OTHER": "ignored",
        }
    )
    assert (settings.database_url, settings.port, settings.worker_lease_seconds) == (
        "postgresql+asyncpg://kb@db/kb",
        8080,
        2.5,
    )
    assert settings.log_level == "DEBUG"
    assert settings.graph_organisations == (("Gemeente Noord", "noord"), ("*", "overig"))
    assert settings.graph_base_url == "http://127.0.0.1:8000/v1.0"
    assert Settings() == load_settings({})  # constructing Settings reads no environment


SECRETS = {
    "DATABASE_URL": "postgresql+asyncpg://klussenbank:db-wachtwoord@db.example.nl:5432/klussenbank",
    "KLUSSENBANK_APP_ID": "11111111-2222-3333-4444-555555555555",
    "KLUSSENBANK_APP_SECRET": "app-geheim",
    "KLUSSENBANK_APP_TENANT_ID": "tenant",
    "KLUSSENBANK_LINK_SECRET": "link-geheim-" + "x" * 32,
    "KLUSSENBANK_DIRECTORY": "graph",
    "KLUSSENBANK_GRAPH_TENANT_ID": "tenant",
    "KLUSSENBANK_GRAPH_CLIENT_ID": "graph-client",
    "KLUSSENBANK_GRAPH_CLIENT_SECRET": "graph-geheim",
    "KLUSSENBANK_GRAPH_ORGANISATIONS": "Gemeente Noord=noord",
    "KLUSSENBANK_PORT": "8080",
    "KLUSSENBANK_METRICS_TOKEN": "metrics-geheim-" + "x" * 32,
}


def table(lines: list[str]) -> dict[str, str]:
    """`VARIABLE = value` lines as a mapping."""
    return {name.strip(): value.strip() for name, value in (line.split(" = ", 1) for line in lines)}


def test_config_check_shows_every_setting_with_the_secrets_masked() -> None:
    settings = load_settings(SECRETS)

    lines = describe(settings)

    shown = table(lines)
    assert len(shown) == len(lines) == len(Settings.model_fields)
    assert shown["DATABASE_URL"] == "postgresql+asyncpg://klussenbank:***@db.example.nl:5432/klussenbank"
    assert shown["KLUSSENBANK_APP_SECRET"] == shown["KLUSSENBANK_LINK_SECRET"] == "*** (set)"
    assert shown["KLUSSENBANK_GRAPH_CLIENT_SECRET"] == shown["KLUSSENBANK_METRICS_TOKEN"] == "*** (set)"
    assert shown["KLUSSENBANK_APP_ID"] == "11111111-2222-3333-4444-555555555555"
    assert (shown["KLUSSENBANK_PORT"], shown["KLUSSENBANK_DIRECTORY"]) == ("8080", "graph")
    assert shown["KLUSSENBANK_GRAPH_ORGANISATIONS"] == "Gemeente Noord=noord"
    assert shown["KLUSSENBANK_WORKER_LEASE_SECONDS"] == "60.0"
    for secret in ("db-wachtwoord", "app-geheim", "link-geheim", "graph-geheim", "metrics-geheim"):
        assert secret not in "\n".join(lines) and secret not in repr(settings)
    assert table(describe(Settings()))["KLUSSENBANK_APP_SECRET"] == "(not set)"


def test_config_check_on_the_command_line_reads_the_environment_and_the_env_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("KLUSSENBANK_PORT=4000\nKLUSSENBANK_WORKER=off\n", encoding="utf-8")
    env = {**SECRETS, "KLUSSENBANK_HOST": "0.0.0.0"}
    del env["KLUSSENBANK_PORT"]

    checked = run_cli(tmp_path, "config", "check", **env, KLUSSENBANK_WORKER="inline")

    assert checked.returncode == 0, checked.stderr
    shown = table(checked.stdout.splitlines())
    assert shown["KLUSSENBANK_PORT"] == "4000"  # from .env
    assert shown["KLUSSENBANK_WORKER"] == "inline"  # the environment wins
    assert shown["DATABASE_URL"] == "postgresql+asyncpg://klussenbank:***@db.example.nl:5432/klussenbank"
    assert "geheim" not in checked.stdout + checked.stderr


def test_config_check_says_what_is_wrong(tmp_path: Path) -> None:
    public = run_cli(tmp_path, "config", "check", KLUSSENBANK_HOST="0.0.0.0")
    wrong = run_cli(tmp_path, "config", "check", KLUSSENBANK_PORT="achtduizend")

    assert public.returncode == 2 and "KLUSSENBANK_HOST" in public.stdout
    assert "Refusing to listen on 0.0.0.0 without credentials" in public.stderr
    assert wrong.returncode == 2
    assert wrong.stderr == "klussenbank: KLUSSENBANK_PORT must be a whole number, not 'achtduizend'.\n"


def test_serve_refuses_to_start_on_a_public_address_without_credentials() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "klussenbank.cli", "serve", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "KLUSSENBANK_APP_ID": ""},
        check=False,
    )
    assert result.returncode == 2
    assert "Refusing to listen on 0.0.0.0 without credentials" in result.stderr
    assert "Traceback" not in result.stderr


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`klussenbank ARGS` in a fresh process, on a database in `tmp_path`, with `env` set."""
    return subprocess.run(
        [sys.executable, "-m", "klussenbank.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/k.db", **env},
        cwd=tmp_path,
        check=False,
    )


def test_outbox_commands_report_and_requeue(tmp_path: Path) -> None:
    def cli(*args: str) -> str:
        result = run_cli(tmp_path, *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli("db", "upgrade")
    status = cli("outbox", "status")
    assert [line.split() for line in status.splitlines()] == [
        [name, "0"]
        for name in (
            "pending",
            "claimed",
            "sending",
            "sent",
            "unreachable",
            "dead",
            "unconfirmed",
            "superseded",
            "cancelled",
        )
    ]
    assert cli("outbox", "retry", "--unconfirmed").strip() == "0 deliveries queued again"
    [line] = cli("audit").splitlines()
    assert "cli:" in line and "outbox.retried  0 dead and unconfirmed deliveries" in line


def test_download_links_point_where_browsers_reach_the_bot() -> None:
    assert load_settings({}).base_url == "http://127.0.0.1:3978"
    public = load_settings({"KLUSSENBANK_PUBLIC_URL": "https://klussenbank.example.nl/"})
    assert public.base_url == "https://klussenbank.example.nl"
    with pytest.raises(ConfigError, match="KLUSSENBANK_PUBLIC_URL must be an https"):
        load_settings({"KLUSSENBANK_PUBLIC_URL": "http://klussenbank.example.nl"})
    with pytest.raises(ConfigError, match="KLUSSENBANK_LINK_SECRET must be at least 32"):
        load_settings({"KLUSSENBANK_LINK_SECRET": "kort"})
    assert load_settings({"KLUSSENBANK_LINK_SECRET": "x" * 32}).link_secret == "x" * 32


def test_the_report_command_writes_csv_and_a_chart(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(tmp_path, *args)

    assert cli("db", "upgrade").returncode == 0
    period = ("--org", "ermelo", "--from", "2026-01-01", "--to", "2026-03-31")
    shown = cli("report", *period)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:2] == ["figure,value", "organisation,ermelo"]
    assert "posted_2026-03,0" in shown.stdout
    drawn = cli("report", *period, "--format", "png", "--out", "chart.png")
    assert drawn.returncode == 0, drawn.stderr
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    backwards = cli("report", "--org", "ermelo", "--from", "2026-03-01", "--to", "2026-01-01")
    assert backwards.returncode != 0 and "--to lies before --from" in backwards.stderr
    assert "Traceback" not in backwards.stderr


def test_purge_and_audit_from_the_command_line(tmp_path: Path) -> None:
    def cli(*args: str) -> str:
        result = run_cli(tmp_path, *args)
        assert result.returncode == 0, result.stderr
        return result.stdout

    cli("db", "upgrade")
    assert "outbox_messages: 0 purged" in cli("privacy", "purge")
    [line] = cli("audit").splitlines()
    assert "cli:" in line and "privacy.purged" in line


@pytest.fixture
def logger_levels() -> Iterator[None]:
    """The command sets logger levels for the whole process: the other tests get them back as they were."""
    loggers = logging.root.manager.loggerDict
    before = {name: found.level for name, found in loggers.items() if isinstance(found, logging.Logger)}
    yield
    for name, found in list(loggers.items()):
        if isinstance(found, logging.Logger):
            found.setLevel(before.get(name, logging.NOTSET))


@pytest.mark.usefixtures("logger_levels")
def test_the_command_quiets_the_sdks_noise_but_not_ours(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the checkout
    caplog.set_level(logging.INFO)
    app_id = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"
    assert (
        main(["package", "--out", str(tmp_path / "k.zip"), "--app-id", app_id, "--domain", "bot.example.nl"])
        == 0
    )

    tokens = logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client")
    tokens.warning("no app id")  # on every turn in local mode
    tokens.error("no token")
    logging.getLogger("microsoft_agents.activity.activity").error("not an activity")  # the host says 400
    logging.getLogger("microsoft_agents.hosting.core").info("turn started")
    logging.getLogger("klussenbank.bot.server").info("chore done")

    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("microsoft_agents.hosting.core.connector.client.user_token_client", "no token"),
        ("microsoft_agents.hosting.core", "turn started"),
        ("klussenbank.bot.server", "chore done"),
    ]
