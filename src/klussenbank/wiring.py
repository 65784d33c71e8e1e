"""The composition root: builds adapters and services from settings."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.agent import KlussenbankBot
from klussenbank.bot.server import init_app
from klussenbank.config import Settings
from klussenbank.data import load_skill_vocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.clock import SystemClock
from klussenbank.services.people import ImportResult, import_directory
from klussenbank.services.signup import SignupService
from klussenbank.store.db import create_engine, session_factory
from klussenbank.store.uow import sql_unit_of_work


def signup_service(settings: Settings, engine: AsyncEngine) -> SignupService:
    return SignupService(
        sql_unit_of_work(session_factory(engine)),
        clock=SystemClock(),
        vocabulary=load_skill_vocabulary(),
        directory=FileDirectory.load(settings.directory_file),
        default_organisation=settings.default_organisation,
    )


def build_web_app(settings: Settings) -> web.Application:
    engine = create_engine(settings.database_url)
    return init_app(settings, engine=engine, bot=KlussenbankBot(signup_service(settings, engine)))


async def load_directory(settings: Settings, *, tenant_id: str) -> ImportResult:
    engine = create_engine(settings.database_url)
    try:
        return await import_directory(
            sql_unit_of_work(session_factory(engine)),
            FileDirectory.load(settings.directory_file),
            SystemClock(),
            tenant_id=tenant_id,
        )
    finally:
        await engine.dispose()
