"""A small bar chart as a PNG, drawn without a graphics library: the report card shows it as an image."""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Sequence

Colour = tuple[int, int, int]
BACKGROUND: Colour = (255, 255, 255)
AXIS: Colour = (96, 96, 96)
SERIES: tuple[Colour, ...] = ((70, 71, 117), (0, 133, 84))  # Teams purple, green


def bar_chart_png(groups: Sequence[Sequence[int]], *, width: int = 480, height: int = 160) -> bytes:
    """One group of bars per x (for example a month), one bar per series, scaled to the largest."""
    pixels = [[BACKGROUND] * width for _ in range(height)]
    top, bottom, left = 8, height - 12, 8
    for x in range(left, width - 8):
        pixels[bottom][x] = AXIS
    highest = max((value for group in groups for value in group), default=0) or 1
    slot = (width - 16 - left) / max(len(groups), 1)
    bars = max((len(group) for group in groups), default=1)
    bar = max(2, int(slot * 0.7 / bars))
    for n, group in enumerate(groups):
        x0 = left + 8 + int(n * slot + slot * 0.15)
        for s, value in enumerate(group):
            tall = round((bottom - top) * value / highest)
            colour = SERIES[s % len(SERIES)]
            for y in range(bottom - tall, bottom):
                row = pixels[y]
                for x in range(x0 + s * bar, min(x0 + (s + 1) * bar - 1, width)):
                    row[x] = colour
    return _png(pixels, width, height)


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _png(pixels: list[list[Colour]], width: int, height: int) -> bytes:
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
