"""The secondment agreement against a real database: drawn up at approval, offered to the parties,
readable only by them, and its PDF says what was agreed."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

from pypdf import PdfReader
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.agreements import AgreementLink
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.klussen import KlusService
from klussenbank.services.ports import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import Refusal
from tests.conftest import FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, agreement_service
from tests.services.test_approvals import confirmed_match, only_approval
from tests.services.test_klussen import outbox


async def test_an_approved_match_gets_its_agreement(
    klussen: KlusService,
    approvals: ApprovalService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
    engine: AsyncEngine,
) -> None:
    # Eva of Zeewolde (internal rate € 45,50 in the demo file) works for Bram's klus in Ermelo;
    # she has no manager, so HR (Anna) approves.
    klus_id = await confirmed_match(klussen, signup, EVA, poster=BRAM, organisation="ermelo")
    approval = await only_approval(uow_factory, klus_id)
    agreements = agreement_service(uow_factory, clock, directory)
    assert await agreements.link(EVA, approval.id) == Refusal("agreement_not_found")  # not approved yet

    await approvals.approve(ANNA, approval.id)

    ready = sorted(name for reason, name in await outbox(engine) if reason == "agreement.ready")
    assert ready == ["Anna de Vries", "Bram Jansen", "Eva Smit"]  # Anna approved and is HR: once
    link = await agreements.link(EVA, approval.id)
    assert isinstance(link, AgreementLink) and link.number.startswith("KB-2026-")
    assert await agreements.link(DAAN, approval.id) == Refusal("agreement_not_found")
    assert await agreements.link(CHANTAL, approval.id) == Refusal("agreement_not_found")
    url = urlsplit(link.url)
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    found = await agreements.pdf(approval.id, query["expires"], query["sig"])
    assert found is not None and await agreements.pdf(approval.id, query["expires"], "0" * 64) is None
    number, pdf = found
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf), strict=True).pages)
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
