"""Reading the report card's choice of organisation and period."""

from __future__ import annotations

from klussenbank.dialogs.inputs import Inputs
from klussenbank.services.reports import ReportRequest
from klussenbank.verbs import ReportInput as R


def parse_report(data: object) -> ReportRequest:
    inputs = Inputs(data)
    organisation = inputs.text(R.ORGANISATION)[:64]
    start, end = inputs.day(R.START), inputs.day(R.END)
    return ReportRequest(organisation, start, end, inputs.unreadable)
