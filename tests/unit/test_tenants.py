"""The tenants file: a bad one stops start-up with a message naming the file, the entry and the key;
without one, the settings are the one tenant they always were."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from klussenbank.cli import main
from klussenbank.config import ConfigError, Settings
from klussenbank.data import load_rules
from klussenbank.tenants import load_tenants
from klussenbank.wiring import directory, tenants_of
from tests.unit.test_config import run_cli

A = """
[tenants.noord]
tenant_id = "0000000A-0000-0000-0000-00000000000a"
app_id = "app-a"
credential = "ClientSecret"
secret_variable = "NOORD_SECRET"
directory_file = "demo"
organisations = { "Gemeente Ermelo" = "ermelo", "Gemeente Harderwijk" = "harderwijk" }
external_chat = ["zuid"]
"""
B = """
[tenants.zuid]
tenant_id = "0000000b-0000-0000-0000-00000000000b"
app_id = "app-b"
credential = "SystemManagedIdentity"
directory_file = "demo"
organisation = "zeewolde"
external_chat = ["noord"]
"""
SECRETS = {"NOORD_SECRET": "s3cret"}


def settings_for(tmp_path: Path, text: str) -> Settings:
    path = tmp_path / "tenants.toml"
    path.write_text(text, encoding="utf-8")
    return Settings(tenants_file=str(path))


def test_a_good_file_gives_each_tenant_its_app_credential_and_organisations(tmp_path: Path) -> None:
    tenants = load_tenants(settings_for(tmp_path, A + B), SECRETS)
    noord, zuid = tenants.entries
    assert (noord.tenant_id, noord.app_id, noord.credential.secret) == (
        "0000000a-0000-0000-0000-00000000000a",
        "app-a",
        "s3cret",
    )
    assert "s3cret" not in repr(noord)  # a secret is never in a repr or a log
    assert noord.organisation_keys == {"ermelo", "harderwijk"} and zuid.organisation_keys == {"zeewolde"}
    assert tenants.by_app("app-b") is zuid and tenants.of("0000000B-0000-0000-0000-00000000000b") is zuid
    assert tenants.chat_allowed(noord.tenant_id, zuid.tenant_id) and tenants.authenticated


def test_a_tenant_signs_in_at_microsofts_global_cloud_unless_its_authority_says_otherwise(
    tmp_path: Path,
) -> None:
    from klussenbank.bot.auth import auth_configuration

    text = A + B + 'authority = "https://login.microsoftonline.us/"\n'
    noord, zuid = load_tenants(settings_for(tmp_path, text), SECRETS).entries
    assert noord.authority == "" and auth_configuration(noord, "n").AUTHORITY is None
    us_government = auth_configuration(zuid, "z").AUTHORITY
    assert us_government == f"https://login.microsoftonline.us/{zuid.tenant_id}"


def test_without_a_file_the_settings_are_the_one_tenant() -> None:
    settings = Settings(app_id="app", app_secret="x", app_tenant_id="T1", tenant_ids=("t1", "t2"))
    tenants = load_tenants(settings)
    [only] = tenants.entries
    assert (only.app_id, only.tenant_id, only.tenant_ids) == ("app", "t1", {"t1", "t2"})
    assert not tenants.several and tenants.of("anyone") is only and tenants.chat_allowed("t1", "t2")
    assert not load_tenants(Settings()).authenticated  # local mode, as before


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        (A + B.replace("0000000b-", "0000000a-").replace("00000000000b", "00000000000a"), SECRETS,
         "[tenants.zuid] tenant_id: 0000000a-0000-0000-0000-00000000000a is also [tenants.noord]'s"),
        (A + B.replace('"zeewolde"', '"ermelo"'), SECRETS,
         "[tenants.zuid] organisations: 'ermelo' is also in [tenants.noord]"),
        (A + B, {}, "[tenants.noord] secret_variable: the environment variable NOORD_SECRET is not set"),
        (A + B.replace('app-b', 'app-a'), SECRETS, "[tenants.zuid] app_id: app-a is also [tenants.noord]'s"),
        (A + B.replace('["noord"]', '["oost"]'), SECRETS, "[tenants.zuid] external_chat: 'oost' is not a tenant"),
        (A + B.replace("credential =", "credentials ="), SECRETS, "[tenants.zuid] credentials: is not a setting"),
        (A.replace('tenant_id = "0000000A-0000-0000-0000-00000000000a"\n', ""), SECRETS,
         "[tenants.noord] tenant_id: is missing"),
        (A + B.replace('credential = "SystemManagedIdentity"', 'credential = "Password"'), SECRETS,
         "[tenants.zuid] credential: must be one of"),
        (A + B + 'authority = "http://login.example"\n', SECRETS,
         "[tenants.zuid] authority: must be an https:// address, not 'http://login.example'"),
        ("[tenants]\n", SECRETS, "needs one [tenants.<key>] table per tenant"),
        ("tenants = [", SECRETS, "is not TOML"),
    ],
)  # fmt: skip
def test_a_bad_file_names_the_file_the_entry_and_the_key(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    settings = settings_for(tmp_path, text)
    with pytest.raises(ConfigError) as refused:
        load_tenants(settings, environ)
    assert str(refused.value).startswith(f"tenants file {settings.tenants_file}")
    assert message in str(refused.value)


def test_an_unknown_organisation_or_a_person_in_two_tenants_stops_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOORD_SECRET", "s3cret")
    unknown = settings_for(tmp_path, A + B.replace('"zeewolde"', '"nergenshuizen"'))
    with pytest.raises(
        ConfigError, match=r"\[tenants.zuid\] organisations: 'nergenshuizen' is not an organisation"
    ):
        tenants_of(unknown, load_rules("demo"))
    both = settings_for(tmp_path, A + B)  # both tenants' directory files are the demo's: everyone twice
    with pytest.raises(
        ConfigError, match=r"\[tenants.zuid\] directory_file: person .* is also in \[tenants.noord\]"
    ):
        directory(both, None, tenants_of(both, load_rules("demo")))  # type: ignore[arg-type]


def test_each_tenant_gets_a_package_with_its_own_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    both = A.replace('"app-a"', '"aaaaaaaa-1111-1111-1111-111111111111"') + B.replace(
        '"app-b"', '"bbbbbbbb-2222-2222-2222-222222222222"'
    )
    monkeypatch.setenv("KLUSSENBANK_TENANTS_FILE", str(settings_for(tmp_path, both).tenants_file))
    monkeypatch.delenv("NOORD_SECRET", raising=False)  # packaging needs no secret
    out = tmp_path / "klussenbank.zip"
    assert main(["package", "--tenant", "zuid", "--domain", "bot.example.nl", "--out", str(out)]) == 0
    with zipfile.ZipFile(tmp_path / "klussenbank-zuid.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["bots"][0]["botId"] == manifest["id"] == "bbbbbbbb-2222-2222-2222-222222222222"
    assert main(["package", "--tenant", "oost", "--domain", "bot.example.nl", "--out", str(out)]) == 2
    assert (
        "--tenant oost: not a tenant of KLUSSENBANK_TENANTS_FILE (tenants: noord, zuid)"
        in capsys.readouterr().err
    )


def test_directory_sync_reads_each_tenants_directory_file(tmp_path: Path) -> None:
    two = Path(__file__).resolve().parents[2] / "demo" / "two-tenants" / "tenants.toml"
    synced = run_cli(tmp_path, "directory", "sync", KLUSSENBANK_TENANTS_FILE=str(two))

    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.splitlines() == [
        f"noord: directory file {two.parent / 'noord.json'}: 7 people (nothing to sync: the bot reads it at start-up)",
        f"zuid: directory file {two.parent / 'zuid.json'}: 2 people (nothing to sync: the bot reads it at start-up)",
    ]
