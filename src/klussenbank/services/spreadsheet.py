"""The CSV downloads open in a spreadsheet: a cell of someone's text must not run there as a formula."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: one that would starts with a quote."""
    return "'" + value if value[:1] in FORMULA_STARTS else value
