"""What each organisation in the pool decides for itself: approval, HR, time zone, closed days,
digests and the wording of its secondment agreements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from klussenbank.domain.agreement_wording import AgreementTemplate
from klussenbank.domain.approval import ApprovalPolicy
from klussenbank.domain.people import WEEKDAYS
from klussenbank.domain.pools import Pool
from klussenbank.domain.working_days import WorkingCalendar


@dataclass(frozen=True)
class DigestSchedule:
    """When the weekly digest of new klussen goes out (local time), and to which channels."""

    weekday: str = "mon"
    hour: int = 8
    channels: tuple[str, ...] = ()  # Teams channel conversation ids

    def __post_init__(self) -> None:
        if self.weekday not in WEEKDAYS:
            raise ValueError(f"digest_day must be one of {', '.join(WEEKDAYS)}")
        if not 0 <= self.hour <= 23:
            raise ValueError("digest_hour must be an hour from 0 to 23")


@dataclass(frozen=True)
class OrganisationRules:
    approval: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    hr: tuple[str, ...] = ()  # who may announce: e-mail addresses or Entra object ids
    time_zone: str = "Europe/Amsterdam"
    # Its working days: public holidays and the days it is closed do not count for approval times.
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    digest: DigestSchedule = field(default_factory=DigestSchedule)
    # What an hour of external hiring costs, for "external hiring avoided" in reports (None: unknown).
    external_hourly_rate: float | None = None
    # What the organisation charges another for an hour of its employee's work (None: free).
    internal_hourly_rate: float | None = None
    # Months after a klus closed (or ended) before its personal data is purged.
    retention_months: int = 24
    # Its own wording of the agreements for its employees (empty: the built-in wording).
    agreement_template: AgreementTemplate = field(default_factory=AgreementTemplate)

    def __post_init__(self) -> None:
        for name in ("external_hourly_rate", "internal_hourly_rate"):
            rate = getattr(self, name)
            if rate is not None and not 0 < rate < 10_000:
                raise ValueError(f"{name} must be an amount in euros between 0 and 10000")
        if not 1 <= self.retention_months <= 120:
            raise ValueError("retention_months must be a number of months from 1 to 120")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"time_zone {self.time_zone!r} is not a known time zone") from exc

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


@dataclass(frozen=True)
class Rules:
    """Every organisation's rules; organisations not named get the default. Also the pools run by a
    coordinator, by key, and the file it all came from (for start-up errors)."""

    by_organisation: Mapping[str, OrganisationRules] = field(default_factory=dict)
    default: OrganisationRules = field(default_factory=OrganisationRules)
    pools: Mapping[str, Pool] = field(default_factory=dict)
    source: str = ""

    def of(self, organisation_key: str) -> OrganisationRules:
        return self.by_organisation.get(organisation_key, self.default)

    def pools_of(self, organisation_key: str) -> tuple[Pool, ...]:
        """The pools the organisation is a member of."""
        return tuple(p for p in self.pools.values() if organisation_key in p.organisations)
