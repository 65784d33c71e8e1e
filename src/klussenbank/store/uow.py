"""The SQL unit of work: one session, one transaction, repositories over it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory
from klussenbank.store.announcements import SqlAnnouncements, SqlChannels, SqlDigestRuns
from klussenbank.store.approvals import SqlAccessLog, SqlAgreements, SqlApprovals, SqlWork
from klussenbank.store.audit import SqlAudit
from klussenbank.store.charging import SqlCharging
from klussenbank.store.db import engine_of
from klussenbank.store.growth import SqlGrowth
from klussenbank.store.klussen import SqlInterests, SqlKlussen, SqlPool, SqlSuggestions
from klussenbank.store.once import SqlOnceKeys
from klussenbank.store.outbox import SqlOutbox
from klussenbank.store.pool_changes import record_changes
from klussenbank.store.pools import SqlPoolPeople
from klussenbank.store.privacy import SqlPrivacy
from klussenbank.store.read_cache import (
    ReadCache,
    RememberingInterests,
    RememberingKlussen,
    RememberingOrganisations,
    RememberingPeople,
)
from klussenbank.store.reports import SqlReports
from klussenbank.store.repositories import SqlAvailability, SqlConversations, SqlOrganisations, SqlPeople
from klussenbank.store.shifts import SqlShifts
from klussenbank.store.talent import SqlTalent
from klussenbank.store.tracks import SqlTracks


class SqlUnitOfWork:
    organisations: SqlOrganisations
    people: SqlPeople
    availability: SqlAvailability
    conversations: SqlConversations
    outbox: SqlOutbox
    pool: SqlPool
    klussen: SqlKlussen
    interests: SqlInterests
    suggestions: SqlSuggestions
    approvals: SqlApprovals
    access_log: SqlAccessLog
    channels: SqlChannels
    announcements: SqlAnnouncements
    digests: SqlDigestRuns
    privacy: SqlPrivacy
    reports: SqlReports
    agreements: SqlAgreements
    audit: SqlAudit
    work: SqlWork
    once_keys: SqlOnceKeys
    tracks: SqlTracks
    talent: SqlTalent
    growth: SqlGrowth
    shifts: SqlShifts
    charging: SqlCharging
    pool_people: SqlPoolPeople

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, reads: AsyncEngine | None = None
    ) -> None:
        self._sessions = sessions
        self._reads = reads

    async def __aenter__(self) -> Self:
        self._session = self._sessions() if self._reads is None else self._sessions(bind=self._reads)
        reads = ReadCache(self._session)
        self.organisations = RememberingOrganisations(self._session, reads)
        self.people = RememberingPeople(self._session, self.organisations, reads)
        self.availability = SqlAvailability(self._session, self.people, self.organisations)
        self.conversations = SqlConversations(self._session, self.people)
        self.outbox = SqlOutbox(self._session)
        self.pool = SqlPool(self._session)
        self.klussen = RememberingKlussen(self._session, self.people, self.organisations, reads)
        self.interests = RememberingInterests(self._session, self.people, reads)
        self.suggestions = SqlSuggestions(self._session, self.people)
        self.approvals = SqlApprovals(self._session)
        self.access_log = SqlAccessLog(self._session)
        self.channels = SqlChannels(self._session)
        self.announcements = SqlAnnouncements(self._session)
        self.digests = SqlDigestRuns(self._session)
        self.privacy = SqlPrivacy(self._session)
        self.reports = SqlReports(self._session)
        self.agreements = SqlAgreements(self._session)
        self.audit = SqlAudit(self._session)
        self.work = SqlWork(self._session)
        self.once_keys = SqlOnceKeys(self._session)
        self.tracks = SqlTracks(self._session)
        self.talent = SqlTalent(self._session)
        self.growth = SqlGrowth(self._session, self.people)
        self.shifts = SqlShifts(self._session)
        self.charging = SqlCharging(self._session)
        self.pool_people = SqlPoolPeople(self._session, self.people)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed is rolled back: a failed turn changes nothing.
        await self._session.rollback()
        await self._session.close()

    async def commit(self) -> None:
        if self._reads is not None:
            raise RuntimeError("a unit of work made to only read cannot commit")
        await record_changes(self._session)
        await self._session.commit()


def sql_unit_of_work(sessions: async_sessionmaker[AsyncSession]) -> UnitOfWorkFactory:
    # The same pool, its connections lent without a transaction (no BEGIN, no ROLLBACK). Not on
    # SQLite: its driver begins a transaction only before a write anyway, and switching a connection
    # to autocommit and back on every loan goes to aiosqlite's thread twice (a read-only unit of work
    # cost 2.5 ms of CPU instead of 1.5).
    engine = engine_of(sessions)
    sqlite = engine.dialect.name == "sqlite"
    reads = engine if sqlite else engine.execution_options(isolation_level="AUTOCOMMIT")

    def factory(*, reads_only: bool = False) -> UnitOfWork:
        return SqlUnitOfWork(sessions, reads=reads if reads_only else None)

    return factory
