"""Charging the client: for pools whose work is charged, the settled hours per client organisation and
month at the pool's rate, as a card and a CSV for the finance department. For the pool's coordinators
and HR of its member organisations."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta

from klussenbank.domain.organisations import Rules
from klussenbank.domain.pools import Pool
from klussenbank.domain.work import month_of
from klussenbank.services.clock import Clock
from klussenbank.services.links import LinkSigner
from klussenbank.services.pool_roles import PoolRoles
from klussenbank.services.ports.directory import Directory
from klussenbank.services.ports.records import Actor, SettledHours
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.roles import HrRoles
from klussenbank.services.views import Refusal


@dataclass(frozen=True)
class Charge:
    """One client's settled hours in a month, and what they come to at the pool's rate."""

    hours: SettledHours
    rate: float | None

    @property
    def amount(self) -> float | None:
        return None if self.rate is None else round(self.hours.hours * self.rate, 2)


@dataclass(frozen=True)
class PoolMonth:
    pool: Pool
    month: date
    charges: tuple[Charge, ...]
    csv_url: str


@dataclass(frozen=True)
class ChargingView:
    months: tuple[PoolMonth, ...]  # per charged pool: last month and this month


def csv_path(pool_key: str, month: date) -> str:
    return f"/api/charging/{pool_key}/{month:%Y-%m}.csv"


class ChargingService:
    def __init__(
        self, uow: UnitOfWorkFactory, *, clock: Clock, directory: Directory, rules: Rules, links: LinkSigner
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._links = links
        self._pools = PoolRoles(directory, rules)
        self._hr = HrRoles(directory, rules)

    async def overview(self, actor: Actor) -> ChargingView | Refusal:
        pools = await self._charged_pools(actor)
        if not pools:
            return Refusal("charging_only")
        this_month = month_of(self._clock.today())
        last_month = month_of(this_month - timedelta(days=1))
        now = self._clock.now()
        months = []
        for pool in pools:
            for month in (last_month, this_month):
                months.append(
                    PoolMonth(
                        pool,
                        month,
                        tuple(await self._charges(pool, month)),
                        self._links.url(csv_path(pool.key, month), now),
                    )
                )
        return ChargingView(tuple(months))

    async def csv(self, pool_key: str, month: date, expires: str, signature: str) -> str | None:
        """The month's charges behind a valid link, as CSV; None otherwise."""
        pool = self._rules.pools.get(pool_key)
        if pool is None or not self._links.valid(
            csv_path(pool_key, month), expires, signature, self._clock.now()
        ):
            return None
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            ["pool", "client_organisation", "client_name", "month", "hours", "hourly_rate", "amount"]
        )
        for charge in await self._charges(pool, month):
            writer.writerow(
                [
                    pool.key,
                    charge.hours.organisation_key,
                    charge.hours.organisation_name,
                    f"{month:%Y-%m}",
                    f"{charge.hours.hours:.2f}",
                    "" if charge.rate is None else f"{charge.rate:.2f}",
                    "" if charge.amount is None else f"{charge.amount:.2f}",
                ]
            )
        return out.getvalue()

    async def _charges(self, pool: Pool, month: date) -> list[Charge]:
        async with self._uow() as uow:
            settled = await uow.charging.settled([pool.key], month, month)
        return [Charge(hours, pool.hourly_rate) for hours in settled]

    async def _charged_pools(self, actor: Actor) -> list[Pool]:
        """The charged pools the actor coordinates, or is HR of a member organisation of."""
        hr_of = set(await self._hr.organisations_of(actor))
        return [
            pool
            for pool in self._rules.pools.values()
            if pool.charged
            and (hr_of & set(pool.organisations) or await self._pools.coordinates(actor.aad_object_id, pool))
        ]
