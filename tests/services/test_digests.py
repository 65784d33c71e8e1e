"""The weekly digest against a real database: its moment, its channels and readers, once a week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.digests import DigestResult, DigestService
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, EVA, Market, digest_service
from tests.services.test_klussen import posted, sign_up


@pytest.fixture
def digests(
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    market: Market,
) -> DigestService:
    return digest_service(uow_factory, clock, market.shared)


async def queued(engine: AsyncEngine) -> list[tuple[str, str | None, str | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT m.reason, p.name, d.conversation_id FROM outbox_deliveries d "
                "JOIN outbox_messages m ON m.id = d.message_id LEFT JOIN people p ON p.id = d.person_id "
                "WHERE m.reason LIKE 'digest.%' ORDER BY d.id"
            )
        )
        return [(reason, name, conversation) for reason, name, conversation in rows]


def test_the_moment_is_monday_eight_in_the_organisations_time_zone(digests: DigestService) -> None:
    sunday = datetime(2026, 11, 29, 12, tzinfo=UTC)
    monday_early = datetime(2026, 11, 30, 6, 59, tzinfo=UTC)  # 07:59 in Amsterdam
    monday = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam

    assert digests.slot("ermelo", sunday) == digests.slot("ermelo", monday_early)
    assert digests.slot("ermelo", monday_early).astimezone(UTC) == datetime(2026, 11, 23, 7, tzinfo=UTC)
    assert digests.slot("ermelo", monday).astimezone(UTC) == monday


async def test_new_klussen_go_to_the_channel_and_to_readers_ranked_for_them(
    digests: DigestService,
    market: Market,
    signup: SignupService,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await sign_up(signup, CHANTAL, EVA)
    assert await digests.set(CHANTAL, True) and await digests.set(DAAN, True)
    assert await digests.set(EVA, True) and not await digests.set(EVA, False)
    await posted(market, BRAM, title="Notuleren")
    await posted(
        market, ANNA, organisation="harderwijk", title="Archief ordenen", required_skills=("data-entry",)
    )
    clock.current = TODAY + timedelta(days=7)  # next Monday, 10:00 in Amsterdam

    result = await digests.run_due()

    # Ermelo's channel gets Ermelo's klus; Chantal (Ermelo, a profile) both, ranked; Daan (Ermelo,
    # no profile) both as they come; Eva turned it off; the other organisations have no readers.
    assert result == DigestResult(organisations=3, channels=1, people=2)
    assert await queued(engine) == [
        ("digest.channel", None, "19:klussenbank-playground-klussen@thread.tacv2"),
        ("digest.person", "Chantal Bakker", None),
        ("digest.person", "Daan Visser", None),
    ]
    async with engine.connect() as connection:
        card = str(
            await connection.scalar(
                text("SELECT content FROM outbox_messages WHERE reason = 'digest.person'")
            )
        )
    assert "Notuleren" in card and "Archief ordenen" in card and "Je kunt: Notuleren" in card
    assert await digests.run_due() == DigestResult()  # once a week


async def test_nothing_new_means_no_message_and_next_week_only_the_new(
    digests: DigestService,
    market: Market,
    signup: SignupService,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    await digests.set(CHANTAL, True)
    clock.current = TODAY + timedelta(days=7)
    assert (await digests.run_due()).people == 0
    assert await queued(engine) == []
    clock.current = TODAY + timedelta(days=9)
    await posted(market, BRAM, title="Notuleren", interest_deadline=TODAY + timedelta(days=20))
    clock.current = TODAY + timedelta(days=14)

    assert (await digests.run_due()).people == 1
    assert [name for _, name, _ in await queued(engine) if name] == ["Chantal Bakker"]


async def test_a_digest_more_than_half_a_day_late_is_skipped(
    digests: DigestService, market: Market, clock: FixedClock, engine: AsyncEngine
) -> None:
    await digests.set(CHANTAL, True)
    await posted(market, BRAM, title="Notuleren")
    clock.current = TODAY + timedelta(days=8)  # Tuesday: the bot was down on Monday

    assert (await digests.run_due()).people == 0
    assert await queued(engine) == []
