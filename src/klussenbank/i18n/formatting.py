"""Dates, numbers, money and plural forms in the reader's language, from CLDR through Babel.

The one place that formats a value for people to read: cards (through `Translator`), the agreement
PDF and anything else call these functions, so "12 mei 2027", "1.234,5", "€ 1.234,50" and
"1 dag"/"2 dagen" follow the same rules everywhere. Machine values (card input values, CSV
columns, ISO dates in payloads) are not formatted here.

English is British English (en_GB) whatever region Teams sends (en-US, en-GB …): the people are
Dutch municipal staff, and a date, time or amount must read the same for every English reader and
match the Dutch order (12 May 2027, 14:30) and the agreement's own language tag (en-GB).
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_skeleton, format_time, get_day_names, get_month_names
from babel.numbers import format_currency, get_currency_precision
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

from klussenbank.domain.people import WEEKDAYS
from klussenbank.i18n.languages import Language

LOCALES: dict[Language, Locale] = {"nl": Locale("nl", "NL"), "en": Locale("en", "GB")}
CURRENCY = "EUR"


def language_tag(language: Language) -> str:
    """nl-NL / en-GB: the locale these formats follow, for a document that names its language."""
    locale = LOCALES[language]
    return f"{locale.language}-{locale.territory}"


def format_date(value: date, language: Language) -> str:
    """12 mei 2027 / 12 May 2027."""
    return _babel_date(value, "long", locale=LOCALES[language])


def format_month(value: date, language: Language) -> str:
    """mei 2027 / May 2027."""
    return format_skeleton("yMMMM", value, locale=LOCALES[language])


def month_abbreviation(value: date, language: Language) -> str:
    """mrt / Mar, for narrow places such as a chart's axis."""
    name: str = get_month_names("abbreviated", "stand-alone", locale=LOCALES[language])[value.month]
    return name


def format_datetime(value: datetime, language: Language) -> str:
    """12 mei 2027, 08:30 / 12 May 2027, 08:30: the time in the value's own time zone."""
    locale = LOCALES[language]
    glue: str = locale.datetime_formats["long"]  # "{1}, {0}": the date, then the time
    return glue.format(format_time(value, "short", locale=locale), _babel_date(value, "long", locale=locale))


def format_shift(day: date, start: str, end: str, language: Language) -> str:
    """di 9 mrt. 09:00–13:00 / Tue, Mar 9 09:00–13:00: a shift in one short line."""
    return f"{format_skeleton('MMMEd', day, locale=LOCALES[language])} {start}–{end}"


def weekday_name(code: str, language: Language) -> str:
    """maandag / Monday, for a weekday code of the domain ("mon" … "sun")."""
    name: str = get_day_names("wide", locale=LOCALES[language])[WEEKDAYS.index(code)]
    return name


def format_number(value: float | Decimal, language: Language, *, decimals: int = 1) -> str:
    """1.234,5 / 1,234.5: grouped, at most `decimals` decimals, none when the number is whole."""
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return _babel_decimal(value, pattern, locale=LOCALES[language])


def format_money(amount: float | Decimal, language: Language, *, cents: bool = True) -> str:
    """€ 1.234,50 / €1,234.50; rounded half up to the cent, or to whole euros without `cents`."""
    locale = LOCALES[language]
    places = get_currency_precision(CURRENCY) if cents else 0
    value = Decimal(str(amount)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    pattern = copy.copy(locale.currency_formats["standard"])
    pattern.frac_prec = (places, places)
    return format_currency(value, CURRENCY, format=pattern, locale=locale, currency_digits=False)


def format_percent(fraction: float, language: Language) -> str:
    """75% for 0.75 (whole percents)."""
    return _babel_percent(fraction, locale=LOCALES[language])


def plural_category(number: float | Decimal, language: Language) -> str:
    """The CLDR plural category of a number as it is shown: 1 is "one", 0, 2 and 1,5 are "other".
    A whole number counts as whole however it is typed (1.0 and Decimal("1.0") show as "1")."""
    whole = number == int(number)
    category: str = LOCALES[language].plural_form(int(number) if whole else number)
    return category
