"""Data files shipped with the package, and the loaders that read them.

This module is the I/O edge: it reads JSON from the package and hands plain
data to the pure domain code.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from datetime import date, timedelta
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeVar

from klussenbank.domain.agreement_wording import AgreementTemplate
from klussenbank.domain.approval import ApprovalChain, ApprovalPolicy
from klussenbank.domain.organisations import DigestSchedule, OrganisationRules, Rules
from klussenbank.domain.pools import Pool, PoolMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.working_days import WorkingCalendar

__all__ = ["PolicyFileError", "load_json", "load_rules", "load_skill_vocabulary"]

SKILLS_FILE = "skills.json"
DEMO = "demo"
T = TypeVar("T")


def load_json(name: str) -> Any:
    """Parse the JSON file ``name`` from this package (a plain file name, e.g. "skills.json")."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"not a plain data file name: {name!r}")
    resource = files("klussenbank.data").joinpath(name)
    with resource.open("r", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def load_skill_vocabulary() -> SkillVocabulary:
    """The shipped skills vocabulary, read and validated once per process."""
    return SkillVocabulary.from_mapping(load_json(SKILLS_FILE))


class PolicyFileError(ValueError):
    """The organisations file is missing or wrong; the message says where."""


APPROVAL_KEYS = frozenset(f.name for f in fields(ApprovalPolicy))
OTHER_KEYS = frozenset(
    {
        "hr",
        "time_zone",
        "closed_days",
        "digest_day",
        "digest_hour",
        "digest_channels",
        "external_hourly_rate",
        "internal_hourly_rate",
        "retention_months",
        "agreement_template",
    }
)


def load_rules(source: str) -> Rules:
    """Each organisation's rules from a TOML file; `demo` for the demo's, "" for the defaults.
    Agreement templates are named relative to the file."""
    if not source:
        return Rules()
    if source == DEMO:
        folder: Traversable = files("klussenbank.data")
        text = folder.joinpath("demo_organisations.toml").read_text(encoding="utf-8")
    else:
        path = Path(source)
        if not path.is_file():
            raise PolicyFileError(f"organisations file {path} does not exist")
        folder = path.parent
        text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"organisations file {source} is not TOML: {exc}") from exc
    default = _rules(data.get("default", {}), OrganisationRules(), source, "[default]", folder)
    organisations = data.get("organisations", {})
    if not isinstance(organisations, dict):
        raise PolicyFileError(
            f"organisations file {source}: [organisations] must hold one table per organisation key"
        )
    pools = data.get("pools", {})
    if not isinstance(pools, dict):
        raise PolicyFileError(f"organisations file {source}: [pools] must hold one table per pool key")
    return Rules(
        {
            key: _rules(table, default, source, f"[organisations.{key}]", folder)
            for key, table in organisations.items()
        },
        default,
        {key: _pool(key, table, source) for key, table in pools.items()},
        source,
    )


POOL_KEYS = frozenset(
    {
        "name",
        "organisations",
        "coordinators",
        "coordinator_role",
        "mode",
        "charged",
        "hourly_rate",
        "onboarding",
        "qualifications",
    }
)


def _pool(key: str, table: object, source: str) -> Pool:
    """A `[pools.<key>]` table: a pool run by a coordinator."""
    where = f"{source} [pools.{key}]"
    if not isinstance(table, dict):
        raise PolicyFileError(f"organisations file {where} must be a table")
    unknown = sorted(set(table) - POOL_KEYS)
    if unknown:
        raise PolicyFileError(
            f"organisations file {where} has unknown keys {unknown}; known are {sorted(POOL_KEYS)}"
        )
    mode = _typed(table, "mode", str, PoolMode.COORDINATOR_ASSIGNS.value, where)
    if mode not in {m.value for m in PoolMode}:
        choices = ", ".join(m.value for m in PoolMode)
        raise PolicyFileError(f"organisations file {where} mode must be one of {choices}, not {mode!r}")
    charged = table.get("charged", False)
    if not isinstance(charged, bool):
        raise PolicyFileError(f"organisations file {where} charged must be true or false")
    try:
        return Pool(
            key=key,
            name=_typed(table, "name", str, key, where),
            organisations=_names(table, "organisations", (), where),
            coordinators=_names(table, "coordinators", (), where),
            coordinator_role=_typed(table, "coordinator_role", str, "", where),
            mode=PoolMode(mode),
            charged=charged,
            hourly_rate=_rate(table, "hourly_rate", None, where),
            onboarding=_names(table, "onboarding", (), where),
            qualifications=_names(table, "qualifications", (), where),
        )
    except ValueError as exc:
        if isinstance(exc, PolicyFileError):
            raise
        raise PolicyFileError(f"organisations file {where} {exc}") from exc


def _rules(
    table: object, base: OrganisationRules, source: str, section: str, folder: Traversable
) -> OrganisationRules:
    where = f"{source} {section}"
    if not isinstance(table, dict):
        raise PolicyFileError(f"organisations file {where} must be a table")
    unknown = sorted(set(table) - APPROVAL_KEYS - OTHER_KEYS)
    if unknown:
        known = sorted(APPROVAL_KEYS | OTHER_KEYS)
        raise PolicyFileError(f"organisations file {where} has unknown keys {unknown}; known are {known}")
    try:
        return OrganisationRules(
            approval=_approval(table, base.approval, where),
            hr=_names(table, "hr", base.hr, where),
            time_zone=_typed(table, "time_zone", str, base.time_zone, where),
            calendar=_calendar(table, base.calendar, where),
            digest=DigestSchedule(
                weekday=_typed(table, "digest_day", str, base.digest.weekday, where),
                hour=_typed(table, "digest_hour", int, base.digest.hour, where),
                channels=_names(table, "digest_channels", base.digest.channels, where),
            ),
            external_hourly_rate=_rate(table, "external_hourly_rate", base.external_hourly_rate, where),
            internal_hourly_rate=_rate(table, "internal_hourly_rate", base.internal_hourly_rate, where),
            retention_months=_typed(table, "retention_months", int, base.retention_months, where),
            agreement_template=_template(table, base.agreement_template, source, section, folder),
        )
    except ValueError as exc:
        if isinstance(exc, PolicyFileError):
            raise
        raise PolicyFileError(f"organisations file {where} {exc}") from exc


def _approval(table: dict[str, Any], base: ApprovalPolicy, where: str) -> ApprovalPolicy:
    values: dict[str, Any] = {f.name: getattr(base, f.name) for f in fields(ApprovalPolicy)}
    if "chain" in table:
        try:
            values["chain"] = ApprovalChain(table["chain"])
        except ValueError as exc:
            choices = ", ".join(c.value for c in ApprovalChain)
            raise PolicyFileError(f"organisations file {where} chain must be one of {choices}") from exc
    values["hr_approvers"] = _names(table, "hr_approvers", base.hr_approvers, where)
    for name in ("remind_after", "escalate_after", "expire_after"):
        values[name] = _typed(table, name, int, values[name], where)
    return ApprovalPolicy(**values)


def _template(
    table: dict[str, Any], default: AgreementTemplate, source: str, section: str, folder: Traversable
) -> AgreementTemplate:
    if "agreement_template" not in table:
        return default
    where = f"{source} {section}"
    path = folder.joinpath(_typed(table, "agreement_template", str, "", where))
    if not path.is_file():
        raise PolicyFileError(f"organisations file {where} agreement_template {path} does not exist")
    try:
        return AgreementTemplate.from_mapping(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"agreement template {path} ({section}) is not TOML: {exc}") from exc
    except ValueError as exc:
        raise PolicyFileError(f"agreement template {path} ({section}): {exc}") from exc


CLOSED_DAYS_FORM = 'write dates as "2026-12-24" and ranges as "2026-12-28..2026-12-31"'


def _calendar(table: dict[str, Any], default: WorkingCalendar, where: str) -> WorkingCalendar:
    """`closed_days`: dates ("2026-12-24", or a TOML date) and ranges ("2026-12-28..2026-12-31")."""
    if "closed_days" not in table:
        return default
    entries = table["closed_days"]
    if not isinstance(entries, list):
        raise PolicyFileError(f"organisations file {where} closed_days must be a list; {CLOSED_DAYS_FORM}")
    closed: set[date] = set()
    for entry in entries:
        first, last = _closed_range(entry, where)
        closed.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return WorkingCalendar(frozenset(closed))


def _closed_range(entry: object, where: str) -> tuple[date, date]:
    if type(entry) is date:  # a TOML date; a TOML date-time is a datetime, a date too, but not a day
        return entry, entry
    wrong = f"organisations file {where} closed_days: {entry!r} is not a date or range; {CLOSED_DAYS_FORM}"
    if not isinstance(entry, str):
        raise PolicyFileError(wrong)
    first_text, to, last_text = entry.partition("..")
    try:
        first = date.fromisoformat(first_text.strip())
        last = date.fromisoformat(last_text.strip()) if to else first
    except ValueError as exc:
        raise PolicyFileError(wrong) from exc
    if not first <= last <= first + timedelta(days=366):
        raise PolicyFileError(
            f"organisations file {where} closed_days: {entry!r} must end on or after its first day, "
            "within a year"
        )
    return first, last


def _typed(table: dict[str, Any], key: str, kind: type[T], default: T, where: str) -> T:
    value = table.get(key, default)
    if not isinstance(value, kind) or isinstance(value, bool):
        what = "a whole number" if kind is int else "text"
        raise PolicyFileError(f"organisations file {where} {key} must be {what}")
    return value


def _rate(table: dict[str, Any], key: str, default: float | None, where: str) -> float | None:
    value = table.get(key, default)
    if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise PolicyFileError(f"organisations file {where} {key} must be an amount in euros")
    return None if value is None else float(value)


def _names(table: dict[str, Any], key: str, default: tuple[str, ...], where: str) -> tuple[str, ...]:
    if key not in table:
        return default
    value = table[key]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise PolicyFileError(f"organisations file {where} {key} must be a list of texts")
    return tuple(value)
