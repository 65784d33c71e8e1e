"""Pools run by a coordinator: the organisations file's [pools.<key>] tables, onboarding, and the
qualifications and unavailable periods people have."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from klussenbank.data import PolicyFileError, load_rules
from klussenbank.domain.pools import (
    PeriodError,
    Pool,
    PoolMode,
    PoolSide,
    PoolStanding,
    Qualification,
    QualificationError,
    UnavailablePeriod,
    blocked_days,
    blocking_period,
    missing_qualifications,
)
from tests.unit.test_matching import FLEX, MATCHER, TODAY, candidate, klus

DAY = timedelta(days=1)
GOOD = """
[organisations.assen]
[organisations.groningen]

[pools.flex]
name = "Flexpool Burgerzaken"
organisations = ["assen", "groningen"]
coordinators = ["planner@assen.example"]
mode = "coordinator_assigns"
charged = true
hourly_rate = 40
onboarding = ["4 trainingsdagen", "2 weken inwerken"]
qualifications = ["Voorkomen ID-fraude"]
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "organisations.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_pool_is_read_from_the_organisations_file(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, GOOD))
    pool = rules.pools["flex"]
    assert pool == Pool(
        key="flex",
        name="Flexpool Burgerzaken",
        organisations=("assen", "groningen"),
        coordinators=("planner@assen.example",),
        mode=PoolMode.COORDINATOR_ASSIGNS,
        charged=True,
        hourly_rate=40.0,
        onboarding=("4 trainingsdagen", "2 weken inwerken"),
        qualifications=("Voorkomen ID-fraude",),
    )
    assert rules.pools_of("assen") == (pool,) and rules.pools_of("emmen") == ()
    assert rules.source.endswith("organisations.toml")


def test_the_demo_has_a_flexpool() -> None:
    pool = load_rules("demo").pools["flexpool-burgerzaken"]
    assert pool.organisations == ("ermelo", "harderwijk") and pool.onboarding and pool.qualifications


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('mode = "coordinator_assigns"', 'mode = "lottery"'), "[pools.flex] mode must be one of"),
        (("charged = true", 'charged = "yes"'), "[pools.flex] charged must be true or false"),
        (("hourly_rate = 40", "hourly_rate = -1"), "[pools.flex] hourly_rate must be an amount"),
        (('coordinators = ["planner@assen.example"]', ""), "[pools.flex] needs coordinators"),
        (('organisations = ["assen", "groningen"]', "organisations = []"), "[pools.flex] organisations"),
        (('name = "Flexpool Burgerzaken"', 'colour = "red"'), "[pools.flex] has unknown keys ['colour']"),
        (('qualifications = ["Voorkomen ID-fraude"]', 'qualifications = ["VOG", "vog"]'), "twice"),
    ],
)
def test_a_wrong_pool_names_the_file_pool_and_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(PolicyFileError) as raised:
        load_rules(path)
    assert path in str(raised.value) and message in str(raised.value)


def test_onboarding_is_done_when_every_step_is_ticked_off() -> None:
    pool = Pool("p", "P", ("a",), ("c@a.example",), onboarding=("Training", "Inwerken"))
    assert pool.steps_to_go(()) == ("Training", "Inwerken") and not pool.ready(())
    assert pool.steps_to_go(["training"]) == ("Inwerken",)
    assert pool.ready(["Inwerken", "Training"])
    assert Pool("q", "Q", ("a",), coordinator_role="planner").ready(())  # no programme: ready


def test_a_qualification_cannot_expire_before_it_was_obtained() -> None:
    with pytest.raises(QualificationError) as raised:
        Qualification(0, "x", "VOG", date(2026, 6, 1), date(2026, 5, 31), "c")
    assert raised.value.reason == "expires_before_obtained"


def test_missing_qualifications_count_only_those_valid_on_the_day() -> None:
    held = (
        Qualification(1, "x", "VOG", date(2024, 1, 1), date(2026, 12, 31), "c"),
        Qualification(2, "x", "NVVB module M4", date(2027, 2, 1), None, "c"),
    )
    required = ("Voorkomen ID-fraude", "vog", "NVVB module M4")
    assert missing_qualifications(required, held, date(2026, 12, 31)) == (
        "Voorkomen ID-fraude",
        "NVVB module M4",
    )
    assert missing_qualifications(required, held, date(2027, 2, 1)) == ("Voorkomen ID-fraude", "vog")


def test_an_unavailable_period_blocks_its_days_but_the_weekdays_named() -> None:
    exams = UnavailablePeriod(1, date(2027, 6, 3), date(2027, 6, 14), "tentamens", ("fri",))
    assert exams.blocks(date(2027, 6, 3)) and not exams.blocks(date(2027, 6, 4))  # a Thursday; a Friday
    assert not exams.blocks(date(2027, 6, 15))
    days = blocked_days([exams], date(2027, 6, 1), date(2027, 6, 30))
    assert len(days) == 12 - 2  # two Fridays left
    assert blocking_period([exams], date(2027, 6, 4), date(2027, 6, 4)) is None
    assert blocking_period([exams], date(2027, 6, 7), date(2027, 6, 7)) == exams


def test_an_unavailable_period_must_end_after_it_starts() -> None:
    with pytest.raises(PeriodError) as raised:
        UnavailablePeriod(0, date(2027, 6, 14), date(2027, 6, 3))
    assert raised.value.reason == "ends_before_start"


def test_the_matcher_says_why_the_pool_rules_leave_someone_out() -> None:
    k = klus(
        pool_key="flex", qualifications=("Voorkomen ID-fraude",), start_date=TODAY, end_date=TODAY + 13 * DAY
    )
    outsider = candidate()
    assert MATCHER.explain(k, outsider, today=TODAY) is None
    assert [(e.code, dict(e.params)) for e in MATCHER.left_out(k, outsider)] == [
        ("not_in_pool", {"pool": "Flexpool"}),
        ("missing", {"names": "Voorkomen ID-fraude"}),
    ]
    halfway = PoolSide(pools=(PoolStanding("flex", ("Training",)),))
    assert [
        (e.code, dict(e.params)) for e in MATCHER.left_out(k, dataclasses.replace(outsider, side=halfway))
    ] == [
        ("onboarding", {"pool": "Flexpool", "steps": "Inwerken"}),
        ("missing", {"names": "Voorkomen ID-fraude"}),
    ]
    ready = PoolSide(
        pools=(PoolStanding("flex", FLEX.onboarding),),
        qualifications=(Qualification(1, "anna", "Voorkomen ID-fraude", TODAY, None, "c"),),
    )
    assert MATCHER.left_out(k, dataclasses.replace(outsider, side=ready)) == ()
    assert MATCHER.explain(k, dataclasses.replace(outsider, side=ready), today=TODAY) is not None
    exams = dataclasses.replace(
        ready, unavailable=(UnavailablePeriod(1, TODAY, TODAY + 20 * DAY, "tentamens"),)
    )
    away = dataclasses.replace(outsider, side=exams)
    assert MATCHER.explain(k, away, today=TODAY) is None
    assert [(e.code, dict(e.params)) for e in MATCHER.left_out(k, away)] == [
        ("unavailable", {"first": TODAY.isoformat(), "last": (TODAY + 20 * DAY).isoformat()})
    ]
    # A period that leaves some days: still a match, with the days left as the period's share.
    week = dataclasses.replace(ready, unavailable=(UnavailablePeriod(1, TODAY, TODAY + 6 * DAY, "vakantie"),))
    match = MATCHER.explain(k, dataclasses.replace(outsider, side=week), today=TODAY)
    assert match is not None
    assert dict(next(r for r in match.reasons if r.code == "period").params) == {
        "fit": "partial",
        "days": 7,
        "total": 14,
    }
