"""Dates, numbers, money and plural forms in Dutch and English, from CLDR through Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from klussenbank.i18n import LANGUAGES, Language, Translator, catalog
from klussenbank.i18n.formatting import (
    format_date,
    format_datetime,
    format_money,
    format_month,
    format_number,
    format_percent,
    language_tag,
    month_abbreviation,
    plural_category,
    weekday_name,
)

NBSP = "\u00a0"  # CLDR puts a no-break space between € and a Dutch amount: they never wrap apart
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_dates() -> None:
    """More dates through the Translator in test_i18n."""
    assert (format_date(date(2027, 5, 12), "nl"), format_date(date(2027, 5, 12), "en")) == (
        "12 mei 2027",
        "12 May 2027",
    )


def test_english_is_british_whatever_region_teams_sends() -> None:
    """Teams sends en-US; the bot still writes day, month, year and the 24-hour clock."""
    t = Translator.for_locale("en-US")

    assert t.date(date(2027, 5, 12)) == "12 May 2027"  # not "May 12, 2027"
    assert t.datetime(datetime(2027, 5, 12, 14, 30)) == "12 May 2027, 14:30"  # not "2:30 PM"
    assert (language_tag("en"), language_tag("nl")) == ("en-GB", "nl-NL")


MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "en": "January February March April May June July August September October November December",
}
MONTHS_SHORT = {
    "nl": "jan feb mrt apr mei jun jul aug sep okt nov dec",
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec",  # CLDR en_GB writes "Sept"
}
WEEKDAY_NAMES = {
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_month_names(language: Language) -> None:
    firsts = [date(2027, month, 1) for month in range(1, 13)]

    assert [format_month(day, language) for day in firsts] == [f"{m} 2027" for m in MONTHS[language].split()]
    assert [month_abbreviation(day, language) for day in firsts] == MONTHS_SHORT[language].split()


@pytest.mark.parametrize("language", LANGUAGES)
def test_weekday_names(language: Language) -> None:
    codes = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

    assert [weekday_name(code, language) for code in codes] == WEEKDAY_NAMES[language].split()


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "12 mei 2027, 08:30"), ("en", "12 May 2027, 08:30")]
)
def test_date_and_time_in_the_values_own_time_zone(language: Language, expected: str) -> None:
    local = datetime(2027, 5, 12, 8, 30, tzinfo=AMSTERDAM)

    assert format_datetime(local, language) == expected
    # The same moment in UTC reads as UTC: the caller chooses the zone, the formatter does not move it.
    assert format_datetime(local.astimezone(UTC), language) == expected.replace("08:30", "06:30")


@pytest.mark.parametrize(
    ("value", "decimals", "dutch", "english"),
    [
        (1234.5, 1, "1.234,5", "1,234.5"),
        (12.0, 1, "12", "12"),  # no ",0" on a whole number
        (Decimal("12.9"), 1, "12,9", "12.9"),
        (Decimal("13.0"), 1, "13", "13"),
        (1234567, 1, "1.234.567", "1,234,567"),
        (0.5, 1, "0,5", "0.5"),
        (3.14159, 2, "3,14", "3.14"),
        (3.7, 0, "4", "4"),
    ],
)
def test_numbers(value: float | Decimal, decimals: int, dutch: str, english: str) -> None:
    assert format_number(value, "nl", decimals=decimals) == dutch
    assert format_number(value, "en", decimals=decimals) == english


def test_numbers_given_to_a_message_are_written_the_languages_way() -> None:
    nl, en = Translator("nl"), Translator("en")

    assert nl("error.too_long", max=2000) == "Dit is te lang: maximaal 2.000 tekens."
    assert en("error.too_long", max=2000) == "This is too long: 2,000 characters at most."
    assert nl("why.you.hours.partial", offered=12.5, needed=16) == "Je hebt 12,5 van de 16 uur per week vrij"
    assert en("why.you.hours.partial", offered=12.5, needed=16) == "You have 12.5 of the 16 hours a week free"
    # Text stays text, and a yes/no is no number.
    assert nl("report.period", start="1 mei", end=True) == "1 mei tot en met True"


@pytest.mark.parametrize(
    ("amount", "dutch", "english"),
    [
        (Decimal("1234.5"), f"€{NBSP}1.234,50", "€1,234.50"),
        (Decimal("45"), f"€{NBSP}45,00", "€45.00"),
        (Decimal("0.005"), f"€{NBSP}0,01", "€0.01"),  # half up, as money is rounded
        (Decimal("1234567.891"), f"€{NBSP}1.234.567,89", "€1,234,567.89"),
        (10106.5, f"€{NBSP}10.106,50", "€10,106.50"),
    ],
)
def test_money(amount: Decimal | float, dutch: str, english: str) -> None:
    assert format_money(amount, "nl") == dutch
    assert format_money(amount, "en") == english


@pytest.mark.parametrize(
    ("amount", "dutch", "english"),
    [(10106.5, f"€{NBSP}10.107", "€10,107"), (Decimal("0.49"), f"€{NBSP}0", "€0"), (45, f"€{NBSP}45", "€45")],
)
def test_money_in_whole_euros(amount: Decimal | float, dutch: str, english: str) -> None:
    assert format_money(amount, "nl", cents=False) == dutch
    assert format_money(amount, "en", cents=False) == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_percent(language: Language) -> None:
    assert format_percent(0.75, language) == "75%"
    assert format_percent(0.756, language) == "76%"
    assert format_percent(1, language) == "100%"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("number", "category"),
    [
        (0, "other"),
        (1, "one"),
        (2, "other"),
        (1.0, "one"),
        (Decimal("1.0"), "one"),  # shown as "1"
        (1.5, "other"),
        (0.5, "other"),
        (21, "other"),
    ],
)
def test_plural_categories(language: Language, number: float | Decimal, category: str) -> None:
    assert plural_category(number, language) == category


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", ["0 dagen", "1 dag", "2 dagen", "1,5 dagen"]), ("en", ["0 days", "1 day", "2 days", "1.5 days"])],
)
def test_plural_messages(language: Language, expected: list[str]) -> None:
    t = Translator(language)

    shown = [t.plural("report.days_value", n, days=t.number(n)) for n in (0, 1, 2, 1.5)]

    assert shown == expected


@pytest.mark.parametrize("key", ["report.hours_value", "profile.hours_value"])
@pytest.mark.parametrize(
    ("language", "expected"), [("nl", ["0 uur", "1 uur", "2 uur"]), ("en", ["0 hours", "1 hour", "2 hours"])]
)
def test_hours_plural(key: str, language: Language, expected: list[str]) -> None:
    t = Translator(language)

    assert [t.plural(key, n, hours=t.number(n)) for n in (0, 1, 2)] == expected


def test_people_count_plural() -> None:
    nl, en = Translator("nl"), Translator("en")

    assert nl.plural("announce.people_count", 1, count="1", organisations="Ermelo").startswith("1 persoon ")
    assert nl.plural("announce.people_count", 2, count="2", organisations="Ermelo").startswith("2 mensen ")
    assert en.plural("announce.people_count", 1, count="1", organisations="Ermelo").startswith("1 person ")
    assert en.plural("announce.people_count", 0, count="0", organisations="Ermelo").startswith("0 people ")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_one_form_has_its_other_form(language: Language) -> None:
    """`key_one` is only reached through `Translator.plural`, which falls back to `key` for "other"."""
    messages = catalog(language)

    assert [
        key for key in messages if key.endswith("_one") and key.removesuffix("_one") not in messages
    ] == []
