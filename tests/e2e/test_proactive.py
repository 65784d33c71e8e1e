"""A message sent outside a turn, through the outbox, arrives in the personal chat and can be updated."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from klussenbank.cards.general import notice_card
from klussenbank.services.ports.records import Recipient
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.uow import sql_unit_of_work
from tests.e2e.playground import BotServer, Chat

pytestmark = pytest.mark.e2e

CHANTAL = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
NEW = "Er is een nieuwe klus voor jou: notuleren bij de gemeenteraad."
WITHDRAWN = "Deze klus is ingetrokken. Bedankt voor je interesse!"


def _queue(database_url: str, text: str, *, replaces: int | None = None) -> int:
    # Playwright's sync API keeps an event loop running in this thread: queue from another one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _enqueue(database_url, text, replaces=replaces)).result(timeout=30)


async def _enqueue(database_url: str, text: str, *, replaces: int | None = None) -> int:
    engine = create_engine(database_url)
    try:
        async with sql_unit_of_work(session_factory(engine))() as uow:
            now = datetime.now(UTC)
            if replaces is None:
                message = await uow.outbox.enqueue(
                    {"card": notice_card(text)},
                    [Recipient(person_aad_object_id=CHANTAL)],
                    reason="e2e",
                    now=now,
                )
            else:
                message = await uow.outbox.enqueue_update(
                    replaces, {"card": notice_card(text)}, reason="e2e", now=now
                )
            await uow.commit()
            return message
    finally:
        await engine.dispose()


def test_a_queued_card_arrives_and_is_updated_in_place(chat: Chat, bot: BotServer) -> None:
    welcome = chat.wait_for_card("Klussenbank")  # installed: the bot knows the chat from here on
    message = _queue(bot.database_url, NEW)
    card = chat.wait_for_card(NEW, after=welcome.index)

    _queue(bot.database_url, WITHDRAWN, replaces=message)
    updated = chat.wait_for_card(WITHDRAWN, after=welcome.index)
    assert updated.index == card.index, "the same message changed; no new one was added"
    assert NEW not in " ".join(chat.card_texts())
