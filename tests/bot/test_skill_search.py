"""Finding a skill by typing: the type-ahead skills list, over real HTTP into /api/messages."""

from __future__ import annotations

from typing import Any

import pytest

from klussenbank.config import Settings
from tests.bot.conftest import BotHarness


@pytest.fixture
def bot_settings() -> Settings:
    return Settings(skill_search="typeahead")


async def _search(harness: BotHarness, value: Any, *, locale: str = "nl-NL") -> tuple[int, Any]:
    return await harness.post(
        harness.activity(locale=locale, type="invoke", name="application/search", value=value)
    )


def _query(text: str, **options: int) -> dict[str, Any]:
    return {"queryText": text, "dataset": "skills", "queryOptions": {"skip": 0, "top": 15, **options}}


async def test_a_synonym_finds_the_skill_in_the_readers_language(harness: BotHarness) -> None:
    status, body = await _search(harness, _query("notulist"))
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.search.searchResponse"
    assert body["value"]["results"][0] == {"title": "Notuleren (notulist)", "value": "minute-taking"}

    _, body = await _search(harness, _query("notulist"), locale="en-US")
    assert body["value"]["results"][0] == {"title": "Taking minutes (notulist)", "value": "minute-taking"}


async def test_a_name_comes_first_without_the_word_it_was_found_by(harness: BotHarness) -> None:
    _, body = await _search(harness, _query("minu"), locale="en-US")
    results = body["value"]["results"]
    assert results[0] == {"title": "Taking minutes", "value": "minute-taking"}
    assert len(results) <= 15


async def test_top_and_skip_page_through_the_results(harness: BotHarness) -> None:
    _, first = await _search(harness, _query("groen", top=3))
    _, second = await _search(harness, _query("groen", top=3, skip=3))
    page1, page2 = first["value"]["results"], second["value"]["results"]
    assert len(page1) == 3 and len(page2) == 3
    assert not {r["value"] for r in page1} & {r["value"] for r in page2}


@pytest.mark.parametrize(
    "value",
    [
        None,
        "notulist",
        {"queryText": "notulist", "dataset": "people"},
        {"queryText": 42, "dataset": "skills"},
        {"queryText": "", "dataset": "skills"},
        {"queryText": "notulist", "dataset": "skills", "queryOptions": {"top": "all", "skip": -1}},
        {"queryText": "x" * 100_000, "dataset": "skills"},
    ],
)
async def test_odd_searches_get_an_answer_never_an_error(harness: BotHarness, value: Any) -> None:
    status, body = await _search(harness, value)
    assert status == 200
    assert body["type"] == "application/vnd.microsoft.search.searchResponse"
    assert isinstance(body["value"]["results"], list)


async def test_the_sign_up_card_asks_for_type_ahead_and_the_search_it_names_is_answered(
    harness: BotHarness,
) -> None:
    [form] = [card for card in await harness.say("beschikbaar") if card.get("body")][-1:]
    [picker] = [e for e in form["body"] if e.get("id") == "skills"]
    assert picker["style"] == "filtered"
    query = picker["choices.data"]
    assert query["type"] == "Data.Query"
    _, body = await _search(harness, _query("notulist") | {"dataset": query["dataset"]})
    assert body["value"]["results"][0]["value"] == "minute-taking"


async def test_other_invokes_are_still_not_handled(harness: BotHarness) -> None:
    status, _ = await harness.post(harness.activity(type="invoke", name="composeExtension/query", value={}))
    assert status == 501
