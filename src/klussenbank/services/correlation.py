"""The correlation id: one per request, chore run or delivery, in every log line written meanwhile.

A turn's id is stored with the outbox messages it queues (store/outbox.py), and the worker binds it
again while it delivers them, so a person's action and the messages it caused share one id in the logs.
It lives in a context variable: asyncio gives every task a copy, so concurrent turns never mix.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[str | None] = ContextVar("klussenbank_correlation_id", default=None)


def new_id() -> str:
    """16 hex digits: ours, not the caller's, so a request cannot forge log lines with it."""
    return secrets.token_hex(8)


def current() -> str | None:
    return _current.get()


@contextmanager
def bound(correlation_id: str) -> Iterator[str]:
    """`correlation_id` is the current one within the block."""
    token = _current.set(correlation_id)
    try:
        yield correlation_id
    finally:
        _current.reset(token)
