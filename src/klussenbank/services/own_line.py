"""Who may see whom: the manager-blind rule (`domain.people.hidden_from_own_line`) with what it needs
from the directory and the pool; every way of finding people asks here (a poster's suggestions in
`choosing`, a colleague's talent search in `talent`, a coordinator's list in `shifts`, HR's standing candidates in `tracks`)."""

from __future__ import annotations

from klussenbank.domain.people import hidden_from_own_line
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.repositories import UnitOfWork


async def hidden_from(uow: UnitOfWork, directory: Directory, viewer_id: str) -> frozenset[str]:
    """The people `viewer_id` may not find: their reporting line, but for those who allowed it."""
    line = await directory.reports(viewer_id)
    allowed = {
        m.person.aad_object_id for m in await uow.pool.some(line) if m.availability.visible_to_own_line
    }
    return hidden_from_own_line(line, allowed)
