"""Tables, by area. Every person belongs to one organisation; a pool spans several.

Importing any of them maps them all: `base.Base.metadata` is then complete for Alembic and create_all, and
every relationship finds the table it names.
"""

from klussenbank.store.orm import (  # noqa: F401
    announcements,
    approvals,
    directory,
    growth,
    klussen,
    once,
    outbox,
    people,
    pool,
    pools,
    privacy,
    shifts,
    talent,
    tracks,
    work,
)
