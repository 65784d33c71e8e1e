"""The approval rules: working days, what is due, who may decide, and the policy file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klussenbank.data import PolicyFileError, load_rules
from klussenbank.domain.approval import (
    Approval,
    ApprovalChain,
    ApprovalPolicy,
    ApprovalStatus,
    ApprovalStep,
    Due,
    due,
    expires_on,
)
from klussenbank.domain.organisations import OrganisationRules
from klussenbank.domain.working_days import WorkingCalendar

MONDAY = date(2026, 11, 23)
WEEKS = WorkingCalendar()  # no public holiday falls in the weeks after MONDAY


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def approval(**changes: object) -> Approval:
    values: dict[str, object] = {
        "id": 1,
        "klus_id": 1,
        "candidate_id": "chantal",
        "poster_id": "anna",
        "organisation_key": "ermelo",
        "across": True,
        "share_motivation": False,
        "step": ApprovalStep.MANAGER,
        "approver_id": "bram",
        "status": ApprovalStatus.PENDING,
        "created_at": at(MONDAY),
        "step_started_at": at(MONDAY),
    }
    return Approval(**{**values, **changes})  # type: ignore[arg-type]


def test_working_days_skip_the_weekend() -> None:
    friday = MONDAY + timedelta(days=4)
    assert WEEKS.working_days_between(MONDAY, MONDAY) == 0
    assert WEEKS.working_days_between(MONDAY, friday) == 4
    assert WEEKS.working_days_between(friday, friday + timedelta(days=3)) == 1  # Saturday, Sunday, Monday
    assert WEEKS.working_days_between(friday + timedelta(days=1), friday + timedelta(days=2)) == 0
    assert WEEKS.working_days_between(friday, MONDAY) == 0


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(0, 400),
    st.frozensets(st.integers(0, 400), max_size=8),
)
def test_working_days_match_counting_one_by_one(start: date, days: int, closed: frozenset[int]) -> None:
    calendar = WorkingCalendar(frozenset(start + timedelta(days=n) for n in closed))
    end = start + timedelta(days=days)
    one_by_one = sum(calendar.is_working_day(start + timedelta(days=n)) for n in range(1, days + 1))
    assert calendar.working_days_between(start, end) == one_by_one
    assert calendar.working_days_between(start, calendar.add_working_days(start, one_by_one)) == one_by_one


def test_what_is_due_when() -> None:
    policy = ApprovalPolicy(remind_after=3, escalate_after=5, expire_after=10)
    assert due(approval(), policy, WEEKS, MONDAY + timedelta(days=2)) is None
    assert due(approval(), policy, WEEKS, MONDAY + timedelta(days=3)) is Due.REMIND
    assert due(approval(reminded=True), policy, WEEKS, MONDAY + timedelta(days=3)) is None
    assert due(approval(reminded=True), policy, WEEKS, MONDAY + timedelta(days=7)) is Due.ESCALATE
    assert due(approval(), policy, WEEKS, MONDAY + timedelta(days=14)) is Due.EXPIRE
    # After an escalation the new approver gets their own time; expiry still counts from the start.
    later = approval(step_started_at=at(MONDAY + timedelta(days=7)))
    assert due(later, policy, WEEKS, MONDAY + timedelta(days=8)) is None
    assert due(later, policy, WEEKS, MONDAY + timedelta(days=14)) is Due.EXPIRE
    # Nobody to remind or escalate to: only expiry.
    assert due(approval(approver_id=None), policy, WEEKS, MONDAY + timedelta(days=7)) is None
    assert due(approval(status=ApprovalStatus.APPROVED), policy, WEEKS, MONDAY + timedelta(days=30)) is None


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
    st.integers(1, 30),
    st.frozensets(st.integers(0, 60), max_size=8),
)
def test_the_expiry_day_shown_is_the_day_it_expires(
    start: date, expire_after: int, closed: frozenset[int]
) -> None:
    calendar = WorkingCalendar(frozenset(start + timedelta(days=n) for n in closed))
    policy = ApprovalPolicy(remind_after=1, escalate_after=1, expire_after=expire_after)
    pending = approval(created_at=at(start), step_started_at=at(start), reminded=True)
    day = expires_on(pending, policy, calendar)
    assert due(pending, policy, calendar, day) is Due.EXPIRE
    assert due(pending, policy, calendar, day - timedelta(days=1)) is not Due.EXPIRE
    # Counting working days, it never falls in a weekend, on a public holiday or a closed day.
    assert calendar.is_working_day(day)


def test_who_may_decide() -> None:
    pending = approval()
    forwarded = pending.forwarded("eva", by="bram", now=at(MONDAY))
    assert pending.may_decide("bram") and not pending.may_decide("chantal")
    assert forwarded.may_decide("eva") and forwarded.may_decide("bram")
    assert not forwarded.may_decide("anna")
    assert not pending.decided(ApprovalStatus.APPROVED, "bram", at(MONDAY)).may_decide("bram")


def test_which_chains_need_hr() -> None:
    assert not ApprovalPolicy().needs_hr(across=True)
    assert ApprovalPolicy(chain=ApprovalChain.MANAGER_THEN_HR).needs_hr(across=False)
    assert ApprovalPolicy(chain=ApprovalChain.MANAGER_THEN_HR_ACROSS).needs_hr(across=True)
    assert not ApprovalPolicy(chain=ApprovalChain.MANAGER_THEN_HR_ACROSS).needs_hr(across=False)


def test_the_demo_policy_and_the_defaults() -> None:
    demo = load_rules("demo")
    assert demo.of("ermelo").approval.hr_approvers == ("anna.devries@harderwijk.example",)
    assert demo.of("zeewolde").approval.chain is ApprovalChain.MANAGER_THEN_HR
    # Inherited from [default]:
    assert demo.of("zeewolde").approval.hr_approvers == demo.default.approval.hr_approvers
    assert demo.of("zeewolde").hr == demo.default.hr == ("anna.devries@harderwijk.example",)
    assert load_rules("").of("anything") == OrganisationRules()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[default]\nchain = 'boss'", "chain must be one of manager, manager_then_hr"),
        ("[default]\nremind_after = 'drie'", "remind_after must be a whole number"),
        ("[default]\ntime_zone = 'Europe/Ermelo'", "time_zone 'Europe/Ermelo' is not a known time zone"),
        ("[default]\ndigest_day = 'maandag'", "digest_day must be one of mon, tue"),
        ("[default]\ndigest_hour = 25", "digest_hour must be an hour from 0 to 23"),
        ("[default]\ndigest_channels = '19:x'", "digest_channels must be a list of texts"),
        ("[default]\nremind_after = 6", "remind_after <= escalate_after"),
        ("[default]\nhr_approvers = 'anna@x.nl'", "hr_approvers must be a list of texts"),
        ("[default]\nclosed_days = '2026-12-28'", "[default] closed_days must be a list; write dates as"),
        (
            "[organisations.ermelo]\nclosed_days = ['2026-12-32']",
            "[organisations.ermelo] closed_days: '2026-12-32' is not a date or range",
        ),
        ("[default]\nclosed_days = ['2026-12-28..']", "closed_days: '2026-12-28..' is not a date or range"),
        ("[default]\nclosed_days = [2026-12-28T09:00:00]", "is not a date or range"),
        ("[default]\nclosed_days = ['2026-12-31..2026-12-28']", "must end on or after its first day"),
        ("[default]\nclosed_days = ['2026-01-01..2027-12-31']", "within a year"),
        ("[organisations.ermelo]\nescalate = 3", "[organisations.ermelo] has unknown keys ['escalate']"),
        ("organisations = 3", "[organisations] must hold one table"),
        ("[default\n", "is not TOML"),
    ],
)
def test_a_wrong_policy_file_says_what_is_wrong(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "organisations.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(PolicyFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_rules(str(path))


def test_a_wrong_policy_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "organisations.toml"
    path.write_text("[organisations.ermelo]\nclosed_days = ['kerst']", encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        load_rules(str(path))
    assert str(raised.value).startswith(
        f"organisations file {path} [organisations.ermelo] closed_days: 'kerst'"
    )


def test_closed_days_are_dates_and_ranges_inherited_from_default(tmp_path: Path) -> None:
    path = tmp_path / "organisations.toml"
    path.write_text(
        "[default]\nclosed_days = ['2026-12-28..2026-12-31', 2027-05-07]\n"
        "[organisations.ermelo]\nhr = []\n"
        "[organisations.zeewolde]\nclosed_days = []\n",
        encoding="utf-8",
    )
    rules = load_rules(str(path))
    expected = {date(2026, 12, 28), date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)}
    assert rules.of("ermelo").calendar.closed_days == {*expected, date(2027, 5, 7)}
    assert rules.of("elsewhere").calendar == rules.default.calendar == rules.of("ermelo").calendar
    assert rules.of("zeewolde").calendar == WorkingCalendar()  # its own list replaces the default's


def test_a_missing_policy_file_is_named() -> None:
    with pytest.raises(PolicyFileError, match="does not exist"):
        load_rules("/nonexistent/organisations.toml")
