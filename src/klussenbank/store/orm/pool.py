"""The pool's change log: which people changed as matching sees them, so that every process's index of
the pool catches up before it answers (see `store.pool_changes`)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer
from sqlalchemy.orm import Mapped, mapped_column

from klussenbank.store.orm.base import Base


class PoolVersionRow(Base):
    """One row: the number of the last change. Raising it takes the row's lock until the commit, so
    versions are committed in their order and a reader never skips one still being written."""

    __tablename__ = "pool_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger)


class PoolChangeRow(Base):
    """A person whose profile, commitments or history changed in that version."""

    __tablename__ = "pool_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    person_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # people.id
