"""Announcements against a real database: who may announce, composing, previewing, sending now or
later, the report as delivery goes, cancelling, withdrawing, and the recipients' CSV."""

from __future__ import annotations

import csv
import io
from datetime import time, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.announcement import AnnouncementDraft, AnnouncementStatus
from klussenbank.domain.organisations import Rules
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.announcement_chores import AnnouncementChores
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.ports.records import Actor, Channel, ConversationRef
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from klussenbank.services.views import ComposerView, PreviewView, Refusal, ReportView
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import (
    ANNA,
    BRAM,
    CHANTAL,
    DAAN,
    EVA,
    TENANT,
    announcement_chores,
    announcement_service,
)

KLUSSEN_CHANNEL = Channel(
    "19:klussen@thread.tacv2", "19:general@thread.tacv2", "Klussenbank Veluwe", "Klussen"
)


@pytest.fixture
def announcements(
    signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory
) -> AnnouncementService:
    return announcement_service(uow_factory, clock, directory)


@pytest.fixture
def chores(signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> AnnouncementChores:
    return announcement_chores(uow_factory, clock)


def chat(person: Actor) -> ConversationRef:
    return ConversationRef(
        conversation_id=f"a:{person.aad_object_id}",
        conversation_type="personal",
        tenant_id=TENANT,
        channel_id="msteams",
        service_url="http://127.0.0.1:1/",
        person_aad_object_id=person.aad_object_id,
    )


async def with_chats(uow_factory: UnitOfWorkFactory, clock: FixedClock, *people: Actor) -> None:
    async with uow_factory() as uow:
        for person in people:
            await uow.conversations.save(chat(person), now=clock.now())
        await uow.commit()


async def in_team(chores: AnnouncementChores) -> None:
    await chores.remember_channel(
        KLUSSEN_CHANNEL,
        ConversationRef(
            KLUSSEN_CHANNEL.conversation_id, "channel", TENANT, "msteams", "http://127.0.0.1:1/", None
        ),
    )


def draft(**changes: Any) -> AnnouncementDraft:
    values: dict[str, Any] = {
        "title": "Klussenbank-lunch",
        "text": "Kom donderdag naar de lunch over de klussenbank.",
        "link_title": "Aanmelden",
        "link_url": "https://intranet.example/lunch",
        "channels": (KLUSSEN_CHANNEL.conversation_id,),
        "organisations": ("ermelo",),
    }
    return AnnouncementDraft(**{**values, **changes})


async def deliveries(engine: AsyncEngine, reason: str) -> list[tuple[str, str | None, str | None]]:
    """(status, person's name, channel conversation) of every copy queued for that reason."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT d.status, p.name, d.conversation_id FROM outbox_deliveries d "
                "JOIN outbox_messages m ON m.id = d.message_id LEFT JOIN people p ON p.id = d.person_id "
                "WHERE m.reason = :reason ORDER BY d.id"
            ),
            {"reason": reason},
        )
        return [(status, name, conversation) for status, name, conversation in rows]


async def deliver_all(engine: AsyncEngine, status: str = "sent", *, who: str | None = None) -> None:
    """Play the delivery worker: the announcement's copies (of one person, or all) reach `status`."""
    only = "AND d.person_id = (SELECT id FROM people WHERE name = :who)" if who else ""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE outbox_deliveries SET status = :status, activity_id = 'act-' || id, "
                "sent_conversation_id = coalesce(conversation_id, 'a:x') WHERE id IN (SELECT d.id FROM "
                "outbox_deliveries d JOIN outbox_messages m ON m.id = d.message_id "
                f"WHERE m.reason = 'announcement' AND d.status = 'pending' {only})"
            ),
            {"status": status, "who": who},
        )


def report(result: ReportView | PreviewView | ComposerView | Refusal) -> ReportView:
    assert isinstance(result, ReportView), result
    return result


# -- who may announce ---------------------------------------------------------------------------------


async def test_only_hr_may_announce(announcements: AnnouncementService, engine: AsyncEngine) -> None:
    for actor in (BRAM, CHANTAL, DAAN, EVA):
        assert await announcements.composer(actor) == Refusal("not_hr")
        assert await announcements.publish(actor, draft(), scheduled=False) == Refusal("not_hr")
    composer = await announcements.composer(ANNA)
    assert isinstance(composer, ComposerView)
    # The demo organisations file makes Anna HR for every organisation of the pool.
    assert {o.key for o in composer.organisations} == {"ermelo", "harderwijk", "zeewolde"}
    assert await deliveries(engine, "announcement") == []


async def test_the_directorys_hr_role_covers_the_own_organisation(
    signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory
) -> None:
    announcements = announcement_service(uow_factory, clock, directory, Rules())  # no HR in the file

    assert await announcements.hr_of(ANNA) == ("harderwijk",)  # her role "hr" in the directory
    assert await announcements.hr_of(BRAM) == ()


# -- composing ----------------------------------------------------------------------------------------


async def test_a_wrong_announcement_comes_back_with_messages_and_nothing_is_sent(
    announcements: AnnouncementService, chores: AnnouncementChores, engine: AsyncEngine
) -> None:
    await in_team(chores)
    cases = [
        (draft(title="", text="", channels=(), organisations=()), {"title", "text", "audience"}),
        (draft(link_url="http://intranet.example"), {"link_url"}),
        (draft(channels=("19:elders@thread.tacv2",)), {"audience"}),
        (draft(organisations=("amsterdam",)), {"audience"}),
        (draft(title="x" * 101), {"title"}),
    ]
    for wrong, fields in cases:
        result = await announcements.publish(ANNA, wrong, scheduled=False)
        assert isinstance(result, ComposerView), wrong
        assert {e.field for e in result.errors} == fields
        assert result.values == wrong  # what was typed is kept
    assert await deliveries(engine, "announcement") == []


async def test_the_preview_names_the_audience(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, BRAM, CHANTAL, EVA)  # Daan never opened the app

    preview = await announcements.preview(ANNA, draft())

    assert isinstance(preview, PreviewView)
    assert preview.channels == (KLUSSEN_CHANNEL,)
    assert preview.people == 2  # Bram and Chantal, of Ermelo, with the app
    assert preview.organisations == ("Gemeente Ermelo",)
    assert preview.announcement.author_name == "Anna de Vries"


# -- sending and following it -------------------------------------------------------------------------


async def test_sending_reaches_the_channel_and_people_and_the_report_keeps_up(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, ANNA, BRAM, CHANTAL)

    sent = report(await announcements.publish(ANNA, draft(), scheduled=False))

    assert sent.status is AnnouncementStatus.SENDING and sent.banner == "announcement.sent"
    assert sent.counts["pending"] == 3
    assert await deliveries(engine, "announcement") == [
        ("pending", None, KLUSSEN_CHANNEL.conversation_id),
        ("pending", "Bram Jansen", None),
        ("pending", "Chantal Bakker", None),
    ]
    assert await deliveries(engine, "announcement.report") == [("pending", "Anna de Vries", None)]
    assert await chores.refresh_reports() == 0  # nothing changed yet

    await deliver_all(engine, "unreachable", who="Bram Jansen")
    assert await chores.refresh_reports() == 1
    await deliver_all(engine)
    assert await chores.refresh_reports() == 1

    final = report(await announcements.report(ANNA, sent.announcement_id))
    assert final.status is AnnouncementStatus.SENT
    assert (final.counts["sent"], final.counts["unreachable"], final.counts["pending"]) == (2, 1, 0)
    assert await chores.refresh_reports() == 0  # sent: no longer followed


async def test_planning_sends_at_the_local_moment(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, ANNA, CHANTAL)
    tomorrow = TODAY + timedelta(days=1)

    too_early = await announcements.publish(
        ANNA, draft(send_date=TODAY, send_time=time(7, 0)), scheduled=True
    )
    assert isinstance(too_early, PreviewView)  # only the moment is wrong: back to choosing it
    assert [e.code for e in too_early.errors] == ["send_in_past"]
    planned = report(
        await announcements.publish(ANNA, draft(send_date=tomorrow, send_time=time(8, 30)), scheduled=True)
    )

    assert planned.status is AnnouncementStatus.SCHEDULED
    assert (planned.send_at.hour, planned.send_at.minute) == (8, 30)  # Amsterdam time, as chosen
    assert planned.send_at.utcoffset() == timedelta(hours=1)
    assert await chores.send_due() == 0
    clock.current = tomorrow  # 09:00 UTC = 10:00 in Amsterdam
    assert await chores.send_due() == 1
    assert await chores.send_due() == 0
    assert [name for _, name, _ in await deliveries(engine, "announcement")] == [None, "Chantal Bakker"]


async def test_a_cancelled_plan_never_goes_out(
    announcements: AnnouncementService, chores: AnnouncementChores, clock: FixedClock, engine: AsyncEngine
) -> None:
    await in_team(chores)
    tomorrow = TODAY + timedelta(days=1)
    planned = report(
        await announcements.publish(ANNA, draft(send_date=tomorrow, send_time=time(8)), scheduled=True)
    )

    assert await announcements.cancel(BRAM, planned.announcement_id) == Refusal("announcement_not_found")
    cancelled = report(await announcements.cancel(ANNA, planned.announcement_id))

    assert cancelled.status is AnnouncementStatus.CANCELLED
    clock.current = tomorrow
    assert await chores.send_due() == 0
    assert await deliveries(engine, "announcement") == []
    again = report(await announcements.cancel(ANNA, planned.announcement_id))
    assert again.banner == "announcement.not_now"


async def test_cancelling_while_sending_stops_what_has_not_gone_out(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, BRAM, CHANTAL)
    sent = report(await announcements.publish(ANNA, draft(), scheduled=False))
    await deliver_all(engine, who="Bram Jansen")

    cancelled = report(await announcements.cancel(ANNA, sent.announcement_id))

    assert cancelled.status is AnnouncementStatus.CANCELLED
    assert [status for status, _, _ in await deliveries(engine, "announcement")] == [
        "cancelled",
        "sent",
        "cancelled",
    ]


async def test_withdrawing_changes_every_copy_sent_and_stops_the_rest(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, BRAM, CHANTAL)
    sent = report(await announcements.publish(ANNA, draft(), scheduled=False))
    assert await announcements.withdraw(CHANTAL, sent.announcement_id) == Refusal("announcement_not_found")
    await deliver_all(engine, who="Chantal Bakker")

    withdrawn = report(await announcements.withdraw(ANNA, sent.announcement_id))

    assert withdrawn.status is AnnouncementStatus.WITHDRAWN and withdrawn.banner == "announcement.withdrawn"
    assert await deliveries(engine, "announcement.withdrawn") == [("pending", "Chantal Bakker", "a:x")]
    assert [status for status, _, _ in await deliveries(engine, "announcement")] == [
        "cancelled",
        "cancelled",
        "sent",
    ]
    async with engine.connect() as connection:
        card = await connection.scalar(
            text("SELECT content FROM outbox_messages WHERE reason = 'announcement.withdrawn'")
        )
    assert "Deze aankondiging is ingetrokken" in str(card) and "This announcement was withdrawn" in str(card)
    assert report(await announcements.withdraw(ANNA, sent.announcement_id)).banner == "announcement.not_now"


# -- the recipients' CSV ------------------------------------------------------------------------------


async def test_the_csv_link_is_signed_and_short_lived(
    announcements: AnnouncementService,
    chores: AnnouncementChores,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await in_team(chores)
    await with_chats(uow_factory, clock, BRAM, CHANTAL)
    async with uow_factory() as uow:  # a name a spreadsheet would run as a formula
        bram = await uow.people.get(BRAM.aad_object_id)
        assert bram is not None
        await uow.people.save(bram.__class__(**{**bram.__dict__, "name": "=HYPERLINK(1)"}), now=clock.now())
        await uow.commit()
    sent = report(await announcements.publish(ANNA, draft(), scheduled=False))
    await deliver_all(engine, who="Chantal Bakker")
    link = urlsplit(sent.csv_url)
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    announcement_id = sent.announcement_id

    found = await announcements.recipients_csv(announcement_id, query["expires"], query["sig"])

    assert link.path == f"/api/announcements/{announcement_id}/recipients.csv"
    assert found is not None
    rows = list(csv.reader(io.StringIO(found)))
    assert rows == [
        ["name", "email", "channel", "status"],
        ["Klussen", "", "Klussenbank Veluwe › Klussen", "pending"],
        ["'=HYPERLINK(1)", "bram.jansen@ermelo.example", "", "pending"],
        ["Chantal Bakker", "chantal.bakker@ermelo.example", "", "sent"],
    ]
    assert await announcements.recipients_csv(announcement_id, query["expires"], "0" * 64) is None
    assert await announcements.recipients_csv(announcement_id + 1, query["expires"], query["sig"]) is None
    clock.current = TODAY + timedelta(days=1)
    assert await announcements.recipients_csv(announcement_id, query["expires"], query["sig"]) is None


# -- channels -----------------------------------------------------------------------------------------


async def test_the_composer_offers_the_channels_the_app_is_in(
    announcements: AnnouncementService, chores: AnnouncementChores
) -> None:
    other = Channel("19:other@thread.tacv2", "19:team2@thread.tacv2", "Team Zeewolde", "Algemeen")
    await in_team(chores)
    await chores.remember_channel(other, None)
    await chores.remember_channel(
        Channel(KLUSSEN_CHANNEL.conversation_id, KLUSSEN_CHANNEL.team_id, "Klussenbank Veluwe", "Klussen!"),
        None,
    )

    composer = await announcements.composer(ANNA)
    assert isinstance(composer, ComposerView)
    assert [c.channel_name for c in composer.channels] == ["Klussen!", "Algemeen"]
    await chores.forget_channel(other.conversation_id)
    await chores.forget_team(KLUSSEN_CHANNEL.team_id)
    composer = await announcements.composer(ANNA)
    assert isinstance(composer, ComposerView) and composer.channels == ()
