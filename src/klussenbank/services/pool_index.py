"""The pool as matching's index in this process, kept current with the database's change log.

Posting a klus (its suggestions) and the poster's candidates card ask the index for a klus's best
people instead of loading and scoring the whole pool every turn. Before every answer the index reads
the pool's version (one primary-key read; see `store.pool_changes`) and, when another turn in this
or any other process changed someone since, reloads just those people; people whose matches in the
fair-spread window (`HISTORY`) age out since the last answer are reloaded too, as their history
changed. So a profile saved on one instance is seen by the next turn on every other one. The index
itself (`domain.matching.CandidatePool`) scores with the plain scorer and gives what the plain
matcher gives over the whole pool.
"""

from __future__ import annotations

import asyncio
import logging
import time as pytime
from collections.abc import Collection, Iterable, Mapping
from datetime import UTC, datetime, time, timedelta

from klussenbank.domain.matching import Candidate, CandidatePool, Commitment, Matcher
from klussenbank.services.clock import Clock
from klussenbank.services.ports.records import KlusHistory, PoolMember
from klussenbank.services.ports.repositories import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

HISTORY = timedelta(days=90)  # how far back fair spread looks
PAGE = 5_000  # people read from the database at a time when (re)loading the pool
COMPACT_AFTER = 2_000  # people changed since the index was built, scored one by one until then


def history_since(clock: Clock) -> datetime:
    """The start of the fair-spread window: whole days, so that it moves once a day."""
    return datetime.combine(clock.today() - HISTORY, time(), tzinfo=UTC)


async def candidates_of(
    uow: UnitOfWork, members: Iterable[PoolMember], since: datetime, ids: Collection[str] | None = None
) -> list[Candidate]:
    """Members as the matcher sees them, with their history and hours (of `ids`, or everyone's)."""
    history = await uow.interests.history(since, ids)
    commitments = await uow.interests.all_commitments(ids)
    return [candidate_of(m, commitments.get(m.person.aad_object_id, ()), history) for m in members]


def candidate_of(
    member: PoolMember, commitments: Iterable[Commitment], history: Mapping[str, KlusHistory]
) -> Candidate:
    person_id = member.person.aad_object_id
    past = history.get(person_id, KlusHistory())
    return Candidate(
        person_id=person_id,
        organisation_key=member.person.organisation_key,
        availability=member.availability,
        confirmed_skills=member.confirmed_skills,
        commitments=tuple(commitments),
        recent_matches=past.recent_matches,
        times_passed_over=past.times_passed_over,
        side=member.side,
    )


class PoolIndex:
    """One per process; `current` brings it up to date and gives it."""

    def __init__(self, matcher: Matcher, clock: Clock) -> None:
        self._matcher = matcher
        self._clock = clock
        self._pool: CandidatePool | None = None
        self._version = 0
        self._since = history_since(clock)
        self._quiet: set[str] = set()  # members who want no suggestions
        self._findable: set[str] = set()  # members colleagues may find in a talent search
        self._lock = asyncio.Lock()  # one turn at a time catches up

    @property
    def quiet(self) -> Collection[str]:
        """Members who turned suggestions off (as of the last `current`)."""
        return self._quiet

    @property
    def findable(self) -> Collection[str]:
        """Members who let colleagues find them in a talent search (as of the last `current`)."""
        return self._findable

    async def warm(self, uow_factory: UnitOfWorkFactory) -> None:
        """Load the pool before a turn needs it (`serve` starts this beside its first turns)."""
        started = pytime.perf_counter()
        async with uow_factory() as uow:
            pool = await self.current(uow)
        log.info("pool index ready: %d people in %.1f s", len(pool), pytime.perf_counter() - started)

    async def current(self, uow: UnitOfWork) -> CandidatePool:
        """The pool as it is now in the database."""
        async with self._lock:
            since = history_since(self._clock)
            changes = None if self._pool is None else await uow.pool.changed_since(self._version)
            if changes is None:
                self._pool = await self._load(uow, since)
            else:
                version, changed = changes
                if since != self._since:
                    changed |= await uow.pool.history_changed(self._since, since)
                if changed:
                    await self._reload(uow, changed, since)
                self._version = version
            self._since = since
            assert self._pool is not None
            if self._pool.changes > COMPACT_AFTER:
                # (in a thread: the rest of the process keeps answering meanwhile)
                self._pool = await asyncio.to_thread(self._pool.compacted)
            return self._pool

    async def _load(self, uow: UnitOfWork, since: datetime) -> CandidatePool:
        """Everyone, page by page (read the version first: what changes meanwhile is read again)."""
        self._version = await uow.pool.version()
        history = await uow.interests.history(since)
        commitments = await uow.interests.all_commitments()
        pool = CandidatePool(self._matcher, ())
        self._quiet = set()
        self._findable = set()
        after = 0
        while True:
            members, after = await uow.pool.page(after, PAGE)
            if not members:
                break
            self._note(members)
            # The scoring work in a thread, page by page: the process keeps answering other turns.
            await asyncio.to_thread(
                pool.update,
                [candidate_of(m, commitments.get(m.person.aad_object_id, ()), history) for m in members],
            )
        return await asyncio.to_thread(pool.compacted)

    async def _reload(self, uow: UnitOfWork, changed: set[str], since: datetime) -> None:
        assert self._pool is not None
        members = await uow.pool.some(changed)
        self._quiet -= changed
        self._findable -= changed
        self._note(members)
        candidates = await candidates_of(uow, members, since, changed)
        self._pool.update(candidates, removed=changed - {c.person_id for c in candidates})

    def _note(self, members: Iterable[PoolMember]) -> None:
        self._quiet.update(m.person.aad_object_id for m in members if not m.availability.suggestions)
        self._findable.update(m.person.aad_object_id for m in members if m.availability.findable)
