"""Development tracks against a real database: consent before anything is stored, who sees a track
(the person and their HR adviser, nobody else), the person's own suggestions favouring its goals,
HR's view and exports, standing candidates, and the track in `my data`, erasure and retention."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.data import load_rules
from klussenbank.dialogs.tracks import parse_proposal
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.track import TrackKind
from klussenbank.domain.work import EvaluationDraft
from klussenbank.services.once import Repeated
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.shifts import Coordinators, ShiftRequestView, ShiftService
from klussenbank.services.signup import SignupService
from klussenbank.services.tracks import (
    MyTrackView,
    StandingView,
    TrackFormView,
    TrackNotice,
    TrackProgressView,
    TrackRequest,
    TrackService,
    progress_csv,
)
from klussenbank.services.views import CandidatesView, Refusal
from klussenbank.store.orm.outbox import OutboxMessageRow
from klussenbank.verbs import Verb
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import (
    ANNA,
    BRAM,
    CHANTAL,
    DAAN,
    Market,
    privacy_service,
    track_service,
    work_service,
)
from tests.services.test_approvals import approved_match
from tests.services.test_klussen import interested, posted, sign_up
from tests.services.test_privacy import everything_stored
from tests.services.test_shifts import request as shift_request


@pytest.fixture
def tracks(uow_factory: UnitOfWorkFactory, market: Market, directory: Any) -> TrackService:
    return track_service(uow_factory, market.shared, directory)


@pytest.fixture
def privacy(uow_factory: UnitOfWorkFactory, clock: FixedClock, market: Market) -> PrivacyService:
    return privacy_service(uow_factory, clock, market.chores)


def request(**changes: Any) -> TrackRequest:
    values: dict[str, Any] = {
        "person_id": CHANTAL.aad_object_id,
        "kind": TrackKind.CAREER,
        "skills": ("copywriting",),
        "hours": 40,
        "until": TODAY + timedelta(days=180),
        "adviser_id": ANNA.aad_object_id,
        **changes,
    }
    return TrackRequest(**values)


async def consent_data(engine: AsyncEngine) -> dict[str, Any]:
    """What the latest consent card's yes button sends back, as the card carries it."""
    async with engine.connect() as connection:
        content = await connection.scalar(
            select(OutboxMessageRow.content)
            .where(OutboxMessageRow.reason == "track.consent")
            .order_by(OutboxMessageRow.id.desc())
        )
    assert content is not None
    [action] = [a for a in content["card"]["actions"] if a["verb"] == Verb.TRACK_ACCEPT]
    return dict(action["data"])


async def started(tracks: TrackService, engine: AsyncEngine) -> MyTrackView:
    """Anna proposes a track to Chantal, who says yes on her consent card."""
    assert isinstance(await tracks.propose(ANNA, request()), TrackNotice)
    proposal, seal = parse_proposal(await consent_data(engine))
    result = await tracks.answer(CHANTAL, proposal, seal, yes=True)
    assert isinstance(result, MyTrackView), result
    return result


async def stored_tracks(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM tracks")) or 0)


async def test_nothing_is_stored_until_the_person_says_yes_and_then_only_they_and_the_adviser_see_it(
    tracks: TrackService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    assert isinstance(await tracks.propose(ANNA, request()), TrackNotice)
    assert await stored_tracks(engine) == 0  # only the consent card, on its way to her
    data = await consent_data(engine)
    proposal, seal = parse_proposal(data)

    # Someone else pressing her card, or a card whose goals were changed, is refused.
    assert await tracks.answer(BRAM, proposal, seal, yes=True) == Refusal("track_proposal_invalid")
    forged, forged_seal = parse_proposal({**data, "hours": 1})
    assert await tracks.answer(CHANTAL, forged, forged_seal, yes=True) == Refusal("track_proposal_invalid")
    assert await stored_tracks(engine) == 0

    mine = await tracks.answer(CHANTAL, proposal, seal, yes=True, once="k1")
    assert isinstance(mine, MyTrackView) and mine.banner == "track.started_by_you"
    again = await tracks.answer(CHANTAL, proposal, seal, yes=True, once="k1")
    assert isinstance(again, Repeated) and len(again.result.tracks) == 1  # a double click: once
    [summary] = mine.tracks
    assert summary.adviser_name == "Anna de Vries" and summary.track.goals.hours == 40

    # The adviser sees it, and the look is in Chantal's access log.
    listed = await tracks.advised(ANNA)
    assert not isinstance(listed, Refusal) and [s.person_name for s in listed.tracks] == ["Chantal Bakker"]
    progress = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(progress, TrackProgressView)
    assert [e.kind.value for e in progress.timeline] == ["started"]
    seen = await market.approvals.access_log(CHANTAL)
    assert [(r.viewer_name, r.what, r.klus_title) for r in seen.rows] == [("Anna de Vries", "track", "")]

    # Her manager (and poster) Bram sees nothing: not the track, nor a list of them.
    assert await tracks.progress(BRAM, summary.track.id) == Refusal("track_not_found")
    assert await tracks.advised(BRAM) == Refusal("not_hr")
    assert await tracks.klussen(BRAM, summary.track.id) == Refusal("track_not_found")


async def test_saying_no_stores_nothing_and_tells_hr_kindly(
    tracks: TrackService, engine: AsyncEngine
) -> None:
    await tracks.propose(ANNA, request())
    proposal, seal = parse_proposal(await consent_data(engine))

    result = await tracks.answer(CHANTAL, proposal, seal, yes=False)

    assert (
        isinstance(result, MyTrackView) and result.tracks == () and result.banner == "track.declined_by_you"
    )
    assert await stored_tracks(engine) == 0
    async with engine.connect() as connection:
        reasons = list(
            await connection.scalars(select(OutboxMessageRow.reason).order_by(OutboxMessageRow.id))
        )
    assert reasons == ["track.consent", "track.declined"]


async def test_only_hr_proposes_with_valid_goals_for_someone_of_their_organisation(
    tracks: TrackService,
) -> None:
    assert await tracks.form(BRAM) == Refusal("not_hr")
    assert await tracks.propose(BRAM, request()) == Refusal("not_hr")
    form = await tracks.form(ANNA)
    assert isinstance(form, TrackFormView) and CHANTAL.aad_object_id in {c.id for c in form.people}
    assert ANNA.aad_object_id not in {c.id for c in form.people}  # not for herself

    wrong = await tracks.propose(
        ANNA, request(skills=(), hours=0, until=TODAY, adviser_id=BRAM.aad_object_id, kind=None)
    )

    assert isinstance(wrong, TrackFormView)
    assert {e.field for e in wrong.errors} == {"skills", "hours", "until", "adviser", "kind"}
    # Typed as an e-mail address (the card asks for one when the organisation is too big for a list).
    by_address = await tracks.propose(ANNA, request(person_id="Chantal.Bakker@ermelo.example"))
    assert by_address == TrackNotice("proposed", "Chantal Bakker")
    unknown = await tracks.propose(ANNA, request(person_id="nobody@ermelo.example"))
    assert isinstance(unknown, TrackFormView) and [e.field for e in unknown.errors] == ["person"]


async def test_her_own_list_favours_klussen_that_serve_the_track_and_says_so_to_her_alone(
    tracks: TrackService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL, DAAN)
    other = await posted(market, BRAM, title="Notuleren A", nice_skills=("project-management",))
    serving = await posted(market, BRAM, title="Notuleren B", nice_skills=("copywriting",))
    before = await market.interest.offers(CHANTAL)
    assert all(r.code != "track" for o in before.offers if o.match for r in o.match.reasons)

    await started(tracks, engine)

    after = await market.interest.offers(CHANTAL)
    assert [o.klus.id for o in after.offers][:2] == [serving.id, other.id]
    [reason] = (
        [r for r in after.offers[0].match.reasons if r.code == "track"] if after.offers[0].match else []
    )
    assert reason.skills == ("copywriting",) and reason.weight == 0.0
    # The poster (her manager too) sees her interest, and no trace of the track.
    await interested(market, CHANTAL, serving.id)
    candidates = await market.choosing.candidates(BRAM, serving.id)
    assert isinstance(candidates, CandidatesView)
    [row] = [row for row in candidates.candidates if row.person_id == CHANTAL.aad_object_id]
    assert row.match is not None and "track" not in {r.code for r in row.match.reasons}


async def test_the_adviser_suggests_a_klus_and_the_person_decides(
    tracks: TrackService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL)
    klus = await posted(market, BRAM, title="Tekst voor de website", nice_skills=("copywriting",))
    await posted(market, BRAM, title="Niet voor het traject", nice_skills=("project-management",))
    [summary] = (await started(tracks, engine)).tracks

    fitting = await tracks.klussen(ANNA, summary.track.id)
    assert not isinstance(fitting, Refusal) and [k.title for k in fitting.klussen] == [klus.title]
    suggested = await tracks.suggest(ANNA, summary.track.id, klus.id, once="s1")
    assert not isinstance(suggested, Refusal) and suggested.banner == "track.suggested"
    again = await tracks.suggest(ANNA, summary.track.id, klus.id, once="s1")
    assert not isinstance(again, Refusal) and again.banner == "once.already_done"

    async with engine.connect() as connection:
        reasons = list(await connection.scalars(select(OutboxMessageRow.reason)))
    assert reasons.count("track.suggested") == 1
    progress = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(progress, TrackProgressView)
    assert [(e.kind.value, e.klus_title) for e in progress.timeline][-1] == ("suggested", klus.title)
    assert "suggested" in progress_csv(progress)


async def test_the_csv_for_the_personnel_file_runs_no_formula_a_klus_title_holds(
    tracks: TrackService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL)
    title = '=HYPERLINK("https://example.org","Open")'
    klus = await posted(market, BRAM, title=title, nice_skills=("copywriting",))
    [summary] = (await started(tracks, engine)).tracks
    await tracks.suggest(ANNA, summary.track.id, klus.id)
    progress = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(progress, TrackProgressView)

    cells = [cell for row in csv.reader(io.StringIO(progress_csv(progress))) for cell in row]

    assert "'" + title in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]


async def test_the_adviser_is_offered_no_request_by_shift_to_suggest(
    tracks: TrackService,
    market: Market,
    signup: SignupService,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    directory: Any,
) -> None:
    await sign_up(signup, CHANTAL)
    coordinators = Coordinators(directory, load_rules("demo"))
    shifts = ShiftService(uow_factory, market=market.shared, directory=directory, coordinators=coordinators)
    by_shift = await shifts.post(ANNA, shift_request(required_skills=("copywriting",)))
    assert isinstance(by_shift, ShiftRequestView)
    [summary] = (await started(tracks, engine)).tracks

    # Its coordinators give it out: Chantal could not react to it, so it is no suggestion for her.
    fitting = await tracks.klussen(ANNA, summary.track.id)
    assert not isinstance(fitting, Refusal) and fitting.klussen == ()
    assert await tracks.suggest(ANNA, summary.track.id, by_shift.klus.id) == Refusal("klus_not_found")


async def test_exports_need_a_valid_link(tracks: TrackService, engine: AsyncEngine) -> None:
    [summary] = (await started(tracks, engine)).tracks
    progress = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(progress, TrackProgressView)
    expires, sig = (part.split("=")[1] for part in progress.csv_url.split("?")[1].split("&"))

    body = await tracks.csv(summary.track.id, expires, sig)

    assert body is not None and "Chantal Bakker" in body and "copywriting" in body
    assert await tracks.csv(summary.track.id, expires, "0" * 64) is None
    assert await tracks.csv(summary.track.id + 1, expires, sig) is None
    expires, sig = (part.split("=")[1] for part in progress.pdf_urls["en"].split("?")[1].split("&"))
    pdf = await tracks.pdf(summary.track.id, "en", expires, sig)
    assert pdf is not None and pdf.startswith(b"%PDF")
    assert await tracks.pdf(summary.track.id, "nl", expires, sig) is None


async def test_the_person_ends_it_and_the_details_go_after_the_retention_period(
    tracks: TrackService, market: Market, privacy: PrivacyService, clock: FixedClock, engine: AsyncEngine
) -> None:
    [summary] = (await started(tracks, engine)).tracks
    assert not isinstance(await tracks.progress(ANNA, summary.track.id), Refusal)

    ended = await tracks.end(CHANTAL, summary.track.id)

    assert ended.banner == "track.ended_by_you" and not ended.tracks[0].track.active
    assert await tracks.progress(ANNA, summary.track.id) == Refusal("track_not_found")
    assert (await tracks.end(BRAM, summary.track.id)).tracks == ()  # not his to end
    assert (await privacy.purge())["tracks"] == 0  # kept for the retention period
    clock.current += timedelta(days=25 * 31)
    assert (await privacy.purge())["tracks"] == 1
    assert await stored_tracks(engine) == 0
    assert (await market.approvals.access_log(CHANTAL)).rows == ()  # Anna's look went too
    assert (await tracks.mine(CHANTAL)).tracks == ()


async def test_standing_candidates_are_counts_with_small_ones_hidden_and_coaching_profiles_are_logged(
    tracks: TrackService, market: Market, signup: SignupService, engine: AsyncEngine
) -> None:
    await sign_up(signup, CHANTAL, DAAN, BRAM)
    view = await tracks.standing(ANNA)
    assert isinstance(view, StandingView)
    assert view.organisation == "Gemeente Harderwijk" and view.available.count is None  # nobody: "<3"
    assert await tracks.standing(BRAM) == Refusal("not_hr")

    await tracks.set_coaching(CHANTAL, True)
    assert (await tracks.mine(CHANTAL)).coaching


async def test_coaching_profiles_and_the_look_in_the_access_log(
    uow_factory: UnitOfWorkFactory, market: Market, signup: SignupService, directory: Any
) -> None:
    """HR of Ermelo (Daan is made HR there for this test) sees counts and Chantal's profile."""
    rules = load_rules("demo")
    ermelo = replace(rules.of("ermelo"), hr=(DAAN.aad_object_id,))
    rules = replace(rules, by_organisation={**rules.by_organisation, "ermelo": ermelo})
    tracks = track_service(uow_factory, market.shared, directory, rules)
    await sign_up(signup, CHANTAL, BRAM, DAAN)
    await tracks.set_coaching(CHANTAL, True)

    view = await tracks.standing(DAAN)

    assert isinstance(view, StandingView) and view.organisation == "Gemeente Ermelo"
    assert view.available.count == 3 and [c.count for c in view.by_hours] == [None, 3, None]
    assert [p.name for p in view.coaching] == ["Chantal Bakker"]
    seen = await market.approvals.access_log(CHANTAL)
    assert [(r.viewer_name, r.what) for r in seen.rows] == [("Daan Visser", "coaching")]
    await tracks.set_coaching(CHANTAL, False)
    view = await tracks.standing(DAAN)
    assert isinstance(view, StandingView) and view.coaching == ()


async def test_my_data_holds_the_track_and_erasure_leaves_nothing_of_it(
    tracks: TrackService, privacy: PrivacyService, engine: AsyncEngine
) -> None:
    await started(tracks, engine)
    await tracks.set_coaching(CHANTAL, True)

    mine = await privacy.my_data(CHANTAL)

    assert mine is not None
    [track] = mine.data["tracks"]
    assert track["skills_to_learn"] == ["copywriting"] and track["adviser"] == ANNA.aad_object_id
    assert [e["what"] for e in track["timeline"]] == ["started"]
    assert mine.data["coaching_wanted_since"] is not None

    await privacy.erase(CHANTAL)

    left = [
        table
        for table, row in await everything_stored(engine)
        if table in ("tracks", "track_events", "coaching_wishes") or CHANTAL.aad_object_id in row
    ]
    assert left == []


async def test_the_advisers_view_names_the_goal_skills_a_poster_confirmed_but_not_one_she_hid(
    tracks: TrackService,
    engine: AsyncEngine,
    market: Market,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    vocabulary: SkillVocabulary,
    directory: Any,
) -> None:
    assert isinstance(
        await tracks.propose(ANNA, request(skills=("minute-taking", "omgevingswet"))), TrackNotice
    )
    proposal, seal = parse_proposal(await consent_data(engine))
    mine = await tracks.answer(CHANTAL, proposal, seal, yes=True)
    assert isinstance(mine, MyTrackView)
    [summary] = mine.tracks
    work = work_service(uow_factory, clock, vocabulary, directory)
    approval_id = await approved_match(market, signup, uow_factory)
    assert await work.complete(ANNA, approval_id) is True
    await work.evaluate(
        ANNA, approval_id, EvaluationDraft(score=5, again=True, skills=("minute-taking", "omgevingswet"))
    )

    shown = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(shown, TrackProgressView)
    assert [s.id for s in shown.skills_practised] == ["minute-taking", "omgevingswet"]

    await signup.set_confirmation_hidden(CHANTAL, "omgevingswet", True)
    shown = await tracks.progress(ANNA, summary.track.id)
    assert isinstance(shown, TrackProgressView)
    assert [s.id for s in shown.skills_practised] == ["minute-taking"]
