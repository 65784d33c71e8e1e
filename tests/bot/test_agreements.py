"""The secondment agreement over real HTTP: each party's card gives a signed link to the PDF in
their own language, and a link altered to another language or approval opens nothing."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfReader

from tests.bot.conftest import BRAM, DAAN, BotHarness
from tests.bot.test_klussen import LOCALE, buttons, card_of, post_klus, signed_up


async def download_link(harness: BotHarness, user: str, own: dict[str, Any] | None = None) -> tuple[str, str]:
    """The user presses the button on the message that offers them the agreement (or on `own`, the
    card they decided on): the link's path and query."""
    ready = [card_of(a) for a in harness.connector.sent if a.get("_conversation") == f"a:personal-{user}"]
    [show] = [buttons(card)["agreement.show"] for card in ready if "agreement.show" in buttons(card)] or [
        buttons(own or {})["agreement.show"]
    ]
    card = await harness.execute("agreement.show", show["data"], user=user, locale=LOCALE.get(user, "nl-NL"))
    [url] = [a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    link = urlsplit(url)
    return link.path, link.query


async def test_each_party_downloads_the_agreement_in_their_language(harness: BotHarness) -> None:
    # Daan (English) works on Bram's klus; Bram is his line manager and approves.
    await signed_up(harness, DAAN)
    klus_id = await post_klus(harness)
    await harness.execute(
        "interest.add", {"klus_id": klus_id, "motivation": "Sure."}, user=DAAN, locale="en-US"
    )
    await harness.execute("candidate.choose", {"klus_id": klus_id, "person_id": DAAN}, user=BRAM)
    await harness.execute("match.confirm", {"klus_id": klus_id}, user=DAAN, locale="en-US")
    # Bram is poster and approver: one card, the request; the card he approved on offers the agreement.
    request = next(c for c in map(card_of, await harness.deliver()) if "approval.approve" in buttons(c))
    approved = await harness.execute(
        "approval.approve", buttons(request)["approval.approve"]["data"], user=BRAM
    )
    await harness.deliver()

    daans, brams = await download_link(harness, DAAN), await download_link(harness, BRAM, approved)

    pdfs: dict[str, Any] = {}
    for (path, query), language in ((daans, "en"), (brams, "nl")):
        assert path.endswith(f".{language}.pdf"), path
        response = await harness.client.get(f"{path}?{query}")
        assert (response.status, response.content_type) == (200, "application/pdf")
        reader = PdfReader(io.BytesIO(await response.read()), strict=True)
        pdfs[language] = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        assert reader.root_object["/Lang"] == {"en": "en-GB", "nl": "nl-NL"}[language]
    assert pdfs["en"].startswith("Secondment agreement") and "Employee Daan Visser" in pdfs["en"]
    assert pdfs["nl"].startswith("Detacheringsovereenkomst") and "Medewerker Daan Visser" in pdfs["nl"]
    assert "Detacheringsovereenkomst" not in pdfs["en"] and "Secondment" not in pdfs["nl"]

    # Daan's link, changed to the Dutch PDF, another approval, or a made-up signature, opens nothing.
    path, query = daans
    approval_id = path.removeprefix("/api/agreements/").split(".")[0]
    for forged in (
        f"{path.replace('.en.pdf', '.nl.pdf')}?{query}",
        f"{path.replace(approval_id, str(int(approval_id) + 1))}?{query}",
        f"{path}?{query.split('&sig=')[0]}&sig={'0' * 64}",
    ):
        response = await harness.client.get(forged)
        assert response.status == 403, forged
        assert "This link is not valid (any more)" in await response.text()
    assert (await harness.client.get(f"{path.replace('.en.pdf', '.fr.pdf')}?{query}")).status == 404
