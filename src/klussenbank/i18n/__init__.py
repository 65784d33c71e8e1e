"""Message catalogs: Dutch by default, English for an English Teams locale."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib.resources import files
from typing import Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")


def language_of(locale: str | None) -> Language:
    return "en" if (locale or "").lower().startswith("en") else "nl"


@cache
def catalog(language: Language) -> dict[str, str]:
    text = (files("klussenbank.i18n") / f"{language}.json").read_text(encoding="utf-8")
    messages: dict[str, str] = json.loads(text)
    return messages


class Translator:
    def __init__(self, language: Language) -> None:
        self.language: Language = language
        self._messages = catalog(language)

    @classmethod
    def for_locale(cls, locale: str | None) -> Translator:
        return cls(language_of(locale))

    def __call__(self, key: str, **params: object) -> str:
        message = self._messages[key]
        return message.format(**params) if params else message

    def plural(self, key: str, number: float, **params: object) -> str:
        """The message `key`, or `key_one` for exactly one ("1 dag", "2 dagen")."""
        return self(f"{key}_one" if number == 1 else key, **params)

    def month(self, value: date) -> str:
        return f"{self(f'month.{value.month}')} {value.year}"

    def date(self, value: date) -> str:
        return f"{value.day} {self.month(value)}"

    def weekday(self, code: str) -> str:
        return self(f"weekday.{code}")
