"""A small PDF 1.4 writer for text documents, with no dependencies.

A document is a list of blocks (title, heading, paragraph, label/value field, signature, space).
`render_pdf` lays them out on A4 pages in Helvetica and Helvetica-Bold, two of the standard 14
fonts every viewer has, so nothing is embedded. Text is written in WinAnsiEncoding (Windows-1252),
which covers Dutch (ë, é, ï, ü) and the euro sign; any other character becomes '?'. The output is
the same bytes for the same input: there is no clock and no randomness inside.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import zip_longest

# A4 in points (1/72 inch).
PAGE_WIDTH = 595.28
PAGE_HEIGHT = 841.89
MARGIN_LEFT = 64.0
MARGIN_RIGHT = 64.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 80.0
FOOTER_BASELINE = 40.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

BODY_SIZE = 10.0
BODY_LEADING = 14.0
TITLE_SIZE = 18.0
TITLE_LEADING = 24.0
HEADING_SIZE = 12.0
HEADING_LEADING = 16.0
SMALL_SIZE = 8.5
SMALL_LEADING = 12.0
LABEL_WIDTH = 150.0
GUTTER = 8.0
SIGNATURE_GAP = 36.0
SIGNATURE_WIDTH = 240.0


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Wrapped to the text width; a newline in `text` starts a new line."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Field:
    """A label in the left column (bold) and its value, wrapped, in the right column."""

    label: str
    value: str


@dataclass(frozen=True)
class Signature:
    """A bold caption, room to sign, a line to sign on and small lines under it (name, date).
    Never split over two pages."""

    caption: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Space:
    points: float


Block = Title | Heading | Paragraph | Field | Signature | Space


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    created: datetime
    language: str = "nl-NL"
    footer: str = ""
    page_label: str = "Pagina {page} van {pages}"


# Glyph widths in 1/1000 em for the WinAnsi codes 32..255, from Adobe's Core 14 AFM files
# (Helvetica.afm, Helvetica-Bold.afm). Codes WinAnsi leaves undefined are 0: they are never drawn.
_HELVETICA = """
 278  278  355  556  556  889  667  191  333  333  389  584  278  333  278  278
 556  556  556  556  556  556  556  556  556  556  278  278  584  584  584  556
1015  667  667  722  722  667  611  778  722  278  500  667  556  833  722  778
 667  778  722  667  611  722  667  944  667  667  611  278  278  278  469  556
 333  556  556  500  556  556  278  556  556  222  222  500  222  833  556  556
 556  556  333  500  278  556  500  722  500  500  500  334  260  334  584    0
 556    0  222  556  333 1000  556  556  333 1000  667  333 1000    0  611    0
   0  222  222  333  333  350  556 1000  333 1000  500  333  944    0  500  667
 278  333  556  556  556  556  260  556  333  737  370  556  584  333  737  333
 400  584  333  333  333  556  537  278  333  333  365  556  834  834  834  611
 667  667  667  667  667  667 1000  722  667  667  667  667  278  278  278  278
 722  722  778  778  778  778  778  584  778  722  722  722  722  667  667  611
 556  556  556  556  556  556  889  500  556  556  556  556  278  278  278  278
 556  556  556  556  556  556  556  584  611  556  556  556  556  500  556  500
"""
_HELVETICA_BOLD = """
 278  333  474  556  556  889  722  238  333  333  389  584  278  333  278  278
 556  556  556  556  556  556  556  556  556  556  333  333  584  584  584  611
 975  722  722  722  722  667  611  778  722  278  556  722  611  833  722  778
 667  778  722  667  611  722  667  944  667  667  611  333  278  333  584  556
 333  556  611  556  611  556  333  611  611  278  278  556  278  889  611  611
 611  611  389  556  333  611  556  778  556  556  500  389  280  389  584    0
 556    0  278  556  500 1000  556  556  333 1000  667  333 1000    0  611    0
   0  278  278  500  500  350  556 1000  333 1000  556  333  944    0  500  667
 278  333  556  556  556  556  280  556  333  737  370  556  584  333  737  333
 400  584  333  333  333  611  556  278  333  333  365  556  834  834  834  611
 722  722  722  722  722  722 1000  722  667  667  667  667  278  278  278  278
 722  722  778  778  778  778  778  584  778  722  722  722  722  667  667  611
 556  556  556  556  556  556  889  556  556  556  556  556  278  278  278  278
 611  611  611  611  611  611  611  584  611  611  611  611  611  556  611  556
"""


@dataclass(frozen=True)
class Font:
    resource: str
    base_font: str
    widths: tuple[int, ...]  # indexed by WinAnsi code; codes below 32 are never drawn

    def width(self, text: bytes, size: float) -> float:
        return sum(self.widths[code] for code in text) * size / 1000


def _widths(table: str) -> tuple[int, ...]:
    return (0,) * 32 + tuple(int(width) for width in table.split())


REGULAR = Font("F1", "Helvetica", _widths(_HELVETICA))
BOLD = Font("F2", "Helvetica-Bold", _widths(_HELVETICA_BOLD))


def winansi(text: str) -> bytes:
    """`text` in WinAnsiEncoding; control characters and what WinAnsi lacks become '?'."""
    encoded = bytearray()
    for char in unicodedata.normalize("NFC", text.replace("\t", " ")):
        try:
            code = char.encode("cp1252")
        except UnicodeEncodeError:
            code = b"?"
        encoded += b"?" if code[0] < 32 or code[0] == 127 else code
    return bytes(encoded)


def wrap(text: str, font: Font, size: float, width: float) -> list[bytes]:
    """Greedy word wrap to `width` points. Only ordinary spaces break a line (a no-break space
    does not); a word wider than a line is cut; a newline starts a new line."""
    lines: list[bytes] = []
    for hard_line in text.split("\n"):
        line = b""
        for word in (w for w in winansi(hard_line).split(b" ") if w):
            candidate = line + b" " + word if line else word
            if font.width(candidate, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while font.width(line, size) > width:
                cut = _fitting(line, font, size, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _fitting(word: bytes, font: Font, size: float, width: float) -> int:
    cut = 1
    while cut < len(word) and font.width(word[: cut + 1], size) <= width:
        cut += 1
    return cut


def _number(value: float) -> bytes:
    return (f"{value:.2f}".rstrip("0").rstrip(".") or "0").encode()


def _string(text: bytes) -> bytes:
    """A PDF literal string; bytes outside printable ASCII as octal escapes, so the file stays ASCII."""
    escaped = bytearray(b"(")
    for code in text:
        if code in b"()\\":
            escaped += b"\\" + bytes([code])
        elif 32 <= code < 127:
            escaped.append(code)
        else:
            escaped += b"\\%03o" % code
    return bytes(escaped + b")")


def _text_string(text: str) -> bytes:
    """A PDF text string (document info): literal if plain ASCII, else UTF-16BE with a byte order mark."""
    if text.isascii() and text.isprintable():
        return _string(text.encode("ascii"))
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _pdf_date(moment: datetime) -> bytes:
    stamp = "D:" + moment.strftime("%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is not None:
        minutes = int(offset / timedelta(minutes=1))
        if minutes == 0:
            stamp += "Z"
        else:
            sign = "+" if minutes > 0 else "-"
            stamp += f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    return _string(stamp.encode("ascii"))


class _Layout:
    """Places lines top to bottom and starts a new page when the next piece does not fit."""

    def __init__(self) -> None:
        self.pages: list[list[bytes]] = [[]]
        self.y = PAGE_HEIGHT - MARGIN_TOP

    def room(self, height: float) -> None:
        if self.y - height < MARGIN_BOTTOM and self.pages[-1]:
            self.pages.append([])
            self.y = PAGE_HEIGHT - MARGIN_TOP

    def space(self, points: float) -> None:
        if self.pages[-1]:  # a new page starts at its top margin, not lower
            self.y -= points

    def line(self, leading: float, *pieces: tuple[float, Font, float, bytes]) -> None:
        """One line of text pieces (x, font, size, text) on a shared baseline."""
        self.room(leading)
        self.y -= leading
        for x, font, size, text in pieces:
            if text:
                self.draw(_text(x, self.y, font, size, text))

    def rule(self, x: float, width: float) -> None:
        y = _number(self.y)
        self.draw(b"0.5 w " + _number(x) + b" " + y + b" m " + _number(x + width) + b" " + y + b" l S")

    def draw(self, operation: bytes) -> None:
        self.pages[-1].append(operation)


def _text(x: float, y: float, font: Font, size: float, text: bytes) -> bytes:
    return b"BT /%s %s Tf %s %s Td %s Tj ET" % (
        font.resource.encode(),
        _number(size),
        _number(x),
        _number(y),
        _string(text),
    )


def _place(layout: _Layout, block: Block) -> None:
    match block:
        case Title(text):
            layout.room(TITLE_LEADING + 2 * BODY_LEADING)
            for line in wrap(text, BOLD, TITLE_SIZE, TEXT_WIDTH):
                layout.line(TITLE_LEADING, (MARGIN_LEFT, BOLD, TITLE_SIZE, line))
            layout.space(6)
        case Heading(text):
            layout.space(10)
            # Keep a heading with the first lines under it.
            layout.room(HEADING_LEADING + 2 * BODY_LEADING)
            for line in wrap(text, BOLD, HEADING_SIZE, TEXT_WIDTH):
                layout.line(HEADING_LEADING, (MARGIN_LEFT, BOLD, HEADING_SIZE, line))
            layout.space(2)
        case Paragraph(text, bold):
            font = BOLD if bold else REGULAR
            for line in wrap(text, font, BODY_SIZE, TEXT_WIDTH):
                layout.line(BODY_LEADING, (MARGIN_LEFT, font, BODY_SIZE, line))
            layout.space(6)
        case Field(label, value):
            value_x = MARGIN_LEFT + LABEL_WIDTH
            labels = wrap(label, BOLD, BODY_SIZE, LABEL_WIDTH - GUTTER)
            values = wrap(value, REGULAR, BODY_SIZE, TEXT_WIDTH - LABEL_WIDTH)
            for label_line, value_line in zip_longest(labels, values, fillvalue=b""):
                layout.line(
                    BODY_LEADING,
                    (MARGIN_LEFT, BOLD, BODY_SIZE, label_line),
                    (value_x, REGULAR, BODY_SIZE, value_line),
                )
            layout.space(3)
        case Signature(caption, lines):
            captions = wrap(caption, BOLD, BODY_SIZE, TEXT_WIDTH)
            smalls = [part for line in lines for part in wrap(line, REGULAR, SMALL_SIZE, SIGNATURE_WIDTH)]
            layout.space(10)
            layout.room(len(captions) * BODY_LEADING + SIGNATURE_GAP + len(smalls) * SMALL_LEADING)
            for line in captions:
                layout.line(BODY_LEADING, (MARGIN_LEFT, BOLD, BODY_SIZE, line))
            layout.y -= SIGNATURE_GAP
            layout.rule(MARGIN_LEFT, SIGNATURE_WIDTH)
            for line in smalls:
                layout.line(SMALL_LEADING, (MARGIN_LEFT, REGULAR, SMALL_SIZE, line))
        case Space(points):
            layout.space(points)


def _footer(info: DocumentInfo, page: int, pages: int) -> bytes:
    label = winansi(info.page_label.format(page=page, pages=pages))
    right = PAGE_WIDTH - MARGIN_RIGHT - REGULAR.width(label, SMALL_SIZE)
    parts = [b"q 0.35 g"]
    if info.footer:
        parts.append(_text(MARGIN_LEFT, FOOTER_BASELINE, REGULAR, SMALL_SIZE, winansi(info.footer)))
    parts += [_text(right, FOOTER_BASELINE, REGULAR, SMALL_SIZE, label), b"Q"]
    return b"\n".join(parts)


def render_pdf(blocks: Iterable[Block], info: DocumentInfo) -> bytes:
    """The blocks as a PDF 1.4 document on A4 pages, each with a footer and "page n of m"."""
    layout = _Layout()
    for block in blocks:
        _place(layout, block)
    pages = layout.pages
    contents = [
        b"\n".join([*operations, _footer(info, number, len(pages))])
        for number, operations in enumerate(pages, start=1)
    ]

    first_page = 6  # after the catalog, the page tree, two fonts and the info dictionary
    page_refs = b" ".join(b"%d 0 R" % (first_page + 2 * n) for n in range(len(pages)))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R /Lang " + _text_string(info.language) + b" >>",
        b"<< /Type /Pages /Kids [" + page_refs + b"] /Count %d" % len(pages)
        + b" /MediaBox [0 0 " + _number(PAGE_WIDTH) + b" " + _number(PAGE_HEIGHT) + b"]"
        + b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>",
        _font_object(REGULAR),
        _font_object(BOLD),
        b"<< /Title " + _text_string(info.title) + b" /Producer (Klussenbank) /CreationDate "
        + _pdf_date(info.created) + b" >>",
    ]  # fmt: skip
    for n, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % (first_page + 2 * n + 1))
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return _file(objects, root=1, info=5)


def _font_object(font: Font) -> bytes:
    return b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % (
        font.base_font.encode()
    )


def _file(objects: Sequence[bytes], root: int, info: int) -> bytes:
    """Header, numbered objects, the cross-reference table and the trailer."""
    # The comment's bytes above 127 tell transfer tools the file is binary.
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    identifier = hashlib.sha256(out).hexdigest()[:32].upper().encode()
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset  # each entry exactly 20 bytes
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R" % (len(objects) + 1, root, info)
    out += b" /ID [<" + identifier + b"> <" + identifier + b">] >>\n"
    out += b"startxref\n%d\n" % xref
    out += b"%%EOF\n"
    return bytes(out)
