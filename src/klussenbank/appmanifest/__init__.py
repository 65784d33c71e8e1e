"""The Klussenbank Teams app package (manifest, icons, localization).

``manifest.json`` in this package is the development manifest: it carries the
placeholder app id ``00000000-0000-0000-0000-000000000000`` and the domain
``klussenbank.example``. :func:`build_package` fills in the real Microsoft
Entra app id and bot domain of a deployment and writes the zip that is
uploaded to Teams (``manifest.json``, the icons and the localization files,
all at the zip root).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zipfile
from importlib.resources import files
from pathlib import Path
from typing import Any

__all__ = [
    "MANIFEST_FILE",
    "PLACEHOLDER_APP_ID",
    "build_package",
    "load_manifest",
    "package_file_names",
]

MANIFEST_FILE = "manifest.json"
PLACEHOLDER_APP_ID = "00000000-0000-0000-0000-000000000000"

# Same pattern as the "guid" definition of the Teams manifest schema.
_GUID_RE = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Same pattern as the "semver" definition of the Teams manifest schema.
_SEMVER_RE = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# Fixed timestamp for zip entries so that equal input gives a byte-equal zip.
_ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)


def _resource_text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


def _resource_bytes(name: str) -> bytes:
    return files(__name__).joinpath(name).read_bytes()


def load_manifest() -> dict[str, Any]:
    """Return a fresh copy of the development ``manifest.json`` as a dict."""
    data = json.loads(_resource_text(MANIFEST_FILE))
    if not isinstance(data, dict):
        raise TypeError(f"{MANIFEST_FILE} must contain a JSON object")
    return data


def package_file_names(manifest: dict[str, Any]) -> list[str]:
    """Files (besides ``manifest.json``) that ``manifest`` refers to.

    These are the icons and the localization files; they are read from this
    package and stored next to the manifest at the zip root.
    """
    names: list[str] = []
    icons = manifest.get("icons", {})
    for key in ("color", "outline"):
        names.append(icons[key])
    localization = manifest.get("localizationInfo", {})
    if "defaultLanguageFile" in localization:
        names.append(localization["defaultLanguageFile"])
    for language in localization.get("additionalLanguages", []):
        names.append(language["file"])
    for name in names:
        if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
            raise ValueError(
                f"manifest refers to {name!r}; only plain file names at the zip root are supported"
            )
    if len(set(names)) != len(names) or MANIFEST_FILE in names:
        raise ValueError(f"manifest refers to duplicate package files: {names}")
    return names


def _check_app_id(app_id: str) -> str:
    if not isinstance(app_id, str) or not _GUID_RE.fullmatch(app_id):
        raise ValueError(
            "app_id must be a GUID like 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx' "
            f"(the bot's Microsoft Entra application id), got {app_id!r}"
        )
    normalized = app_id.lower()
    if normalized == PLACEHOLDER_APP_ID:
        raise ValueError(
            "app_id is the all-zero development placeholder; "
            "pass the bot's real Microsoft Entra application id"
        )
    return normalized


def _check_bot_domain(bot_domain: str) -> str:
    if not isinstance(bot_domain, str) or not bot_domain:
        raise ValueError(
            f"bot_domain must be a non-empty host name such as 'klussenbank.example.org', got {bot_domain!r}"
        )
    problem: str | None = None
    if "://" in bot_domain:
        problem = "remove the scheme (e.g. 'https://')"
    elif any(ch in bot_domain for ch in "/?#\\"):
        problem = "remove the path, query or fragment"
    elif "@" in bot_domain:
        problem = "remove the user info"
    elif ":" in bot_domain:
        problem = "remove the port"
    elif "*" in bot_domain:
        problem = "wildcards are not allowed"
    elif bot_domain != bot_domain.strip() or any(ch.isspace() for ch in bot_domain):
        problem = "remove the whitespace"
    elif not bot_domain.isascii():
        problem = "use the ASCII (punycode, 'xn--') form of an internationalised domain"
    else:
        host = bot_domain.lower()
        labels = host.split(".")
        if len(host) > 253 or not all(_LABEL_RE.fullmatch(label) for label in labels):
            problem = "it is not a valid DNS host name"
        elif len(labels) < 2:
            problem = "use a fully qualified domain name (Teams cannot reach a single-label host)"
        elif labels[-1].isdigit():
            problem = "use a domain name, not an IP address"
    if problem is not None:
        raise ValueError(
            f"bot_domain must be a bare host name such as 'klussenbank.example.org' "
            f"(no scheme, port or path): {problem}; got {bot_domain!r}"
        )
    return bot_domain.lower()


def _check_version(version: str) -> str:
    if not isinstance(version, str) or not _SEMVER_RE.fullmatch(version):
        raise ValueError(f"version must be MAJOR.MINOR.PATCH (e.g. '1.2.3'), got {version!r}")
    return version


def _configure(manifest: dict[str, Any], *, app_id: str, bot_domain: str, version: str | None) -> None:
    manifest["id"] = app_id
    bots = manifest["bots"]
    if not bots:
        raise ValueError(f"{MANIFEST_FILE} declares no bot")
    bots[0]["botId"] = app_id
    web_application_info = manifest.setdefault("webApplicationInfo", {})
    web_application_info["id"] = app_id
    web_application_info["resource"] = f"api://{bot_domain}/{app_id}"
    manifest["validDomains"] = [bot_domain]
    if version is not None:
        manifest["version"] = version


def build_package(
    out_path: Path,
    *,
    app_id: str,
    bot_domain: str,
    version: str | None = None,
) -> Path:
    """Write the Teams app package (a zip) for one deployment to ``out_path``.

    ``app_id`` is the bot's Microsoft Entra application id (a GUID); it becomes
    the app ``id``, ``bots[0].botId`` and ``webApplicationInfo.id``.
    ``bot_domain`` is the bare host name the bot is served from (for example
    ``klussenbank.example.org``); it becomes ``validDomains`` and the SSO
    resource ``api://{bot_domain}/{app_id}``. ``version`` (MAJOR.MINOR.PATCH)
    replaces the manifest's ``version`` when given. The id and domain are
    written in lower case.

    Raises ``ValueError`` for a malformed ``app_id``, ``bot_domain`` or
    ``version``. Returns ``out_path``.
    """
    app_id = _check_app_id(app_id)
    bot_domain = _check_bot_domain(bot_domain)
    if version is not None:
        version = _check_version(version)

    manifest = load_manifest()
    _configure(manifest, app_id=app_id, bot_domain=bot_domain, version=version)
    entries: list[tuple[str, bytes]] = [
        (
            MANIFEST_FILE,
            (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        ),
    ]
    entries.extend((name, _resource_bytes(name)) for name in package_file_names(manifest))

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target and rename, so a failed build never leaves a
    # half-written zip behind.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=out_path.parent)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
        os.chmod(tmp_name, 0o644)  # mkstemp creates 0600; the package is not secret
        os.replace(tmp_name, out_path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return out_path
