"""Routing: a card verb and a typed command word (in either language) reach their one handler."""

from __future__ import annotations

import pytest

from klussenbank.bot.agent import ROUTES
from klussenbank.cards.elements import Element
from klussenbank.dialogs import (
    agreements,
    applications,
    general,
    klussen,
    matching,
    privacy,
    profile,
    reports,
    work,
)
from klussenbank.dialogs.router import DuplicateRoute, Handler, Router, Routes
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.i18n import LANGUAGES, catalog
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Verb


async def _elsewhere(services: Services, actor: Actor, turn: Turn) -> Element:
    return {}


@pytest.mark.parametrize(
    ("verb", "handler"),
    [
        (Verb.HELP_SHOW, general.on_help_show),
        (Verb.AVAILABILITY_SAVE, profile.on_availability_save),
        (Verb.KLUS_POST, klussen.on_klus_post),
        (Verb.CANDIDATE_CHOOSE, matching.on_candidate_choose),
        (Verb.HOURS_CHECK, work.on_hours_check),
        (Verb.REPORT_EVALUATIONS, reports.on_report_evaluations),
        (Verb.AGREEMENT_SHOW, agreements.on_agreement_show),
        (Verb.AGREEMENT_LIST, agreements.on_agreement_list),
        (Verb.APPLICATIONS_SHOW, applications.on_applications_show),
        (Verb.MY_DATA_ERASE_CONFIRM, privacy.on_my_data_erase_confirm),
    ],
)
def test_a_verb_selects_its_handler(verb: Verb, handler: Handler) -> None:
    assert ROUTES.for_verb(verb) is handler


def test_no_verb_selects_nothing() -> None:
    assert ROUTES.for_verb(None) is None


@pytest.mark.parametrize(
    ("text", "handler"),
    [
        ("klus plaatsen", klussen.on_klus_new),
        ("Post klus", klussen.on_klus_new),
        ("Beschikbaar!", profile.on_availability_edit),
        ("available", profile.on_availability_edit),
        ("aanmelden", profile.on_availability_edit),
        ("pauze", profile.on_pause_command),
        ("pause", profile.on_pause_command),
        ("Wie zag mijn gegevens?", privacy.on_access_log_show),
        ("who saw my data", privacy.on_access_log_show),
        ("rapport", reports.on_report_show),
        ("report", reports.on_report_show),
        ("hulp", general.on_help_show),
        ("Mijn reacties", applications.on_applications_show),
        ("my applications", applications.on_applications_show),
        ("overeenkomst", agreements.on_agreement_list),
        ("My agreements", agreements.on_agreement_list),
        ("Goedemorgen", general.on_help_show),
    ],
)
def test_a_command_word_selects_its_handler(text: str, handler: Handler) -> None:
    assert ROUTES.for_text(text) is handler


def test_every_command_has_one_handler_in_both_languages() -> None:
    names = {key for key in catalog("nl") if key.startswith("command.")}
    for name in names:
        handlers = {ROUTES.for_text(catalog(lang)[name]) for lang in LANGUAGES}
        assert len(handlers) == 1 and None not in handlers, name


def test_text_that_is_no_command_selects_nothing() -> None:
    assert ROUTES.for_text("waar is de koffie") is None


def test_a_verb_registered_twice_fails_at_once() -> None:
    router = Router()
    router.verb(Verb.HELP_SHOW)(_elsewhere)
    with pytest.raises(DuplicateRoute, match=r"help\.show"):
        router.verb(Verb.HELP_SHOW)(_elsewhere)


def test_a_verb_two_features_claim_fails_when_they_are_joined() -> None:
    other = Router()
    other.verb(Verb.HELP_SHOW)(_elsewhere)
    with pytest.raises(DuplicateRoute, match=r"help\.show"):
        Routes(general.router, other)


def test_a_command_word_two_handlers_claim_fails_when_they_are_joined() -> None:
    other = Router()
    other.command("report")(_elsewhere)
    with pytest.raises(DuplicateRoute, match=r"rapport|report"):
        Routes(reports.router, other)
    greeting = Router()
    greeting.command("my_data", also=("hallo",))(_elsewhere)
    with pytest.raises(DuplicateRoute, match="hallo"):
        Routes(general.router, greeting)
