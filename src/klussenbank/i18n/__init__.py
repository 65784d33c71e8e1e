"""Message catalogs: Dutch by default, English for an English Teams locale. Dates, numbers, money
and plural forms come from `formatting` (CLDR through Babel)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from functools import cache
from importlib.resources import files

from klussenbank.domain.shifts import Shift
from klussenbank.i18n import formatting
from klussenbank.i18n.languages import LANGUAGES, Language, language_of

__all__ = ["LANGUAGES", "Language", "Translator", "catalog", "language_of"]


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
        """The message `key` filled in with `params`; a number among them is written the way the
        language writes numbers (2.000 / 2,000; 12,5 / 12.5)."""
        message = self._messages[key]
        if not params:
            return message
        return message.format(**{name: self._shown(value) for name, value in params.items()})

    def _shown(self, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return value
        return formatting.format_number(value, self.language, decimals=3)

    def plural(self, key: str, number: float | Decimal, **params: object) -> str:
        """The message `key` for CLDR's "other" form ("2 dagen", "0 dagen", "1,5 dagen"), or
        `key_one` for its "one" form ("1 dag"); `key_<category>` for any other category."""
        category = formatting.plural_category(number, self.language)
        return self(key if category == "other" else f"{key}_{category}", **params)

    def date(self, value: dt.date) -> str:
        return formatting.format_date(value, self.language)

    def datetime(self, value: dt.datetime) -> str:
        return formatting.format_datetime(value, self.language)

    def shift(self, value: Shift) -> str:
        return formatting.format_shift(value.day, f"{value.start:%H:%M}", f"{value.end:%H:%M}", self.language)

    def month(self, value: dt.date) -> str:
        return formatting.format_month(value, self.language)

    def month_short(self, value: dt.date) -> str:
        return formatting.month_abbreviation(value, self.language)

    def weekday(self, code: str) -> str:
        return formatting.weekday_name(code, self.language)

    def number(self, value: float | Decimal, *, decimals: int = 1) -> str:
        return formatting.format_number(value, self.language, decimals=decimals)

    def money(self, amount: float | Decimal, *, cents: bool = True) -> str:
        return formatting.format_money(amount, self.language, cents=cents)

    def percent(self, fraction: float) -> str:
        return formatting.format_percent(fraction, self.language)
