"""The cards of requests by shift and the planning board, for the card tests (schema, golden, verbs)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, time
from typing import Any

from klussenbank.cards.charging import charging_card
from klussenbank.cards.shifts import (
    coordinator_card,
    open_requests_card,
    planning_card,
    shift_form_card,
    shift_request_card,
)
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import InterestStatus
from klussenbank.domain.matching import Match
from klussenbank.domain.people import Organisation
from klussenbank.domain.pools import Exclusion, Pool
from klussenbank.domain.shifts import Shift
from klussenbank.i18n import Translator
from klussenbank.services.charging import Charge, ChargingView, PoolMonth
from klussenbank.services.planning import ORGANISATION, PERSON, PlanningView
from klussenbank.services.ports.records import PlannedShift, SettledHours
from klussenbank.services.shifts import (
    CoordinatorView,
    OpenRequestsView,
    ProposalRow,
    ShiftDraft,
    ShiftFormView,
    ShiftRequestView,
)
from klussenbank.services.views import KlusView, SkillChoice

POOL = Pool(
    "flexpool-burgerzaken",
    "Flexpool Burgerzaken",
    ("ermelo", "harderwijk"),
    coordinators=("bram.jansen@ermelo.example",),
    qualifications=("Voorkomen ID-fraude", "VOG"),
)
SHIFTS = tuple(Shift(date(2026, 12, d), time(9), time(13)) for d in (8, 10, 15, 17, 22, 24, 29, 31, 5))
LINK = "http://127.0.0.1:3978/api/planning/person/chantal.ics?expires=1&sig=0"


def shift_cards(
    klus: KlusView, match: Match, organisations: tuple[Organisation, ...], skills: tuple[SkillChoice, ...]
) -> dict[str, Callable[[Translator], dict[str, Any]]]:
    request = ShiftRequestView(
        dataclasses.replace(klus, people_needed=2, pool_key=POOL.key),
        SHIFTS,
        booked=("Chantal Bakker",),
        proposed=("Daan Visser",),
    )
    form = ShiftFormView(
        ShiftDraft(organisation="ermelo", people_needed=1, pool=POOL.key),
        skills,
        organisations,
        (POOL,),
        date(2026, 11, 23),
    )
    errors = dataclasses.replace(
        form,
        values=dataclasses.replace(form.values, shifts="di 9:00-13:00 week 50; 8-12 12:00-14:00"),
        errors=(
            FieldError("title", "required"),
            FieldError(
                "shifts",
                "shift_overlap",
                {"first": SHIFTS[0], "second": Shift(SHIFTS[0].day, time(12), time(14))},
            ),
        ),
    )
    rows = (
        ProposalRow("daan", "Daan Visser", "Gemeente Ermelo", match, status=InterestStatus.CHOSEN),
        ProposalRow("eva", "Eva Smit", "Gemeente Zeewolde", match),
        ProposalRow("chantal", "Chantal Bakker", "Gemeente Ermelo", match, clash=SHIFTS[1]),
        ProposalRow("anna", "Anna de Vries", "Gemeente Harderwijk", match, unavailable=(SHIFTS[2].day,)),
        ProposalRow(
            "fleur",
            "Fleur de Boer",
            "Gemeente Ermelo",
            None,
            left_out=(
                Exclusion("onboarding", {"pool": POOL.name, "steps": "4 trainingsdagen"}),
                Exclusion("missing", {"names": "VOG"}),
                Exclusion("unavailable", {"first": "2026-12-01", "last": "2027-01-10"}),
            ),
        ),
    )
    planned = tuple(
        PlannedShift(s, klus.id, klus.title, klus.place, "ermelo", "Gemeente Ermelo", 2, booked)
        for s, booked in ((SHIFTS[0], (("chantal", "Chantal Bakker"),)), (SHIFTS[1], ()))
    )
    board = PlanningView(
        date(2026, 12, 7), ORGANISATION, True, planned, LINK.replace(".ics", "/2026-12-07.csv"), LINK
    )
    december = date(2026, 12, 1)
    charges = (Charge(SettledHours(POOL.key, "harderwijk", "Gemeente Harderwijk", december, 16.5), 38.5),)
    charging = ChargingView(
        (
            PoolMonth(
                POOL, december, charges, "http://127.0.0.1:3978/api/charging/p/2026-12.csv?expires=1&sig=0"
            ),
            PoolMonth(
                POOL, date(2027, 1, 1), (), "http://127.0.0.1:3978/api/charging/p/2027-01.csv?expires=1&sig=0"
            ),
        )
    )
    return {
        "charging": lambda t: charging_card(charging, t),
        "shifts_form": lambda t: shift_form_card(form, t),
        "shifts_form_errors": lambda t: shift_form_card(errors, t),
        "shifts_request": lambda t: shift_request_card(request, t, banner=t("shifts.posted")),
        "shifts_coordinator": lambda t: coordinator_card(
            CoordinatorView(request, rows, "shifts.banner.proposed"), t
        ),
        "shifts_coordinator_clash": lambda t: coordinator_card(
            CoordinatorView(request, (), "shifts.banner.clash"), t
        ),
        "shifts_open": lambda t: open_requests_card(OpenRequestsView((request,)), t),
        "shifts_open_none": lambda t: open_requests_card(OpenRequestsView(()), t),
        "planning_organisation": lambda t: planning_card(board, t),
        "planning_person_empty": lambda t: planning_card(
            dataclasses.replace(board, scope=PERSON, may_coordinate=False, shifts=()), t
        ),
    }
