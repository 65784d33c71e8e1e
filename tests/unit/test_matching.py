"""Unit tests for the matcher (domain/matching/): filters, score and reasons, fair order, indexes."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain import matching
from klussenbank.domain.klus import Klus, KlusStatus, Visibility
from klussenbank.domain.matching import (
    Candidate,
    CandidatePool,
    Commitment,
    Match,
    Matcher,
    Reason,
)
from klussenbank.domain.matching.ranker import _stable_hash
from klussenbank.domain.people import WEEKDAYS, Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.pools import Pool, PoolSide, PoolStanding, Qualification, UnavailablePeriod

TODAY = date(2026, 11, 23)
VOCABULARY = load_skill_vocabulary()
FLEX = Pool(
    "flex", "Flexpool", ("ermelo", "harderwijk"), ("c@ermelo.example",), onboarding=("Training", "Inwerken")
)
MATCHER = Matcher(VOCABULARY, {"flex": FLEX})
QUALIFICATIONS = ["Voorkomen ID-fraude", "VOG"]
DAY = timedelta(days=1)


def klus(**changes: Any) -> Klus:
    """An open klus of Ermelo for 16 hours a week, needing minute-taking, with `changes` applied."""
    base = Klus(
        id=1,
        poster_id="poster",
        organisation_key="ermelo",
        title="Notulist gezocht",
        description="",
        required_skills=("minute-taking",),
        nice_skills=(),
        free_skills=(),
        hours_per_week=16,
        start_date=TODAY + 10 * DAY,
        end_date=TODAY + 69 * DAY,  # 60 days
        work_mode=WorkMode.ON_SITE,
        place="Ermelo",
        people_needed=1,
        interest_deadline=TODAY + 5 * DAY,
        visibility=Visibility.POOL,
        internal_first_until=TODAY + 5 * DAY,
    )
    return dataclasses.replace(base, **changes)


def candidate(person_id: str = "anna", **changes: Any) -> Candidate:
    """Someone from Ermelo who takes minutes, 16 hours a week, for the whole klus period.

    `changes` go to the availability, except `organisation_key`, `commitments`, `recent_matches`
    and `times_passed_over`, which go to the candidate.
    """
    person_fields = {
        "organisation_key",
        "commitments",
        "recent_matches",
        "times_passed_over",
        "confirmed_skills",
    }
    person = {key: value for key, value in changes.items() if key in person_fields}
    availability = Availability(
        skills=("minute-taking",),
        free_skills=(),
        hours_per_week=16,
        start_date=TODAY,
        end_date=None,
        weekdays=("tue", "thu"),
        organisations=("ermelo", "harderwijk"),
        work_mode=WorkMode.HYBRID,
        intro="",
    )
    availability = dataclasses.replace(
        availability, **{key: value for key, value in changes.items() if key not in person_fields}
    )
    return Candidate(
        person_id=person_id,
        organisation_key=person.pop("organisation_key", "ermelo"),
        availability=availability,
        **person,
    )


def reason(match: Match, code: str) -> Reason:
    found = [r for r in match.reasons if r.code == code]
    assert len(found) == 1, f"{code} in {[r.code for r in match.reasons]}"
    return found[0]


def explain(k: Klus, c: Candidate) -> Match | None:
    return MATCHER.explain(k, c, today=TODAY)


def formula(match: Match) -> float:
    """The score as the docstring defines it, from the reasons alone."""
    return round(sum(r.value * r.weight for r in match.reasons) / sum(r.weight for r in match.reasons), 4)


# -- a perfect match and its explanation -------------------------------------------------------------


def test_a_perfect_fit_scores_one_and_says_why() -> None:
    match = explain(klus(), candidate())

    assert match is not None
    assert (match.klus_id, match.person_id, match.score) == (1, "anna", 1.0)
    assert [(r.code, dict(r.params), r.value) for r in match.reasons] == [
        ("skills", {"matched": 1, "related": 0, "total": 1}, 1.0),
        # The title "Notulist gezocht" names her skill (notulist is a synonym of minute-taking).
        ("mentioned", {"words": "notulist"}, 1.0),
        ("hours", {"offered": 16, "needed": 16}, 1.0),
        ("period", {"fit": "full", "days": 60, "total": 60}, 1.0),
        ("work_mode", {"fit": "full", "klus": "on_site", "person": "hybrid"}, 1.0),
        ("place", {"fit": "near", "organisation": "ermelo"}, 1.0),
    ]
    assert [r.weight for r in match.reasons] == [0.45, 0.10, 0.15, 0.15, 0.10, 0.05]


def test_the_params_say_what_a_card_shows() -> None:
    # "3 van 4 vaardigheden · 8 van 16 uur · periode past deels" and so on.
    match = explain(
        klus(
            required_skills=("minute-taking", "report-writing", "data-entry", "mowing"),
            nice_skills=("diary-management",),
            work_mode=WorkMode.HYBRID,
            organisation_key="harderwijk",
        ),
        candidate(
            skills=("minute-taking", "report-writing", "meeting-support", "excel"),
            hours_per_week=24,
            start_date=TODAY + 40 * DAY,
            work_mode=WorkMode.REMOTE,
            commitments=(Commitment(TODAY, TODAY + 100 * DAY, 16),),
        ),
    )

    assert match is not None
    # data-entry is related to excel (half); mowing is missing; meeting-support is related to
    # diary-management (half).
    assert dict(reason(match, "skills").params) == {"matched": 2, "related": 1, "total": 4}
    assert reason(match, "skills").value == (2 * 2 + 1) / 8
    assert dict(reason(match, "nice_skills").params) == {"matched": 0, "related": 1, "total": 1}
    assert reason(match, "nice_skills").value == 0.5
    assert dict(reason(match, "hours").params) == {"offered": 8, "needed": 16}
    assert reason(match, "hours").value == 0.5
    assert dict(reason(match, "period").params) == {"fit": "partial", "days": 30, "total": 60}
    assert reason(match, "period").value == 0.5
    assert dict(reason(match, "work_mode").params) == {"fit": "partial", "klus": "hybrid", "person": "remote"}
    assert dict(reason(match, "place").params) == {"fit": "far", "organisation": "harderwijk"}
    assert match.score == formula(match)


def test_the_skill_reasons_name_what_the_person_brings_in_the_klus_order() -> None:
    match = explain(
        klus(
            required_skills=("report-writing", "mowing", "minute-taking", "data-entry"),
            nice_skills=("diary-management", "social-media"),
            free_skills=("Arabisch tolken", "straatinterviews houden"),
        ),
        candidate(
            skills=("minute-taking", "report-writing", "excel", "meeting-support"),
            free_skills=("Arabisch tolken", "interviews afnemen"),
        ),
    )

    assert match is not None
    skills, free, nice = (reason(match, code) for code in ("skills", "free_skills", "nice_skills"))
    assert (skills.skills, skills.related) == (("report-writing", "minute-taking"), ("data-entry",))
    assert (free.skills, free.related) == (("Arabisch tolken",), ())
    assert (nice.skills, nice.related) == ((), ("diary-management",))
    assert dict(skills.params) == {"matched": 2, "related": 1, "total": 4}


def test_someone_who_works_only_from_home_never_gets_an_on_site_klus_first() -> None:
    # The on-site klus fits her skills better; she chose to work from home only.
    on_site = klus(id=1, required_skills=("minute-taking",), work_mode=WorkMode.ON_SITE)
    remote = klus(id=2, required_skills=("minute-taking", "mowing"), work_mode=WorkMode.REMOTE)
    at_home = candidate(work_mode=WorkMode.REMOTE)

    ranked = MATCHER.rank_klussen(at_home, [on_site, remote], today=TODAY)

    assert [m.klus_id for m in ranked] == [2]
    people = [at_home, candidate("bram")]
    assert [m.person_id for m in MATCHER.rank_candidates(on_site, people, today=TODAY)] == ["bram"]
    assert [m.person_id for m in CandidatePool(MATCHER, people).top_candidates(on_site, today=TODAY)] == [
        "bram"
    ]


def test_more_hours_than_needed_offer_what_is_needed() -> None:
    match = explain(klus(hours_per_week=8), candidate(hours_per_week=32))

    assert match is not None
    assert dict(reason(match, "hours").params) == {"offered": 8, "needed": 8}


def test_a_remote_klus_is_near_for_everyone() -> None:
    match = explain(klus(work_mode=WorkMode.REMOTE), candidate(organisation_key="harderwijk"))

    assert match is not None
    assert dict(reason(match, "place").params) == {"fit": "remote", "organisation": "ermelo"}
    assert reason(match, "place").value == 1.0


@pytest.mark.parametrize(
    ("klus_mode", "person_mode", "fit"),
    [
        (WorkMode.HYBRID, WorkMode.ON_SITE, 0.5),
        (WorkMode.HYBRID, WorkMode.REMOTE, 0.5),
        (WorkMode.REMOTE, WorkMode.HYBRID, 1.0),
        (WorkMode.ON_SITE, WorkMode.ON_SITE, 1.0),
    ],
)
def test_work_mode_fit(klus_mode: WorkMode, person_mode: WorkMode, fit: float) -> None:
    match = explain(klus(work_mode=klus_mode), candidate(work_mode=person_mode))

    assert match is not None
    assert reason(match, "work_mode").value == fit


def test_skills_weigh_most() -> None:
    weights = {
        "skills": matching.SKILLS_WEIGHT,
        "nice_skills": matching.NICE_SKILLS_WEIGHT,
        "hours": matching.HOURS_WEIGHT,
        "period": matching.PERIOD_WEIGHT,
        "work_mode": matching.WORK_MODE_WEIGHT,
        "place": matching.PLACE_WEIGHT,
    }
    assert max(weights, key=lambda code: weights[code]) == "skills"
    assert sum(weights.values()) == pytest.approx(1.0)


# -- skills: own, related, nice-to-have, free text ---------------------------------------------------------


def test_a_related_skill_counts_half_in_either_direction() -> None:
    # report-writing lists minute-taking as related, and the other way round.
    for required, own in (("minute-taking", "report-writing"), ("report-writing", "minute-taking")):
        match = explain(klus(required_skills=(required,)), candidate(skills=(own,)))
        assert match is not None
        assert dict(reason(match, "skills").params) == {"matched": 0, "related": 1, "total": 1}
        assert reason(match, "skills").value == 0.5


def test_someone_without_any_of_the_skills_is_no_match() -> None:
    assert explain(klus(required_skills=("mowing",)), candidate(skills=("minute-taking",))) is None
    # A nice-to-have skill alone is not enough when the klus names required ones.
    assert explain(klus(required_skills=("mowing",), nice_skills=("minute-taking",)), candidate()) is None


def test_a_klus_with_only_nice_to_have_skills_needs_one_of_those() -> None:
    only_nice = klus(required_skills=(), nice_skills=("minute-taking",))

    assert explain(only_nice, candidate(skills=("mowing",))) is None
    match = explain(only_nice, candidate())
    assert match is not None
    assert match.reasons[0].code == "nice_skills"


def test_a_free_text_skill_that_names_a_vocabulary_skill_is_that_skill() -> None:
    # "notulen maken" is a synonym of minute-taking; report-writing is related to it.
    wanted = klus(required_skills=(), free_skills=("Notulen maken",))
    match = explain(wanted, candidate())
    related = explain(wanted, candidate(skills=("report-writing",)))

    assert match is not None and related is not None
    assert [r.code for r in match.reasons if "skills" in r.code] == ["skills"]
    assert dict(reason(match, "skills").params) == {"matched": 1, "related": 0, "total": 1}
    assert dict(reason(related, "skills").params) == {"matched": 0, "related": 1, "total": 1}


def test_free_text_skills_match_by_words() -> None:
    wanted = klus(required_skills=("minute-taking",), free_skills=("Drones vliegen", "Arabisch tolken"))
    # Own words (plural or not, any case); "tolken" is a synonym of the vocabulary skill translation.
    full = explain(
        wanted,
        candidate(free_skills=("drone", "ARABISCH", "vliegen"), skills=("minute-taking", "translation")),
    )
    half = explain(wanted, candidate(skills=("minute-taking", "translation")))
    none = explain(wanted, candidate(free_skills=("koken",)))

    assert full is not None and half is not None and none is not None
    assert dict(reason(full, "free_skills").params) == {"matched": 2, "partial": 0, "total": 2}
    # "Arabisch tolken": one of two words ("tolk") is half; "Drones vliegen": no word at all.
    assert dict(reason(half, "free_skills").params) == {"matched": 0, "partial": 1, "total": 2}
    assert reason(half, "free_skills").value == 0.25
    assert dict(reason(none, "free_skills").params) == {"matched": 0, "partial": 0, "total": 2}
    # Required and free-text skills share the skills weight by their numbers.
    assert reason(full, "skills").weight == pytest.approx(0.15)
    assert reason(full, "free_skills").weight == pytest.approx(0.30)


def test_free_text_alone_makes_a_match() -> None:
    wanted = klus(required_skills=(), free_skills=("gebarentaal",))

    assert explain(wanted, candidate()) is None
    match = explain(wanted, candidate(skills=("mowing",), free_skills=("Gebarentaal",)))
    assert match is not None
    assert reason(match, "free_skills").value == 1.0


def test_stopwords_alone_match_nothing() -> None:
    assert (
        explain(
            klus(required_skills=(), free_skills=("maken en doen",)), candidate(free_skills=("taart maken",))
        )
        is None
    )


def test_a_skill_no_longer_in_the_vocabulary_still_matches_itself() -> None:
    match = explain(klus(required_skills=("retired-skill",)), candidate(skills=("retired-skill",)))

    assert match is not None
    assert reason(match, "skills").value == 1.0


# -- hard filters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("the_klus", "the_candidate"),
    [
        pytest.param(klus(), candidate(status=AvailabilityStatus.PAUSED, paused_until=TODAY), id="paused"),
        pytest.param(klus(), candidate(status=AvailabilityStatus.PAUSED), id="paused-without-end"),
        pytest.param(klus(), candidate(status=AvailabilityStatus.WITHDRAWN), id="withdrawn"),
        pytest.param(
            klus(),
            candidate(commitments=(Commitment(TODAY + 60 * DAY, TODAY + 90 * DAY, 16),)),
            id="no-hours-left",
        ),
        pytest.param(
            klus(),
            candidate(
                commitments=(
                    Commitment(TODAY, TODAY + 20 * DAY, 10),
                    Commitment(TODAY + 50 * DAY, TODAY + 50 * DAY, 6),
                )
            ),
            id="no-hours-left-after-two",
        ),
        pytest.param(klus(organisation_key="zeewolde"), candidate(), id="not-willing"),
        pytest.param(
            klus(organisation_key="harderwijk", visibility=Visibility.ORGANISATION),
            candidate(),
            id="organisation-only",
        ),
        pytest.param(klus(poster_id="anna"), candidate(), id="own-klus"),
        pytest.param(klus(), candidate(end_date=TODAY + 9 * DAY), id="ends-before"),
        pytest.param(klus(), candidate(start_date=TODAY + 70 * DAY), id="starts-after"),
        pytest.param(klus(), candidate(hours_per_week=0), id="no-hours"),
        pytest.param(klus(), candidate(work_mode=WorkMode.REMOTE), id="only-from-home-on-site-klus"),
        pytest.param(
            klus(work_mode=WorkMode.REMOTE),
            candidate(work_mode=WorkMode.ON_SITE),
            id="only-on-site-remote-klus",
        ),
    ],
)
def test_each_hard_filter_rules_the_person_out(the_klus: Klus, the_candidate: Candidate) -> None:
    assert explain(the_klus, the_candidate) is None
    assert MATCHER.rank_candidates(the_klus, [the_candidate], today=TODAY) == []
    assert MATCHER.rank_klussen(the_candidate, [the_klus], today=TODAY) == []
    assert CandidatePool(MATCHER, [the_candidate]).top_candidates(the_klus, today=TODAY) == []


@pytest.mark.parametrize(
    ("the_klus", "the_candidate"),
    [
        pytest.param(
            klus(), candidate(status=AvailabilityStatus.PAUSED, paused_until=TODAY - DAY), id="pause-over"
        ),
        pytest.param(
            klus(),
            candidate(
                commitments=(Commitment(TODAY, TODAY + 9 * DAY, 16), Commitment(TODAY, TODAY + 30 * DAY, 8))
            ),
            id="hours-left-besides-commitments",
        ),
        pytest.param(klus(organisation_key="harderwijk"), candidate(), id="willing-elsewhere"),
        pytest.param(klus(visibility=Visibility.ORGANISATION), candidate(), id="own-organisation-only"),
        pytest.param(klus(), candidate(end_date=TODAY + 10 * DAY), id="overlaps-one-day"),
        pytest.param(
            klus(), candidate(start_date=TODAY + 69 * DAY, end_date=TODAY + 400 * DAY), id="last-day"
        ),
        pytest.param(
            klus(work_mode=WorkMode.HYBRID), candidate(work_mode=WorkMode.REMOTE), id="partly-on-site"
        ),
    ],
)
def test_just_inside_the_filters_is_a_match(the_klus: Klus, the_candidate: Candidate) -> None:
    assert explain(the_klus, the_candidate) is not None


def test_hidden_people_and_posters_are_left_out() -> None:
    people = [candidate("anna"), candidate("bram")]
    pool = CandidatePool(MATCHER, people)

    assert [
        m.person_id for m in MATCHER.rank_candidates(klus(), people, today=TODAY, hidden=frozenset({"anna"}))
    ] == ["bram"]
    assert [m.person_id for m in pool.top_candidates(klus(), today=TODAY, hidden=frozenset({"anna"}))] == [
        "bram"
    ]
    hidden = frozenset({"poster"})
    assert MATCHER.rank_klussen(people[0], [klus()], today=TODAY, hidden_posters=hidden) == []


def test_a_poster_who_is_in_the_pool_twice_is_left_out_twice() -> None:
    people = [candidate("poster"), candidate("anna"), candidate("poster", hours_per_week=8)]

    assert [m.person_id for m in CandidatePool(MATCHER, people).top_candidates(klus(), today=TODAY)] == [
        "anna"
    ]


@pytest.mark.parametrize(
    "closed",
    [
        klus(status=KlusStatus.FILLED),
        klus(status=KlusStatus.CANCELLED),
        klus(interest_deadline=TODAY - DAY),
    ],
)
def test_only_open_klussen_are_offered(closed: Klus) -> None:
    person = candidate()

    assert MATCHER.rank_klussen(person, [closed], today=TODAY) == []
    # The deadline day itself is still open.
    assert MATCHER.rank_klussen(person, [klus(interest_deadline=TODAY)], today=TODAY) != []


# -- order: fairness, determinism, limit --------------------------------------------------------------------


def test_among_equal_scores_fewer_recent_matches_then_fewer_passed_over_come_first() -> None:
    people = [
        candidate("busy", recent_matches=3),
        candidate("passed", recent_matches=1, times_passed_over=4),
        candidate("fresh"),
        candidate("once", recent_matches=1),
        # A clearly better score wins whatever the history: the others miss the place point.
    ]
    ranked = MATCHER.rank_candidates(klus(), people, today=TODAY)

    assert [m.person_id for m in ranked] == ["fresh", "once", "passed", "busy"]
    assert {m.score for m in ranked} == {1.0}


def test_fairness_never_beats_a_clearly_better_score() -> None:
    people = [
        candidate("fresh-but-far", organisation_key="harderwijk", hours_per_week=8),
        candidate("busy", recent_matches=5),
    ]
    ranked = MATCHER.rank_candidates(klus(), people, today=TODAY)

    assert [m.person_id for m in ranked] == ["busy", "fresh-but-far"]


def test_near_equal_scores_count_as_equal() -> None:
    # 15 and 16 of 16 hours: 0.9896 and 1.0, the same band, so the fresher person comes first.
    people = [candidate("busy", recent_matches=2), candidate("fresh", hours_per_week=15)]
    ranked = MATCHER.rank_candidates(klus(), people, today=TODAY)

    assert [m.person_id for m in ranked] == ["fresh", "busy"]
    assert ranked[0].score < ranked[1].score


def test_equal_people_take_turns_over_klussen() -> None:
    people = [candidate(name) for name in ("anna", "bram", "cem", "dewi")]
    firsts = {MATCHER.rank_candidates(klus(id=n), people, today=TODAY)[0].person_id for n in range(1, 40)}

    assert firsts == {"anna", "bram", "cem", "dewi"}


def test_rank_klussen_orders_by_score_then_a_stable_turn() -> None:
    klussen = [klus(id=n, hours_per_week=8 * (n % 3 + 1)) for n in range(1, 13)]
    ranked = MATCHER.rank_klussen(candidate(hours_per_week=8), klussen, today=TODAY, limit=50)

    scores = [m.score for m in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(ranked) == 12
    # Equal scores are not in id order for everyone: the turn depends on who asks.
    other = MATCHER.rank_klussen(candidate("bram", hours_per_week=8), klussen, today=TODAY, limit=50)
    assert [m.klus_id for m in ranked] != [m.klus_id for m in other]


def test_the_stable_hash_does_not_depend_on_the_process() -> None:
    # blake2b of "7\x1fanna", not Python's salted hash(): the same order in every worker process.
    assert _stable_hash(7, "anna").hex() == "3cb2da61a10c067c"


def test_klussen_without_skills_rank_among_the_others() -> None:
    person = candidate(skills=("minute-taking", "mowing"))
    offered = [
        klus(id=1, required_skills=(), hours_per_week=8),
        klus(id=2, required_skills=("mowing",), nice_skills=("pruning",)),
        klus(id=3, required_skills=(), nice_skills=("minute-taking",)),
        klus(id=4),
    ]
    expected = MATCHER.rank_klussen(person, offered, today=TODAY, limit=2)

    assert [m.score for m in expected] == [1.0, 1.0]  # 1, 3 and 4 score 1.0; the person's turn order picks


# -- learning wishes, leerklussen and confirmed skills --------------------------------------------------


def test_a_klus_that_offers_what_someone_wants_to_learn_ranks_them_higher_and_says_so() -> None:
    offers = klus(learning_skills=("omgevingswet",), title="Klus", hours_per_week=32)
    learner = candidate("anna", learning_skills=("omgevingswet",))
    other = candidate("bram")

    ranked = MATCHER.rank_candidates(offers, [other, learner], today=TODAY)

    assert [m.person_id for m in ranked] == ["anna", "bram"]
    learning = reason(ranked[0], "learning")
    assert (learning.skills, dict(learning.params), learning.weight) == (
        ("omgevingswet",),
        {"count": 1},
        0.10,
    )
    assert ranked[0].score == formula(ranked[0]) > ranked[1].score
    assert [r.code for r in ranked[1].reasons if r.code == "learning"] == []


def test_a_nice_to_have_skill_someone_wants_to_learn_is_a_learning_reason() -> None:
    match = explain(klus(nice_skills=("excel",)), candidate(learning_skills=("excel",)))

    assert match is not None and reason(match, "learning").skills == ("excel",)


def test_a_leerklus_lets_a_learner_of_its_required_skill_pass_the_skill_filter() -> None:
    learner = candidate(skills=("excel",), learning_skills=("minute-taking",))

    assert explain(klus(), learner) is None  # nothing in common, not a leerklus
    match = explain(klus(leerklus=True), learner)
    assert match is not None
    assert reason(match, "skills").value == 0.0
    assert reason(match, "learning").skills == ("minute-taking",)
    # The hard rules stay hard: a leerklus of an organisation they do not want to work for is not theirs.
    assert explain(klus(leerklus=True, organisation_key="zeewolde"), learner) is None


def test_a_confirmed_skill_counts_more_than_a_self_declared_one() -> None:
    k = klus(title="Klus", hours_per_week=32)
    declared = candidate("anna")
    confirmed = candidate("bram", confirmed_skills=("minute-taking",))

    ranked = MATCHER.rank_candidates(k, [declared, confirmed], today=TODAY)

    assert [m.person_id for m in ranked] == ["bram", "anna"]
    assert reason(ranked[0], "confirmed").skills == ("minute-taking",)
    assert reason(ranked[0], "confirmed").weight == 0.05


def test_a_confirmed_skill_is_owned_even_when_not_on_the_profile() -> None:
    match = explain(klus(), candidate(skills=("excel",), confirmed_skills=("minute-taking",)))

    assert match is not None and reason(match, "skills").skills == ("minute-taking",)


def test_limit() -> None:
    people = [candidate(f"p{n:02}") for n in range(30)]
    pool = CandidatePool(MATCHER, people)

    assert len(MATCHER.rank_candidates(klus(), people, today=TODAY)) == 20
    assert len(MATCHER.rank_candidates(klus(), people, today=TODAY, limit=3)) == 3
    assert MATCHER.rank_candidates(klus(), people, today=TODAY, limit=0) == []
    assert pool.top_candidates(klus(), today=TODAY, limit=3) == MATCHER.rank_candidates(
        klus(), people, today=TODAY, limit=3
    )
    assert pool.top_candidates(klus(), today=TODAY, limit=0) == []


# -- properties ------------------------------------------------------------------------------------------

# A few neighbouring skills, so that people and klussen often share (related) skills.
SKILLS = [
    "minute-taking",
    "report-writing",
    "meeting-support",
    "diary-management",
    "secretarial-support",
    "data-entry",
    "excel",
    "translation",
    "mowing",
    "small-machinery",
    "retired-skill",
]
FREE = [
    "drone vliegen",
    "drones",
    "Arabisch",
    "arabisch tolken",
    "bijen houden",
    "bijen honing",
    "tolken",
    "koken",
    # Dutch as people write it: names of skills inflected, inside longer phrases, in compounds.
    "vergaderstukken maken",
    "rapportages",
    "notulen van de raad",
    "agenda's beheren",
    "Excel-sheets",
]
# Titles and descriptions of klussen, naming skills (weak evidence) or not.
TEXTS = [
    "",
    "Notulist gezocht",
    "Hulp bij het invoeren van gegevens in Excel",
    "Maaien en snoeien in de wijk",
    "Vertaling van brieven voor nieuwkomers",
    "Secretariaat en agendabeheer tijdens de verbouwing",
]
ORGANISATIONS = ["ermelo", "harderwijk", "zeewolde"]
PEOPLE = ["anna", "bram", "cem", "dewi", "eva", "fons", "gijs", "hira"]


def days(low: int, high: int) -> st.SearchStrategy[date]:
    return st.integers(low, high).map(lambda n: TODAY + n * DAY)


@st.composite
def sides(draw: st.DrawFn) -> PoolSide:
    """Now and then a member of the flexpool (onboarded or not), qualifications, unavailable periods."""
    standing = st.lists(st.sampled_from(FLEX.onboarding), unique=True).map(
        lambda done: PoolStanding("flex", tuple(done))
    )
    qualification = st.tuples(st.sampled_from(QUALIFICATIONS), days(-400, 40), st.integers(0, 400)).map(
        lambda q: Qualification(0, "", q[0], q[1], q[1] + q[2] * DAY if q[2] < 300 else None, "c")
    )
    period = st.tuples(
        days(-10, 60), st.integers(0, 40), st.lists(st.sampled_from(WEEKDAYS), unique=True)
    ).map(lambda p: UnavailablePeriod(0, p[0], p[0] + p[1] * DAY, "", tuple(p[2])))
    return PoolSide(
        tuple(draw(st.lists(standing, max_size=1))),
        tuple(draw(st.lists(qualification, max_size=2, unique_by=lambda q: q.name))),
        tuple(draw(st.lists(period, max_size=2))),
    )


@st.composite
def candidates(draw: st.DrawFn, person_id: str | None = None) -> Candidate:
    start = draw(days(-30, 40))
    status = draw(st.sampled_from([AvailabilityStatus.ACTIVE] * 4 + list(AvailabilityStatus)))
    commitments = draw(
        st.lists(
            st.tuples(days(-30, 60), st.integers(0, 60), st.integers(1, 24)).map(
                lambda c: Commitment(c[0], c[0] + c[1] * DAY, c[2])
            ),
            max_size=2,
        )
    )
    return Candidate(
        person_id=person_id or draw(st.sampled_from(PEOPLE)),
        organisation_key=draw(st.sampled_from(ORGANISATIONS)),
        availability=Availability(
            skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=4, unique=True))),
            free_skills=tuple(draw(st.lists(st.sampled_from(FREE), max_size=2, unique=True))),
            hours_per_week=draw(st.sampled_from([4, 8, 16, 24, 40])),
            start_date=start,
            end_date=draw(st.one_of(st.none(), st.integers(0, 90).map(lambda n: start + n * DAY))),
            weekdays=("mon",),
            organisations=tuple(draw(st.lists(st.sampled_from(ORGANISATIONS), min_size=1, unique=True))),
            work_mode=draw(st.sampled_from(WorkMode)),
            intro="",
            status=status,
            paused_until=draw(st.one_of(st.none(), days(-5, 5)))
            if status is AvailabilityStatus.PAUSED
            else None,
            learning_skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))),
        ),
        confirmed_skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))),
        commitments=tuple(commitments),
        recent_matches=draw(st.integers(0, 2)),
        times_passed_over=draw(st.integers(0, 2)),
        side=draw(st.just(PoolSide()) | sides()),
    )


@st.composite
def klussen(draw: st.DrawFn, klus_id: int | None = None) -> Klus:
    start = draw(days(0, 40))
    # Every shape of skills a klus can have, each often: required, free text, nice-to-have, or none.
    shape = draw(st.sampled_from(["required", "free", "nice", "none", "any"]))
    skills = st.lists(st.sampled_from(SKILLS), min_size=1, max_size=3, unique=True)
    free = st.lists(st.sampled_from(FREE), min_size=1, max_size=2, unique=True)
    required = draw(
        skills if shape == "required" else st.just([]) if shape != "any" else skills | st.just([])
    )
    others = st.sampled_from([s for s in SKILLS if s not in required])
    nice_skills = st.lists(others, min_size=1 if shape == "nice" else 0, max_size=2, unique=True)
    return Klus(
        id=klus_id if klus_id is not None else draw(st.integers(1, 50)),
        poster_id=draw(st.sampled_from(PEOPLE)),
        organisation_key=draw(st.sampled_from(ORGANISATIONS)),
        title=draw(st.sampled_from(TEXTS)),
        description=draw(st.sampled_from(TEXTS)),
        required_skills=tuple(required),
        nice_skills=tuple(draw(nice_skills)),
        free_skills=tuple(
            draw(free if shape == "free" else free | st.just([]) if shape == "any" else st.just([]))
        ),
        hours_per_week=draw(st.sampled_from([2, 4, 8, 16, 24])),
        start_date=start,
        end_date=start + draw(st.integers(0, 60)) * DAY,
        work_mode=draw(st.sampled_from(WorkMode)),
        place="",
        people_needed=1,
        interest_deadline=draw(days(-2, 10)),
        visibility=draw(st.sampled_from(Visibility)),
        internal_first_until=TODAY,
        status=draw(st.sampled_from([KlusStatus.OPEN] * 5 + list(KlusStatus))),
        learning_skills=tuple(draw(st.lists(st.sampled_from(SKILLS), max_size=2, unique=True))),
        leerklus=draw(st.booleans()),
        pool_key=draw(st.sampled_from(["", "", "flex"])),
        qualifications=tuple(draw(st.just([]) | st.lists(st.sampled_from(QUALIFICATIONS), unique=True))),
    )


def pools(size: int) -> st.SearchStrategy[list[Candidate]]:
    """`size` people at most, with different ids."""
    return st.lists(st.integers(0, 10**6), max_size=size, unique=True).flatmap(
        lambda ids: st.tuples(*(candidates(f"p{n}") for n in ids)).map(list)
    )


def klus_lists(size: int) -> st.SearchStrategy[list[Klus]]:
    return st.lists(st.integers(1, 10**6), max_size=size, unique=True).flatmap(
        lambda ids: st.tuples(*(klussen(n) for n in ids)).map(list)
    )


def allowed(k: Klus, c: Candidate) -> bool:
    """The hard filters, written from their description."""
    a = c.availability
    if a.status_on(TODAY) is not AvailabilityStatus.ACTIVE:
        return False
    committed = sum(
        x.hours_per_week for x in c.commitments if x.start_date <= k.end_date and x.end_date >= k.start_date
    )
    if a.hours_per_week - committed <= 0:
        return False
    if k.organisation_key not in a.organisations or c.person_id == k.poster_id:
        return False
    if k.visibility is Visibility.ORGANISATION and c.organisation_key != k.organisation_key:
        return False
    if a.start_date > k.end_date or (a.end_date is not None and a.end_date < k.start_date):
        return False
    if {k.work_mode, a.work_mode} == {WorkMode.ON_SITE, WorkMode.REMOTE}:
        return False
    standing = c.side.standing(k.pool_key)
    if k.pool_key and (standing is None or not FLEX.ready(standing.steps_done)):
        return False
    held = [q for q in c.side.qualifications if q.valid_on(k.start_date)]
    if any(all(q.name.lower() != name.lower() for q in held) for name in k.qualifications):
        return False
    first, last = max(a.start_date, k.start_date), min(a.end_date or k.end_date, k.end_date)
    period = [first + n * DAY for n in range((last - first).days + 1)]
    if all(any(p.blocks(day) for p in c.side.unavailable) for day in period):
        return False
    if not k.required_skills and not k.free_skills and not k.nice_skills:
        return True
    if k.leerklus and set(a.learning_skills) & learnable(k):
        return True
    owned = (
        set(a.skills) | set(c.confirmed_skills) | {skill for text in a.free_skills for skill in named(text)}
    )
    shared = set(owned)
    for own in owned:
        if own in VOCABULARY:
            shared |= set(VOCABULARY.get(own).related)
    shared |= {s.id for s in VOCABULARY if set(s.related) & owned}
    if k.required_skills or k.free_skills:
        return bool(shared & set(k.required_skills)) or any(free_credit(term, c) for term in k.free_skills)
    return bool(shared & set(k.nice_skills))


def learnable(k: Klus) -> set[str]:
    """What someone can learn on a klus: nice-to-have and offered skills, on a leerklus all it asks."""
    asked = set(k.required_skills) | {s for text in k.free_skills for s in named(text, exactly=True)}
    return set(k.nice_skills) | set(k.learning_skills) | (asked if k.leerklus else set())


def named(text: str, *, exactly: bool = False) -> set[str]:
    """The vocabulary skills a free-text skill names: it has every lemma of one of their names (or
    `exactly` those)."""
    lemmas = MATCHER._lexicon.lemmas(text)
    return {
        s.id
        for s in VOCABULARY
        if any(
            MATCHER._lexicon.lemmas(name) == lemmas if exactly else MATCHER._lexicon.lemmas(name) <= lemmas
            for name in (s.id, s.label_nl, s.label_en, *s.synonyms)
        )
    }


def free_credit(term: str, c: Candidate) -> bool:
    """Whether a free-text skill gets any credit: compared with the matcher's own scoring of it."""
    # (alone in a pool of its own, on its first day, whatever periods it cannot work)
    alone = dataclasses.replace(
        c,
        availability=dataclasses.replace(c.availability, organisations=("x",)),
        side=dataclasses.replace(c.side, unavailable=()),
    )
    probe = klus(
        required_skills=(),
        free_skills=(term,),
        organisation_key="x",
        poster_id="",
        visibility=Visibility.POOL,
        work_mode=WorkMode.HYBRID,
    )
    probe = dataclasses.replace(
        probe, start_date=c.availability.start_date, end_date=c.availability.start_date
    )
    match = MATCHER.explain(probe, dataclasses.replace(alone, commitments=()), today=TODAY)
    return match is not None and match.reasons[0].value > 0


def fair_key(m: Match, people: dict[str, Candidate]) -> tuple[int, int, int, bytes]:
    c = people[m.person_id]
    return (
        round(m.score * 10_000) // -200,  # minus the band: (0.98, 1], (0.96, 0.98], ...
        c.recent_matches,
        c.times_passed_over,
        _stable_hash(m.klus_id, m.person_id),
    )


PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For properties over whole pools: fewer, bigger examples.
POOL_PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(klussen(), candidates())
def test_filters_are_never_violated(k: Klus, c: Candidate) -> None:
    match = explain(k, c)

    assert (match is not None) == allowed(k, c)


@PROPERTY
@given(klussen(), candidates())
def test_the_score_is_the_formula_over_the_reasons(k: Klus, c: Candidate) -> None:
    match = explain(k, c)
    if match is None:
        return

    assert match.score == formula(match)
    assert 0.0 <= match.score <= 1.0
    assert all(0.0 <= r.value <= 1.0 and r.weight > 0 for r in match.reasons)
    assert [r.code for r in match.reasons][-4:] == ["hours", "period", "work_mode", "place"]
    assert all(isinstance(value, int | str) for r in match.reasons for value in r.params.values())


@POOL_PROPERTY
@given(klussen(), pools(12), st.randoms(use_true_random=False), st.integers(0, 8))
def test_ranking_candidates_is_sorted_deterministic_and_ignores_input_order(
    k: Klus, people: list[Candidate], shuffle: random.Random, limit: int
) -> None:
    hidden = frozenset(c.person_id for c in people[:2])
    ranked = MATCHER.rank_candidates(k, people, today=TODAY, hidden=hidden, limit=limit)
    shuffled = people[:]
    shuffle.shuffle(shuffled)

    by_id = {c.person_id: c for c in people}
    assert ranked == MATCHER.rank_candidates(k, shuffled, today=TODAY, hidden=hidden, limit=limit)
    assert [fair_key(m, by_id) for m in ranked] == sorted(fair_key(m, by_id) for m in ranked)
    assert len(ranked) <= limit
    assert all(m.person_id not in hidden and allowed(k, by_id[m.person_id]) for m in ranked)
    everyone = [m for c in people if c.person_id not in hidden and (m := explain(k, c)) is not None]
    assert len(ranked) == min(limit, len(everyone))
    # Whoever is left out does not have a better place in the fair order.
    if ranked:
        assert all(fair_key(m, by_id) >= fair_key(ranked[-1], by_id) for m in everyone if m not in ranked)


@POOL_PROPERTY
@given(candidates(), klus_lists(10), st.randoms(use_true_random=False))
def test_ranking_klussen_is_sorted_deterministic_and_ignores_input_order(
    c: Candidate, offered: list[Klus], shuffle: random.Random
) -> None:
    ranked = MATCHER.rank_klussen(c, offered, today=TODAY, limit=5)
    shuffled = offered[:]
    shuffle.shuffle(shuffled)

    assert ranked == MATCHER.rank_klussen(c, shuffled, today=TODAY, limit=5)
    keys = [(-m.score, _stable_hash(m.person_id, m.klus_id)) for m in ranked]
    assert keys == sorted(keys)
    by_id = {k.id: k for k in offered}
    assert all(by_id[m.klus_id].open_on(TODAY) and allowed(by_id[m.klus_id], c) for m in ranked)
    assert len(ranked) == min(5, sum(1 for k in offered if k.open_on(TODAY) and explain(k, c) is not None))


@POOL_PROPERTY
@given(klussen(), pools(25), st.integers(1, 8))
def test_the_pool_ranks_as_the_plain_method(k: Klus, people: list[Candidate], limit: int) -> None:
    hidden = frozenset(c.person_id for c in people[::5])

    assert CandidatePool(MATCHER, people).top_candidates(
        k, today=TODAY, hidden=hidden, limit=limit
    ) == MATCHER.rank_candidates(k, people, today=TODAY, hidden=hidden, limit=limit)


@POOL_PROPERTY
@given(
    klussen(),
    candidates(),
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 3), st.sampled_from([4, 8, 40]), st.booleans()),
        max_size=60,
    ),
    st.integers(1, 8),
    st.integers(0, 4),
)
def test_a_crowded_pool_ranks_as_the_plain_method(
    k: Klus, like: Candidate, differences: list[tuple[int, int, int, bool]], limit: int, every: int
) -> None:
    """Many people alike who fit the klus, so whole groups score the same and the order among them
    is the fair order: the pool visits such a group by the best key each one could still get and
    stops early. Some bring the nice-to-have skills too, which puts them in a group of their own."""
    fitting = dataclasses.replace(
        like.availability,
        skills=(*k.required_skills, *k.nice_skills)[:4],
        free_skills=k.free_skills,
        organisations=(k.organisation_key,),
        status=AvailabilityStatus.ACTIVE,
        start_date=min(like.availability.start_date, k.start_date),
        end_date=None,
    )
    people = [
        dataclasses.replace(
            like,
            person_id=f"crowd{n}",
            recent_matches=recent,
            times_passed_over=passed,
            availability=dataclasses.replace(
                fitting,
                hours_per_week=hours,
                skills=fitting.skills if nice else tuple(s for s in fitting.skills if s not in k.nice_skills),
            ),
            side=PoolSide(),
        )
        for n, (recent, passed, hours, nice) in enumerate(differences)
    ]
    hidden = frozenset(c.person_id for c in people[::every]) if every else frozenset()
    pool = CandidatePool(MATCHER, people[::2])
    pool.update(people[1::2])

    expected = MATCHER.rank_candidates(k, people, today=TODAY, hidden=hidden, limit=limit)
    assert pool.top_candidates(k, today=TODAY, hidden=hidden, limit=limit) == expected
    assert pool.compacted().top_candidates(k, today=TODAY, hidden=hidden, limit=limit) == expected


def test_the_pool_gives_people_with_commitments_their_hours_left() -> None:
    offered = klus(hours_per_week=16)
    people = [
        candidate("anna", hours_per_week=24, commitments=(Commitment(TODAY, TODAY + 30 * DAY, 16),)),
        candidate(
            "bram",
            hours_per_week=24,
            commitments=(Commitment(TODAY, TODAY + 30 * DAY, 16), Commitment(TODAY, TODAY + 20 * DAY, 8)),
        ),
        candidate("cor", hours_per_week=24, commitments=(Commitment(TODAY, TODAY + 5 * DAY, 24),)),
    ]

    top = CandidatePool(MATCHER, people).top_candidates(offered, today=TODAY)

    assert sorted(m.person_id for m in top) == ["anna", "cor"]  # bram's commitments take all his hours
    by_id = {m.person_id: m for m in top}
    assert dict(reason(by_id["anna"], "hours").params) == {"offered": 8, "needed": 16}
    assert dict(reason(by_id["cor"], "hours").params) == {"offered": 16, "needed": 16}
    assert top == MATCHER.rank_candidates(offered, people, today=TODAY)


def test_a_bigger_pool_ranks_as_the_plain_methods() -> None:
    """A fixed pool, large enough for many cells, levels and ties (the bench checks 100,000)."""
    rng = random.Random(11)
    people = [_random_candidate(rng, f"p{n}") for n in range(400)]
    offered = [_random_klus(rng, n) for n in range(1, 61)]
    pool = CandidatePool(MATCHER, people)

    for k in offered[:15]:
        assert pool.top_candidates(k, today=TODAY, limit=10) == MATCHER.rank_candidates(
            k, people, today=TODAY, limit=10
        )


@POOL_PROPERTY
@given(klussen(), pools(20), pools(8), st.randoms(use_true_random=False), st.integers(1, 8))
def test_an_updated_pool_ranks_as_the_plain_method_over_the_people_as_they_are_now(
    k: Klus, before: list[Candidate], changed: list[Candidate], rng: random.Random, limit: int
) -> None:
    # Half the changes are to people already in the pool.
    changed = [
        dataclasses.replace(c, person_id=rng.choice(before).person_id) if before and n % 2 == 0 else c
        for n, c in enumerate(changed)
    ]
    pool = CandidatePool(MATCHER, before)
    gone = {c.person_id for c in rng.sample(before, len(before) // 4)}
    pool.update(removed=gone)
    pool.update(changed[: len(changed) // 2])
    pool.update(changed[len(changed) // 2 :])
    now = {c.person_id: c for c in before if c.person_id not in gone}
    for c in changed:
        now.pop(c.person_id, None)
        now[c.person_id] = c
    hidden = frozenset(list(now)[::4])
    expected = MATCHER.rank_candidates(k, now.values(), today=TODAY, hidden=hidden, limit=limit)

    assert pool.top_candidates(k, today=TODAY, hidden=hidden, limit=limit) == expected
    assert pool.compacted().top_candidates(k, today=TODAY, hidden=hidden, limit=limit) == expected
    assert len(pool) == len(pool.compacted()) == len(now)


def _random_candidate(rng: random.Random, person_id: str) -> Candidate:
    start = TODAY + rng.randint(-30, 30) * DAY
    return Candidate(
        person_id=person_id,
        organisation_key=rng.choice(ORGANISATIONS),
        availability=Availability(
            skills=tuple(rng.sample(SKILLS[:8], rng.randint(1, 3))),
            free_skills=tuple(rng.sample(FREE, rng.randint(0, 1))),
            hours_per_week=rng.choice([4, 8, 16, 24]),
            start_date=start,
            end_date=None if rng.random() < 0.3 else start + rng.randint(10, 90) * DAY,
            weekdays=("mon",),
            organisations=tuple(rng.sample(ORGANISATIONS, rng.randint(1, 3))),
            work_mode=rng.choice(list(WorkMode)),
            intro="",
            status=AvailabilityStatus.PAUSED if rng.random() < 0.1 else AvailabilityStatus.ACTIVE,
        ),
        commitments=(Commitment(start, start + 20 * DAY, 8),) if rng.random() < 0.15 else (),
        recent_matches=rng.randint(0, 2),
        times_passed_over=rng.randint(0, 2),
    )


def _random_klus(rng: random.Random, klus_id: int) -> Klus:
    start = TODAY + rng.randint(1, 30) * DAY
    required = rng.sample(SKILLS[:8], rng.randint(1, 3))
    return klus(
        id=klus_id,
        poster_id=f"p{rng.randint(0, 399)}",
        title=rng.choice(TEXTS),
        organisation_key=rng.choice(ORGANISATIONS),
        required_skills=tuple(required),
        nice_skills=tuple(s for s in rng.sample(SKILLS[:8], 2) if s not in required),
        free_skills=tuple(rng.sample(FREE, 1)) if rng.random() < 0.2 else (),
        hours_per_week=rng.choice([4, 8, 16]),
        start_date=start,
        end_date=start + rng.randint(5, 60) * DAY,
        work_mode=rng.choice(list(WorkMode)),
        visibility=Visibility.ORGANISATION if rng.random() < 0.2 else Visibility.POOL,
    )
