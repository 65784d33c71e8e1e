"""One directory per tenant (a file, or the cache of that tenant's Graph), seen as one: a person is
looked up in the tenant they belong to, and their reporting line, managers and so approvals stay in
that home tenant's directory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from klussenbank.domain.people import Organisation
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import DirectoryPerson


class TenantDirectories:
    """The Directory port over each tenant's own directory (by tenant key)."""

    def __init__(self, directories: Mapping[str, Directory]) -> None:
        self._directories = dict(directories)

    @property
    def by_tenant(self) -> Mapping[str, Directory]:
        return self._directories

    async def home(self, aad_object_id: str) -> str | None:
        """The key of the tenant whose directory holds this person."""
        for key, directory in self._directories.items():
            if await directory.person(aad_object_id) is not None:
                return key
        return None

    async def person(self, aad_object_id: str) -> DirectoryPerson | None:
        for directory in self._directories.values():
            found = await directory.person(aad_object_id)
            if found is not None:
                return found
        return None

    async def organisations(self) -> Sequence[Organisation]:
        found: dict[str, Organisation] = {}
        for directory in self._directories.values():
            found.update((o.key, o) for o in await directory.organisations())
        return list(found.values())

    async def people(self) -> Sequence[DirectoryPerson]:
        return [person for directory in self._directories.values() for person in await directory.people()]

    async def reports(self, aad_object_id: str) -> frozenset[str]:
        # A reporting line never crosses a tenant: only the home directory knows it.
        for directory in self._directories.values():
            if await directory.person(aad_object_id) is not None:
                return await directory.reports(aad_object_id)
        return frozenset()
