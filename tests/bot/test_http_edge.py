"""Malformed input is a 400 with a reason, never a 500; errors in a turn never reach the user as text."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest

from klussenbank.i18n import catalog
from tests.bot.conftest import BRAM, CHANTAL, TENANT, BotHarness, snapshot


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


def _deep(levels: int) -> bytes:
    return b'{"type": "message", "channelData": ' + b"[" * levels + b"]" * levels + b"}"


@pytest.mark.parametrize(
    ("activity", "reason"),
    [
        ({"serviceUrl": "x"}, "serviceUrl must be an absolute http(s) address"),
        ({"serviceUrl": "/v3/conversations"}, "serviceUrl must be an absolute http(s) address"),
        ({"serviceUrl": "ftp://connector.example/"}, "serviceUrl must be an absolute http(s) address"),
        ({"serviceUrl": "http://"}, "serviceUrl must be an absolute http(s) address"),
        ({"serviceUrl": "file:///etc/passwd"}, "serviceUrl must be an absolute http(s) address"),
        ({"channelId": ""}, "invalid activity"),
        ({"channelId": None}, "channelId"),
        ({"from": {}}, "from.id"),
        ({"from": {"id": "", "aadObjectId": BRAM}}, "from.id"),
        ({"recipient": None}, "recipient.id"),
        ({"recipient": {"name": "Klussenbank"}}, "recipient.id"),
    ],
)
async def test_hostile_activities_get_400_and_nothing_is_stored(
    harness: BotHarness, activity: dict[str, Any], reason: str
) -> None:
    before = await snapshot(harness.engine)
    status, body = await harness.post(harness.activity(BRAM, type="message", text="hallo", **activity))
    assert status == 400
    assert reason in body["error"]
    assert harness.connector.sent == []
    assert await snapshot(harness.engine) == before


@pytest.mark.parametrize("levels", [10_000, 100])
async def test_deeply_nested_bodies_get_400(harness: BotHarness, levels: int) -> None:
    before = await snapshot(harness.engine)
    response = await harness.client.post(
        "/api/messages", data=_deep(levels), headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert await snapshot(harness.engine) == before


DOWNLOADS = [
    "/api/announcements/1/recipients.csv",
    "/api/agreements/1.nl.pdf",
    f"/api/my-data/{CHANTAL}.json",
    "/api/reports/ermelo/2026-01-01/2026-12-31.csv",
]


@pytest.mark.parametrize("path", DOWNLOADS)
@pytest.mark.parametrize(
    "expires",
    ["9" * 5_000, "١٧٩٩٩٩٩٩٩٩", "１７９９９９９９９９", "+1799999999", " 1799999999", "1799999999.0", ""],
    ids=["5000 digits", "arabic-indic digits", "fullwidth digits", "plus sign", "space", "decimal", "empty"],
)
async def test_download_links_with_a_hostile_expiry_are_refused(
    harness: BotHarness, path: str, expires: str
) -> None:
    response = await harness.client.get(path, params={"expires": expires, "sig": "0" * 64})
    assert response.status == 403
    assert response.headers["Cache-Control"] == "no-store"


async def test_a_personal_download_is_not_kept_by_browsers(harness: BotHarness) -> None:
    await harness.say("hallo")
    [card] = (await harness.say("mijn gegevens"))[-1:]
    link = urlsplit(next(a["url"] for a in card["actions"] if a["type"] == "Action.OpenUrl"))
    response = await harness.client.get(f"{link.path}?{link.query}")
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"


async def test_each_turn_leaves_one_audit_line_without_what_was_typed(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.say("hallo")
    with caplog.at_level(logging.INFO, "klussenbank.audit"):
        await harness.say("profiel")
        await harness.say("mijn geheime tekst")
        await harness.execute("interest.add", {"klus_id": 999, "motivation": "mijn geheime motivatie"})
        await harness.execute("klus.show", {"klus_id": "1\nactor=forged"})
    lines = [record.getMessage() for record in caplog.records if record.name == "klussenbank.audit"]
    actor = f"actor={CHANTAL} tenant={TENANT}"
    assert lines == [
        f"{actor} action=message:profile_show object=- result=answered",
        f"{actor} action=message:other object=- result=answered",
        f"{actor} action=card:interest.add object=klus_id=999 result=answered",
        f"{actor} action=card:klus.show object=- result=answered",
    ]
    assert "geheim" not in caplog.text
