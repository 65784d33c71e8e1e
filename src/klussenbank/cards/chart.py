"""Bar charts as PNG images (for the report card and `klussenbank report --format png`), drawn with
matplotlib: labelled axes, the value on each bar, a legend, Teams colours."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass

# Teams' purple and green; both keep at least 3:1 against the white background (WCAG, graphics).
TEAMS_COLOURS = ("#6264A7", "#237B4B")
TEXT = "#242424"  # Teams' foreground text colour
GRID = "#E0E0E0"

# A card in Teams chat (and in the Agents Playground) shows an image about 400 CSS pixels wide: drawn at
# that size, the letters keep their size on screen; twice the pixels keep them sharp on dense screens.
WIDTH_PX, HEIGHT_PX, SCALE = 400, 240, 2
CROWDED = 6  # more groups than this (a year has 12): smaller values, so that neighbours do not overlap


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


@dataclass(frozen=True)
class BarChart:
    """One group of bars per category (for example a month), one bar per series."""

    categories: Sequence[str]
    series: Sequence[Series]
    x_title: str
    y_title: str


def bar_chart_png(chart: BarChart) -> bytes:
    # matplotlib takes about half a second and 45 MiB to import: only a report that draws a chart pays.
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator
    from PIL import Image

    # DejaVu Sans ships inside matplotlib: the same letters on every machine, whatever fonts it has.
    with rc_context(
        {"font.family": "DejaVu Sans", "font.size": 10, "text.color": TEXT, "axes.labelcolor": TEXT}
    ):
        figure = Figure(figsize=(WIDTH_PX / 100, HEIGHT_PX / 100), dpi=100 * SCALE, layout="constrained")
        axes = figure.subplots()
        count = max(len(chart.series), 1)
        small = 10 if len(chart.categories) <= CROWDED else 8
        width = 0.8 / count
        for n, series in enumerate(chart.series):
            offset = (n - (count - 1) / 2) * width
            bars = axes.bar(
                [x + offset for x in range(len(chart.categories))],
                series.values,
                width,
                label=series.name,
                color=TEAMS_COLOURS[n % len(TEAMS_COLOURS)],
            )
            axes.bar_label(bars, padding=2, fontsize=small)
        axes.set_xticks(range(len(chart.categories)), chart.categories, fontsize=small + 1)
        axes.set_xlabel(chart.x_title)
        axes.set_ylabel(chart.y_title)
        highest = max((v for series in chart.series for v in series.values), default=0)
        axes.set_ylim(0, max(highest, 1) * 1.2)  # room for the values above the highest bar
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.grid(True, color=GRID)
        axes.set_axisbelow(True)
        axes.spines[["top", "right"]].set_visible(False)
        axes.tick_params(colors=TEXT, length=0)
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=count, frameon=False, borderaxespad=0.2)
        pixels = io.BytesIO()
        figure.savefig(pixels, format="rgba")  # drawn by Agg, matplotlib's raster back end
        image = Image.frombuffer("RGBA", (WIDTH_PX * SCALE, HEIGHT_PX * SCALE), pixels.getvalue())
    # 16 colours are plenty for flat bars and anti-aliased text, and make the PNG four times smaller:
    # the card carries it inline and Teams refuses messages over about 28 KB.
    flat = image.convert("RGB").quantize(16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    flat.save(out, "PNG", optimize=True)
    return out.getvalue()


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
