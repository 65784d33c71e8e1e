"""PostgreSQL connections: a pooled connection the server closed is replaced without a failed turn
(without `pool_pre_ping`, which costs three round trips on every checkout)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from klussenbank.store.db import create_engine
from tests.conftest import _admin


async def test_a_connection_the_server_closed_is_replaced(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        async with engine.connect() as connection:
            before = await connection.scalar(text("SELECT pg_backend_pid()"))
            driver = (await connection.get_raw_connection()).driver_connection
        await _admin(f"SELECT pg_terminate_backend({before})")  # a restart, an idle timeout
        for _ in range(100):  # the server's goodbye reaches the idle pooled connection
            if driver.is_closed():
                break
            await asyncio.sleep(0.05)
        async with engine.connect() as connection:
            after = await connection.scalar(text("SELECT pg_backend_pid()"))
        assert driver.is_closed()
        assert after != before
    finally:
        await engine.dispose()
