"""Tests for the Teams app package (klussenbank.appmanifest.build_package).

The schema checks run ``validate_manifest.mjs`` (node) against the official
schemas bundled in ``@microsoft/app-manifest``; ``npm ci`` in the repository
root installs it (``make test`` does this).
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from klussenbank.appmanifest import (
    PLACEHOLDER_APP_ID,
    build_package,
    load_manifest,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = Path(__file__).with_name("validate_manifest.mjs")
APP_MANIFEST_NPM = REPO_ROOT / "node_modules" / "@microsoft" / "app-manifest"

APP_ID = "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B"  # upper case on purpose
APP_ID_LOWER = APP_ID.lower()
BOT_DOMAIN = "klussenbank.gemeente-voorbeeld.nl"
VERSION = "1.4.2"

EXPECTED_FILES = ["color.png", "en-us.json", "manifest.json", "outline.png"]
# Teams shows at most 10 commands a list: in a personal chat, "mijn reacties" and "overeenkomst"
# take the places of pause and leave, which the profile card offers.
PERSONAL_COMMANDS = [
    "help",
    "beschikbaar",
    "profiel",
    "klussen",
    "mijn reacties",
    "klus plaatsen",
    "mijn klussen",
    "overeenkomst",
    "wie zag mijn gegevens",
    "aankondiging",
]


# --------------------------------------------------------------------------
# helpers and fixtures
# --------------------------------------------------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return build_package(
        tmp_path / "out" / "klussenbank.zip",
        app_id=APP_ID,
        bot_domain=BOT_DOMAIN,
        version=VERSION,
    )


def _read(package: Path, name: str) -> bytes:
    with zipfile.ZipFile(package) as archive:
        return archive.read(name)


def _manifest(package: Path) -> dict[str, Any]:
    data = json.loads(_read(package, "manifest.json").decode("utf-8"))
    assert isinstance(data, dict)
    return data


def _image(package: Path, name: str) -> Image.Image:
    image = Image.open(io.BytesIO(_read(package, name)))
    image.load()
    return image


def _rgba_pixels(image: Image.Image) -> list[tuple[int, int, int, int]]:
    data = image.convert("RGBA").tobytes()
    return [(data[i], data[i + 1], data[i + 2], data[i + 3]) for i in range(0, len(data), 4)]


@pytest.fixture
def extracted(package: Path, tmp_path: Path) -> Path:
    """The package unpacked into a directory; returns the manifest path."""
    target = tmp_path / "unpacked"
    with zipfile.ZipFile(package) as archive:
        archive.extractall(target)
    return target / "manifest.json"


def _require_validator() -> str:
    """Return the node executable, or skip/fail when the validator is absent."""
    if not (APP_MANIFEST_NPM / "package.json").is_file():
        reason = (
            "node_modules/@microsoft/app-manifest is not installed; "
            "run `npm ci` in the repository root (make test does this)"
        )
        if os.environ.get("CI"):
            pytest.fail(f"{reason} -- not skipping under CI")
        pytest.skip(reason)
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH but node_modules is installed")
    return node


def _validate(manifest_path: Path) -> tuple[int, dict[str, Any]]:
    node = _require_validator()
    result = subprocess.run(
        [node, str(VALIDATOR), str(manifest_path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"validator printed no JSON (exit {result.returncode}):\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
    assert isinstance(report, dict)
    return result.returncode, report


def _messages(report: dict[str, Any]) -> str:
    return "\n".join(str(error["message"]) for error in report["errors"])


# --------------------------------------------------------------------------
# the zip
# --------------------------------------------------------------------------


def test_returns_out_path_and_writes_a_valid_zip(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "dir" / "app.zip"
    assert build_package(out, app_id=APP_ID, bot_domain=BOT_DOMAIN) == out
    assert zipfile.is_zipfile(out)
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
    # No temporary files are left next to it.
    assert sorted(p.name for p in out.parent.iterdir()) == ["app.zip"]


def test_zip_contains_exactly_the_expected_files_at_the_root(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        assert sorted(archive.namelist()) == EXPECTED_FILES


def test_every_file_the_manifest_refers_to_is_in_the_zip(package: Path) -> None:
    manifest = _manifest(package)
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
    referenced = {manifest["icons"]["color"], manifest["icons"]["outline"]}
    referenced |= {language["file"] for language in manifest["localizationInfo"]["additionalLanguages"]}
    assert referenced <= names


def test_build_is_reproducible(tmp_path: Path) -> None:
    first = build_package(tmp_path / "a.zip", app_id=APP_ID, bot_domain=BOT_DOMAIN)
    second = build_package(tmp_path / "b.zip", app_id=APP_ID, bot_domain=BOT_DOMAIN)
    assert first.read_bytes() == second.read_bytes()


# --------------------------------------------------------------------------
# icons
# --------------------------------------------------------------------------


def test_icon_sizes(package: Path) -> None:
    assert _image(package, "color.png").size == (192, 192)
    assert _image(package, "outline.png").size == (32, 32)
    assert _image(package, "color.png").format == "PNG"
    assert _image(package, "outline.png").format == "PNG"


def test_outline_icon_is_white_on_transparent(package: Path) -> None:
    image = _image(package, "outline.png")
    assert "A" in image.getbands(), "outline icon needs an alpha channel"
    pixels = _rgba_pixels(image)
    coloured = {(r, g, b) for r, g, b, a in pixels if a > 0}
    assert coloured == {(255, 255, 255)}, f"non-white pixels: {coloured - {(255, 255, 255)}}"
    alphas = [a for _, _, _, a in pixels]
    assert alphas.count(0) > len(pixels) // 4, "background must be transparent"
    assert alphas.count(255) > 0, "the symbol must have fully opaque pixels"


def test_color_icon_is_full_colour_in_the_accent_colour(package: Path) -> None:
    accent = _manifest(package)["accentColor"]
    expected = tuple(int(accent[i : i + 2], 16) for i in (1, 3, 5))
    image = _image(package, "color.png")
    # Just above the glyph, inside the rounded square: plain accent colour.
    assert image.convert("RGBA").getpixel((96, 20)) == (*expected, 255)
    # A white glyph on it, and more than just two colours (anti-aliasing).
    opaque = {(r, g, b) for r, g, b, a in _rgba_pixels(image) if a == 255}
    assert {(255, 255, 255), expected} <= opaque
    assert len(opaque) > 2


# --------------------------------------------------------------------------
# manifest contents
# --------------------------------------------------------------------------


def test_manifest_has_the_ids_and_domain_filled_in(package: Path) -> None:
    manifest = _manifest(package)
    assert manifest["id"] == APP_ID_LOWER
    assert manifest["bots"][0]["botId"] == APP_ID_LOWER
    assert manifest["webApplicationInfo"] == {
        "id": APP_ID_LOWER,
        "resource": f"api://{BOT_DOMAIN}/{APP_ID_LOWER}",
    }
    assert manifest["validDomains"] == [BOT_DOMAIN]
    assert manifest["version"] == VERSION
    assert PLACEHOLDER_APP_ID not in _read(package, "manifest.json").decode("utf-8")


def test_nothing_else_in_the_manifest_changes(package: Path) -> None:
    expected = copy.deepcopy(load_manifest())
    expected["id"] = APP_ID_LOWER
    expected["bots"][0]["botId"] = APP_ID_LOWER
    expected["webApplicationInfo"] = {
        "id": APP_ID_LOWER,
        "resource": f"api://{BOT_DOMAIN}/{APP_ID_LOWER}",
    }
    expected["validDomains"] = [BOT_DOMAIN]
    expected["version"] = VERSION
    assert _manifest(package) == expected


def test_version_is_kept_when_not_given(tmp_path: Path) -> None:
    out = build_package(tmp_path / "p.zip", app_id=APP_ID, bot_domain=BOT_DOMAIN)
    assert _manifest(out)["version"] == load_manifest()["version"]


def test_localization_and_icons_are_copied_unchanged(package: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "klussenbank" / "appmanifest"
    for name in ("color.png", "outline.png", "en-us.json"):
        assert _read(package, name) == (source / name).read_bytes()


def test_development_manifest_contract() -> None:
    manifest = load_manifest()
    assert manifest["manifestVersion"] == "1.19"
    assert manifest["$schema"] == (
        "https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
    )
    assert manifest["id"] == PLACEHOLDER_APP_ID
    assert manifest["name"]["short"] == "Klussenbank"
    assert manifest["name"]["full"] == "Klussenbank – interne klussen en talent"
    assert manifest["localizationInfo"]["defaultLanguageTag"] == "nl-nl"
    bot = manifest["bots"][0]
    assert bot["botId"] == PLACEHOLDER_APP_ID
    assert sorted(bot["scopes"]) == ["personal", "team"]
    assert bot["supportsFiles"] is False
    assert bot["isNotificationOnly"] is False
    lists = {tuple(c["scopes"]): c["commands"] for c in bot["commandLists"]}
    # In a team the bot only says hello and points to the personal chat: it answers every command
    # in a channel with "only in your own chat" (tests/bot), so the team scope offers no commands.
    assert set(lists) == {("personal",)}
    assert [c["title"] for c in lists[("personal",)]] == PERSONAL_COMMANDS
    personal = {c["title"]: c["description"] for c in lists[("personal",)]}
    assert personal["mijn reacties"] == "Zie waarop je reageerde en wat de volgende stap is"
    assert personal["overeenkomst"] == "Open je detacheringsovereenkomsten"
    assert personal["beschikbaar"] == "Meld je aan als beschikbaar"
    assert personal["profiel"].startswith("Bekijk je profiel")
    assert manifest["webApplicationInfo"]["resource"] == (f"api://klussenbank.example/{PLACEHOLDER_APP_ID}")
    assert "klussenbank.example" in manifest["validDomains"]


# --------------------------------------------------------------------------
# official schema validation (node + @microsoft/app-manifest)
# --------------------------------------------------------------------------


def test_built_manifest_validates_against_the_official_schema(extracted: Path) -> None:
    code, report = _validate(extracted)
    assert (code, report["errors"]) == (0, [])
    assert report["valid"] is True
    assert report["schema"].endswith("/v1.19/MicrosoftTeams.schema.json")


def test_development_manifest_validates_against_the_official_schema() -> None:
    source = REPO_ROOT / "src" / "klussenbank" / "appmanifest" / "manifest.json"
    code, report = _validate(source)
    assert (code, report["errors"]) == (0, [])


def _break_and_validate(extracted: Path, file_name: str, mutate: Any) -> tuple[int, dict[str, Any]]:
    path = extracted.with_name(file_name)
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return _validate(extracted)


@pytest.mark.parametrize(
    ("file_name", "mutate", "expected"),
    [
        pytest.param(
            "manifest.json",
            lambda m: m.pop("developer"),
            "must have required property 'developer'",
            id="missing-required-developer",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m["bots"][0].update(botId="not-a-guid"),
            "/bots/0/botId must match pattern",
            id="bot-id-not-a-guid",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m["name"].update(short="K" * 31),
            "/name/short must NOT have more than 30 characters",
            id="short-name-too-long",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m["bots"][0].update(scopes=["personal", "everywhere"]),
            "/bots/0/scopes/1 must be equal to one of the allowed values",
            id="unknown-bot-scope",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m.update(manifestVersion="1.18"),
            "/manifestVersion must be equal to constant",
            id="manifest-version-mismatch",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m.update(unexpectedField=True),
            "must NOT have additional properties",
            id="unknown-top-level-field",
        ),
        pytest.param(
            "manifest.json",
            lambda m: m.update(
                {
                    "$schema": "https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json"
                }
            ),
            "is not bundled with @microsoft/app-manifest",
            id="unknown-schema-is-not-fetched",
        ),
        pytest.param(
            "en-us.json",
            lambda m: m.pop("description.full"),
            "must have required property 'description.full'",
            id="localization-missing-required",
        ),
        pytest.param(
            "en-us.json",
            lambda m: m.update({"name.short": "K" * 31}),
            "/name.short must NOT have more than 30 characters",
            id="localization-name-too-long",
        ),
    ],
)
def test_broken_manifest_is_rejected(extracted: Path, file_name: str, mutate: Any, expected: str) -> None:
    code, report = _break_and_validate(extracted, file_name, mutate)
    assert code == 1, report
    assert report["valid"] is False
    assert expected in _messages(report), _messages(report)


def test_missing_icon_is_rejected(extracted: Path) -> None:
    extracted.with_name("outline.png").unlink()
    code, report = _validate(extracted)
    assert code == 1
    assert "icons.outline: file outline.png not found" in _messages(report)


# --------------------------------------------------------------------------
# argument validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "app_id",
    [
        "",
        "not-a-guid",
        "6f1c2a3b4d5e4f608a7b9c0d1e2f3a4b",
        "{6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b}",
        "urn:uuid:6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b\n",
        "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4g",
        PLACEHOLDER_APP_ID,
    ],
)
def test_invalid_app_id_raises(tmp_path: Path, app_id: str) -> None:
    out = tmp_path / "p.zip"
    with pytest.raises(ValueError, match="app_id"):
        build_package(out, app_id=app_id, bot_domain=BOT_DOMAIN)
    assert not out.exists()


@pytest.mark.parametrize(
    ("bot_domain", "hint"),
    [
        ("", "non-empty"),
        ("https://klussenbank.example.org", "scheme"),
        ("klussenbank.example.org/api/messages", "path"),
        ("klussenbank.example.org:443", "port"),
        ("user@klussenbank.example.org", "user info"),
        ("*.example.org", "wildcard"),
        (" klussenbank.example.org", "whitespace"),
        ("klussenbank..example.org", "not a valid DNS host name"),
        ("-klussenbank.example.org", "not a valid DNS host name"),
        ("klussen_bank.example.org", "not a valid DNS host name"),
        ("localhost", "fully qualified"),
        ("10.1.2.3", "IP address"),
        ("klussenbank.voorbeeld.nl.", "not a valid DNS host name"),
        ("gemeente-ü.nl", "punycode"),
    ],
)
def test_invalid_bot_domain_raises(tmp_path: Path, bot_domain: str, hint: str) -> None:
    out = tmp_path / "p.zip"
    with pytest.raises(ValueError, match="bot_domain") as excinfo:
        build_package(out, app_id=APP_ID, bot_domain=bot_domain)
    assert hint in str(excinfo.value)
    assert not out.exists()


@pytest.mark.parametrize("version", ["1.0", "v1.0.0", "1.0.0-beta", "01.0.0", ""])
def test_invalid_version_raises(tmp_path: Path, version: str) -> None:
    with pytest.raises(ValueError, match="version"):
        build_package(tmp_path / "p.zip", app_id=APP_ID, bot_domain=BOT_DOMAIN, version=version)


def test_bot_domain_is_normalised_to_lower_case(tmp_path: Path) -> None:
    out = build_package(tmp_path / "p.zip", app_id=APP_ID, bot_domain="Klussenbank.Example.ORG")
    manifest = _manifest(out)
    assert manifest["validDomains"] == ["klussenbank.example.org"]
    assert manifest["webApplicationInfo"]["resource"] == (f"api://klussenbank.example.org/{APP_ID_LOWER}")
