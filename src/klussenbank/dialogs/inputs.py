"""Reading card inputs: whatever the client sends, typed, or recorded as unreadable."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, time
from enum import StrEnum
from typing import TypeVar

from klussenbank.verbs import ONCE

# Inputs are user text; bound what we even look at so a hostile payload costs nothing.
MAX_TEXT = 5000
MAX_CHOICES = 200

E = TypeVar("E", bound=StrEnum)

ONCE_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class Inputs:
    def __init__(self, data: object) -> None:
        self._values = data if isinstance(data, Mapping) else {}
        self._unreadable: list[str] = []

    @property
    def unreadable(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._unreadable))

    def text(self, key: str) -> str:
        value = self._values.get(key)
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)[:MAX_TEXT].strip()
        self._unreadable.append(key)
        return ""

    def choices(self, key: str) -> tuple[str, ...]:
        parts = [part.strip() for part in self.text(key).split(",")[:MAX_CHOICES]]
        return tuple(dict.fromkeys(part for part in parts if part))

    def number(self, key: str) -> int | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = float("nan")
        if not value.is_integer():
            self._unreadable.append(key)
            return None
        return int(value)

    def day(self, key: str) -> date | None:
        """An Input.Date sends "YYYY-MM-DD"; a number is not a date, even 20261224."""
        value = self._values.get(key)
        raw = self.text(key)
        if not raw:
            return None
        if not isinstance(value, str):
            self._unreadable.append(key)
            return None
        try:
            return date.fromisoformat(raw[:10])
        except ValueError:
            self._unreadable.append(key)
            return None

    def clock(self, key: str) -> time | None:
        """An Input.Time sends "HH:MM"."""
        raw = self.text(key)
        if not raw:
            return None
        try:
            value = time.fromisoformat(raw)
        except ValueError:
            self._unreadable.append(key)
            return None
        return value.replace(second=0, microsecond=0, tzinfo=None)

    def choice(self, key: str, kind: type[E]) -> E | None:
        raw = self.text(key)
        if not raw:
            return None
        try:
            return kind(raw)
        except ValueError:
            self._unreadable.append(key)
            return None

    def flag(self, key: str, *, default: bool) -> bool:
        """An Input.Toggle: "true" when on; `default` when the card did not have it."""
        raw = self.text(key).lower()
        return default if not raw else raw == "true"


def record_id(data: object, key: str) -> int | None:
    """The id of a stored thing an action is about; None when the card sent no usable one."""
    inputs = Inputs(data)
    value = inputs.number(key)
    return value if value is not None and not inputs.unreadable and 0 < value < 2**31 else None


def once_key(data: object) -> str | None:
    """The card's one-time key; None when it had none (a card from before keys) or sent no usable one."""
    key = Inputs(data).text(ONCE)
    return key if ONCE_KEY.fullmatch(key) else None
