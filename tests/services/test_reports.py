"""HR's report against a real database: the figures of a known marketplace, who may see them, the CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.klussen import KlusService
from klussenbank.services.ports import UnitOfWorkFactory
from klussenbank.services.reports import FiguresView, ReportRequest
from klussenbank.services.signup import SignupService
from klussenbank.services.views import Refusal
from tests.conftest import TODAY, FixedClock
from tests.services.conftest import ANNA, BRAM, CHANTAL, DAAN, report_service
from tests.services.test_approvals import confirmed_match, only_approval
from tests.services.test_klussen import posted


async def test_the_figures_of_a_known_marketplace(
    klussen: KlusService,
    approvals: ApprovalService,
    signup: SignupService,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    directory: FileDirectory,
) -> None:
    # Harderwijk (Anna) posts two klussen; Chantal is approved by Bram for the first one, 8 hours
    # a week from 7 December 2026 to 22 January 2027; nobody reacts to the second.
    klus_id = await confirmed_match(klussen, signup, CHANTAL)
    await posted(klussen, ANNA, organisation="harderwijk", title="Archief ordenen")
    clock.current = TODAY + timedelta(days=2)
    await approvals.approve(BRAM, (await only_approval(uow_factory, klus_id)).id)
    reports = report_service(uow_factory, clock, directory)

    assert await reports.report(BRAM, ReportRequest()) == Refusal("not_hr")
    view = await reports.report(ANNA, ReportRequest("harderwijk", TODAY, TODAY + timedelta(days=30)))

    assert isinstance(view, FiguresView)
    found = view.figures
    assert (found.posted, found.filled, found.expired, found.cancelled) == (2, 1, 0, 0)
    assert (found.approvals_decided, found.approvals_approved, found.approval_rate) == (1, 1, 1.0)
    assert found.days_to_first_interest == 0.0 and found.days_to_decide == 2.0 and found.days_to_match == 2.0
    # The match runs from 7 December; the period ends 23 December: 17 days of 8 hours a week.
    assert found.hours == round(8 * 17 / 7, 1) == 19.4
    assert found.euros_avoided == round(19.4 * 85, 2)  # the demo's external rate
    assert found.filled_internally_in_time == 1
    assert found.people_available == 0  # Chantal is of Ermelo
    link = urlsplit(view.csv_url)
    query = {k: v[0] for k, v in parse_qs(link.query).items()}
    body = await reports.csv("harderwijk", TODAY, TODAY + timedelta(days=30), query["expires"], query["sig"])
    assert body is not None
    rows = dict(csv.reader(io.StringIO(body)))
    assert (rows["klussen_posted"], rows["hours_deployed"], rows["euros_external_hiring_avoided"]) == (
        "2",
        "19.4",
        "1649.0",
    )
    assert (
        await reports.csv("ermelo", TODAY, TODAY + timedelta(days=30), query["expires"], query["sig"]) is None
    )


async def test_a_wrong_period_says_so_and_shows_this_year(
    signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, directory: FileDirectory
) -> None:
    reports = report_service(uow_factory, clock, directory)

    view = await reports.report(ANNA, ReportRequest("ermelo", TODAY, TODAY - timedelta(days=1)))

    assert isinstance(view, FiguresView)
    assert [e.code for e in view.errors] == ["end_before_start"]
    assert (view.figures.start, view.figures.end) == (TODAY.replace(month=1, day=1), TODAY)
    assert await reports.report(DAAN, ReportRequest("ermelo")) == Refusal("not_hr")
