"""How the two sides of a match reach each other: the poster and a candidate they chose.

A contact (name, e-mail from the directory, a Teams chat link on the card) is given only between the
parties of a match: the poster of the klus and someone whose interest takes a place on it (chosen,
confirmed or approved). It is checked here, on the server, from the database: never from card data.
Nobody else gets it, so a line manager never learns more than the approval asks of them.
"""

from __future__ import annotations

from collections.abc import Callable

from klussenbank.domain.klus import TAKES_A_PLACE, Klus
from klussenbank.services.ports.repositories import UnitOfWork
from klussenbank.services.views import Contact

# Whether people of two tenants (by tenant id) can open a Teams chat with each other: across tenants
# only where both allow external access (the tenants file says so).
ChatAllowed = Callable[[str, str], bool]


def everyone_may_chat(_tenant: str, _other_tenant: str) -> bool:
    return True


async def contact_for(
    uow: UnitOfWork, klus: Klus, reader_id: str, other_id: str, chat_allowed: ChatAllowed = everyone_may_chat
) -> Contact | None:
    """How `reader_id` reaches `other_id` about this klus, when the two are its poster and a candidate
    who has a place on it; else None. A chat only where their tenants allow it; else the e-mail."""
    if reader_id == klus.poster_id:
        candidate_id = other_id
    elif other_id == klus.poster_id:
        candidate_id = reader_id
    else:
        return None
    interest = await uow.interests.get(klus.id, candidate_id)
    if interest is None or interest.status not in TAKES_A_PLACE:
        return None
    other, reader = await uow.people.get(other_id), await uow.people.get(reader_id)
    if other is None or reader is None:
        return None
    return Contact(
        name=other.name,
        email=other.email,
        aad_object_id=other.aad_object_id,
        chat=chat_allowed(reader.tenant_id, other.tenant_id),
    )
