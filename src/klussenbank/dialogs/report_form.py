"""Reading the report card's choice of organisation and period."""

from __future__ import annotations

from klussenbank.cards.verbs import ReportInput as R
from klussenbank.dialogs.inputs import Inputs
from klussenbank.services.reports import ReportRequest


def parse_report(data: object) -> ReportRequest:
    inputs = Inputs(data)
    organisation = inputs.text(R.ORGANISATION)[:64]
    start, end = inputs.day(R.START), inputs.day(R.END)
    return ReportRequest(organisation, start, end, inputs.unreadable)
