"""Who someone is in the organisation, and reaching people the bot never met: Microsoft Graph or a
directory file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from klussenbank.domain.people import Organisation
from klussenbank.services.ports.records import DirectoryPerson


class DirectoryProfile(Protocol):
    """A user's profile as the directory gives it: graph.graph_directory.GraphUser (also in a delta
    page of the sync), or its copy in the local cache (store.orm.directory.DirectoryUserRow) that the
    bot routes with."""

    @property
    def id(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def mail(self) -> str: ...
    @property
    def user_principal_name(self) -> str: ...
    @property
    def department(self) -> str | None: ...
    @property
    def job_title(self) -> str | None: ...
    @property
    def office_location(self) -> str | None: ...
    @property
    def company_name(self) -> str | None: ...
    @property
    def manager_id(self) -> str | None: ...


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
