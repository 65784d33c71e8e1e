"""The rules of a development track: its goals, favouring klussen that serve them in the person's
own list, and the counts HR may see."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.matching import Match, Reason
from klussenbank.domain.track import (
    MIN_COUNT_SHOWN,
    TRACK_BOOST,
    TrackGoals,
    check_goals,
    favour_track,
    goals_served,
    hours_band,
    shown_count,
)
from tests.cards.track_examples import KLUS

TODAY = date(2026, 11, 23)


def test_goals_need_known_skills_hours_and_a_future_end_within_two_years() -> None:
    vocabulary = load_skill_vocabulary()
    assert check_goals(TrackGoals(("copywriting",), 40, TODAY + timedelta(days=1)), vocabulary, TODAY) == ()
    bad = check_goals(TrackGoals(("no-such-skill",), 0, TODAY), vocabulary, TODAY)
    assert [(e.field, e.code) for e in bad] == [
        ("skills", "unknown_skill"),
        ("hours", "hours_range"),
        ("until", "pause_in_past"),
    ]
    far = check_goals(TrackGoals(("copywriting",), 2001, TODAY + timedelta(days=800)), vocabulary, TODAY)
    assert [(e.field, e.code) for e in far] == [("hours", "hours_range"), ("until", "period_too_long")]
    assert [e.code for e in check_goals(TrackGoals((), 1, TODAY + timedelta(days=1)), vocabulary, TODAY)] == [
        "no_skill"
    ]


def test_klussen_that_serve_the_goals_move_up_a_little_with_a_reason_that_weighs_nothing() -> None:
    serving = dataclasses.replace(KLUS, id=1, nice_skills=("copywriting",))
    better = dataclasses.replace(KLUS, id=2, nice_skills=())
    much_better = dataclasses.replace(KLUS, id=3, nice_skills=())
    skills = Reason("skills", {}, 1.0, 0.45)
    matches = [Match(3, "p", 0.95, (skills,)), Match(2, "p", 0.85, (skills,)), Match(1, "p", 0.80, (skills,))]
    klussen = {k.id: k for k in (serving, better, much_better)}

    favoured = favour_track(matches, klussen, ("copywriting", "archiving"))

    assert [m.klus_id for m in favoured] == [3, 1, 2]  # 0.80 + boost passes 0.85, not 0.95
    assert 0.80 + TRACK_BOOST > 0.85
    [track] = [r for r in favoured[1].reasons if r.code == "track"]
    assert track.skills == ("copywriting",) and track.weight == 0.0
    assert favoured[1].score == 0.80  # the score stays the sum of its reasons
    assert goals_served(better, ("copywriting",)) == ()
    assert favour_track(matches, klussen, ()) == matches


def test_small_counts_are_not_shown_and_hours_fall_in_bands() -> None:
    assert [shown_count(n) for n in (0, 1, MIN_COUNT_SHOWN - 1, MIN_COUNT_SHOWN, 10)] == [
        None,
        None,
        None,
        3,
        10,
    ]
    assert [hours_band(h) for h in (1, 8, 9, 16, 17, 40)] == [0, 0, 1, 1, 2, 2]
