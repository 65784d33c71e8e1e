"""The secondment agreement as a PDF/A-2u: read back with pypdf, an independent reader, and checked."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from klussenbank.documents import render_agreement
from klussenbank.documents.pdf import TEXT_WIDTH, Document, DocumentInfo, Paragraph, Style, render_pdf
from klussenbank.domain.agreement import AgreementView, Contact, estimate_cost, weeks_in_period
from klussenbank.domain.agreement_wording import LANGUAGES, WORDING, AgreementTemplate, Clause, Language

CEST = timezone(timedelta(hours=2))


def agreement(**changes: Any) -> AgreementView:
    base = AgreementView(
        number="DO-2027-0042",
        agreement_date=date(2027, 5, 12),
        generated_at=datetime(2027, 5, 12, 9, 30, tzinfo=CEST),
        lending_organisation="Gemeente Ermelo",
        lending_department="Burgerzaken",
        borrowing_organisation="Gemeente Harderwijk",
        borrowing_department="Sociaal Domein",
        employee_name="Joëlle Hendriks",
        employee_job_title="Beleidsmedewerker",
        employee_email="j.hendriks@ermelo.nl",
        klus_title="Notuleren bij de raad",
        klus_description="Vier raadsvergaderingen notuleren en de verslagen uitwerken.",
        hours_per_week=8,
        start_date=date(2027, 6, 1),
        end_date=date(2027, 8, 31),
        hourly_rate=None,
        poster=Contact("René Bakker", "r.bakker@harderwijk.nl"),
        line_manager=Contact("Anouk de Wit", "a.dewit@ermelo.nl"),
        hr_contact=Contact("Sanne Smit", "hr@ermelo.nl"),
        approved_by="Anouk de Wit",
        approved_on=date(2027, 5, 12),
    )
    return dataclasses.replace(base, **changes)


def read(pdf: bytes) -> PdfReader:
    # strict: a wrong xref offset, length or object number is an error, not a silent repair.
    return PdfReader(io.BytesIO(pdf), strict=True)


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace made one space, so line breaks don't matter."""
    return [" ".join(page.extract_text().split()) for page in read(pdf).pages]


def text_of(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def test_a_free_agreement_in_dutch_names_parties_klus_period_and_costs() -> None:
    text = text_of(render_agreement(agreement()))

    for expected in [
        "Detacheringsovereenkomst",
        "Nummer DO-2027-0042",
        "Datum 12 mei 2027",
        "Goedgekeurd door Anouk de Wit op 12 mei 2027.",
        "1. Partijen",
        "Uitlenende organisatie Gemeente Ermelo Afdeling: Burgerzaken",
        "Inlenende organisatie Gemeente Harderwijk Afdeling: Sociaal Domein",
        "Medewerker Joëlle Hendriks Beleidsmedewerker j.hendriks@ermelo.nl",
        "2. Opdracht",
        "Klus Notuleren bij de raad",
        "Vier raadsvergaderingen notuleren en de verslagen uitwerken.",
        "3. Duur en omvang",
        "Periode 1 juni 2027 tot en met 31 augustus 2027",
        "Uren per week 8 uur",
        "4. Kosten",
        "De detachering is kosteloos.",
        "5. Contactpersonen",
        "Opdrachtgever René Bakker r.bakker@harderwijk.nl",
        "Leidinggevende Anouk de Wit a.dewit@ermelo.nl",
        "HR Sanne Smit hr@ermelo.nl",
        "6. Werkgeverschap en rechtspositie",
        "Joëlle Hendriks blijft in dienst van Gemeente Ermelo.",
        "Gemeente Harderwijk geeft leiding aan het dagelijkse werk",
        "7. Geheimhouding en AVG",
        "8. Ondertekening",
        "Namens Gemeente Ermelo (uitlenende organisatie)",
        "Namens Gemeente Harderwijk (inlenende organisatie)",
        "Joëlle Hendriks (medewerker) Naam: Joëlle Hendriks Datum:",
    ]:
        assert expected in text
    assert "Uurtarief" not in text and "€" not in text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Schatting 8 uur per week × 13,1 weken × € 1.234,50 = € 129.375,60"),
        ("en", "Estimate 8 hours per week × 13.1 weeks × €1,234.50 = €129,375.60"),
    ],
)
def test_the_costs_show_numbers_and_money_in_the_agreements_language(
    language: Language, expected: str
) -> None:
    """Dates, numbers and amounts come from i18n.formatting (CLDR); the no-break space after "€"
    in Dutch is drawn and read back as a space."""
    text = text_of(render_agreement(agreement(language=language, hourly_rate=Decimal("1234.50"))))

    assert expected in text
    assert ("Periode 1 juni 2027" if language == "nl" else "Period 1 June 2027") in text


ARTICLES = ["parties", "assignment", "duration", "costs", "contacts", "employment", "confidentiality"]


def test_articles_come_in_order_and_numbered() -> None:
    text = text_of(render_agreement(agreement()))

    headings = [f"{n}. {WORDING['nl'][key]}" for n, key in enumerate([*ARTICLES, "signing"], start=1)]
    positions = [text.index(heading) for heading in headings]

    assert positions == sorted(positions)
    assert headings[-1] == "8. Ondertekening"


OWN_WORDING = AgreementTemplate(
    texts={
        "nl": {
            "title": "Detacheringsovereenkomst {lending}",
            "employment_text": "{employee} blijft in dienst van {lending} en meldt zich vóór 9.00 uur ziek.",
        },
        "en": {
            "title": "Secondment agreement {lending}",
            "employment_text": "{employee} stays employed by {lending} and reports sick before 9.00 a.m.",
        },
    },
    clauses={
        "nl": (
            Clause("Reiskosten", "{lending} vergoedt de extra reiskosten van {employee}."),
            Clause("Werkplek bij {borrowing}", "{borrowing} zorgt voor een werkplek."),
        ),
        "en": (
            Clause("Travel costs", "{lending} pays the extra travel costs of {employee}."),
            Clause("Workplace at {borrowing}", "{borrowing} provides a workplace."),
        ),
    },
)


def test_a_template_rewords_texts_and_adds_its_clauses_numbered_before_the_signatures() -> None:
    pdf = render_agreement(agreement(template=OWN_WORDING))
    text = text_of(pdf)

    assert text.startswith("Detacheringsovereenkomst Gemeente Ermelo Nummer DO-2027-0042")
    assert "Joëlle Hendriks blijft in dienst van Gemeente Ermelo en meldt zich vóór 9.00 uur ziek." in text
    assert "Salaris en arbeidsvoorwaarden" not in text  # the built-in text it replaces
    assert "Gemeente Ermelo vergoedt de extra reiskosten van Joëlle Hendriks." in text
    assert "Gemeente Harderwijk zorgt voor een werkplek." in text
    headings = [f"{n}. {WORDING['nl'][key]}" for n, key in enumerate(ARTICLES, start=1)]
    headings += ["8. Reiskosten", "9. Werkplek bij Gemeente Harderwijk", "10. Ondertekening"]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "8. Ondertekening" not in text
    info = read(pdf).xmp_metadata
    assert info is not None
    assert info.dc_title == {"x-default": "Detacheringsovereenkomst Gemeente Ermelo DO-2027-0042"}


def test_a_template_in_english() -> None:
    text = text_of(render_agreement(agreement(template=OWN_WORDING, language="en")))

    assert text.startswith("Secondment agreement Gemeente Ermelo Number DO-2027-0042")
    assert (
        "6. Employer and legal position Joëlle Hendriks stays employed by Gemeente Ermelo and reports" in text
    )
    assert "8. Travel costs Gemeente Ermelo pays the extra travel costs of Joëlle Hendriks." in text
    assert "9. Workplace at Gemeente Harderwijk" in text and "10. Signatures" in text
    assert "Reiskosten" not in text and "Salary and terms of employment" not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_may_name_the_parties(language: str) -> None:
    # What a template may write (checked when the organisations file is loaded) is what renders.
    # Each text gets its own marker, so one agreement shows them all.
    keys = sorted(WORDING["nl"])
    template = AgreementTemplate(
        texts={
            lang: {key: f"[{n}{{lending}}] " + WORDING[lang][key] for n, key in enumerate(keys)}
            for lang in LANGUAGES
        }
    )
    text = " ".join(  # some texts are only there when the secondment costs something
        text_of(
            render_agreement(
                agreement(
                    template=template, language=language, hourly_rate=rate, lending_organisation="Ermelo"
                )
            )
        )
        for rate in (None, Decimal("45.50"))
    )
    # A label wraps in its narrow column: a short name keeps the marker on one line.
    assert [key for n, key in enumerate(keys) if f"[{n}Ermelo]" not in text] == []


def test_every_page_is_numbered_page_n_of_m() -> None:
    pages = pages_text(render_agreement(agreement()))

    assert len(pages) == 2
    assert pages[0].endswith("Detacheringsovereenkomst DO-2027-0042 Pagina 1 van 2")
    assert pages[1].endswith("Detacheringsovereenkomst DO-2027-0042 Pagina 2 van 2")


def test_a_long_description_flows_onto_further_pages_and_keeps_signatures_whole() -> None:
    sentences = [f"Stap {n}: de notulen van vergadering {n} uitwerken en rondsturen." for n in range(1, 50)]
    view = agreement(klus_description=" ".join(sentences))

    pages = pages_text(render_agreement(view))

    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        assert page.endswith(f"Pagina {number} van 3")
    assert sentences[0] in pages[0] and sentences[-1] in pages[1]
    footers = [f"Detacheringsovereenkomst DO-2027-0042 Pagina {n} van 3" for n in (1, 2, 3)]
    body = " ".join(page.removesuffix(footer) for page, footer in zip(pages, footers, strict=True))
    positions = [" ".join(body.split()).index(sentence) for sentence in sentences]
    assert positions == sorted(positions)
    # A signature caption, its line to sign and the name and date under it share a page.
    for caption in ("Namens Gemeente Ermelo", "Namens Gemeente Harderwijk", "Joëlle Hendriks (medewerker)"):
        page = next(page for page in pages if caption in page)
        assert "Datum:" in page[page.index(caption) :]


def test_dutch_characters_brackets_and_backslashes_come_through_unharmed() -> None:
    view = agreement(
        employee_name="Zoë Ünal-Müller",
        poster=Contact("Désirée Çelik", "d.celik@harderwijk.nl"),
        klus_title="Archief (oud) opruimen \\ scannen – ‘snel’",
        klus_description="Naïef geprobeerd: (a) ((b)) c) \\d. Kosten € 0.",
        borrowing_department="Financiën & Control",
    )

    text = text_of(render_agreement(view))

    assert "Medewerker Zoë Ünal-Müller" in text
    assert "Opdrachtgever Désirée Çelik" in text
    assert "Klus Archief (oud) opruimen \\ scannen – ‘snel’" in text
    assert "Naïef geprobeerd: (a) ((b)) c) \\d. Kosten € 0." in text
    assert "Afdeling: Financiën & Control" in text


@pytest.mark.parametrize("name", ["Łukasz Wiśniewski", "Şükrü Çelik", "Nguyễn Thị Minh Khai"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_name_comes_through_exactly(name: str, language: str) -> None:
    view = agreement(employee_name=name, language=language, poster=Contact(name, "p@harderwijk.nl"))

    text = text_of(render_agreement(view))

    employee = {"nl": "Medewerker", "en": "Employee"}[language]
    signed = {"nl": "Naam:", "en": "Name:"}[language]
    assert f"{employee} {name} Beleidsmedewerker" in text
    assert f"{signed} {name}" in text
    assert "?" not in text


def test_characters_the_font_lacks_become_question_marks() -> None:
    view = agreement(employee_name="Łukasz 🙂 Kowalski\x07", klus_title="Олена Шевченко, Γιώργος, e\u0301")

    text = text_of(render_agreement(view))

    # Fira Sans has Cyrillic and Greek, not emoji; é is drawn composed; PDF/A forbids missing glyphs.
    assert "Medewerker Łukasz ? Kowalski?" in text
    assert "Klus Олена Шевченко, Γιώργος, é" in text


def test_the_file_is_pdf_1_7_with_a_correct_cross_reference_table() -> None:
    pdf = render_agreement(agreement())

    assert pdf.startswith(b"%PDF-1.7\n%")
    assert all(byte > 127 for byte in pdf[10:14])  # PDF/A: a comment that marks the file binary
    assert pdf.endswith(b"%%EOF\n")
    startxref = re.search(rb"startxref\n(\d+)\n%%EOF\n$", pdf)
    assert startxref is not None
    start = int(startxref[1])
    assert pdf[start:].startswith(b"xref\n0 ")
    table = re.match(rb"xref\n0 (\d+)\n", pdf[start:])
    assert table is not None
    count = int(table[1])
    entries = pdf[start + table.end() : start + table.end() + 20 * count]
    assert entries[:20] == b"0000000000 65535 f \n"
    for number in range(1, count):
        entry = entries[20 * number : 20 * number + 20]
        assert entry.endswith(b" 00000 n \n")
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    assert re.search(rb"/Size %d\s" % count, pdf)
    reader = read(pdf)  # strict: checks the xref offsets and stream lengths as it reads
    assert reader.pdf_header == "%PDF-1.7"
    assert [page.mediabox[2:] for page in reader.pages] == [[595.28, 841.89]] * len(reader.pages)


def test_the_metadata_has_title_producer_language_and_the_given_creation_date() -> None:
    view = agreement(language="en")

    reader = read(render_agreement(view))

    metadata = reader.xmp_metadata  # PDF/A: XMP, and no document info dictionary to contradict it
    assert metadata is not None and "/Info" not in reader.trailer
    assert metadata.dc_title == {"x-default": "Secondment agreement DO-2027-0042"}
    assert metadata.pdf_producer == "Klussenbank"
    assert metadata.dc_language == ["en-GB"]
    assert metadata.xmp_create_date == view.generated_at.astimezone(UTC).replace(tzinfo=None)
    assert reader.root_object["/Lang"] == "en-GB"


def test_a_title_with_any_characters_comes_back_whole() -> None:
    info = DocumentInfo(title="Overeenkomst Zoë € <&> 🙂", created=datetime(2027, 1, 2, 3, 4, 5, tzinfo=UTC))

    reader = read(render_pdf([Paragraph("x")], info))

    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.dc_title == {"x-default": "Overeenkomst Zoë € <&> 🙂"}
    assert reader.xmp_metadata.xmp_create_date == datetime(2027, 1, 2, 3, 4, 5)


def test_the_same_input_gives_the_same_bytes() -> None:
    view = agreement(hourly_rate=Decimal("60"))

    first = render_agreement(view)

    assert render_agreement(dataclasses.replace(view)) == first
    later = render_agreement(dataclasses.replace(view, generated_at=view.generated_at + timedelta(hours=1)))
    assert later != first
    assert len(later) == len(first)


PDFA_ID = "http://www.aiim.org/pdfa/ns/id/"


def test_it_is_pdf_a_2u_with_srgb_and_embedded_fonts() -> None:
    pdf = render_agreement(agreement(hourly_rate=Decimal("45.50")))
    reader = read(pdf)

    metadata = reader.xmp_metadata
    assert metadata is not None
    identification = [metadata.get_nodes_in_namespace("", PDFA_ID)]
    assert identification and {(n.localName, n.firstChild.data) for n in identification[0]} == {
        ("part", "2"),
        ("conformance", "U"),
    }
    assert "/Filter" not in reader.root_object["/Metadata"]  # PDF/A: metadata readable as it is
    [intent] = [i.get_object() for i in reader.root_object["/OutputIntents"]]
    assert (intent["/S"], intent["/OutputConditionIdentifier"]) == ("/GTS_PDFA1", "sRGB")
    profile = intent["/DestOutputProfile"].get_object()
    assert (
        profile["/N"] == 3 and profile.get_data()[16:20] == b"RGB " and profile.get_data()[36:40] == b"acsp"
    )
    assert not reader.is_encrypted
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            [descendant] = [d.get_object() for d in font["/DescendantFonts"]]
            assert re.fullmatch(r"/[A-Z]{6}\+FiraSans(Bold)?", font["/BaseFont"])  # a subset
            assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded
            assert "/ToUnicode" in font  # the "u" of PDF/A-2u: every glyph maps to its text


LAYOUT: dict[tuple[Language, str | None], list[list[int]]] = {
    # The articles on each page: a change here is a change of the layout.
    ("nl", None): [[1, 2, 3, 4, 5], [6, 7, 8]],
    ("nl", "45.50"): [[1, 2, 3, 4, 5], [6, 7, 8]],
    ("en", None): [[1, 2, 3, 4, 5, 6], [7, 8]],
    ("en", "45.50"): [[1, 2, 3, 4, 5], [6, 7, 8]],
}


@pytest.mark.parametrize(("language", "rate"), sorted(LAYOUT, key=str))
def test_the_layout_stays_as_it_is(language: Language, rate: str | None) -> None:
    view = agreement(language=language, hourly_rate=Decimal(rate) if rate else None)
    headings = [f"{n}. {WORDING[language][key]}" for n, key in enumerate([*ARTICLES, "signing"], start=1)]

    pages = pages_text(render_agreement(view))

    assert pages[0].startswith(f"{WORDING[language]['title']} ")
    on_pages = [[n for n, heading in enumerate(headings, start=1) if heading in page] for page in pages]
    assert on_pages == LAYOUT[(language, rate)]
    for page, numbers in zip(pages, on_pages, strict=True):
        positions = [page.index(headings[n - 1]) for n in numbers]
        assert positions == sorted(positions)


words = st.text(alphabet=st.sampled_from("aeiklmnoWë€(\\)-Łễ"), min_size=1, max_size=40)


@cache
def blank_document() -> Document:
    """Made once: loading the fonts takes longer than Hypothesis gives an example."""
    return Document(DocumentInfo("x", datetime(2027, 1, 1, tzinfo=UTC)))


@given(st.lists(words, max_size=30), st.sampled_from(["", "B"]), st.integers(20, 480))
def test_wrapped_lines_fit_and_keep_every_word(parts: list[str], style: Style, width: int) -> None:
    document = blank_document()

    lines = document.lines(" ".join(parts), style, 10, width)

    assert all(document.pdf.get_string_width(line) <= width or len(line) == 1 for line in lines)
    assert "".join("".join(line.split(" ")) for line in lines) == "".join(parts)


def test_wrapping_keeps_newlines_and_fills_the_text_width() -> None:
    document = blank_document()

    lines = document.lines("één twee\n\ndrie " + "woord " * 40, "", 10, TEXT_WIDTH)

    width = document.pdf.get_string_width
    assert lines[0] == "één twee" and lines[1] == ""
    assert all(width(line) <= TEXT_WIDTH for line in lines)
    assert width(lines[2]) > TEXT_WIDTH - width(" woord")


@pytest.mark.parametrize(
    ("start", "end", "weeks"),
    [
        (date(2027, 6, 1), date(2027, 6, 7), Decimal("1.0")),
        (date(2027, 1, 1), date(2027, 3, 31), Decimal("12.9")),  # 90 days
        (date(2027, 6, 1), date(2027, 8, 31), Decimal("13.1")),  # 92 days
        (date(2027, 6, 1), date(2027, 6, 1), Decimal("0.1")),
    ],
)
def test_weeks_in_a_period_count_both_ends(start: date, end: date, weeks: Decimal) -> None:
    assert weeks_in_period(start, end) == weeks


def test_the_estimate_rounds_to_cents() -> None:
    assert estimate_cost(3, date(2027, 1, 1), date(2027, 3, 31), Decimal("33.335")) == Decimal("1290.06")


def test_both_languages_have_the_same_wording_keys() -> None:
    assert WORDING["nl"].keys() == WORDING["en"].keys()


def test_text_that_looks_like_a_page_count_placeholder_stays_as_it_is() -> None:
    text = text_of(render_agreement(agreement(klus_title="Pagina {nb} van {pages} {page}")))

    assert "Klus Pagina {nb} van {pages} {page}" in text
