"""Why a klus fits, in plain sentences, from what the real matcher says (cards/why.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from klussenbank.cards.why import why
from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.klus import Klus, Visibility
from klussenbank.domain.matching import Candidate, Match, Matcher
from klussenbank.domain.people import Availability, WorkMode
from klussenbank.i18n import Translator

TODAY = date(2026, 12, 7)
DAY = timedelta(days=1)
MATCHER = Matcher(load_skill_vocabulary())
KLUS = Klus(
    id=1,
    poster_id="bram",
    organisation_key="ermelo",
    title="Notuleren bij de bewonersavonden",
    description="",
    required_skills=("minute-taking",),
    nice_skills=(),
    free_skills=(),
    hours_per_week=4,
    start_date=TODAY + 7 * DAY,
    end_date=TODAY + 66 * DAY,
    work_mode=WorkMode.REMOTE,
    place="",
    people_needed=1,
    interest_deadline=TODAY + 5 * DAY,
    visibility=Visibility.POOL,
    internal_first_until=TODAY + 5 * DAY,
)
CHANTAL = Candidate(
    person_id="chantal",
    organisation_key="ermelo",
    availability=Availability(
        skills=("minute-taking", "report-writing"),
        free_skills=(),
        hours_per_week=8,
        start_date=TODAY,
        end_date=None,
        weekdays=(),
        organisations=("ermelo",),
        work_mode=WorkMode.REMOTE,
        intro="",
    ),
)


def match(klus: Klus = KLUS, candidate: Candidate = CHANTAL) -> Match:
    found = MATCHER.explain(klus, candidate, today=TODAY)
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("lang", "reader", "expected"),
    [
        ("nl", "you", "Je kunt: Notuleren · 4 uur per week past · Thuis werken kan"),
        ("en", "you", "You can do: Taking minutes · 4 hours a week fit · You can work from home"),
        ("nl", "they", "Kan: Notuleren · Heeft 4 uur per week"),
        ("en", "they", "Can do: Taking minutes · Has 4 hours a week"),
    ],
)
def test_a_good_fit_names_what_matches_and_nothing_else(lang: str, reader: str, expected: str) -> None:
    assert why(match(), Translator(lang), reader) == expected  # type: ignore[arg-type]


def test_what_fits_partly_is_said_kindly_and_missing_skills_are_not_listed() -> None:
    klus = dataclasses.replace(
        KLUS,
        required_skills=("minute-taking", "mowing", "data-entry"),
        hours_per_week=16,
        work_mode=WorkMode.HYBRID,
        free_skills=("Arabisch tolken",),
    )
    chantal = dataclasses.replace(
        CHANTAL,
        availability=dataclasses.replace(
            CHANTAL.availability, skills=("minute-taking", "excel"), end_date=TODAY + 36 * DAY
        ),
    )

    said = why(match(klus, chantal), Translator("nl"), "you")

    assert said == (
        "Je kunt: Notuleren · Je hebt ervaring die lijkt op: Gegevens invoeren · "
        "Je hebt 8 van de 16 uur per week vrij · Je kunt een deel van de periode (30 van 60 dagen) · "
        "De klus is deels op locatie; jij werkt liever thuis"
    )
    assert "Maaien" not in said and "tolken" not in said  # what she lacks is not listed


def test_nice_to_have_skills_and_the_klus_text_are_named_once() -> None:
    nice = dataclasses.replace(KLUS, nice_skills=("report-writing",))
    text = dataclasses.replace(KLUS, description="Daarna schrijf je een rapport.")
    again = dataclasses.replace(KLUS, description="Je maakt de notulen.")  # names the skill already said

    assert "A plus: Report writing" in why(match(nice), Translator("en"), "they")
    assert "The klus mentions schrijf rapport, and this colleague can do that" in why(
        match(text), Translator("en"), "they"
    )
    assert why(match(again), Translator("nl"), "you") == why(match(), Translator("nl"), "you")


def test_more_skills_are_listed_with_and() -> None:
    klus = dataclasses.replace(KLUS, required_skills=("minute-taking", "report-writing"))

    assert why(match(klus), Translator("nl"), "you").startswith(
        "Je kunt: Notuleren en Rapporten schrijven · "
    )


def test_what_someone_learns_here_and_what_a_poster_confirmed_are_said_plainly() -> None:
    learner = dataclasses.replace(
        CHANTAL,
        availability=dataclasses.replace(CHANTAL.availability, learning_skills=("omgevingswet",)),
        confirmed_skills=("minute-taking",),
    )
    found = match(dataclasses.replace(KLUS, learning_skills=("omgevingswet",)), learner)

    assert why(found, Translator("nl"), "you") == (
        "Je kunt: Notuleren · Je leert hier: Kennis van de Omgevingswet"
        " · Bevestigd door een opdrachtgever: Notuleren · 4 uur per week past · Thuis werken kan"
    )
    assert "Wants to learn this: Environment and Planning Act" in why(found, Translator("en"), "they")
