"""The pool's change log, written with every change that matching sees.

Every unit of work notes, when it flushes, the people whose profile (availability, skills,
organisations), home organisation, pools, qualifications, unavailable periods, interest (commitments, history) or committed klus's dates it
changed; its commit then raises the one version number and writes a row per person for it, in the same
transaction. Raising the number takes the row's lock until the commit, so versions commit in their
order: a reader that sees version V sees every change up to V. A process's index of the pool reads
the version on every matching turn (one primary-key read) and catches up on what changed since
(`SqlPool.changed_since`). Old rows are pruned; a reader that fell further behind reloads the pool.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from klussenbank.domain.klus import HOLDS_HOURS
from klussenbank.store.db import insert_for
from klussenbank.store.orm.growth import SkillConfirmationRow
from klussenbank.store.orm.klussen import InterestRow, KlusRow
from klussenbank.store.orm.people import (
    AvailabilityOrganisationRow,
    AvailabilityRow,
    AvailabilitySkillRow,
    PersonRow,
)
from klussenbank.store.orm.pool import PoolChangeRow, PoolVersionRow
from klussenbank.store.orm.pools import (
    OnboardingStepRow,
    PoolMemberRow,
    QualificationRow,
    UnavailablePeriodRow,
)

KEPT = 10_000  # versions kept in the log; a reader further behind reloads the whole pool
PRUNE_EVERY = 500
_PEOPLE, _KLUSSEN = "pool_changed_people", "pool_changed_klussen"


def _changed(row: Any, *fields: str) -> bool:
    state = inspect(row)
    return any(state.attrs[field].history.has_changes() for field in fields)


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    people: set[int] = session.info.setdefault(_PEOPLE, set())
    klussen: set[int] = session.info.setdefault(_KLUSSEN, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(
            row,
            AvailabilityRow
            | AvailabilitySkillRow
            | AvailabilityOrganisationRow
            | InterestRow
            | SkillConfirmationRow
            | PoolMemberRow
            | OnboardingStepRow
            | QualificationRow
            | UnavailablePeriodRow,
        ):
            if row.person_id is not None:
                people.add(row.person_id)
        elif isinstance(row, PersonRow):
            if row.id is not None and _changed(row, "organisation_id"):
                people.add(row.id)
        elif isinstance(row, KlusRow) and row.id is not None and _changed(row, "start_date", "end_date"):
            klussen.add(row.id)


def note_person(session: AsyncSession, person_id: int) -> None:
    """A change the flush cannot see (a Core statement, such as the upsert of a person)."""
    session.info.setdefault(_PEOPLE, set()).add(person_id)


async def record_changes(session: AsyncSession) -> None:
    """Before the commit: a new version, with the people changed in this transaction."""
    await session.flush()
    people: set[int] = session.info.pop(_PEOPLE, set())
    klussen: set[int] = session.info.pop(_KLUSSEN, set())
    if klussen:  # new dates change the commitments of everyone holding hours for the klus
        people.update(
            await session.scalars(
                select(InterestRow.person_id).where(
                    InterestRow.klus_id.in_(klussen), InterestRow.status.in_([s.value for s in HOLDS_HOURS])
                )
            )
        )
    if not people:
        return
    statement = insert_for(session)(PoolVersionRow).values(id=1, version=1)
    raised = statement.on_conflict_do_update(
        index_elements=[PoolVersionRow.id], set_={"version": PoolVersionRow.version + 1}
    ).returning(PoolVersionRow.version)
    version = (await session.execute(raised)).scalar_one()
    await session.execute(
        insert(PoolChangeRow), [{"version": version, "person_id": person} for person in sorted(people)]
    )
    if version % PRUNE_EVERY == 0:
        await session.execute(delete(PoolChangeRow).where(PoolChangeRow.version <= version - KEPT))
