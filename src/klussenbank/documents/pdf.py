"""Text documents as PDF/A-2u, laid out with fpdf2.

A document is a list of blocks (title, heading, paragraph, label/value field, signature, space).
`render_pdf` lays them out on A4 pages in Fira Sans, embedded (only the glyphs used) from the
fontpkg-fira-sans package: nothing is read from the system or downloaded. Fira Sans covers Latin
with its extensions (Polish, Turkish, Vietnamese…), Greek and Cyrillic; a character it lacks
becomes '?', as PDF/A forbids drawing a missing glyph. fpdf2 writes the PDF/A parts: the sRGB
output intent (the ICC profile it ships), embedded fonts with Unicode maps, and the XMP
identification, which is ours so that the same input gives the same bytes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from typing import Literal
from xml.sax.saxutils import escape

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, WrapMode, XPos, YPos
from fpdf.fonts import TTFFont

# A4 in points (1/72 inch).
PAGE_WIDTH = 595.28
PAGE_HEIGHT = 841.89
MARGIN_LEFT = 64.0
MARGIN_RIGHT = 64.0
MARGIN_TOP = 64.0
MARGIN_BOTTOM = 80.0
FOOTER_TOP = PAGE_HEIGHT - 48.0
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
KEEP_LINES = 4  # a paragraph this short is not split over two pages; a heading keeps this much under it
FOOTER_GREY = 89  # 35 % black

FONT_PACKAGE = "fontpkg_fira_sans"
FAMILY = "Fira Sans"
Style = Literal["", "B"]
FONT_FILES: dict[Style, str] = {"": "FiraSans-Regular.ttf", "B": "FiraSans-Bold.ttf"}


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


@cache
def font_file(style: Style) -> Path:
    """The font file in its installed package: a wheel installs it as a file, so the path stays."""
    with as_file(files(FONT_PACKAGE).joinpath("files", FONT_FILES[style])) as path:
        return path


class Document:
    """Places blocks top to bottom; a piece that must stay whole starts a new page if needed."""

    def __init__(self, info: DocumentInfo) -> None:
        pdf = FPDF(unit="pt", format="A4", enforce_compliance="PDF/A-2U")
        glyphs: list[frozenset[int]] = []
        for style in FONT_FILES:
            pdf.add_font(FAMILY, style, font_file(style))
            font = pdf.fonts[f"{FAMILY.lower()}{style}"]
            assert isinstance(font, TTFFont)
            glyphs.append(frozenset(font.cmap))
        self._glyphs = frozenset.intersection(*glyphs)
        pdf.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        pdf.set_auto_page_break(True, margin=MARGIN_BOTTOM)
        # No "{nb}" for the page count in the text: the footers are drawn once it is known.
        pdf.alias_nb_pages("")
        pdf.set_lang(info.language)
        pdf.set_creation_date(info.created)
        pdf.set_xmp_metadata(_xmp(info))
        pdf.add_page()
        self.pdf = pdf

    def text(self, text: str) -> str:
        """What the font can draw: composed characters, '?' for any it lacks."""
        text = unicodedata.normalize("NFC", text.replace("\t", " "))
        return "".join(c if ord(c) in self._glyphs or c == "\n" else "?" for c in text)

    def lines(self, text: str, style: Style, size: float, width: float) -> list[str]:
        """`text` wrapped to `width` points; a newline starts a new line."""
        self.pdf.set_font(FAMILY, style, size)
        wrapped = self.pdf.multi_cell(
            width, 0, self.text(text), dry_run=True, output=MethodReturnValue.LINES, wrapmode=WrapMode.WORD
        )
        assert isinstance(wrapped, list)
        return wrapped

    def room(self, height: float) -> None:
        if self.pdf.will_page_break(height) and self.pdf.get_y() > MARGIN_TOP:
            self.pdf.add_page()

    def space(self, points: float) -> None:
        if self.pdf.get_y() > MARGIN_TOP:  # a new page starts at its top margin, not lower
            self.pdf.set_y(self.pdf.get_y() + points)

    def line(self, text: str, style: Style, size: float, leading: float, x: float = MARGIN_LEFT) -> None:
        if not text:  # fpdf2 sizes a cell to its text, and an empty one has none
            self.pdf.set_y(self.pdf.get_y() + leading)
            return
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.set_x(x)
        self.pdf.cell(text=text, h=leading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def place(self, block: Block) -> None:
        pdf = self.pdf
        match block:
            case Title(text):
                self.room(TITLE_LEADING + 2 * BODY_LEADING)
                for line in self.lines(text, "B", TITLE_SIZE, TEXT_WIDTH):
                    self.line(line, "B", TITLE_SIZE, TITLE_LEADING)
                self.space(6)
            case Heading(text):
                self.space(10)
                # Keep a heading with the first lines under it.
                self.room(HEADING_LEADING + KEEP_LINES * BODY_LEADING)
                for line in self.lines(text, "B", HEADING_SIZE, TEXT_WIDTH):
                    self.line(line, "B", HEADING_SIZE, HEADING_LEADING)
                self.space(2)
            case Paragraph(text, bold):
                style: Style = "B" if bold else ""
                lines = self.lines(text, style, BODY_SIZE, TEXT_WIDTH)
                if len(lines) <= KEEP_LINES:
                    self.room(len(lines) * BODY_LEADING)
                for line in lines:
                    self.line(line, style, BODY_SIZE, BODY_LEADING)
                self.space(6)
            case Field(label, value):
                labels = self.lines(label, "B", BODY_SIZE, LABEL_WIDTH - GUTTER)
                values = self.lines(value, "", BODY_SIZE, TEXT_WIDTH - LABEL_WIDTH)
                for row in range(max(len(labels), len(values))):
                    self.room(BODY_LEADING)
                    top = pdf.get_y()
                    if row < len(labels):
                        self.line(labels[row], "B", BODY_SIZE, BODY_LEADING)
                    if row < len(values):
                        pdf.set_y(top)
                        self.line(values[row], "", BODY_SIZE, BODY_LEADING, MARGIN_LEFT + LABEL_WIDTH)
                self.space(3)
            case Signature(caption, lines):
                captions = self.lines(caption, "B", BODY_SIZE, TEXT_WIDTH)
                smalls = [
                    part for line in lines for part in self.lines(line, "", SMALL_SIZE, SIGNATURE_WIDTH)
                ]
                self.space(10)
                self.room(len(captions) * BODY_LEADING + SIGNATURE_GAP + len(smalls) * SMALL_LEADING)
                for line in captions:
                    self.line(line, "B", BODY_SIZE, BODY_LEADING)
                pdf.set_y(pdf.get_y() + SIGNATURE_GAP)
                pdf.set_line_width(0.5)
                pdf.line(MARGIN_LEFT, pdf.get_y(), MARGIN_LEFT + SIGNATURE_WIDTH, pdf.get_y())
                for line in smalls:
                    self.line(line, "", SMALL_SIZE, SMALL_LEADING)
            case Space(points):
                self.space(points)

    def footers(self, info: DocumentInfo) -> None:
        """On every page: the footer text on the left, "page n of m" on the right."""
        pdf = self.pdf
        pdf.set_auto_page_break(False)
        pdf.set_font(FAMILY, "", SMALL_SIZE)
        pdf.set_text_color(FOOTER_GREY)
        pages = pdf.pages_count
        for number in range(1, pages + 1):
            pdf.page = number
            pdf.set_xy(MARGIN_LEFT, FOOTER_TOP)
            pdf.cell(TEXT_WIDTH, SMALL_LEADING, self.text(info.footer))
            pdf.set_xy(MARGIN_LEFT, FOOTER_TOP)
            label = info.page_label.format(page=number, pages=pages)
            pdf.cell(TEXT_WIDTH, SMALL_LEADING, self.text(label), align=Align.R)


def render_pdf(blocks: Iterable[Block], info: DocumentInfo) -> bytes:
    """The blocks as a PDF/A-2u document on A4 pages, each with a footer and "page n of m"."""
    document = Document(info)
    for block in blocks:
        document.place(block)
    document.footers(info)
    return bytes(document.pdf.output())


def _xmp(info: DocumentInfo) -> str:
    """The XMP metadata PDF/A requires: its identification, the title, language and dates."""
    moment = info.created.isoformat(timespec="seconds")
    return f"""<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about=""
        xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
        xmlns:dc="http://purl.org/dc/elements/1.1/"
        xmlns:xmp="http://ns.adobe.com/xap/1.0/"
        xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdfaid:part>2</pdfaid:part>
      <pdfaid:conformance>U</pdfaid:conformance>
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.title)}</rdf:li></rdf:Alt></dc:title>
      <dc:language><rdf:Bag><rdf:li>{escape(info.language)}</rdf:li></rdf:Bag></dc:language>
      <xmp:CreateDate>{moment}</xmp:CreateDate>
      <xmp:ModifyDate>{moment}</xmp:ModifyDate>
      <xmp:MetadataDate>{moment}</xmp:MetadataDate>
      <pdf:Producer>Klussenbank</pdf:Producer>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>"""
