"""The turn gate over real HTTP: with one slot, a second activity waits until the first turn is done,
and then is answered too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from klussenbank.config import Settings
from klussenbank.i18n import catalog
from tests.bot.conftest import BRAM, CHANTAL, BotHarness
from tests.bot.test_klussen import texts

NL = catalog("nl")


@pytest.fixture
def bot_settings() -> Settings:
    return Settings(concurrent_turns=1)


async def until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


def waiting(harness: BotHarness) -> float | None:
    return harness.metrics.registry.get_sample_value("klussenbank_turns_waiting")


async def test_a_turn_waits_for_a_free_slot_and_is_answered_after(harness: BotHarness) -> None:
    await harness.say("hallo", CHANTAL)
    await harness.say("hallo", BRAM)
    before = len(harness.connector.cards())
    # Teams takes its time with each reply: the first turn holds the one slot meanwhile.
    harness.connector.configure(slow_rate=1.0, slow_ms=1_500)
    assert waiting(harness) == 0

    first = asyncio.create_task(harness.say("help", CHANTAL))
    await until(lambda: len(harness.connector.cards()) > before)  # the first turn's reply reached Teams
    second = asyncio.create_task(harness.say("help", BRAM))
    await until(lambda: waiting(harness) == 1)

    assert len(harness.connector.cards()) == before + 1  # the second turn has not started
    [first_card], [second_card] = await asyncio.wait_for(asyncio.gather(first, second), 30)
    assert waiting(harness) == 0
    assert NL["help.title"] in texts(first_card) and NL["help.title"] in texts(second_card)
    replies = harness.connector.cards()[before:]
    assert replies == [first_card, second_card]
