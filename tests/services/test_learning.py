"""Learning wishes, leerklussen, skills confirmed by posters and the monthly pulse, against a real
database: what matching makes of them, what the person sees and hides, what HR sees, and privacy."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.cards.why import why
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.work import EvaluationDraft
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.i18n import Translator
from klussenbank.services.growth import PulseService
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import FiguresView, ReportRequest
from klussenbank.services.signup import SignupService
from klussenbank.services.views import CandidatesView, ProfileView, PulseDraft, PulseView
from tests.conftest import FixedClock, good_draft
from tests.services.conftest import (
    ANNA,
    CHANTAL,
    DAAN,
    EVA,
    Market,
    privacy_service,
    report_service,
    work_service,
)
from tests.services.test_approvals import approved_match
from tests.services.test_klussen import outbox, posted, sign_up

NL = Translator("nl")


class PulseCards:
    def pulse(self, view: PulseView, locale: str) -> dict[str, object]:
        return {"pulse_id": view.pulse_id}


@pytest.fixture
def pulse(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> PulseService:
    return PulseService(uow_factory, clock=clock, cards=PulseCards())


@pytest.fixture
def privacy(uow_factory: UnitOfWorkFactory, clock: FixedClock, market: Market) -> PrivacyService:
    return privacy_service(uow_factory, clock, market.chores)


async def candidates(market: Market, poster: Actor, klus_id: int) -> CandidatesView:
    view = await market.choosing.candidates(poster, klus_id)
    assert isinstance(view, CandidatesView), view
    return view


async def test_a_learning_wish_ranks_someone_higher_and_says_so(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, EVA, DAAN)
    await sign_up(signup, CHANTAL, learning_skills=("omgevingswet",), learning_other="presenteren")
    profile = await signup.profile(CHANTAL)
    assert profile is not None
    assert [w if isinstance(w, str) else w.id for w in profile.learning] == ["omgevingswet", "presenteren"]

    # 32 hours where they have 12: nobody fits well, so what she can learn here makes the difference.
    klus = await posted(
        market, ANNA, organisation="harderwijk", hours_per_week=32, learning_skills=("omgevingswet",)
    )
    view = await candidates(market, ANNA, klus.id)

    rows = [row for row in view.candidates if row.match is not None]
    assert rows[0].person_id == CHANTAL.aad_object_id
    assert rows[0].match is not None and rows[1].match is not None
    assert rows[0].match.score > rows[1].match.score
    assert "Wil dit leren: Kennis van de Omgevingswet" in why(rows[0].match, NL, "they")


async def test_a_leerklus_brings_in_who_wants_to_learn_its_skill(
    market: Market, signup: SignupService
) -> None:
    await sign_up(signup, EVA)
    await sign_up(signup, CHANTAL, learning_skills=("omgevingswet",))
    needs = {"organisation": "harderwijk", "required_skills": ("omgevingswet",), "nice_skills": ()}
    plain = await posted(market, ANNA, **needs)
    leerklus = await posted(market, ANNA, leerklus=True, **needs)

    assert [r.person_id for r in (await candidates(market, ANNA, plain.id)).candidates] == []
    [row] = (await candidates(market, ANNA, leerklus.id)).candidates
    assert row.person_id == CHANTAL.aad_object_id
    assert row.match is not None and "Wil dit leren" in why(row.match, NL, "they")


async def test_a_poster_confirms_skills_they_show_on_the_profile_count_in_matching_and_can_be_hidden(
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: FileDirectory,
) -> None:
    work = work_service(uow_factory, clock, vocabulary, directory)
    approval_id = await approved_match(market, signup, uow_factory)
    assert await work.complete(ANNA, approval_id) is True
    draft = EvaluationDraft(score=5, again=True, skills=("minute-taking", "omgevingswet"))

    await work.evaluate(ANNA, approval_id, draft)

    profile = await signup.profile(CHANTAL)
    assert profile is not None
    assert [(c.skill.id, c.count, c.hidden) for c in profile.confirmed] == [
        ("minute-taking", 1, False),
        ("omgevingswet", 1, False),
    ]
    async with uow_factory() as uow:
        candidate = await market.shared.candidate(uow, CHANTAL.aad_object_id)
    assert candidate is not None and candidate.confirmed_skills == ("minute-taking", "omgevingswet")

    # Someone else's button names her skill: nothing of hers changes.
    await signup.set_confirmation_hidden(DAAN, "omgevingswet", True)
    assert (await signup.profile(CHANTAL)) == profile
    result = await signup.set_confirmation_hidden(CHANTAL, "omgevingswet", True)
    assert result is not None
    hidden, changed = result
    assert changed
    assert [(c.skill.id, c.hidden) for c in hidden.confirmed] == [
        ("minute-taking", False),
        ("omgevingswet", True),
    ]
    async with uow_factory() as uow:
        candidate = await market.shared.candidate(uow, CHANTAL.aad_object_id)
    assert candidate is not None and candidate.confirmed_skills == (
        "minute-taking",
    )  # hidden: counts nowhere


async def test_the_pulse_goes_once_a_month_to_who_used_klussenbank_and_hr_sees_only_aggregates(
    pulse: PulseService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
    directory: FileDirectory,
) -> None:
    clock.current = date(2026, 11, 10)
    await sign_up(signup, CHANTAL, DAAN)
    assert await pulse.send_due() == 0  # not before the 20th: the month's use comes first
    clock.current = date(2026, 11, 23)
    await signup.meet(EVA, None)  # only said hello: no use

    assert await pulse.send_due() == 2
    assert await pulse.send_due() == 0  # never twice a month
    assert sorted(name for reason, name in await outbox(engine) if reason == "pulse") == [
        "Chantal Bakker",
        "Daan Visser",
    ]
    async with engine.connect() as connection:
        rows = dict((await connection.execute(text("SELECT person_id, id FROM pulses"))).all())
    chantals, daans = sorted(rows.values())

    assert (await pulse.answer(CHANTAL, chantals, PulseDraft(score=9))).code == "invalid"
    assert (await pulse.answer(CHANTAL, daans, PulseDraft(score=4))).code == "not_found"  # not hers
    said = PulseDraft(score=4, text="Meer klussen in de buurt.", signed=True)
    assert (await pulse.answer(CHANTAL, chantals, said, once="k" * 20)).code == "thanks"
    assert (await pulse.answer(CHANTAL, chantals, said, once="k" * 20)).code == "already"
    assert (await pulse.answer(CHANTAL, chantals, PulseDraft(score=1))).code == "already"
    assert (await pulse.answer(DAAN, daans, PulseDraft(score=2, text="Te weinig tijd."))).code == "thanks"

    reports = report_service(uow_factory, clock, directory)
    view = await reports.report(ANNA, ReportRequest(organisation="ermelo"))
    assert isinstance(view, FiguresView)
    assert (view.pulse.answers, view.pulse.average) == (2, 3.0)
    assert dict(view.pulse.per_score) == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
    assert sorted(view.pulse.texts) == [
        ("Meer klussen in de buurt.", "Chantal Bakker"),
        ("Te weinig tijd.", ""),
    ]

    clock.current = date(2026, 12, 21)  # a new month: nobody did anything in it
    assert await pulse.send_due() == 0


async def test_the_pulse_counts_a_dutch_month_not_a_utc_one(
    pulse: PulseService, signup: SignupService, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    just_after_midnight = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 1 December, 00:30 in Amsterdam
    monkeypatch.setattr(clock, "now", lambda: just_after_midnight)
    clock.current = date(2026, 12, 1)
    assert isinstance(await signup.save(CHANTAL, good_draft(start_date=clock.current)), ProfileView)
    monkeypatch.undo()

    clock.current = date(2026, 12, 21)
    assert await pulse.send_due() == 1  # she used Klussenbank in December


async def test_two_instances_send_one_pulse(
    pulse: PulseService, signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await sign_up(signup, CHANTAL)
    other = PulseService(uow_factory, clock=clock, cards=PulseCards())

    sent = await asyncio.gather(pulse.send_due(), other.send_due(), return_exceptions=True)

    assert sorted(s for s in sent if isinstance(s, int)) in ([0, 1], [1])


async def test_my_data_erasure_and_retention_cover_learning_confirmations_and_the_pulse(
    privacy: PrivacyService,
    pulse: PulseService,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    engine: AsyncEngine,
    directory: FileDirectory,
    vocabulary: SkillVocabulary,
) -> None:
    work = work_service(uow_factory, clock, vocabulary, directory)
    approval_id = await approved_match(market, signup, uow_factory)
    await sign_up(signup, CHANTAL, learning_other="bijenteelt leren")
    await work.complete(ANNA, approval_id)
    await work.evaluate(ANNA, approval_id, EvaluationDraft(score=5, again=True, skills=("minute-taking",)))
    await pulse.send_due()
    async with engine.connect() as connection:
        pulse_id = await connection.scalar(
            text(
                "SELECT p.id FROM pulses p JOIN people ON people.id = p.person_id WHERE name = 'Chantal Bakker'"
            )
        )
    await pulse.answer(CHANTAL, pulse_id, PulseDraft(score=5, text="Heel fijn, dank jullie!", signed=True))

    mine = await privacy.my_data(CHANTAL)
    assert mine is not None
    assert mine.data["availability"]["learning_other"] == ["bijenteelt leren"]
    assert [(c["skill"], c["hidden"]) for c in mine.data["confirmed_skills"]] == [("minute-taking", False)]
    assert [(p["score"], p["text"], p["name_added"]) for p in mine.data["pulse"]] == [
        (5, "Heel fijn, dank jullie!", True)
    ]

    clock.current += timedelta(days=25 * 31)  # retention: the pulse's text goes, its score stays
    assert (await privacy.purge())["pulse_texts"] == 1
    async with engine.connect() as connection:
        answered = text("SELECT score, text, signed FROM pulses WHERE score IS NOT NULL")
        assert (await connection.execute(answered)).all() == [(5, "", False)]

    await privacy.erase(CHANTAL)
    async with engine.connect() as connection:
        confirmations = await connection.scalar(text("SELECT count(*) FROM skill_confirmations"))
        learning = await connection.scalar(text("SELECT count(*) FROM availability_profiles"))
    assert (confirmations, learning) == (0, 0)
