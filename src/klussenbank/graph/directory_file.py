"""The Directory port from a JSON file of organisations and people: for local use and the demo."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from klussenbank.data import load_json
from klussenbank.domain.people import Organisation
from klussenbank.services.ports.records import DirectoryPerson

DEMO = "demo"


class DirectoryFileError(ValueError):
    pass


class FileDirectory:
    def __init__(self, data: Mapping[str, Any]) -> None:
        where = "organisations"
        try:
            self._organisations = {
                str(org["key"]): Organisation(str(org["key"]), str(org["name"]))
                for org in data["organisations"]
            }
            self._people: dict[str, DirectoryPerson] = {}
            where = "people"
            for n, p in enumerate(data["people"]):
                where = f"people[{n}]"
                roles = p.get("roles", [])
                # A string would silently become a tuple of letters: "hr" -> ("h", "r").
                if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
                    raise DirectoryFileError(
                        f"directory file is not valid at {where}: "
                        f"roles must be a list of strings, not {roles!r}"
                    )
                manager = p.get("manager")
                self._people[str(p["aad_object_id"]).lower()] = DirectoryPerson(
                    aad_object_id=str(p["aad_object_id"]),
                    name=str(p["name"]),
                    email=str(p.get("email", "")),
                    organisation=self._organisations[str(p["organisation"])],
                    manager_aad_object_id=None if manager is None else str(manager),
                    roles=tuple(roles),
                    department=str(p.get("department") or ""),
                    job_title=str(p.get("job_title") or ""),
                )
        except (KeyError, TypeError, AttributeError) as exc:
            message = f"directory file is not valid at {where}: missing or wrong {exc}"
            raise DirectoryFileError(message) from exc
        # Whose manager each person is, once: the help card asks on every turn whether someone manages.
        self._direct_reports: dict[str, list[str]] = {}
        for key, person in self._people.items():
            if person.manager_aad_object_id:
                self._direct_reports.setdefault(person.manager_aad_object_id.lower(), []).append(key)

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
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DirectoryFileError(f"directory file {source} is not JSON: {exc}") from exc

    @property
    def organisation_keys(self) -> frozenset[str]:
        return frozenset(self._organisations)

    @property
    def person_ids(self) -> frozenset[str]:
        return frozenset(self._people)

    async def person(self, aad_object_id: str) -> DirectoryPerson | None:
        return self._people.get(aad_object_id.lower())

    async def organisations(self) -> Sequence[Organisation]:
        return list(self._organisations.values())

    async def people(self) -> Sequence[DirectoryPerson]:
        return list(self._people.values())

    async def reports(self, aad_object_id: str) -> frozenset[str]:
        below: set[str] = set()
        managers = {aad_object_id.lower()}
        while managers:  # one level of the tree per round; `below` stops a loop in bad data
            found = {key for manager in managers for key in self._direct_reports.get(manager, ())} - below
            below |= found
            managers = found
        return frozenset(self._people[key].aad_object_id for key in below)
