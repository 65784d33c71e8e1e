"""The terms of a secondment agreement (detacheringsovereenkomst): who lends whom to whom, for how
long, and what it costs. documents/ turns them into a PDF, worded as agreement_wording says."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from klussenbank.domain.agreement_wording import AgreementTemplate, Language

CENT = Decimal("0.01")
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class AgreementView:
    number: str
    agreement_date: date  # the calendar date the agreement is made, printed on it
    generated_at: datetime  # recorded as the PDF's creation date
    lending_organisation: str
    lending_department: str
    borrowing_organisation: str
    borrowing_department: str
    employee_name: str
    employee_job_title: str
    employee_email: str
    klus_title: str
    klus_description: str
    hours_per_week: int
    start_date: date
    end_date: date
    hourly_rate: Decimal | None  # the lending organisation's internal rate in euros; None: free
    poster: Contact
    line_manager: Contact
    hr_contact: Contact
    approved_by: str
    approved_on: date
    language: Language = "nl"
    template: AgreementTemplate = field(default_factory=AgreementTemplate)  # the lending organisation's

    @property
    def parties(self) -> dict[str, str]:
        """What the placeholders every text may use stand for (agreement_wording.PARTIES)."""
        return {
            "employee": self.employee_name,
            "lending": self.lending_organisation,
            "borrowing": self.borrowing_organisation,
        }

    @property
    def weeks(self) -> Decimal:
        return weeks_in_period(self.start_date, self.end_date)

    @property
    def cost_estimate(self) -> Decimal | None:
        if self.hourly_rate is None:
            return None
        return estimate_cost(self.hours_per_week, self.start_date, self.end_date, self.hourly_rate)


def weeks_in_period(start: date, end: date) -> Decimal:
    """Weeks from `start` to `end`, both days included, to one decimal."""
    days = (end - start).days + 1
    return (Decimal(days) / 7).quantize(TENTH, rounding=ROUND_HALF_UP)


def estimate_cost(hours_per_week: int, start: date, end: date, hourly_rate: Decimal) -> Decimal:
    """Hours per week × weeks × rate, in cents. It uses the weeks as printed (one decimal), so
    the sum on paper adds up for the reader."""
    weeks = weeks_in_period(start, end)
    return (hours_per_week * weeks * hourly_rate).quantize(CENT, rounding=ROUND_HALF_UP)
