"""Talent search's pure rules: a search read as skills and words, the manager-blind rule, and a date
request's checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.people import hidden_from_own_line
from klussenbank.domain.talent import DateDraft, read_query, search_klus, validate_date

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "language", "skills", "terms"),
    [
        ("wie kan Power BI?", "nl", ("dashboards",), ()),  # a synonym
        ("notulist", "nl", ("minute-taking",), ()),
        ("who is good at taking minutes", "en", ("minute-taking",), ()),
        ("notuleren en imkeren", "nl", ("minute-taking",), ("imkeren",)),  # a word no skill names
        ("wie kan ?", "nl", (), ()),
    ],
)
def test_a_search_is_read_as_skills_and_words(
    text: str, language: str, skills: tuple[str, ...], terms: tuple[str, ...]
) -> None:
    query = read_query(text, load_skill_vocabulary(), language)

    assert (query.skills, query.terms, query.empty) == (skills, terms, not skills and not terms)


def test_a_search_is_a_klus_of_the_searchers_soon_and_for_their_organisation() -> None:
    query = read_query("notuleren", load_skill_vocabulary(), "nl")

    klus = search_klus(query, searcher_id="me", organisation_key="ermelo", today=TODAY)

    assert (klus.poster_id, klus.organisation_key, klus.required_skills) == (
        "me",
        "ermelo",
        ("minute-taking",),
    )
    assert klus.start_date == TODAY and klus.end_date > TODAY


def test_the_own_line_is_hidden_but_for_those_who_allowed_it() -> None:
    assert hidden_from_own_line(["a", "b", "c"], {"b"}) == {"a", "c"}
    assert hidden_from_own_line([], {"b"}) == frozenset()


def test_a_date_request_needs_a_text_and_sensible_hours_and_dates() -> None:
    values, errors = validate_date(DateDraft(" Help? ", 2, None, TODAY + timedelta(days=3)), today=TODAY)
    assert values == ("Help?", 2, None, TODAY + timedelta(days=3)) and errors == []

    values, errors = validate_date(
        DateDraft("", 41, TODAY + timedelta(days=5), TODAY + timedelta(days=1)), today=TODAY
    )
    assert values is None
    assert {(e.field, e.code) for e in errors} == {
        ("date_text", "required"),
        ("date_hours", "hours_range"),
        ("date_end", "end_before_start"),
    }
