"""Another instance of the bot, in a process of its own: saves one person's profile on the database
it is given. `python -m tests.services.other_instance DATABASE_URL AAD_OBJECT_ID HOURS`"""

from __future__ import annotations

import asyncio
import sys

from klussenbank.data import load_skill_vocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.ports.records import Actor
from klussenbank.services.signup import SignupService
from klussenbank.services.views import ProfileView
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.uow import sql_unit_of_work
from tests.conftest import FixedClock, good_draft
from tests.services.conftest import TENANT


async def save_profile(database_url: str, aad_object_id: str, hours: int) -> None:
    engine = create_engine(database_url)
    try:
        signup = SignupService(
            sql_unit_of_work(session_factory(engine)),
            clock=FixedClock(),
            vocabulary=load_skill_vocabulary(),
            directory=FileDirectory.load("demo"),
            default_organisation="ermelo",
        )
        saved = await signup.save(Actor(aad_object_id, TENANT, "", "nl-NL"), good_draft(hours_per_week=hours))
        assert isinstance(saved, ProfileView), saved
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(save_profile(sys.argv[1], sys.argv[2], int(sys.argv[3])))
