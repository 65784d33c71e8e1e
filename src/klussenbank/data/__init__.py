"""Data files shipped with the package, and the loaders that read them.

This module is the I/O edge: it reads JSON from the package and hands plain
data to the pure domain code.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from klussenbank.domain.skills import SkillVocabulary

__all__ = ["load_json", "load_skill_vocabulary"]

SKILLS_FILE = "skills.json"


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
