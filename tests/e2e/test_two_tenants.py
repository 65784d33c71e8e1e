"""Two Microsoft 365 tenants in one pool, end to end: the demo of `make run-two-tenants`
(demo/two-tenants) with one Agents Playground per tenant. Chantal opens the bot in tenant Noord's
Teams, Eva in tenant Zuid's; each is welcomed, and each is known to the bot as a person of their own
tenant (what the outbox later sends with that tenant's bot). A klus Chantal posts in Noord's
Playground reaches Eva in Zuid's, by Zuid's bot."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.flows import T, post_klus, sign_up, welcomed
from tests.e2e.playground import REPO_ROOT, BotServer, Chat, Playground, free_port, prepare_database

pytestmark = pytest.mark.e2e

TWO = REPO_ROOT / "demo" / "two-tenants"
SETTINGS = {"KLUSSENBANK_TENANTS_FILE": str(TWO / "tenants.toml")}
TENANTS = {"noord": "0000000a-0000-0000-0000-00000000000a", "zuid": "0000000b-0000-0000-0000-00000000000b"}
KLUS = "Minutes for the council"
PEOPLE = {"noord": "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03", "zuid": "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05"}


@pytest.fixture
def two_tenants(e2e_workdir: Path) -> Iterator[tuple[Path, dict[str, Playground]]]:
    database = e2e_workdir / "two-tenants.db"
    database.unlink(missing_ok=True)
    url = prepare_database(database, workdir=e2e_workdir, settings=SETTINGS)
    bot = BotServer(database_url=url, port=free_port(), workdir=e2e_workdir, settings=SETTINGS)
    playgrounds = {}
    for key in TENANTS:
        (e2e_workdir / key).mkdir(exist_ok=True)
        playgrounds[key] = Playground(
            bot_endpoint=bot.endpoint, workdir=e2e_workdir / key, config=TWO / f"playground-{key}.yml"
        )
    try:
        bot.start()
        for playground in playgrounds.values():
            playground.launch()
        for playground in playgrounds.values():
            playground.wait_ready()
        yield database, playgrounds
    finally:
        for playground in playgrounds.values():
            playground.stop()
        bot.stop()


def test_each_tenant_has_its_own_playground_and_a_klus_reaches_the_other(
    two_tenants: tuple[Path, dict[str, Playground]], browser: Browser
) -> None:
    database, playgrounds = two_tenants
    contexts = [browser.new_context(viewport={"width": 1280, "height": 1000}) for _ in playgrounds]
    try:
        chats = [
            Chat(context.new_page(), pg) for context, pg in zip(contexts, playgrounds.values(), strict=True)
        ]
        for chat in chats:
            chat.open()
        assert len(welcomed(*chats)) == 2
        chantal, eva = chats
        sign_up(eva, skills="minute-taking")
        post_klus(chantal, KLUS, "minute-taking", organisation="ermelo")
        # The suggestion shows up on its own in Eva's Playground: the other tenant's Teams.
        suggestion = eva.wait_for_card(T("notice.new_klus.title", title=KLUS))
        assert T("notice.new_klus.text", poster="Chantal Bakker") in suggestion.text()
    finally:
        for context in contexts:
            context.close()
    with sqlite3.connect(database) as connection:
        stored = dict(
            connection.execute(
                "SELECT people.aad_object_id, conversation_references.tenant_id FROM conversation_references "
                "JOIN people ON people.id = conversation_references.person_id"
            ).fetchall()
        )
        # The suggestion was a delivery to Eva in Zuid's tenant (sent with Zuid's bot).
        suggested = connection.execute(
            "SELECT DISTINCT outbox_deliveries.tenant_id, outbox_deliveries.status FROM outbox_deliveries "
            "JOIN people ON people.id = outbox_deliveries.person_id WHERE people.aad_object_id = ?",
            (PEOPLE["zuid"],),
        ).fetchall()
    assert {key: stored.get(person) for key, person in PEOPLE.items()} == TENANTS
    assert (TENANTS["zuid"], "sent") in suggested
