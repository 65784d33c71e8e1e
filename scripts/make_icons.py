"""Generate the Teams app icons for Klussenbank.

Writes, next to the app manifest (``src/klussenbank/appmanifest``):

* ``color.png``   192x192, a rounded square in the manifest's ``accentColor``
  with a white "K" inside the 120x120 safe area Teams asks for;
* ``outline.png`` 32x32, the same "K" in pure white on a transparent
  background (Teams rule: outline icons are white + transparency only).

The accent colour is read from ``manifest.json`` so icon and manifest stay in
sync. The drawing is geometric (no fonts), supersampled and downscaled, so
re-running the script gives the same PNGs on any machine with the same Pillow.

Usage: ``.venv/bin/python scripts/make_icons.py [--out-dir DIR]``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from PIL import Image, ImageDraw

REPO_ROOT = Path(__file__).resolve().parents[1]
APPMANIFEST_DIR = REPO_ROOT / "src" / "klussenbank" / "appmanifest"

COLOR_SIZE = 192
OUTLINE_SIZE = 32
SUPERSAMPLE = 8
WHITE = (255, 255, 255)

Point = tuple[float, float]


def accent_color(manifest_path: Path) -> tuple[int, int, int]:
    """Return the manifest's ``accentColor`` as an RGB tuple."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    value = manifest["accentColor"]
    if not (isinstance(value, str) and len(value) == 7 and value.startswith("#")):
        raise ValueError(f"accentColor must look like '#RRGGBB', got {value!r}")
    return (int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16))


def k_polygons(left: float, top: float, size: float) -> list[list[Point]]:
    """Polygons of a geometric, slightly condensed "K" in a ``size`` square box."""
    width = size * 0.78  # the K is a bit narrower than tall
    x0 = left + (size - width) / 2
    stem = size * 0.22  # stem thickness
    arm = size * 0.27  # horizontal thickness of the diagonals
    joint = size * 0.64  # where the upper arm meets the stem (from the top)
    # Upper arm, from the stem up to the top-right corner. Its lower end is cut
    # vertically against the stem; ``rise`` keeps both long edges parallel.
    rise = joint * arm / (width - stem)
    upper = [
        (x0 + stem, top + joint - rise),
        (x0 + width - arm, top),
        (x0 + width, top),
        (x0 + stem, top + joint),
    ]
    # Lower leg, from the middle of the upper arm down to the bottom-right.
    t = 0.36
    start_x = (x0 + stem) + t * ((x0 + width - arm / 2) - (x0 + stem))
    start_y = (top + joint - rise / 2) + t * (top - (top + joint - rise / 2))
    lower = [
        (start_x - arm / 2, start_y),
        (start_x + arm / 2, start_y),
        (x0 + width, top + size),
        (x0 + width - arm, top + size),
    ]
    stem_rect = [
        (x0, top),
        (x0 + stem, top),
        (x0 + stem, top + size),
        (x0, top + size),
    ]
    return [stem_rect, upper, lower]


def k_mask(size: int, glyph_box: float) -> Image.Image:
    """Anti-aliased 8-bit mask (``size`` x ``size``) of a centred "K"."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    box = glyph_box * SUPERSAMPLE
    offset = (big - box) / 2
    for polygon in k_polygons(offset, offset, box):
        draw.polygon(polygon, fill=255)
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def rounded_square_mask(size: int, radius_ratio: float) -> Image.Image:
    """Anti-aliased mask of a full-size rounded square."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, big - 1, big - 1), radius=round(big * radius_ratio), fill=255
    )
    return mask.resize((size, size), Image.Resampling.LANCZOS)


def make_color_icon(accent: tuple[int, int, int]) -> Image.Image:
    """192x192 full-colour icon: white K on a rounded accent-coloured square."""
    icon = Image.new("RGBA", (COLOR_SIZE, COLOR_SIZE), (*accent, 0))
    background = Image.new("RGBA", icon.size, (*accent, 255))
    icon.paste(background, (0, 0), rounded_square_mask(COLOR_SIZE, 0.2))
    glyph = Image.new("RGBA", icon.size, (*WHITE, 255))
    icon.paste(glyph, (0, 0), k_mask(COLOR_SIZE, 104))  # within the 120x120 safe area
    return icon


def make_outline_icon() -> Image.Image:
    """32x32 outline icon: white K, everything else fully transparent."""
    alpha = k_mask(OUTLINE_SIZE, 26)
    icon = Image.new("RGBA", (OUTLINE_SIZE, OUTLINE_SIZE), (*WHITE, 0))
    icon.putalpha(alpha)  # RGB stays pure white everywhere; only alpha varies
    return icon


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=APPMANIFEST_DIR,
        help="directory to write color.png and outline.png to (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    out_dir: Path = args.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    accent = accent_color(APPMANIFEST_DIR / "manifest.json")
    make_color_icon(accent).save(out_dir / "color.png", optimize=True)
    make_outline_icon().save(out_dir / "outline.png", optimize=True)
    print(f"wrote {out_dir / 'color.png'} and {out_dir / 'outline.png'}")


if __name__ == "__main__":
    main()
