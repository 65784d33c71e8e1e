"""Data files shipped with the package, and the loaders that read them.

This module is the I/O edge: it reads JSON from the package and hands plain
data to the pure domain code.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from klussenbank.domain.approval import ApprovalChain, ApprovalPolicy, Policies
from klussenbank.domain.skills import SkillVocabulary

__all__ = ["PolicyFileError", "load_json", "load_policies", "load_skill_vocabulary"]

SKILLS_FILE = "skills.json"
DEMO = "demo"


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


def load_policies(source: str) -> Policies:
    """Approval policies from a TOML file; `demo` for the demo's, "" for the built-in defaults."""
    if not source:
        return Policies()
    if source == DEMO:
        text = files("klussenbank.data").joinpath("demo_organisations.toml").read_text(encoding="utf-8")
    else:
        path = Path(source)
        if not path.is_file():
            raise PolicyFileError(f"organisations file {path} does not exist")
        text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyFileError(f"organisations file {source} is not TOML: {exc}") from exc
    default = _policy(data.get("default", {}), ApprovalPolicy(), "[default]")
    organisations = data.get("organisations", {})
    if not isinstance(organisations, dict):
        raise PolicyFileError("organisations file: [organisations] must hold one table per organisation key")
    return Policies(
        {key: _policy(table, default, f"[organisations.{key}]") for key, table in organisations.items()},
        default,
    )


def _policy(table: object, base: ApprovalPolicy, where: str) -> ApprovalPolicy:
    if not isinstance(table, dict):
        raise PolicyFileError(f"organisations file: {where} must be a table")
    known = {f.name for f in fields(ApprovalPolicy)}
    unknown = sorted(set(table) - known)
    if unknown:
        raise PolicyFileError(
            f"organisations file: {where} has unknown keys {unknown}; known are {sorted(known)}"
        )
    values: dict[str, Any] = {f.name: getattr(base, f.name) for f in fields(ApprovalPolicy)}
    if "chain" in table:
        try:
            values["chain"] = ApprovalChain(table["chain"])
        except ValueError as exc:
            choices = ", ".join(c.value for c in ApprovalChain)
            raise PolicyFileError(f"organisations file: {where} chain must be one of {choices}") from exc
    if "hr_approvers" in table:
        approvers = table["hr_approvers"]
        if not isinstance(approvers, list) or not all(isinstance(a, str) and a for a in approvers):
            raise PolicyFileError(
                f"organisations file: {where} hr_approvers must be a list of e-mail addresses"
            )
        values["hr_approvers"] = tuple(approvers)
    for name in ("remind_after", "escalate_after", "expire_after"):
        if name in table:
            value = table[name]
            if not isinstance(value, int) or isinstance(value, bool):
                raise PolicyFileError(
                    f"organisations file: {where} {name} must be a whole number of working days"
                )
            values[name] = value
    try:
        return ApprovalPolicy(**values)
    except ValueError as exc:
        raise PolicyFileError(f"organisations file: {where} {exc}") from exc
