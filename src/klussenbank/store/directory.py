"""The local copy of the Microsoft Graph directory: the delta sync writes it, the bot reads it."""

from __future__ import annotations

import asyncio
import fcntl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from klussenbank.domain.people import Organisation
from klussenbank.services.ports.directory import DirectoryProfile
from klussenbank.services.ports.records import DirectoryPerson
from klussenbank.store.db import engine_of
from klussenbank.store.orm.directory import DirectorySyncStateRow, DirectoryUserRow

STATE_KEY = "users"
SYNC_LOCK_KEY = 0x6B6C_7573_6469_7231
"""PostgreSQL advisory lock id of the users sync ("klusdir1")."""
PROFILE = frozenset(
    (
        "display_name",
        "mail",
        "user_principal_name",
        "department",
        "job_title",
        "office_location",
        "company_name",
    )
)


class CachedPage(Protocol):
    """One delta page (graph.sync.DeltaPage)."""

    @property
    def users(self) -> Sequence[DirectoryProfile]: ...
    @property
    def removed(self) -> Sequence[str]: ...
    @property
    def managers(self) -> Mapping[str, str | None]: ...
    @property
    def fields(self) -> Mapping[str, frozenset[str]]: ...
    @property
    def next_link(self) -> str | None: ...
    @property
    def delta_link(self) -> str | None: ...


class SqlDirectoryCache:
    """The sync's side of the cache table; see graph/sync.py for how rounds and pages work."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        poll: float = 0.5,
        tenant: str | None = None,
    ) -> None:
        """`tenant`: the key of the tenant whose Graph this cache copies (several tenants); its users
        and its sync state are its own."""
        self._sessions = sessions
        self._tenant = tenant
        self._state_key = STATE_KEY if tenant is None else f"{STATE_KEY}:{tenant}"
        self._mine = _of_tenant(tenant)
        self._now = now
        self._poll = poll
        self._in_memory = asyncio.Lock()

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """One sync at a time on this cache, across processes (the `directory sync` command next to the
        bot's chore): another waits here until this one ends, then goes on from where it left off.

        A lock that lives as long as its holder: on PostgreSQL a session advisory lock, on SQLite an
        exclusive flock on a file next to the database (`<db>-sync-lock`, beside its `-wal`). Both go when the process dies, so a crashed sync
        never leaves the cache locked. (The state row cannot be the lock: each page's transaction
        locks it for update.)
        """
        engine = engine_of(self._sessions)
        database = engine.url.database or ""
        if engine.dialect.name == "postgresql":
            async with _advisory_lock(engine, self._poll):
                yield
        elif database and database != ":memory:" and "mode=memory" not in database:
            async with _file_lock(Path(f"{database}-sync-lock"), self._poll):
                yield
        else:  # an in-memory database lives in this process only
            async with self._in_memory:
                yield

    async def sync_state(self) -> tuple[str | None, str | None]:
        """(the next page of a round underway, the delta link of the last finished round)"""
        async with self._sessions() as session:
            row = await session.get(DirectorySyncStateRow, self._state_key)
            return (None, None) if row is None else (row.next_link, row.delta_link)

    async def restart(self) -> None:
        async with self._sessions.begin() as session:
            row = await session.get(DirectorySyncStateRow, self._state_key)
            if row is not None:
                row.next_link = row.delta_link = None
                row.updated_at = self._now()

    async def apply(self, page: CachedPage, *, full: bool) -> None:
        now = self._now()
        async with self._sessions.begin() as session:
            state = await session.get(DirectorySyncStateRow, self._state_key, with_for_update=True)
            if state is None:
                state = DirectorySyncStateRow(key=self._state_key, round=0, updated_at=now)
                session.add(state)
            if full and state.next_link is None:  # the first page of a full round
                state.round += 1
            ids = [u.id for u in page.users]
            existing = {
                row.id: row
                for row in await session.scalars(select(DirectoryUserRow).where(DirectoryUserRow.id.in_(ids)))
            }
            for user in page.users:
                row = existing.get(user.id)
                sent = page.fields.get(user.id, PROFILE)
                if row is None:
                    row = DirectoryUserRow(id=user.id, manager_id=None)
                    session.add(row)
                    existing[user.id] = row
                    sent = PROFILE  # a new row takes every field, sent or empty
                for name in PROFILE & sent:
                    setattr(row, name, getattr(user, name))
                if user.id in page.managers:
                    row.manager_id = page.managers[user.id]
                row.seen_round = state.round
                row.synced_at = now
                row.tenant = self._tenant
            if page.removed:
                await session.execute(
                    delete(DirectoryUserRow).where(DirectoryUserRow.id.in_(page.removed), self._mine)
                )
            if page.delta_link is not None:
                if full:
                    await session.execute(
                        delete(DirectoryUserRow).where(DirectoryUserRow.seen_round < state.round, self._mine)
                    )
                state.delta_link = page.delta_link
                state.next_link = None
            else:
                state.next_link = page.next_link
            state.updated_at = now

    async def last_synced(self) -> datetime | None:
        async with self._sessions() as session:
            return await session.scalar(select(func.max(DirectoryUserRow.synced_at)).where(self._mine))

    async def count(self) -> int:
        async with self._sessions() as session:
            return len((await session.scalars(select(DirectoryUserRow.id).where(self._mine))).all())


@asynccontextmanager
async def _advisory_lock(engine: AsyncEngine, poll: float) -> AsyncIterator[None]:
    async with engine.connect() as connection:
        # Autocommit: no transaction stays open while the sync runs; the lock outlives statements.
        locking = await connection.execution_options(isolation_level="AUTOCOMMIT")
        key = {"key": SYNC_LOCK_KEY}

        async def take() -> bool:
            return bool(await locking.scalar(text("SELECT pg_try_advisory_lock(:key)"), key))

        try:
            await _until_taken(take, poll)
        except BaseException:
            await locking.invalidate()  # cancelled, perhaps just after the lock was taken
            raise
        try:
            yield
        finally:
            try:
                await locking.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            except BaseException:
                # Never hand a pooled connection on with the lock: closing it lets go of the lock.
                await locking.invalidate()
                raise


@asynccontextmanager
async def _file_lock(path: Path, poll: float) -> AsyncIterator[None]:
    with path.open("a") as handle:

        async def take() -> bool:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        await _until_taken(take, poll)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


async def _until_taken(take: Callable[[], Awaitable[bool]], poll: float) -> None:
    # The holder may be another process, so nothing here can wake us when it lets go: try again.
    while True:
        if await take():
            return
        await asyncio.sleep(poll)


def _of_tenant(tenant: str | None) -> ColumnElement[bool]:
    column = DirectoryUserRow.tenant
    return column.is_(None) if tenant is None else column == tenant


class CachedPeople(Protocol):
    """Who a cached user is in the marketplace (graph.graph_directory.OrganisationMap): the same
    mapping as for a user read live from Graph."""

    def person(self, profile: DirectoryUserRow) -> DirectoryPerson | None: ...
    def organisations(self) -> list[Organisation]: ...


class CachedDirectory:
    """The Directory port over the cache table: what the bot reads when Graph is configured."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], people: CachedPeople, *, tenant: str | None = None
    ) -> None:
        """`tenant`: only the users copied from that tenant's Graph (several tenants)."""
        self._sessions = sessions
        self._people = people
        self._tenant = tenant
        self._mine = _of_tenant(tenant)

    async def person(self, aad_object_id: str) -> DirectoryPerson | None:
        async with self._sessions() as session:
            row = await session.get(DirectoryUserRow, aad_object_id.lower())
            return None if row is None or row.tenant != self._tenant else self._people.person(row)

    async def organisations(self) -> Sequence[Organisation]:
        return self._people.organisations()

    async def people(self) -> Sequence[DirectoryPerson]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(DirectoryUserRow).where(self._mine).order_by(DirectoryUserRow.id)
            )
            return [p for p in map(self._people.person, rows) if p is not None]

    async def reports(self, aad_object_id: str) -> frozenset[str]:
        below: set[str] = set()
        level = {aad_object_id.lower()}
        async with self._sessions() as session:
            while level:  # one level of the tree per query; `below` stops a loop in bad data
                found = (
                    set(
                        await session.scalars(
                            select(DirectoryUserRow.id).where(
                                DirectoryUserRow.manager_id.in_(level), self._mine
                            )
                        )
                    )
                    - below
                )
                below |= found
                level = found
        return frozenset(below)
