"""Engine and session factory for the configured database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # SQLite leaves foreign keys off unless asked, per connection.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "checkout")
    def _still_open(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # Instead of `pool_pre_ping`, which costs three round trips on asyncpg (BEGIN, a ping,
        # ROLLBACK) on every checkout, that is every unit of work: a connection the server closed
        # (a restart, an idle timeout) is known closed to asyncpg without asking. The pool throws it
        # away and takes another; a connection lost without a word fails one statement, after which
        # SQLAlchemy drops the pool's connections.
        if dbapi_connection.driver_connection.is_closed():
            raise DisconnectionError("the server closed this connection")

    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    """The engine behind `sessions`, for statements sent often enough (the worker's for every message)
    to go through a plain connection, without a session's bookkeeping (about a tenth of a worker's CPU),
    and for what only the engine knows (its dialect, its database)."""
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine):
        raise TypeError("these sessions are not bound to an engine")
    return engine


def insert_for(session: AsyncSession) -> Any:
    """The INSERT of the session's dialect, which knows ON CONFLICT (PostgreSQL and SQLite alike)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


@overload
def utc(moment: datetime) -> datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: datetime | None) -> datetime | None:
    """A stored moment as an aware UTC datetime: SQLite gives them back without a time zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
