"""Fixtures for the end-to-end tests: bot + Agents Playground + headless Chromium.

- `e2e_workdir`   a temp dir for the package's databases, logs and screenshots on failure
                  (KLUSSENBANK_E2E_ARTIFACTS=<dir> puts them there instead);
- `bot`           `klussenbank serve` on a fresh copy of a migrated demo database, per test;
                  `bot.restart()` (or the `restart_bot` fixture) restarts it on the same
                  port and database;
- `playground`    the Agents Playground pointed at the bot's port, one for the package;
- `browser`       Debian's Chromium through Playwright, one for the package;
- `chat`          a fresh page with the personal chat open, per test; a failing test leaves a
                  full-page screenshot and the logs, and says where, in its report;
- `playground_pool` an Agents Playground per other demo person (each signed in as that person,
                  on the same bot), started when first asked for, for the package;
- `chat_as`       `chat_as("Anna de Vries", "Daan Visser")`: their personal chats, each in its own
                  Playground and browser context, per test; screenshots on failure as for `chat`.

Every process runs in its own process group and is stopped (SIGTERM, then SIGKILL) when its
fixture ends, whatever the outcome; each also gets SIGKILL if the test run itself dies.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.e2e.playground import (
    BotServer,
    Chat,
    Playground,
    PlaygroundPool,
    free_port,
    launch_chromium,
    prepare_database,
    require_tools,
)

CHAT = pytest.StashKey[Chat]()
OTHER_CHATS = pytest.StashKey[dict[str, Chat]]()  # chat_as's chats, by person


@pytest.fixture(scope="package")
def e2e_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("KLUSSENBANK_E2E_ARTIFACTS")
    if chosen:
        path = Path(chosen).resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="package")
def e2e_template_db(e2e_workdir: Path) -> Path:
    """Migrated once, demo directory loaded once; each test gets a copy."""
    require_tools()
    path = e2e_workdir / "template.db"
    path.unlink(missing_ok=True)
    prepare_database(path, workdir=e2e_workdir)
    return path


@pytest.fixture(scope="package")
def bot_port() -> int:
    # One port for the package: the Playground is told once where the bot is.
    return free_port()


@pytest.fixture
def bot(
    e2e_template_db: Path, e2e_workdir: Path, bot_port: int, request: pytest.FixtureRequest
) -> Iterator[BotServer]:
    database = e2e_workdir / f"{request.node.name}.db"
    shutil.copyfile(e2e_template_db, database)
    server = BotServer(database_url=f"sqlite+aiosqlite:///{database}", port=bot_port, workdir=e2e_workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def restart_bot(bot: BotServer) -> Callable[[], None]:
    """Restart the bot: same port, same database, nothing kept in memory."""
    return bot.restart


@pytest.fixture(scope="package")
def playground(e2e_workdir: Path, bot_port: int) -> Iterator[Playground]:
    require_tools()
    server = Playground(bot_endpoint=f"http://127.0.0.1:{bot_port}/api/messages", workdir=e2e_workdir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def playground_pool(e2e_workdir: Path, bot_port: int) -> Iterator[PlaygroundPool]:
    require_tools()
    pool = PlaygroundPool(bot_endpoint=f"http://127.0.0.1:{bot_port}/api/messages", workdir=e2e_workdir)
    try:
        yield pool
    finally:
        pool.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    require_tools()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def chat(
    bot: BotServer,
    playground: Playground,
    browser: Browser,
    e2e_workdir: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Chat]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    try:
        page = context.new_page()
        chat = Chat(page, playground)
        request.node.stash[CHAT] = chat
        chat.open()
        yield chat
    finally:
        context.close()


@pytest.fixture
def chat_as(
    bot: BotServer, playground_pool: PlaygroundPool, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Sequence[Chat]]]:
    """Open the personal chats of these demo people (names as in the Playground config), in order."""
    contexts: list[BrowserContext] = []
    opened: dict[str, Chat] = {}
    request.node.stash[OTHER_CHATS] = opened

    def open_chats(*names: str) -> Sequence[Chat]:
        again = [name for name in names if name in opened]
        if again or len(set(names)) != len(names):
            raise ValueError(f"open each chat once: {list(names)}, open already: {again}")
        chats = []
        for name, playground in zip(names, playground_pool.get(*names), strict=True):
            context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
            contexts.append(context)
            chat = Chat(context.new_page(), playground)
            opened[name] = chat
            chats.append(chat)
        for chat in chats:  # each load sends the install activities; opening one takes seconds
            chat.open()
        return chats

    try:
        yield open_chats
    finally:
        for context in contexts:
            context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """On failure, while the page is still open: a screenshot, and where the logs are."""
    report: pytest.TestReport = yield
    if report.failed and report.when in ("setup", "call"):
        lines = []
        chat = item.stash.get(CHAT, None)
        if chat is not None:
            shot = chat.playground.service.log_path.parent / f"{item.name}.png"
            try:
                chat.screenshot(shot)
                lines.append(f"screenshot: {shot}")
            except Exception as exc:
                lines.append(f"screenshot failed: {exc}")
        others = item.stash.get(OTHER_CHATS, {})
        for name, other in others.items():
            shot = other.playground.service.log_path.parent / f"{item.name}.png"
            try:
                other.screenshot(shot)
                lines.append(f"screenshot of {name}'s chat: {shot}")
            except Exception as exc:
                lines.append(f"screenshot of {name}'s chat failed: {exc}")
        bot = getattr(item, "funcargs", {}).get("bot")
        if isinstance(bot, BotServer):
            lines.append(f"bot log: {bot.service.log_path}")
            lines.append(bot.service.log_tail(25))
        if chat is not None:
            lines.append(f"playground log: {chat.playground.service.log_path}")
            lines.append("--- last activities (from the Playground's Log Panel) ---")
            lines.append(chat.exchange_summary())
        for name, other in others.items():
            lines.append(f"{name}'s playground log: {other.playground.service.log_path}")
            lines.append(f"--- {name}: last activities (from the Playground's Log Panel) ---")
            lines.append(other.exchange_summary())
        if lines:
            report.sections.append(("e2e artifacts", "\n".join(lines)))
    return report
