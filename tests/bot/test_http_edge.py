"""Malformed input is a 400 with a reason, never a 500; errors in a turn never reach the user as text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from klussenbank.i18n import catalog
from tests.bot.conftest import BotHarness


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "JSON object"),
        (b'"text"', "JSON object"),
        (json.dumps({"type": 5}).encode(), "invalid activity: type"),
        (json.dumps({"type": "message", "text": "hi"}).encode(), "conversation.id"),
        (json.dumps({"type": "message", "conversation": {"id": "c"}}).encode(), "serviceUrl"),
        (json.dumps({"type": "message", "conversation": "c", "serviceUrl": "x"}).encode(), "conversation"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
async def test_malformed_requests_get_400_with_a_reason(
    harness: BotHarness, body: bytes, reason: str
) -> None:
    response = await harness.client.post(
        "/api/messages", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert reason in (await response.json())["error"]


@pytest.mark.parametrize(
    "data",
    [
        None,
        "a string",
        ["a", "list"],
        {"hours_per_week": {"nested": True}, "skills": ["x"], "start_date": 20261201},
        {"hours_per_week": "1e400", "work_mode": "everywhere", "end_date": "31-12-2026"},
        {"skills": "x" * 100_000},
    ],
)
async def test_hostile_card_payloads_get_a_card_not_an_error(harness: BotHarness, data: Any) -> None:
    await harness.say("hallo")
    value = {"action": {"type": "Action.Execute", "verb": "availability.save", "data": data}}
    status, body = await harness.post(
        harness.activity(type="invoke", name="adaptiveCard/action", value=value)
    )
    assert status == 200
    assert catalog("nl")["form.errors"] in json.dumps(body["value"], ensure_ascii=False)


async def test_a_failing_turn_apologises_without_details(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await harness.say("hallo")

    async def broken(*_args: Any) -> None:
        raise RuntimeError("database exploded: password=hunter2")

    monkeypatch.setattr("klussenbank.services.signup.SignupService.profile", broken)
    cards = await harness.say("profiel")
    shown = json.dumps(cards, ensure_ascii=False)
    assert catalog("nl")["error.apology"] in shown
    assert "exploded" not in shown and "Traceback" not in shown
