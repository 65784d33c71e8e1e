"""The secondment agreement against a real database: drawn up at approval in Dutch and English in
the lending organisation's wording, offered to the parties, readable only by them, each in their
language, and its PDF says what was agreed."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.documents import render_agreement
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.agreements import AgreementLink, AgreementService
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import Refusal
from tests.conftest import FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, agreement_service, privacy_service
from tests.services.test_approvals import approved_match, confirmed_match, only_approval
from tests.services.test_klussen import outbox


def signed(link: AgreementLink | Refusal) -> tuple[int, str, dict[str, str]]:
    """The approval id, the language and the signed query of a download link."""
    assert isinstance(link, AgreementLink), link
    url = urlsplit(link.url)
    path = re.fullmatch(r"/api/agreements/(\d+)\.(nl|en)\.pdf", url.path)
    assert path is not None, url.path
    return int(path[1]), path[2], {k: v[0] for k, v in parse_qs(url.query).items()}


def pdf_text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf), strict=True).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


async def opened(agreements: AgreementService, link: AgreementLink | Refusal) -> tuple[str, str]:
    """Follow a download link as the route does: the agreement's number and its PDF's text."""
    approval_id, language, query = signed(link)
    found = await agreements.pdf(approval_id, language, query["expires"], query["sig"])
    assert found is not None
    number, pdf = found
    return number, pdf_text(pdf)


async def test_an_approved_match_gets_its_agreement(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    # Eva of Zeewolde (internal rate € 45,50 in the demo file) works for Bram's klus in Ermelo;
    # she has no manager, so HR (Anna) approves.
    klus_id = await confirmed_match(market, signup, EVA, poster=BRAM, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)
    agreements = agreement_service(uow_factory, clock, directory)
    assert await agreements.link(EVA, approval.id) == Refusal("agreement_not_found")  # not approved yet

    await market.approvals.approve(ANNA, approval.id)

    # One message each, with the agreement in it; Anna approved (and is HR): her own card offers it.
    told = [q for q in await outbox(engine) if q[0].startswith(("klus.approval_", "agreement."))]
    assert sorted(told) == [
        ("klus.approval_approved_candidate", "Eva Smit"),
        ("klus.approval_approved_poster", "Bram Jansen"),
    ]
    anna = await market.approvals.show(ANNA, approval.id)
    assert not isinstance(anna, Refusal) and anna.agreement
    link = await agreements.link(EVA, approval.id)
    assert isinstance(link, AgreementLink) and link.number.startswith("KB-2026-")
    assert await agreements.link(DAAN, approval.id) == Refusal("agreement_not_found")
    assert await agreements.link(CHANTAL, approval.id) == Refusal("agreement_not_found")
    number, text = await opened(agreements, link)
    _, language, query = signed(link)
    assert await agreements.pdf(approval.id, language, query["expires"], "0" * 64) is None
    for expected in (
        number,
        "Gemeente Zeewolde",  # lending
        "Gemeente Ermelo",  # borrowing
        "Eva Smit",
        "Beleidsadviseur Ruimte",  # her job title, from the directory
        "Notuleren bij de raad",
        "8 uur",
        "€ 45,50",
        "Bram Jansen",
        "Goedgekeurd door Anna de Vries",
    ):
        assert expected in text, expected


async def test_each_party_reads_it_in_their_language_in_the_lending_organisations_wording(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    # Eva of Zeewolde (the demo's agreement template) works for a klus of Daan (English) in Ermelo.
    klus_id = await confirmed_match(market, signup, EVA, poster=DAAN, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)
    await market.approvals.approve(ANNA, approval.id)
    agreements = agreement_service(uow_factory, clock, directory)

    evas, daans = [await agreements.link(actor, approval.id) for actor in (EVA, DAAN)]
    assert isinstance(evas, AgreementLink) and isinstance(daans, AgreementLink)
    assert [signed(evas)[1], signed(daans)[1]] == ["nl", "en"]  # Eva's locale is nl-NL, Daan's en-US
    (dutch_number, dutch), (english_number, english) = [
        await opened(agreements, link) for link in (evas, daans)
    ]

    assert dutch_number == english_number == evas.number == daans.number
    assert dutch.startswith("Detacheringsovereenkomst") and english.startswith("Secondment agreement")
    for shown in (
        "Uitlenende organisatie Gemeente Zeewolde",
        "Uurtarief € 45,50",
        "Opdrachtgever Daan Visser",
    ):
        assert shown in dutch, shown
    for shown in ("Lending organisation Gemeente Zeewolde", "Hourly rate €45.50", "Klus owner Daan Visser"):
        assert shown in english, shown
    # Zeewolde's wording: its employment text, and its clause on travel costs as article 8.
    assert "Eva Smit zich vóór 9.00 uur ziek bij de eigen leidinggevende bij Gemeente Zeewolde" in dutch
    assert (
        "8. Reiskosten en werkplek Eva Smit werkt op de dagen van de klus op kantoor bij Gemeente Ermelo"
        in dutch
    )
    assert "9. Ondertekening" in dutch and "Salaris en arbeidsvoorwaarden blijven hetzelfde" not in dutch
    assert "Eva Smit reports sick before 9.00 a.m. to their own line manager at Gemeente Zeewolde" in english
    assert "8. Travel costs and place of work On the days of the klus, Eva Smit works" in english
    assert "9. Signatures" in english and "Reiskosten" not in english

    # A link is for its language: Eva's signature does not open the English one.
    _, _, query = signed(evas)
    assert await agreements.pdf(approval.id, "en", query["expires"], query["sig"]) is None


async def test_an_organisation_without_a_template_gets_the_built_in_wording(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    # Chantal of Ermelo (no template) works for Anna's klus in Harderwijk; Bram, her manager, approves.
    approval_id = await approved_match(market, signup, uow_factory)
    agreements = agreement_service(uow_factory, clock, directory)

    _, text = await opened(agreements, await agreements.link(CHANTAL, approval_id))

    assert "Uitlenende organisatie Gemeente Ermelo" in text
    assert "6. Werkgeverschap en rechtspositie Chantal Bakker blijft in dienst van Gemeente Ermelo." in text
    assert "8. Ondertekening" in text
    assert "Reiskosten" not in text and "vóór 9.00 uur" not in text and "9. " not in text


async def test_retention_purges_the_agreement_in_every_language(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    async with uow_factory() as uow:
        stored = [await uow.agreements.get(approval_id, language) for language in ("nl", "en")]
    assert [found.language for found in filter(None, stored)] == ["nl", "en"]

    clock.current += timedelta(days=60 + 25 * 31)  # the klus ended more than 24 months ago
    assert (await privacy_service(uow_factory, clock, market.chores).purge())["harderwijk"] == 1

    async with uow_factory() as uow:
        assert await uow.agreements.get(approval_id, "nl") is None  # in no language at all


async def test_the_pdf_is_made_from_the_terms_when_first_opened_and_kept(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    approval_id = await approved_match(market, signup, uow_factory)
    async with uow_factory() as uow:
        drawn_up = [await uow.agreements.get(approval_id, language) for language in ("nl", "en")]
    # Approving stored the terms in both languages, and made no PDF.
    assert [(found.language, found.pdf) for found in filter(None, drawn_up)] == [("nl", None), ("en", None)]
    dutch = drawn_up[0]
    assert dutch is not None and dutch.terms is not None and dutch.terms.language == "nl"

    clock.current += timedelta(days=3)  # the PDF says what was agreed then, not what is true when opened
    agreements = agreement_service(uow_factory, clock, directory)
    approval_id, language, query = signed(await agreements.link(CHANTAL, approval_id))
    first = await agreements.pdf(approval_id, language, query["expires"], query["sig"])
    again = await agreements.pdf(approval_id, language, query["expires"], query["sig"])

    assert first is not None and again == first
    assert first == (dutch.number, render_agreement(dutch.terms))
    async with uow_factory() as uow:
        kept = await uow.agreements.get(approval_id, "nl")
        english = await uow.agreements.get(approval_id, "en")
    assert kept is not None and kept.pdf == first[1]
    assert english is not None and english.pdf is None  # nobody opened the English one
