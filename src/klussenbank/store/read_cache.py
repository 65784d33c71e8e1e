"""What a unit of work already read of people, organisations, klussen and interests, until it
writes to them.

A turn reads the same rows many times over (approving a match read its people 37 times and the
candidate's interest 12 times, in the cards, messages and views of everyone in it): each read a
round trip and about half a millisecond of the process's CPU. Within one unit of work the
repositories below answer a second read of the same row from what the first one read, until the
unit of work writes to a table those rows are read from (`TABLES`: a statement, a flush, or changes
waiting to be flushed; a statement whose table is not known counts as one): then everything is read
again. A locking read always goes to the database. So reads in one unit of work see a row as it was
when first read (without this each read saw what was committed at the time), or as it wrote it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from klussenbank.domain.klus import Interest, Klus
from klussenbank.domain.people import Organisation, Person
from klussenbank.store.klussen import SqlInterests, SqlKlussen
from klussenbank.store.repositories import SqlOrganisations, SqlPeople

T = TypeVar("T")


# What the remembered rows are read from: a write to any other table leaves them as they are.
TABLES = frozenset({"people", "organisations", "klussen", "klus_skills", "interests"})


class ReadCache:
    """Rows read in one session, by kind and key, forgotten when the session writes to their tables."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._known: dict[tuple[str, object], Any] = {}
        event.listen(session.sync_session, "do_orm_execute", self._executing)
        event.listen(session.sync_session, "before_flush", self._flushing)

    async def read(self, kind: str, key: object, load: Callable[[], Awaitable[T]]) -> T:
        if _touches(self._session.sync_session):
            self._known.clear()  # a change waits for its flush: read what it will be
            return await load()
        found = self._known.get((kind, key), self)
        if found is self:
            found = self._known[kind, key] = await load()
        return found  # type: ignore[no-any-return]

    def keep(self, kind: str, key: object, value: object) -> None:
        self._known[kind, key] = value

    def _executing(self, state: ORMExecuteState) -> None:
        if state.is_select:
            return
        # (the table of an INSERT, UPDATE or DELETE; a text statement's is unknown: forget all)
        name = getattr(getattr(state.statement, "table", None), "name", None)
        if name is None or name in TABLES:
            self._known.clear()

    def _flushing(self, session: Session, _context: object, _instances: object) -> None:
        if _touches(session):
            self._known.clear()


def _touches(session: Session) -> bool:
    """Whether changes waiting in the session are to the remembered tables."""
    return any(
        getattr(getattr(row, "__table__", None), "name", None) in TABLES
        for changed in (session.new, session.dirty, session.deleted)
        for row in changed
    )


class RememberingOrganisations(SqlOrganisations):
    def __init__(self, session: AsyncSession, cache: ReadCache) -> None:
        super().__init__(session)
        self._cache = cache

    async def get(self, key: str) -> Organisation | None:
        return await self._cache.read(
            "organisation", key, lambda: super(RememberingOrganisations, self).get(key)
        )


class RememberingPeople(SqlPeople):
    def __init__(self, session: AsyncSession, organisations: SqlOrganisations, cache: ReadCache) -> None:
        super().__init__(session, organisations)
        self._cache = cache

    async def get(self, aad_object_id: str) -> Person | None:
        return await self._cache.read(
            "person", aad_object_id, lambda: super(RememberingPeople, self).get(aad_object_id)
        )


class RememberingKlussen(SqlKlussen):
    def __init__(
        self, session: AsyncSession, people: SqlPeople, organisations: SqlOrganisations, cache: ReadCache
    ) -> None:
        super().__init__(session, people, organisations)
        self._cache = cache

    async def get(self, klus_id: int, *, lock: bool = False) -> Klus | None:
        if lock:
            klus = await super().get(klus_id, lock=True)
            self._cache.keep("klus", klus_id, klus)
            return klus
        return await self._cache.read("klus", klus_id, lambda: super(RememberingKlussen, self).get(klus_id))


class RememberingInterests(SqlInterests):
    def __init__(self, session: AsyncSession, people: SqlPeople, cache: ReadCache) -> None:
        super().__init__(session, people)
        self._cache = cache

    async def get(self, klus_id: int, aad_object_id: str) -> Interest | None:
        return await self._cache.read(
            "interest",
            (klus_id, aad_object_id),
            lambda: super(RememberingInterests, self).get(klus_id, aad_object_id),
        )
