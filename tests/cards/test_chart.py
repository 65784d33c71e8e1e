"""The report's chart: a readable PNG with its figures in words, small enough for a Teams message."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest
from PIL import Image

from klussenbank.cards.chart import HEIGHT_PX, SCALE, TEAMS_COLOURS, WIDTH_PX, bar_chart_png
from klussenbank.cards.report import months_chart, report_figures_card
from klussenbank.domain.people import Organisation
from klussenbank.domain.report import Figures, Month
from klussenbank.i18n import Translator
from klussenbank.services.reports import FiguresView

YEAR = tuple(Month(date(2027, n, 1), posted=40 + n, filled=38 + n) for n in range(1, 13))


def _image(card: dict[str, Any]) -> dict[str, Any]:
    (image,) = (e for e in card["body"] if e.get("type") == "Image")
    return image


def _card(months: tuple[Month, ...], language: str) -> dict[str, Any]:
    found = Figures(
        "ermelo",
        date(2027, 1, 1),
        date(2027, 12, 31),
        0,
        0,
        0,
        0,
        0,
        None,
        None,
        0,
        0,
        None,
        0.0,
        None,
        0,
        months,
    )
    view = FiguresView(found, Organisation("ermelo", "Gemeente Ermelo"), (), "https://bot.example/r.csv")
    return report_figures_card(view, Translator(language))  # type: ignore[arg-type]


def test_the_chart_is_a_png_at_twice_the_cards_width_in_teams_colours() -> None:
    png = bar_chart_png(months_chart(YEAR[:3], Translator("nl")))
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (WIDTH_PX * SCALE, HEIGHT_PX * SCALE)
    colours = {f"#{r:02X}{g:02X}{b:02X}" for _, (r, g, b) in image.getcolors(maxcolors=256) or []}
    assert set(TEAMS_COLOURS) <= colours


def test_the_same_figures_draw_the_same_image() -> None:
    """The golden cards carry the image: drawing must not depend on the time or the run."""
    chart = months_chart(YEAR, Translator("en"))
    assert bar_chart_png(chart) == bar_chart_png(chart)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Staafdiagram van de klussen per maand. januari 2027: 41 geplaatst, 39 vervuld; februari 2027:",
        ),
        ("en", "Bar chart of klussen per month. January 2027: 41 posted, 39 filled; February 2027:"),
    ],
)
def test_the_alt_text_states_every_months_figures_in_the_readers_language(
    language: str, expected: str
) -> None:
    alt = _image(_card(YEAR, language))["altText"]
    assert alt.startswith(expected)
    assert alt.endswith("52 " + ("geplaatst, 50 vervuld." if language == "nl" else "posted, 50 filled."))


def test_a_years_report_fits_in_a_teams_message() -> None:
    """Teams refuses messages over about 28 KB, and the card carries the chart inline."""
    for language in ("nl", "en"):
        card = _card(YEAR, language)
        assert len(json.dumps(card, ensure_ascii=False).encode()) < 28_000
        assert _image(card)["url"].startswith("data:image/png;base64,")
        assert base64.b64decode(_image(card)["url"].split(",", 1)[1]).startswith(b"\x89PNG")


def test_the_axis_shows_the_year_under_the_first_month_and_each_january() -> None:
    months = (Month(date(2026, 11, 1), 1, 0), Month(date(2026, 12, 1), 2, 1), Month(date(2027, 1, 1), 3, 2))
    chart = months_chart(months, Translator("nl"))
    assert chart.categories == ("nov\n2026", "dec", "jan\n2027")
    assert [s.name for s in chart.series] == ["Geplaatst", "Vervuld"]
    assert (chart.x_title, chart.y_title) == ("Maand", "Aantal klussen")


def test_the_charting_library_is_imported_only_when_a_chart_is_drawn() -> None:
    """matplotlib takes about half a second to import: the bot starts without it."""
    code = "import sys, klussenbank.wiring, klussenbank.cards.report; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
