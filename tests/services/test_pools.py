"""Pools run by a coordinator against a real database: membership, the approval of a flex worker
without a line manager, onboarding, qualifications, unavailable periods."""

from __future__ import annotations

from pathlib import Path

import pytest

from klussenbank.data import PolicyFileError, load_rules
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.pool_roles import check_pools
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import SignupService
from tests.conftest import FixedClock
from tests.services.conftest import BRAM, DAAN, EVA, Market
from tests.services.test_approvals import confirmed_match, only_approval

POOL = "flexpool-burgerzaken"  # the demo's: Ermelo and Harderwijk, run by Bram


async def test_a_flex_worker_without_a_line_manager_is_approved_by_the_pools_coordinator(
    market: Market, signup: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    async with uow_factory() as uow:
        assert await uow.pool_people.add_member(
            POOL, EVA.aad_object_id, by=BRAM.aad_object_id, now=clock.now()
        )
        assert not await uow.pool_people.add_member(
            POOL, EVA.aad_object_id, by=BRAM.aad_object_id, now=clock.now()
        )
        await uow.commit()

    klus_id = await confirmed_match(market, signup, EVA, poster=DAAN, organisation="ermelo")

    approval = await only_approval(uow_factory, klus_id)
    assert approval.approver_id == BRAM.aad_object_id  # not HR: Eva has no manager, Bram runs her pool
    async with uow_factory() as uow:
        assert [e.kind.value for e in await uow.approvals.events(approval.id)] == ["fallback"]
        assert await uow.pool_people.pools_of(EVA.aad_object_id) == [POOL]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("ermelo", "erm3lo"), "[pools.flex] organisations: 'erm3lo' is not an organisation"),
        (
            ("bram.jansen@", "bram.jansens@"),
            "[pools.flex] coordinators: 'bram.jansens@ermelo.example' is not",
        ),
    ],
)
async def test_a_pool_naming_an_unknown_organisation_or_coordinator_stops_the_start(
    tmp_path: Path, directory: FileDirectory, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "organisations.toml"
    good = '[pools.flex]\norganisations = ["ermelo", "harderwijk"]\ncoordinators = ["bram.jansen@ermelo.example"]\n'
    path.write_text(good, encoding="utf-8")
    await check_pools(load_rules(str(path)), directory)  # as it should be
    path.write_text(good.replace(*change), encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        await check_pools(load_rules(str(path)), directory)
    assert str(path) in str(raised.value) and message in str(raised.value)
