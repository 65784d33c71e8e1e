"""HR's reports: an organisation's figures over a period, and the evaluations in it."""

from __future__ import annotations

from klussenbank.cards.elements import Element
from klussenbank.cards.report import report_evaluations_card, report_figures_card
from klussenbank.dialogs.inputs import Inputs
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_card
from klussenbank.services.ports.records import Actor
from klussenbank.services.reports import ReportRequest
from klussenbank.verbs import ReportInput as R
from klussenbank.verbs import Verb

router = Router()


def parse_report(data: object) -> ReportRequest:
    """The report card's choice of organisation and period."""
    inputs = Inputs(data)
    organisation = inputs.text(R.ORGANISATION)[:64]
    start, end = inputs.day(R.START), inputs.day(R.END)
    return ReportRequest(organisation, start, end, inputs.unreadable)


@router.verb(Verb.REPORT_SHOW)
@router.command("report")
async def on_report_show(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.reports.report(actor, parse_report(turn.data))
    return on_card(result, turn.t, report_figures_card)


@router.verb(Verb.REPORT_EVALUATIONS)
async def on_report_evaluations(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.reports.evaluations(actor, parse_report(turn.data))
    return on_card(result, turn.t, report_evaluations_card)
