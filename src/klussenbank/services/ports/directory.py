"""Who someone is in the organisation, and reaching people the bot never met: Microsoft Graph or a
directory file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from klussenbank.domain.people import Organisation
from klussenbank.services.ports.records import DirectoryPerson


class Directory(Protocol):
    """Who someone is in the organisation: from Microsoft Graph or a directory file."""

    async def person(self, aad_object_id: str) -> DirectoryPerson | None: ...

    async def organisations(self) -> Sequence[Organisation]: ...

    async def people(self) -> Sequence[DirectoryPerson]: ...

    async def reports(self, aad_object_id: str) -> frozenset[str]:
        """Everyone in this person's reporting line below them: direct and indirect reports."""


class AppInstaller(Protocol):
    """Installs Klussenbank for someone in Teams (Microsoft Graph), so the bot can message them."""

    async def install_for(self, aad_object_id: str) -> bool:
        """True when the app is installed for them (now or already); False when it cannot be."""
