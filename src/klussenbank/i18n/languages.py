"""The two languages Klussenbank speaks, and which one a Teams locale gets."""

from __future__ import annotations

from typing import Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def language_of(locale: str | None) -> Language:
    return "en" if (locale or "").lower().startswith("en") else "nl"
