"""The Directory port from a JSON file of organisations and people: for local use and the demo."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from klussenbank.data import load_json
from klussenbank.domain.model import Organisation
from klussenbank.services.ports import DirectoryPerson

DEMO = "demo"


class DirectoryFileError(ValueError):
    pass


class FileDirectory:
    def __init__(self, data: Mapping[str, Any]) -> None:
        try:
            self._organisations = {
                str(org["key"]): Organisation(str(org["key"]), str(org["name"]))
                for org in data["organisations"]
            }
            self._people = {
                str(p["aad_object_id"]).lower(): DirectoryPerson(
                    aad_object_id=str(p["aad_object_id"]),
                    name=str(p["name"]),
                    email=str(p.get("email", "")),
                    organisation=self._organisations[str(p["organisation"])],
                    manager_aad_object_id=p.get("manager"),
                    roles=tuple(p.get("roles", ())),
                )
                for p in data["people"]
            }
        except (KeyError, TypeError) as exc:
            raise DirectoryFileError(f"directory file is not valid: missing or wrong {exc}") from exc

    @classmethod
    def load(cls, source: str) -> FileDirectory:
        """`source` is a path to a JSON file, or `demo` for the demo directory that ships with us."""
        if source == DEMO:
            return cls(load_json("demo_directory.json"))
        path = Path(source)
        if not path.is_file():
            raise DirectoryFileError(f"directory file {path} does not exist")
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except json.JSONDecodeError as exc:
            raise DirectoryFileError(f"directory file {source} is not JSON: {exc}") from exc

    async def person(self, aad_object_id: str) -> DirectoryPerson | None:
        return self._people.get(aad_object_id.lower())

    async def organisations(self) -> Sequence[Organisation]:
        return list(self._organisations.values())

    async def people(self) -> Sequence[DirectoryPerson]:
        return list(self._people.values())
