"""HR's report: what the klussenbank brought an organisation in a period, as figures, a card,
a CSV (signed link) and from the command line; and the period's individual evaluations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from klussenbank.domain.fields import MAX_PERIOD, FieldError
from klussenbank.domain.growth import NO_PULSE, PulseSummary, summarise_pulse
from klussenbank.domain.organisations import Rules
from klussenbank.domain.people import Organisation
from klussenbank.domain.report import Figures, figures
from klussenbank.services.clock import Clock
from klussenbank.services.links import LinkSigner
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.roles import HrRoles
from klussenbank.services.views import MatchEvaluations, Refusal
from klussenbank.services.work import log_hr_reading, match_evaluations

# A card holds this many matches' evaluations (two texts of up to 1000 characters each); Teams
# refuses messages over about 28 KB.
EVALUATIONS_SHOWN = 10


@dataclass(frozen=True)
class ReportRequest:
    organisation: str = ""
    start: date | None = None
    end: date | None = None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class FiguresView:
    figures: Figures
    organisation: Organisation
    organisations: tuple[Organisation, ...]  # the ones this HR person may see
    csv_url: str
    errors: tuple[FieldError, ...] = ()
    pulse: PulseSummary = NO_PULSE  # the monthly pulse's answers in the period, no names


@dataclass(frozen=True)
class EvaluationsListView:
    """The evaluations given in a period about the organisation's klussen or its employees."""

    organisation: Organisation
    start: date
    end: date
    matches: tuple[MatchEvaluations, ...]  # the newest first
    more: int = 0  # matches with evaluations that did not fit on the card
    errors: tuple[FieldError, ...] = ()


@dataclass(frozen=True)
class _Scope:
    """The organisation and period an HR person asked for, checked."""

    key: str
    mine: tuple[str, ...]
    start: date
    end: date
    errors: tuple[FieldError, ...]


def csv_path(organisation_key: str, start: date, end: date) -> str:
    return f"/api/reports/{organisation_key}/{start.isoformat()}/{end.isoformat()}.csv"


class ReportService:
    def __init__(
        self, uow: UnitOfWorkFactory, *, clock: Clock, directory: Directory, rules: Rules, links: LinkSigner
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._links = links
        self._roles = HrRoles(directory, rules)

    async def report(self, actor: Actor, request: ReportRequest) -> FiguresView | Refusal:
        """The figures of one of the organisations the actor is HR of; this year so far by default."""
        scope = await self._scope(actor, request)
        if isinstance(scope, Refusal):
            return scope
        key, start, end = scope.key, scope.start, scope.end
        async with self._uow() as uow:
            organisations = {o.key: o for o in await uow.organisations.all()}
            period = f"{key} {start.isoformat()}..{end.isoformat()}"
            await uow.audit.add(actor.aad_object_id, "report.viewed", period, now=self._clock.now())
            pulse = summarise_pulse(
                await uow.growth.pulse_answers(
                    key,
                    datetime.combine(start, time(), tzinfo=UTC),
                    datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC),
                )
            )
            await uow.commit()
        found = await self.figures(key, start, end)
        return FiguresView(
            figures=found,
            organisation=organisations.get(key, Organisation(key, key)),
            organisations=tuple(organisations[k] for k in scope.mine if k in organisations),
            csv_url=self._links.url(csv_path(key, start, end), self._clock.now()),
            errors=scope.errors,
            pulse=pulse,
        )

    async def evaluations(self, actor: Actor, request: ReportRequest) -> EvaluationsListView | Refusal:
        """For HR: the individual evaluations given in the period about the organisation's klussen
        or its employees, the newest first. Each match read is in both sides' access log."""
        scope = await self._scope(actor, request)
        if isinstance(scope, Refusal):
            return scope
        # The organisation's local days, in UTC as moments are stored (SQLite compares them as text).
        zone = self._rules.of(scope.key).zone
        since = datetime.combine(scope.start, time(), zone).astimezone(UTC)
        until = datetime.combine(scope.end + timedelta(days=1), time(), zone).astimezone(UTC)
        now = self._clock.now()
        async with self._uow() as uow:
            approval_ids = await uow.work.evaluated(scope.key, since, until)
            matches = []
            for approval_id in approval_ids[:EVALUATIONS_SHOWN]:
                approval = await uow.approvals.get(approval_id)
                assert approval is not None
                matches.append(await match_evaluations(uow, approval, self._rules))
                await log_hr_reading(uow, approval, actor, now)
            organisation = await uow.organisations.get(scope.key)
            period = f"{scope.key} {scope.start.isoformat()}..{scope.end.isoformat()}"
            await uow.audit.add(actor.aad_object_id, "evaluations.viewed", period, now=now)
            await uow.commit()
        return EvaluationsListView(
            organisation=organisation or Organisation(scope.key, scope.key),
            start=scope.start,
            end=scope.end,
            matches=tuple(matches),
            more=len(approval_ids) - len(matches),
            errors=scope.errors,
        )

    async def _scope(self, actor: Actor, request: ReportRequest) -> _Scope | Refusal:
        """One of the organisations the actor is HR of (by default their own if they are HR of it,
        else the first), and the period (this year so far by default, and instead of an impossible one)."""
        mine = await self._roles.organisations_of(actor)
        key = request.organisation or (mine[0] if mine else "")
        if key not in mine:
            return Refusal("not_hr")
        today = self._clock.today()
        start, end = request.start or today.replace(month=1, day=1), request.end or today
        errors = [FieldError(name, "unreadable") for name in request.unreadable]
        if end < start:
            errors.append(FieldError("end", "end_before_start"))
        elif end - start > MAX_PERIOD:
            errors.append(FieldError("end", "period_too_long"))
        if errors:
            start, end = today.replace(month=1, day=1), today
        return _Scope(key, mine, start, end, tuple(errors))

    async def figures(self, organisation_key: str, start: date, end: date) -> Figures:
        async with self._uow() as uow:
            return figures(
                organisation_key,
                start,
                end,
                klussen=await uow.reports.klussen(organisation_key),
                matches=await uow.reports.matches(organisation_key),
                availability=await uow.reports.availability(organisation_key),
                external_rate=self._rules.of(organisation_key).external_hourly_rate,
            )

    async def csv(
        self, organisation_key: str, start: date, end: date, expires: str, signature: str
    ) -> str | None:
        """The figures behind a valid link, as CSV; None otherwise."""
        path = csv_path(organisation_key, start, end)
        if not self._links.valid(path, expires, signature, self._clock.now()):
            return None
        return figures_csv(await self.figures(organisation_key, start, end))


def figures_csv(found: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["figure", "value"])
    rows: list[tuple[str, object]] = [
        ("organisation", found.organisation_key),
        ("from", found.start.isoformat()),
        ("to", found.end.isoformat()),
        ("people_available", found.people_available),
        ("klussen_posted", found.posted),
        ("klussen_filled", found.filled),
        ("klussen_expired", found.expired),
        ("klussen_cancelled", found.cancelled),
        ("median_days_to_first_interest", found.days_to_first_interest),
        ("median_days_to_match", found.days_to_match),
        ("approvals_decided", found.approvals_decided),
        ("approvals_approved", found.approvals_approved),
        ("approval_rate", None if found.approval_rate is None else round(found.approval_rate, 3)),
        ("median_days_to_decide", found.days_to_decide),
        ("hours_deployed", found.hours),
        ("external_hourly_rate", found.external_rate),
        ("euros_external_hiring_avoided", found.euros_avoided),
        ("filled_within_internal_first", found.filled_internally_in_time),
        ("satisfaction_employees", found.satisfaction[0]),
        ("satisfaction_posters", found.satisfaction[1]),
    ]
    rows += [(f"posted_{m.first_day:%Y-%m}", m.posted) for m in found.months]
    rows += [(f"filled_{m.first_day:%Y-%m}", m.filled) for m in found.months]
    for name, value in rows:
        writer.writerow([name, "" if value is None else value])
    return out.getvalue()
