"""Cards write dates, numbers, money and plurals the reader's way (through i18n.formatting): the
values the goldens do not reach (one hour, thousands, cents)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from klussenbank.cards.report import report_figures_card
from klussenbank.cards.work import hours_card
from klussenbank.domain.people import Organisation
from klussenbank.domain.report import Figures, Month
from klussenbank.domain.work import HoursMonth, Role
from klussenbank.i18n import Language, Translator
from klussenbank.services.reports import FiguresView
from klussenbank.services.views import HoursView

NBSP = "\u00a0"
ERMELO = Organisation("ermelo", "Gemeente Ermelo")


def texts(value: Any) -> Iterator[str]:
    """Every string a card shows: texts, fact titles and values."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("text", "title", "value") and isinstance(item, str):
                yield item
            else:
                yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def hours(language: Language, planned: float, reported: float | None = None) -> list[str]:
    view = HoursView(
        11, "Notuleren", "Eva Smit", Role.POSTER, HoursMonth(11, date(2027, 9, 1), planned, reported)
    )
    return list(texts(hours_card(view, Translator(language))))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", ["1 uur", "12,5 uur", "september 2027"]),
        ("en", ["1 hour", "12.5 hours", "September 2027"]),
    ],
)
def test_hours_card(language: Language, expected: list[str]) -> None:
    shown = " | ".join(hours(language, 1.0, 12.5))

    for text in expected:
        assert text in shown, shown
    assert "1 hours" not in shown


def test_report_card_thousands_percent_and_money() -> None:
    figures = Figures(
        organisation_key="ermelo",
        start=date(2027, 1, 1),
        end=date(2027, 12, 31),
        people_available=12345,
        posted=1500,
        filled=1200,
        expired=3,
        cancelled=1,
        days_to_first_interest=1.0,
        days_to_match=2.5,
        approvals_decided=1000,
        approvals_approved=750,
        days_to_decide=None,
        hours=1.0,
        external_rate=1234.5,
        filled_internally_in_time=1000,
        months=(Month(date(2027, 9, 1), 1500, 1200),),
        satisfaction=(4.3, None),
    )
    view = FiguresView(figures, ERMELO, (ERMELO,), "https://bot.example/r.csv")

    nl = " | ".join(texts(report_figures_card(view, Translator("nl"))))
    en = " | ".join(texts(report_figures_card(view, Translator("en"))))

    for text in (
        "12.345",
        "75% van 1.000",
        "1 dag",
        "2,5 dagen",
        "1 uur",
        f"€{NBSP}1.235",
        "4,3",
        "september 2027",
    ):
        assert text in nl, text
    for text in ("12,345", "75% of 1,000", "1 day", "2.5 days", "1 hour", "€1,235", "4.3", "September 2027"):
        assert text in en, text
