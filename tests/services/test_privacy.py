"""My data and erasing it, against a real database: the export, its link, and that after erasure
nothing personal remains in any table while the figures do."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.approval import ApprovalStatus
from klussenbank.domain.klus import InterestStatus, KlusStatus
from klussenbank.domain.talent import DateDraft
from klussenbank.domain.work import Evaluation, HoursMonth, Role
from klussenbank.services.pools import PeriodDraft, PoolService, QualificationDraft
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.signup import SignupService
from klussenbank.services.talent import TalentResultsView
from klussenbank.store.orm.base import Base
from tests.conftest import FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, Market, privacy_service
from tests.services.test_klussen import interested, outbox, posted, sign_up

INTRO = "Ik werk graag met kinderen en geef zwemles."
MOTIVATION = "Ik notuleer al jaren bij de ondernemingsraad."
ABOUT_HER = "Chantal notuleerde snel en heel precies."
HER_WORDS = "Een fijn team met duidelijke afspraken."
HER_TALENT = "Ik maak graag roosters voor het zwembad."
ASKED_OF_HER = "Zou je me twee uur willen helpen met het zwembadrooster?"
LEARNING = "bijenteelt voor beginners"
PULSE_WORDS = "Ik mis klussen in het weekend."
HER_REASON = "Tentamens van de deeltijdopleiding"  # an unavailable period's reason: only hers
POOL = "flexpool-burgerzaken"


async def chantal_in_the_flexpool(pools: PoolService, clock: FixedClock) -> None:
    """Chantal in the demo's flexpool: a step done, a qualification, a period she cannot work."""
    await pools.add_member(BRAM, POOL, "chantal.bakker@ermelo.example", None)
    await pools.tick_step(BRAM, POOL, CHANTAL.aad_object_id, "4 trainingsdagen", None)
    draft = QualificationDraft(
        CHANTAL.aad_object_id, "VOG", clock.today(), clock.today() + timedelta(days=20)
    )
    await pools.record_qualification(BRAM, POOL, draft, None)
    period = PeriodDraft(clock.today() + timedelta(days=3), clock.today() + timedelta(days=9), HER_REASON)
    assert (await pools.add_period(CHANTAL, period, None)).banner == "pools.period_added"


@pytest.fixture
def privacy(uow_factory: UnitOfWorkFactory, clock: FixedClock, market: Market) -> PrivacyService:
    return privacy_service(uow_factory, clock, market.chores)


async def chantal_in_the_marketplace(market: Market, signup: SignupService) -> dict[str, int]:
    """Chantal signed up, is matched (waiting for approval) on Anna's klus, interested in Bram's,
    and posted one of her own that Daan is interested in."""
    await sign_up(
        signup, CHANTAL, intro=INTRO, findable=True, talent_text=HER_TALENT, learning_other=LEARNING
    )
    await sign_up(signup, DAAN)
    # Anna found her in a talent search and asked her for a date: in her access log, and a date.
    found = await market.talent.search(ANNA, "notuleren")
    assert isinstance(found, TalentResultsView) and len(found.results) == 1
    await market.talent.request(ANNA, found.results[0].ref, DateDraft(ASKED_OF_HER, 2))
    annas = await posted(market, ANNA, organisation="harderwijk", title="Notuleren")
    await interested(market, CHANTAL, annas.id, MOTIVATION)
    await market.choosing.choose(ANNA, annas.id, CHANTAL.aad_object_id)
    await market.interest.confirm(CHANTAL, annas.id, share_motivation=True)
    brams = await posted(market, BRAM, title="Archief ordenen")
    await interested(market, CHANTAL, brams.id, MOTIVATION)
    await market.choosing.candidates(BRAM, brams.id)  # Bram saw her: a row in her access log
    hers = await posted(market, CHANTAL, organisation="ermelo", title="Zwembadrooster")
    await interested(market, DAAN, hers.id)
    return {"annas": annas.id, "brams": brams.id, "hers": hers.id}


async def approved_and_evaluated(
    klus_id: int, market: Market, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> int:
    """Bram approves Chantal's match on the klus; a month of hours and both evaluations are stored
    as the work service stores them. The approval's id."""
    async with uow_factory() as uow:
        [pending] = await uow.approvals.for_klus(klus_id)
    await market.approvals.approve(BRAM, pending.id)
    async with uow_factory() as uow:
        month = clock.today().replace(day=1)
        await uow.work.save_hours(HoursMonth(pending.id, month, 16.0, reported=14.5), now=clock.now())
        for role, score, went_well in ((Role.EMPLOYEE, 4, HER_WORDS), (Role.POSTER, 5, ABOUT_HER)):
            evaluation = Evaluation(pending.id, role, score, went_well, "", True, ("minute-taking",))
            await uow.work.add_evaluation(evaluation, now=clock.now())
        await uow.commit()
    return pending.id


async def test_my_data_holds_what_is_kept_and_its_link_is_signed(
    privacy: PrivacyService, market: Market, signup: SignupService
) -> None:
    await chantal_in_the_marketplace(market, signup)

    view = await privacy.my_data(CHANTAL)

    assert view is not None
    data = view.data
    assert data["person"]["name"] == "Chantal Bakker" and data["availability"]["intro"] == INTRO
    assert data["person"]["organisation"] == "Gemeente Ermelo"  # names, not the database's keys
    assert data["availability"]["organisations"] == ["Gemeente Ermelo", "Gemeente Harderwijk"]
    assert [(i["klus"], i["status"], i["motivation"]) for i in data["interests"]] == [
        ("Notuleren", "confirmed", MOTIVATION),
        ("Archief ordenen", "interested", MOTIVATION),
    ]
    assert [k["title"] for k in data["klussen_posted"]] == ["Zwembadrooster"]
    assert [a["status"] for a in data["approvals"]] == ["pending"]
    assert {row["what"] for row in data["seen_by"]} >= {
        "candidacy",
        "approval",
        "talent_search",
        "talent_date",
    }
    assert (data["availability"]["findable"], data["availability"]["talent_text"]) == (True, HER_TALENT)
    assert [(d["role"], d["text"], d["status"]) for d in data["talent_dates"]] == [
        ("talent", ASKED_OF_HER, "requested")
    ]
    json.dumps(data)  # plain JSON
    link = urlsplit(view.download_url)
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    aad = CHANTAL.aad_object_id
    assert link.path == f"/api/my-data/{aad}.json"
    assert await privacy.export(aad, query["expires"], query["sig"]) == data
    assert await privacy.export(DAAN.aad_object_id, query["expires"], query["sig"]) is None
    assert await privacy.export(aad, query["expires"], "f" * 64) is None


async def everything_stored(engine: AsyncEngine) -> list[tuple[str, str]]:
    """(table, every value as text) of every row of every table."""
    found: list[tuple[str, str]] = []
    async with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in await connection.execute(select(table)):
                values: list[Any] = list(row)
                found.append((table.name, json.dumps(values, ensure_ascii=False, default=str)))
    return found


async def test_after_erasure_nothing_personal_remains_and_the_figures_do(
    privacy: PrivacyService,
    market: Market,
    signup: SignupService,
    pools: PoolService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    ids = await chantal_in_the_marketplace(market, signup)
    await chantal_in_the_flexpool(pools, clock)
    # Bram approves: there is an agreement naming her too; she worked and both sides evaluated.
    approval_id = await approved_and_evaluated(ids["annas"], market, uow_factory, clock)
    async with uow_factory() as uow:
        assert all([await uow.agreements.get(approval_id, language) for language in ("nl", "en")])
        # Anna confirmed a skill of hers; she answered the monthly pulse, with her name.
        aad, now = CHANTAL.aad_object_id, clock.now()
        await uow.growth.confirm(aad, approval_id, ("minute-taking",), now=now)
        pulse_id = await uow.growth.start_pulse(aad, clock.today().replace(day=1), now=now)
        assert pulse_id is not None
        assert await uow.growth.answer_pulse(aad, pulse_id, 4, PULSE_WORDS, True, now=now)
        await uow.commit()
    mine = await privacy.my_data(CHANTAL)
    assert mine is not None
    assert [(e["by"], e["score"], e["went_well"]) for e in mine.data["evaluations"]] == [
        ("employee", 4, HER_WORDS),
        ("poster", 5, ABOUT_HER),
    ]
    assert [(h["planned"], h["reported"]) for h in mine.data["hours"]] == [(16.0, 14.5)]
    assert [a["action"] for a in (await privacy.my_data(BRAM) or mine).data["approval_actions"]] == [
        "approved"
    ]
    assert [p["pool"] for p in mine.data["pools"]] == [POOL]
    assert [s["step"] for s in mine.data["onboarding_steps"]] == ["4 trainingsdagen"]
    assert [q["name"] for q in mine.data["qualifications"]] == ["VOG"]
    assert [p["reason"] for p in mine.data["unavailable_periods"]] == [HER_REASON]
    traces = [
        HER_REASON,
        CHANTAL.aad_object_id,
        "Chantal Bakker",
        "chantal.bakker@ermelo.example",
        INTRO,
        MOTIVATION,
        ABOUT_HER,
        HER_WORDS,
        HER_TALENT,
        ASKED_OF_HER,
        LEARNING,
        PULSE_WORDS,
    ]
    stored = await everything_stored(engine)
    assert [trace for trace in traces if not any(trace in row for _, row in stored)] == []

    assert await privacy.erase(CHANTAL) == 3  # two klussen left, her own cancelled

    left = [
        (table, trace) for table, row in await everything_stored(engine) for trace in traces if trace in row
    ]
    assert left == []
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM skill_confirmations")) == 0
        assert (await connection.execute(text("SELECT score, signed FROM pulses"))).all() == [(4, False)]
    # The other side heard it, kindly and without her name.
    queued = await outbox(engine)
    assert ("klus.left", "Anna de Vries") in queued and ("klus.left", "Bram Jansen") in queued
    assert ("klus.cancelled", "Daan Visser") in queued
    async with uow_factory() as uow:
        [approval] = await uow.approvals.for_klus(ids["annas"])
        assert approval.status is ApprovalStatus.APPROVED  # what happened stays, linked to nobody
        assert approval.candidate_id.startswith("erased-")
        assert await uow.agreements.get(approval.id, "nl") is None  # in no language at all
        # Her evaluations keep their scores for the averages; the texts went.
        scores = [await uow.work.evaluation(approval.id, role) for role in (Role.EMPLOYEE, Role.POSTER)]
    assert [(e.score, e.went_well, e.skills) for e in scores if e] == [(4, "", ()), (5, "", ())]
    async with uow_factory() as uow:
        # The figures stay, linked to nobody: her interests, as withdrawn.
        statuses = [i.status for k in ids.values() for i in await uow.interests.for_klus(k)]
    assert statuses.count(InterestStatus.WITHDRAWN) == 2
    [summary] = [s for s in await market.posting.mine(ANNA) if s.klus.id == ids["annas"]]
    assert summary.klus.status is KlusStatus.OPEN  # filled no more: Anna may choose someone else
    async with engine.connect() as connection:
        erased = await connection.scalar(text("SELECT count(*) FROM people WHERE name = ''"))
    assert erased == 1
    assert await privacy.my_data(CHANTAL) is None  # nothing left to show
    assert (await market.approvals.access_log(BRAM)).rows == ()


async def test_coming_back_after_erasure_starts_fresh(
    privacy: PrivacyService, market: Market, signup: SignupService
) -> None:
    await chantal_in_the_marketplace(market, signup)
    await privacy.erase(CHANTAL)

    welcome = await signup.meet(CHANTAL, None)

    assert welcome is not None and await signup.profile(CHANTAL) is None


async def test_retention_purges_what_is_personal_about_old_klussen_and_keeps_the_figures(
    privacy: PrivacyService,
    market: Market,
    signup: SignupService,
    pools: PoolService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
) -> None:
    ids = await chantal_in_the_marketplace(market, signup)
    await chantal_in_the_flexpool(pools, clock)
    async with uow_factory() as uow:
        [pending] = await uow.approvals.for_klus(ids["annas"])
    await market.approvals.decline(BRAM, pending.id, "In die weken hebben we Chantal zelf nodig.")
    await market.posting.cancel(BRAM, ids["brams"])
    assert (await privacy.purge())["harderwijk"] == 0  # nothing is old yet
    assert (await pools.mine(CHANTAL)).periods  # her period is still to come

    clock.current += timedelta(days=25 * 31)  # more than the demo's 24 months later
    purged = await privacy.purge("cli:beheer")

    assert purged["ermelo"] == 1 and purged["harderwijk"] == 0  # Anna's klus is still open
    assert purged["pools"] == 2  # her period ended; her VOG expired more than 24 months ago
    async with uow_factory() as uow:
        [declined] = await uow.approvals.for_klus(ids["annas"])
        assert declined.reason.startswith("In die weken")  # Anna's klus is not closed: kept
        brams = await uow.interests.for_klus(ids["brams"])
        assert [i.motivation for i in brams] == [""] and brams[0].status is InterestStatus.NOT_CHOSEN
        entries = await uow.audit.recent(5)
    assert [(e.actor, e.action) for e in entries][:2] == [
        ("cli:beheer", "privacy.purged"),
        ("system", "privacy.purged"),
    ]
    assert "ermelo 1" in entries[0].detail
    # Talent search: the date Anna asked, and the looks outside any klus, are gone too.
    assert purged["talent_dates"] == 1
    assert [e.what for e in (await market.approvals.access_log(CHANTAL)).rows if "talent" in e.what] == []


async def test_retention_blanks_the_texts_of_evaluations_of_work_that_ended_long_ago(
    privacy: PrivacyService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    ids = await chantal_in_the_marketplace(market, signup)
    approval_id = await approved_and_evaluated(ids["annas"], market, uow_factory, clock)
    await privacy.purge()
    async with uow_factory() as uow:
        kept = await uow.work.evaluation(approval_id, Role.POSTER)
    assert kept is not None and kept.went_well == ABOUT_HER  # the work has not even ended

    clock.current += timedelta(days=60 + 25 * 31)  # its end date, then more than 24 months
    assert (await privacy.purge())["harderwijk"] == 1

    async with uow_factory() as uow:
        evaluations = [await uow.work.evaluation(approval_id, role) for role in (Role.EMPLOYEE, Role.POSTER)]
        [hours] = await uow.work.hours(approval_id)
    assert [(e.score, e.went_well, e.skills) for e in evaluations if e] == [(4, "", ()), (5, "", ())]
    assert hours.worked == 14.5  # the figures stay


async def test_delivered_cards_that_named_the_person_are_changed_in_every_chat(
    privacy: PrivacyService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await chantal_in_the_marketplace(market, signup)
    async with engine.begin() as connection:  # everything queued so far has arrived
        await connection.execute(
            text(
                "UPDATE outbox_deliveries SET status = 'sent', sent_conversation_id = 'a:chat', "
                "activity_id = 'act-' || id"
            )
        )
        naming_her = set(
            await connection.scalars(
                text(
                    "SELECT id FROM outbox_messages WHERE CAST(content AS TEXT) LIKE '%Chantal Bakker%' "
                    "OR CAST(content AS TEXT) LIKE :date"  # (the date asked of her, on her own card)
                ),
                {"date": f"%{ASKED_OF_HER}%"},
            )
        )
    assert naming_her, "the posters got cards naming her"

    await privacy.erase(CHANTAL)

    async with engine.connect() as connection:
        updates = (
            await connection.execute(
                text(
                    "SELECT o.message_id, m.content FROM outbox_deliveries d "
                    "JOIN outbox_messages m ON m.id = d.message_id "
                    "JOIN outbox_deliveries o ON o.id = d.updates_delivery_id "
                    "WHERE m.reason = 'privacy.erased' AND d.status = 'pending'"
                )
            )
        ).all()
    assert {message_id for message_id, _ in updates} == naming_her
    shown = {json.dumps(content, ensure_ascii=False) for _, content in updates}
    assert len(shown) == 1 and "Dit bericht is weggehaald" in shown.pop()
