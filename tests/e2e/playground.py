"""Harness for end-to-end tests: Klussenbank in the Microsoft 365 Agents Playground, in Chromium.

Three real processes, each in its own process group so that everything it started goes down with
it, and each tied to the test run so that it dies with it even when pytest is killed:

- the bot: `klussenbank serve` on a SQLite database of its own (`BotServer`);
- the Agents Playground (npm `@microsoft/m365agentsplayground`, from the repository's
  node_modules), the Teams-like web client and mock connector service (`Playground`);
- Debian's Chromium, driven by Playwright's sync API (`launch_chromium`, `Chat`).

What the Playground does, read from its source (version pinned in package.json) and observed:

- Opening the page sends, once per page load, an `installationUpdate` (action "add") and a
  `conversationUpdate` (membersAdded: the user and the bot) for the personal chat, both at once.
- Every message, invoke and installationUpdate it sends has locale "en-US" (hard-coded);
  conversationUpdate has none. There is no setting for it (`PLAYGROUND_LOCALE`).
- Action.Execute is `POST /_conversation/v1/invoke`, forwarded as an `adaptiveCard/action` invoke;
  the card in the invoke response replaces the card in place. Input values arrive as strings:
  a multi-select ChoiceSet as "a,b", Input.Number as "12", Input.Date as "2026-12-01", a Toggle
  as "true"/"false". Action.Submit is `POST /_conversation/v1/submit`, forwarded as a message
  with the data in `value` and no text. An updated activity (PUT) replaces the message shown.
- It serves on the port asked for, or on a random one if that is taken (said only in its output
  as "Listening on <port>", which `Playground.start` reads).
- Bot messages reach the page over a websocket (`/_ws_conversation/v1/conversations/stream`,
  frames `{"action": "createMessage" | "updateMessage" | "typing", ...}`); the Log Panel's feed
  (`/_ws/log/stream`) carries every activity in both directions with its HTTP status, which
  `Chat.sent_to_bot()` and `Chat.exchange_summary()` expose.
- Adaptive Cards are rendered with Fluent UI v9 controls. The DOM keeps no trace of the card's
  input ids, so `Card` maps an input id to its control through the card JSON captured from the
  websocket: inputs are rendered in card order, one `.ac-input-container` each; those of an
  Action.ShowCard only while it is open (its button then has aria-expanded="true"). A compact
  multi-select is a combobox whose popup is a `menu` of `menuitemcheckbox`es; a compact
  single-select a `listbox` of `option`s; expanded ones are checkboxes or radios; Input.Date is a
  Fluent DatePicker that takes typed ISO dates.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

from playwright.sync_api import Browser, Locator, Page, Playwright, Response, WebSocket

REPO_ROOT = Path(__file__).resolve().parents[2]
PLAYGROUND_BIN = REPO_ROOT / "node_modules" / ".bin" / "agentsplayground"
PLAYGROUND_CONFIG = REPO_ROOT / ".m365agentsplayground.yml"
# The console script of the interpreter running the tests (.venv/bin/klussenbank under make).
KLUSSENBANK_BIN = Path(sys.executable).parent / "klussenbank"

CHROMIUM = os.environ.get("KLUSSENBANK_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)

# The locale the Playground writes into every message and invoke (it has no setting for it).
PLAYGROUND_LOCALE = "en-US"

STARTUP_TIMEOUT = 30.0  # seconds for a process to answer
STOP_TIMEOUT = 5.0  # seconds between SIGTERM and SIGKILL
CARD_TIMEOUT = 15.0  # seconds for the bot's answer to show up in the browser
UI_TIMEOUT_MS = 10_000  # default Playwright timeout for one click or fill

TOP_LEVEL_CARDS = ".ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)"
MESSAGE_BOX = '[data-lexical-editor="true"]'


class E2EError(AssertionError):
    """Something in the end-to-end set-up did not happen in time; the message says what."""


T = TypeVar("T")


def wait_until(
    condition: Callable[[], T | None],
    timeout: float,
    describe: Callable[[], str],
    *,
    interval: float = 0.1,
    tick: Callable[[float], None] = time.sleep,
) -> T:
    """Poll `condition` until it returns something truthy; raise E2EError with `describe()`."""
    __tracebackhide__ = True
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() >= deadline:
            raise E2EError(f"timed out after {timeout:.0f}s: {describe()}")
        tick(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str] | None:
    """(status, body), or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def http_post_json(url: str, body: Mapping[str, Any], timeout: float = CARD_TIMEOUT) -> tuple[int, str]:
    """POST `body` as JSON; (status, body) of the answer, or E2EError when nothing answers."""
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        raise E2EError(f"POST {url}: no answer ({exc})") from exc


# -- processes --------------------------------------------------------------------------------


def _load_prctl() -> Callable[..., int] | None:
    if sys.platform != "linux":
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return prctl


# Looked up here, in the parent: between fork and exec the child should only make the call.
_PRCTL = _load_prctl()
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: SIGKILL the child when the test process dies, however it dies."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL))


class Service:
    """One child process in a process group of its own, its output in a log file."""

    def __init__(
        self, name: str, argv: Sequence[str], *, env: Mapping[str, str], cwd: Path, log_path: Path
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env)
        self.cwd = cwd
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running:
            raise E2EError(f"{self.name} is already running")
        self._log = self.log_path.open("ab")
        self._log.write(f"\n=== {time.strftime('%H:%M:%S')} {' '.join(self.argv)}\n".encode())
        self._log.flush()
        self._process = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent if _PRCTL is not None else None,
        )

    def stop(self) -> None:
        process, self._process = self._process, None
        try:
            if process is not None:
                _kill_group(process, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    _kill_group(process, signal.SIGKILL)
                    process.wait(timeout=STOP_TIMEOUT)
                # Anything left in its group (it should have taken its children with it).
                _kill_group(process, signal.SIGKILL)
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None

    def check_alive(self) -> None:
        if self._process is None:
            raise E2EError(f"{self.name} was not started")
        code = self._process.poll()
        if code is not None:
            raise E2EError(f"{self.name} exited with code {code}.\n{self.log_tail()}")

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        tail = "\n".join(self.log_text().splitlines()[-lines:])
        return f"--- last lines of {self.log_path} ---\n{tail}"


def _kill_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def _clean_env(**extra: str) -> dict[str, str]:
    """The test run's environment without any Klussenbank or Playground settings of the developer."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KLUSSENBANK_", "M365_AGENTS_PLAYGROUND_", "TEAMSAPPTESTER_"))
        and key not in ("DATABASE_URL", "BOT_ENDPOINT", "SEND_INSTALLATION_ACTIVITY")
    }
    env.update(extra)
    return env


def run_cli(args: Sequence[str], *, env: Mapping[str, str], cwd: Path, timeout: float = 60) -> str:
    """Run `klussenbank <args>` to completion; its output, or E2EError with that output."""
    argv = [str(KLUSSENBANK_BIN), *args]
    try:
        done = subprocess.run(
            argv, cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise E2EError(f"`{' '.join(argv)}` did not finish in {timeout:.0f}s") from exc
    if done.returncode != 0:
        raise E2EError(f"`{' '.join(argv)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def require_tools() -> None:
    """Fail early, saying how to fix it, when a tool the e2e tests need is missing."""
    missing = []
    if not KLUSSENBANK_BIN.exists():
        missing.append(f"{KLUSSENBANK_BIN} (run: {sys.executable} -m pip install -e .)")
    if not PLAYGROUND_BIN.exists():
        missing.append(f"{PLAYGROUND_BIN} (run: npm ci)")
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (run: apt-get install chromium, or set KLUSSENBANK_E2E_CHROMIUM)")
    if shutil.which("node") is None:
        missing.append("node on PATH (Node.js 20)")
    if missing:
        raise E2EError("the e2e tests need: " + "; ".join(missing))


# -- the bot ----------------------------------------------------------------------------------


def prepare_database(path: Path, *, workdir: Path, settings: Mapping[str, str] | None = None) -> str:
    """A migrated SQLite database with the demo directory loaded; returns its URL. `settings`: more
    KLUSSENBANK_* variables (such as a tenants file)."""
    url = f"sqlite+aiosqlite:///{path}"
    env = _clean_env(DATABASE_URL=url, PYTHONUNBUFFERED="1", **(settings or {}))
    run_cli(["db", "upgrade"], env=env, cwd=workdir)
    run_cli(["demo", "load"], env=env, cwd=workdir)
    return url


class BotServer:
    """`klussenbank serve` on 127.0.0.1:`port` with `database_url`; restartable on the same port."""

    def __init__(
        self, *, database_url: str, port: int, workdir: Path, settings: Mapping[str, str] | None = None
    ) -> None:
        self.database_url = database_url
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.endpoint = f"{self.base_url}/api/messages"
        self.service = Service(
            "the bot (klussenbank serve)",
            [str(KLUSSENBANK_BIN), "serve", "--host", "127.0.0.1", "--port", str(port)],
            # Working directory: the temp dir, so a developer's .env is not read.
            # No /metrics listener: its fixed port could be taken by a bot a developer runs.
            env=_clean_env(
                DATABASE_URL=database_url,
                PYTHONUNBUFFERED="1",
                KLUSSENBANK_METRICS_PORT="0",
                **(settings or {}),
            ),
            cwd=workdir,
            log_path=workdir / "bot.log",
        )

    def start(self) -> None:
        self.service.start()
        self.wait_healthy()

    def stop(self) -> None:
        self.service.stop()

    def restart(self) -> None:
        """Stop and start again: same port, same database, nothing kept in memory."""
        self.stop()
        wait_until(
            lambda: http_get(f"{self.base_url}/healthz", timeout=0.5) is None,
            STOP_TIMEOUT,
            lambda: f"port {self.port} still answers after the bot was stopped",
        )
        self.start()

    def wait_healthy(self) -> None:
        def healthy() -> bool:
            self.service.check_alive()
            answer = http_get(f"{self.base_url}/healthz", timeout=1.0)
            return answer is not None and answer[0] == 200

        wait_until(
            healthy,
            STARTUP_TIMEOUT,
            lambda: f"GET {self.base_url}/healthz never answered 200.\n{self.service.log_tail()}",
            interval=0.2,
        )


# -- the Playground ---------------------------------------------------------------------------


class Playground:
    """The Agents Playground web client and mock Teams services, pointed at the bot."""

    def __init__(
        self, *, bot_endpoint: str, workdir: Path, config: Path = PLAYGROUND_CONFIG, port: int = 0
    ) -> None:
        self.requested_port = port or free_port()
        self.port = self.requested_port
        self.config = config
        self.log_file = workdir / "playground-events.log"
        self.service = Service(
            "the Agents Playground",
            [
                str(PLAYGROUND_BIN),
                "--app-endpoint",
                bot_endpoint,
                "--channel-id",
                "msteams",
                "--port",
                str(self.requested_port),
                "--disable-telemetry",
            ],
            env=_clean_env(
                TEAMSAPPTESTER_BROWSER="none",
                M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(config),
                M365_AGENTS_PLAYGROUND_LOGFILE=str(self.log_file),
            ),
            cwd=workdir,  # it writes ./devTools/ otherwise
            log_path=workdir / "playground.log",
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the process without waiting for it (`wait_ready` waits), to start several at once."""
        self.service.start()

    def wait_ready(self) -> None:
        def listening() -> int | None:
            self.service.check_alive()
            # It moves to a random port when the one asked for is taken, and says so only here.
            found = re.findall(r"Listening on (\d+)", self.service.log_text())
            return int(found[-1]) if found else None

        self.port = wait_until(
            listening,
            STARTUP_TIMEOUT,
            lambda: f"the Playground never said 'Listening on <port>'.\n{self.service.log_tail()}",
            interval=0.2,
        )
        wait_until(
            lambda: http_get(f"{self.url}_debug/ping") == (200, "pong"),
            STARTUP_TIMEOUT,
            lambda: f"GET {self.url}_debug/ping never answered 'pong'.\n{self.service.log_tail()}",
            interval=0.2,
        )

    def stop(self) -> None:
        self.service.stop()

    def test_config(self) -> dict[str, Any]:
        """The mock tenant as the Playground loaded it (users, conversation ids)."""
        answer = http_get(f"{self.url}_internal/v1/testConfig")
        if answer is None or answer[0] != 200:
            raise E2EError(f"GET /_internal/v1/testConfig failed: {answer}")
        config: dict[str, Any] = json.loads(answer[1])["config"]
        return config


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def playground_config_for(name: str, path: Path, *, source: Path = PLAYGROUND_CONFIG) -> Path:
    """Write a copy of the Playground config in which `name`, one of its users, is signed in.

    The browser is always the config's currentUser, so each person who acts in a test gets an
    Agents Playground of their own. In the copy that person is currentUser (under the id they
    have in `users`; their entry in `users` gets "-member" appended, as Chantal Bakker's does in
    the original, because the format wants every user id once), the original currentUser stays
    in `users` under their member id, and every chat, team and channel id gets the person's name
    appended. The bot keeps one conversation reference per conversation id and sends a person's
    messages to their latest one: two Playgrounds with the same chat ids would overwrite each
    other's reference.

    The original is edited as text (it is a simple, fixed layout: top-level keys, two-space
    indents, one list of users), so no YAML library is needed; its order stays, its comments
    (which describe the original) are left out.
    """
    lines = source.read_text(encoding="utf-8").splitlines()
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    for line in lines:
        top = re.match(r"^([A-Za-z]+):", line)
        if top:
            order.append(top.group(1))
            sections[top.group(1)] = [line]
        elif order:
            sections[order[-1]].append(line)
    missing = {"currentUser", "users", "personalChat", "groupChat", "team"} - sections.keys()
    if missing:
        raise E2EError(f"{source}: expected the sections {sorted(missing)}")

    def fields(block: list[str]) -> dict[str, str]:
        found = (re.match(r"^\s+(?:- )?(\w+): (.*)$", line) for line in block)
        return {m.group(1): m.group(2) for m in found if m}

    users: list[list[str]] = []
    for line in sections["users"][1:]:
        if line.startswith("  - "):
            users.append([line])
        elif line.startswith("    ") and users:
            users[-1].append(line)
    current = fields(sections["currentUser"][1:])
    slug = _slug(name)
    if current.get("name") != name:
        chosen = [user for user in users if fields(user).get("name") == name]
        if len(chosen) != 1:
            names = [fields(user).get("name") for user in users]
            raise E2EError(f"{source}: no single user named {name!r} among {names}")
        entry = chosen[0]
        person = fields(entry)
        sections["currentUser"] = ["currentUser:"] + [f"  {key}: {value}" for key, value in person.items()]
        member_id = f"{person['id']}-member"
        entry[0] = entry[0].replace(f"id: {person['id']}", f"id: {member_id}", 1)
        if member_id not in entry[0]:
            raise E2EError(f"{source}: expected {name!r}'s entry in users to start with '- id:'")
        if not any(fields(user).get("aadObjectId") == current.get("aadObjectId") for user in users):
            raise E2EError(f"{source}: the currentUser {current.get('name')!r} is not also in users")
        sections["users"] = ["users:"] + [line for user in users for line in user]

    def suffixed(line: str) -> str:
        # "id: a:chat" -> "id: a:chat-<slug>"; "id: 19:chat@thread.v2" -> "id: 19:chat-<slug>@thread.v2"
        return re.sub(
            r"^(\s+(?:- )?id: )([^@\s]+)(@\S+)?$",
            lambda m: f"{m.group(1)}{m.group(2)}-{slug}{m.group(3) or ''}",
            line,
        )

    for key in ("personalChat", "groupChat", "team"):
        sections[key] = [sections[key][0]] + [suffixed(line) for line in sections[key][1:]]
    header = [
        f"# Generated by tests/e2e/playground.py from {source.name}: {name} is signed in,",
        f"# and every chat, team and channel id has -{slug} appended.",
    ]
    body = [line for key in order for line in sections[key] if not line.lstrip().startswith("#")]
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    return path


class PlaygroundPool:
    """An Agents Playground per demo person, each with that person signed in, all on one bot.

    `get("Anna de Vries", "Daan Visser")` starts the ones not running yet, together, each from
    its own copy of the config (`playground_config_for`) and in a directory of its own (logs,
    ./devTools/); `stop()` stops them all.
    """

    def __init__(self, *, bot_endpoint: str, workdir: Path, source: Path = PLAYGROUND_CONFIG) -> None:
        self.bot_endpoint = bot_endpoint
        self.workdir = workdir
        self.source = source
        self.running: dict[str, Playground] = {}

    def get(self, *names: str) -> list[Playground]:
        starting = []
        for name in dict.fromkeys(names):
            if name in self.running:
                continue
            directory = self.workdir / f"playground-{_slug(name)}"
            directory.mkdir(parents=True, exist_ok=True)
            config = playground_config_for(name, directory / ".m365agentsplayground.yml", source=self.source)
            playground = Playground(bot_endpoint=self.bot_endpoint, workdir=directory, config=config)
            self.running[name] = playground
            playground.launch()
            starting.append(playground)
        for playground in starting:
            playground.wait_ready()
        for name in names:
            signed_in = self.running[name].test_config()["currentUser"]["name"]
            if signed_in != name:
                raise E2EError(f"the Playground for {name!r} has {signed_in!r} signed in")
        return [self.running[name] for name in names]

    def stop(self) -> None:
        playgrounds, self.running = list(self.running.values()), {}
        with contextlib.ExitStack() as stack:  # stops every one, even when one fails to
            for playground in playgrounds:
                stack.callback(playground.stop)


# -- the browser ------------------------------------------------------------------------------


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS), headless=True, timeout=STARTUP_TIMEOUT * 1000
    )


class Chat:
    """The personal chat with the bot in one browser page."""

    def __init__(self, page: Page, playground: Playground) -> None:
        self.page = page
        self.playground = playground
        self.conversation_id: str = playground.test_config()["personalChat"]["id"]
        # Cards the bot sent to the personal chat, in order: (message id, card JSON).
        self.bot_cards: list[tuple[str, dict[str, Any]]] = []
        # Per card: the ids of elements an Action.ToggleVisibility turned on or off (a new card
        # from the bot is drawn afresh).
        self.toggled: dict[str, set[str]] = {}
        # Every websocket frame for the personal chat, for debugging a test.
        self.frames: list[dict[str, Any]] = []
        # The Log Panel's entries that carry an activity (request body, response status).
        self.exchanges: list[dict[str, Any]] = []
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.on("websocket", self._on_websocket)

    # -- what the page received --

    def _on_websocket(self, socket: WebSocket) -> None:
        if "_ws_conversation" in socket.url:
            socket.on("framereceived", self._on_frame)
        elif "_ws/log/stream" in socket.url:
            socket.on("framereceived", self._on_log)

    def _on_log(self, payload: str | bytes) -> None:
        # The Log Panel's feed: every activity between Playground and bot, with the HTTP status.
        try:
            log = json.loads(payload).get("log") or {}
        except (ValueError, AttributeError):
            return
        if isinstance(log, dict) and isinstance(log.get("request"), dict):
            self.exchanges.append(log)

    def sent_to_bot(self, activity_type: str | None = None) -> list[dict[str, Any]]:
        """The activities the Playground posted to the bot so far (optionally of one type)."""
        return [
            log["request"].get("body") or {}
            for log in self.exchanges
            if log.get("to") == "User Application"
            and (activity_type is None or log.get("activityName") == activity_type)
        ]

    def wait_sent_to_bot(
        self, activity_type: str, where: Callable[[dict[str, Any]], bool] = lambda _: True
    ) -> dict[str, Any]:
        """The latest activity of this type the bot has answered (the log entry follows the answer)."""
        __tracebackhide__ = True

        def found() -> dict[str, Any] | None:
            matching = [a for a in self.sent_to_bot(activity_type) if where(a)]
            return matching[-1] if matching else None

        return wait_until(
            found,
            CARD_TIMEOUT,
            lambda: f"no {activity_type} in the Playground's log; it shows:\n{self.exchange_summary()}",
        )

    def exchange_summary(self, last: int = 15) -> str:
        """One line per activity, e.g. 'Playground -> bot message 202', for failure reports."""
        lines = []
        for log in self.exchanges[-last:]:
            arrow = "Playground -> bot" if log.get("to") == "User Application" else "bot -> Playground"
            status = (log.get("response") or {}).get("statusCode")
            lines.append(
                f"{arrow} {log.get('activityName')} {status} {log.get('displayText') or ''}".rstrip()
            )
        return "\n".join(lines)

    def _on_frame(self, payload: str | bytes) -> None:
        try:
            frame = json.loads(payload)
        except ValueError:
            return
        if not isinstance(frame, dict) or frame.get("actionConversationId") != self.conversation_id:
            return
        if frame in self.frames:
            # A page may open the conversation stream twice and keep both (seen in a Playground
            # whose earlier page's card the previous bot still updated): every frame comes twice.
            # A real repeat differs (an update carries a new timestamp), so an equal frame is a copy.
            return
        self.frames.append(frame)
        message = frame.get("message") or {}
        cards = [
            a["content"]
            for a in message.get("attachments") or []
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]
        message_id = str(message.get("messageId", ""))
        if frame.get("action") == "createMessage":
            self.bot_cards.extend((message_id, card) for card in cards)
        elif frame.get("action") == "updateMessage" and cards:
            self._replace_card(message_id, cards[0])

    def _replace_card(self, message_id: str, card: dict[str, Any]) -> None:
        self.toggled.pop(message_id, None)
        for index, (known_id, _) in enumerate(self.bot_cards):
            if known_id == message_id:
                self.bot_cards[index] = (message_id, card)

    # -- actions --

    def open(self) -> None:
        """Load the Playground; it opens the personal chat and sends the install activities."""
        with self.page.expect_response(
            lambda r: "/_debug/conversation/" in r.url and r.url.endswith("/installation"),
            timeout=STARTUP_TIMEOUT * 1000,
        ) as installed:
            self.page.goto(self.playground.url, timeout=STARTUP_TIMEOUT * 1000)
        _expect_ok(installed.value, "the Playground's install call")
        self.page.locator(MESSAGE_BOX).wait_for(state="visible")

    def send(self, text: str) -> None:
        """Type a message in the message box and press Enter, as a person would."""
        box = self.page.locator(MESSAGE_BOX)
        box.click()
        box.press_sequentially(text)
        with self.page.expect_response(
            lambda r: (
                r.request.method == "POST"
                and f"/_conversation/v1/conversations/{self.conversation_id}/messages" in r.url
            )
        ) as sent:
            box.press("Enter")
        _expect_ok(sent.value, f"sending {text!r}")

    def invoke(self, verb: str, data: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Send an Action.Execute as this chat's user through the Playground's HTTP API; the card back.

        For set-up that is not what a test is about (signing someone up, a second klus): no card on
        the page is clicked. The body is what the page posts when a button is clicked (values as
        the strings a card gives: "12", "a,b"). The Playground wants the id of a message in the
        chat to attach the action to: the chat's first bot card, which the Playground then stores
        with the answer as its card (as it does for a click in the page).
        """
        __tracebackhide__ = True
        if not self.bot_cards:
            raise E2EError(f"no bot card in {self.conversation_id} yet to attach the {verb!r} action to")
        body = {
            "name": "adaptiveCard/action",
            "value": {"action": {"type": "Action.Execute", "verb": verb, "data": dict(data or {})}},
            "from": {"id": self.playground.test_config()["currentUser"]["id"]},
            "conversation": {"id": self.conversation_id},
            "replyToId": self.bot_cards[0][0],
        }
        status, text = http_post_json(f"{self.playground.url}_conversation/v1/invoke", body)
        if status != 200:
            raise E2EError(f"the {verb!r} action: HTTP {status} from the Playground: {text[:500]}")
        answer = json.loads(text)
        card = answer.get("value") if isinstance(answer, dict) else None
        if not isinstance(card, dict) or answer.get("type") != "application/vnd.microsoft.card.adaptive":
            raise E2EError(f"the {verb!r} action: no card in the answer: {text[:500]}")
        return card

    def card_count(self) -> int:
        return self.page.locator(TOP_LEVEL_CARDS).count()

    def card_texts(self) -> list[str]:
        return [text.strip() for text in self.page.locator(TOP_LEVEL_CARDS).all_inner_texts()]

    def card(self, index: int) -> Card:
        return Card(self, index)

    def wait_for_card(self, *texts: str, after: int = 0, timeout: float = CARD_TIMEOUT) -> Card:
        """The newest card at position `after` or later that shows all of `texts`."""
        __tracebackhide__ = True

        def find() -> Card | None:
            shown = self.card_texts()
            for index in range(len(shown) - 1, after - 1, -1):
                if all(_squash(t) in _squash(shown[index]) for t in texts):
                    return Card(self, index)
            return None

        def describe() -> str:
            shown = self.card_texts()[after:]
            listing = "\n".join(f"  [{after + i}] {_squash(t)[:300]}" for i, t in enumerate(shown))
            return f"no card from #{after} on shows {list(texts)}; cards from #{after} on:\n{listing or '  (none)'}"

        return wait_until(find, timeout, describe)

    def screenshot(self, path: Path) -> Path:
        self.page.screenshot(path=str(path), full_page=True)
        return path


class Card:
    """One Adaptive Card on the page, with the JSON the bot sent for it."""

    def __init__(self, chat: Chat, index: int) -> None:
        self.chat = chat
        self.index = index
        self.locator: Locator = chat.page.locator(TOP_LEVEL_CARDS).nth(index)

    @property
    def json(self) -> dict[str, Any]:
        """The card as the bot sent it (updated by invoke responses and message updates)."""

        def known() -> dict[str, Any] | None:
            if len(self.chat.bot_cards) == self.chat.card_count() > self.index:
                return self.chat.bot_cards[self.index][1]
            return None

        return wait_until(
            known,
            5,
            lambda: (
                f"the page shows {self.chat.card_count()} cards but the harness saw "
                f"{len(self.chat.bot_cards)} from the bot; cannot tell which JSON card #{self.index} is"
            ),
        )

    def text(self) -> str:
        return _squash(self.locator.inner_text())

    # -- inputs --

    def input_spec(self, input_id: str) -> tuple[int, dict[str, Any]]:
        inputs = _inputs(self.json)
        for position, element in enumerate(inputs):
            if element.get("id") == input_id:
                return position, element
        ids = [element.get("id") for element in inputs]
        raise E2EError(f"card #{self.index} has no input {input_id!r}; its inputs are {ids}")

    def input(self, input_id: str) -> Locator:
        """The rendered control of the input with this Adaptive Card id (its input container)."""
        _, element = self.input_spec(input_id)
        opened = self.open_show_cards()
        rendered = [e for e in _inputs(self.json, opened) if self._shown(e)]
        position = next((i for i, e in enumerate(rendered) if e.get("id") == input_id), None)
        if position is None:
            raise E2EError(
                f"card #{self.index}: input {input_id!r} is in a show-card that is not open "
                f"(open: {sorted(opened)}); click its button first"
            )
        containers = self.locator.locator(".ac-input-container")
        count = containers.count()
        if count != len(rendered):
            raise E2EError(
                f"card #{self.index} renders {count} inputs, its JSON has {len(rendered)} "
                f"with the show-cards {sorted(opened)} open"
            )
        container = containers.nth(position)
        label = element.get("label")
        if isinstance(label, str) and label:
            shown = _squash(container.locator("xpath=..").inner_text())
            if _squash(label) not in shown:
                raise E2EError(f"input {input_id!r}: expected label {label!r} near it, found {shown!r}")
        return container

    def _shown(self, element: dict[str, Any]) -> bool:
        """Whether the page draws this element: not inside an element hidden (`isVisible: false`
        and not toggled, or toggled off); the page leaves hidden elements out altogether."""
        toggled = self.chat.toggled.get(self.chat.bot_cards[self.index][0], set())
        for node in _walk(self.json):
            hidden = (node.get("isVisible", True) is False) != (node.get("id") in toggled)
            if hidden and any(inner is element for inner in _walk(node.get("items"))):
                return False
        return True

    def open_show_cards(self) -> set[str]:
        """Titles of the card's Action.ShowCards that are open: the page renders a show-card's
        inputs only while it is open (and keeps the button's aria-expanded in step)."""
        buttons = self.locator.get_by_role("button", expanded=True)
        return {
            _squash(button.get_attribute("title") or button.get_attribute("aria-label") or "")
            for button in buttons.all()
        }

    def json_value(self, input_id: str) -> str:
        """The value the bot put in the input (what it echoes back after a failed save)."""
        _, element = self.input_spec(input_id)
        return str(element.get("value", ""))

    def value_of(self, input_id: str) -> str:
        """What the control shows (a date as the picker formats it, choices as their titles)."""
        _, element = self.input_spec(input_id)
        control = self.input(input_id)
        kind = element["type"]
        if kind == "Input.ChoiceSet" and element.get("style") == "expanded":
            checked = control.locator("input:checked")
            titles = [
                _squash(checked.nth(i).locator("xpath=..").inner_text()) for i in range(checked.count())
            ]
            return ", ".join(titles)
        if kind == "Input.Toggle":
            return "true" if control.locator("input").is_checked() else "false"
        return control.locator("input, textarea").first.input_value()

    def fill(self, input_id: str, value: str | int | None) -> None:
        """Type into a text, number or date input (a date as YYYY-MM-DD; None or '' clears)."""
        _, element = self.input_spec(input_id)
        kind = element["type"]
        text = "" if value is None else str(value)
        control = self.input(input_id)
        if kind in ("Input.Text", "Input.Number"):
            field = control.locator("input, textarea").first
            field.fill(text)
            field.blur()  # the number spin button commits (and clamps to min/max) on blur
        elif kind in ("Input.Date", "Input.Time"):
            field = control.locator("input").first
            field.fill(text)
            field.press("Enter")  # the DatePicker parses typed text on Enter (or blur)
            self.chat.page.keyboard.press("Escape")  # and closes its calendar pop-up
        elif kind == "Input.Toggle":
            control.locator("input").set_checked(text.lower() in ("true", "1", "yes"))
        else:
            raise E2EError(f"input {input_id!r} is an {kind}: use choose() for choices")

    def choose(self, input_id: str, *choices: str) -> None:
        """Select exactly these choices (by value or by title) of a ChoiceSet; none clears it."""
        _, element = self.input_spec(input_id)
        if element["type"] != "Input.ChoiceSet":
            raise E2EError(f"input {input_id!r} is an {element['type']}, not a ChoiceSet")
        titles = {c["value"]: c["title"] for c in element.get("choices", [])}
        wanted: set[str] = set()
        for choice in choices:
            if choice in titles:
                wanted.add(titles[choice])
            elif choice in titles.values():
                wanted.add(choice)
            else:
                raise E2EError(f"{input_id!r} has no choice {choice!r}; it has {titles}")
        multi = bool(element.get("isMultiSelect"))
        if not multi and len(wanted) > 1:
            raise E2EError(f"{input_id!r} takes one choice, not {sorted(wanted)}")
        control = self.input(input_id)
        if element.get("style") == "expanded":
            # Checkboxes or radios in choice order; their accessible names include the field label.
            boxes = control.locator("input[type=checkbox], input[type=radio]")
            if boxes.count() != len(titles):
                raise E2EError(f"{input_id!r} renders {boxes.count()} options, its JSON has {len(titles)}")
            for position, title in enumerate(titles.values()):
                box = boxes.nth(position)
                shown = _squash(box.locator("xpath=following-sibling::label").inner_text())
                if shown != _squash(title):
                    raise E2EError(f"{input_id!r}: option {position} shows {shown!r}, expected {title!r}")
                if multi:
                    box.set_checked(title in wanted)
                elif title in wanted:
                    box.check()
            return
        combobox = control.get_by_role("combobox")
        combobox.click()
        popup = self.chat.page.locator(f"#{combobox.get_attribute('aria-controls')}")
        popup.wait_for(state="visible")
        if multi:
            checked = popup.locator('[role="menuitemcheckbox"][aria-checked="true"]').all_inner_texts()
            for title in sorted(wanted.symmetric_difference(_squash(t) for t in checked)):
                item = popup.get_by_role("menuitemcheckbox", name=title, exact=True)
                item.click()
                _wait_attribute(item, "aria-checked", "true" if title in wanted else "false")
            self.chat.page.keyboard.press("Escape")
        elif wanted:
            popup.get_by_role("option", name=next(iter(wanted)), exact=True).click()
        else:
            self.chat.page.keyboard.press("Escape")
        popup.wait_for(state="hidden")

    def type_into(self, input_id: str, typed: str) -> Locator:
        """Type into a filtered ChoiceSet's box, as a person would; the list of what fits, open."""
        _, element = self.input_spec(input_id)
        if element.get("style") != "filtered":
            raise E2EError(f"input {input_id!r} does not filter as you type (style {element.get('style')!r})")
        combobox = self.input(input_id).get_by_role("combobox")
        combobox.click()
        # After a pick the box shows the chosen names: typing goes over them, as a person does.
        combobox.press("Control+a")
        combobox.press_sequentially(typed)
        popup = self.chat.page.locator(f"#{combobox.get_attribute('aria-controls')}")
        popup.wait_for(state="visible")
        return popup

    def pick(self, popup: Locator, title: str) -> None:
        """Click the option with this title in an open list (after `type_into`), then close it."""
        role = "menuitemcheckbox" if popup.get_by_role("menuitemcheckbox").count() else "option"
        item = popup.get_by_role(role, name=title, exact=True)
        item.click()
        if role == "menuitemcheckbox":
            _wait_attribute(item, "aria-checked", "true")
        self.chat.page.keyboard.press("Escape")

    def message_after(self, input_id: str) -> str:
        """The text of the element right below an input (where the bot puts its field message)."""
        wrapper = self.input(input_id).locator("xpath=..")
        text: str = wrapper.evaluate(
            """element => {
                let next = element.nextElementSibling;
                while (next && (next.classList.contains('ac-horizontal-separator') || !next.innerText.trim()))
                    next = next.nextElementSibling;
                return next ? next.innerText : '';
            }"""
        )
        return _squash(text)

    # -- actions --

    def button(self, title: str, *, within: str | None = None) -> Locator:
        """The button with this title; `within`: the one in the innermost container showing that text."""
        if within is None:
            return self.locator.get_by_role("button", name=title, exact=True)
        containers = self.locator.locator(".ac-container").filter(has_text=within)
        containers = containers.filter(has=self.chat.page.get_by_role("button", name=title, exact=True))
        # Document order puts a container before the ones inside it: the last is the innermost.
        return containers.last.get_by_role("button", name=title, exact=True)

    def click(self, title: str, *, within: str | None = None) -> dict[str, Any] | None:
        """Click the action with this title; for Action.Execute, wait for and return the bot's card.

        `within`: the action in the innermost container that shows this text (for cards with one
        button of the same title per row, like "Choose" per candidate).
        """
        action = _find_action(self.json, title, within)
        if action is None and within is not None:
            raise E2EError(f"card #{self.index} has no {title!r} action in a container showing {within!r}")
        if action is None or action.get("type") != "Action.Execute":
            self.button(title, within=within).click()
            if action is not None and action.get("type") == "Action.ToggleVisibility":
                toggled = self.chat.toggled.setdefault(self.chat.bot_cards[self.index][0], set())
                toggled.symmetric_difference_update(str(t) for t in action.get("targetElements", []))
            return None
        return self._execute(self.button(title, within=within), action)

    def select(self, text: str) -> dict[str, Any] | None:
        """Click the item (a Container with a selectAction) that shows `text`; as `click` does."""
        items = [
            element
            for element in _walk(self.json)
            if element.get("type") == "Container"
            and isinstance(element.get("selectAction"), dict)
            and any(text in str(e.get("text", "")) for e in _walk(element.get("items")))
        ]
        if not items:
            raise E2EError(f"card #{self.index} has no item with a selectAction that shows {text!r}")
        action = items[-1]["selectAction"]
        found = self.locator.locator(".ac-container.ac-selectable").filter(has_text=text)
        if found.count() == 0:
            raise E2EError(f"card #{self.index} renders no selectable item that shows {text!r}")
        item = found.last  # document order puts a container before the ones inside it
        if action.get("type") != "Action.Execute":
            item.click()
            return None
        return self._execute(item, action)

    def _execute(self, target: Locator, action: dict[str, Any]) -> dict[str, Any] | None:
        with self.chat.page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/_conversation/v1/invoke"),
            timeout=CARD_TIMEOUT * 1000,
        ) as answer:
            target.click()
        response = answer.value
        _expect_ok(response, f"the {action.get('verb')!r} action")
        body = response.json()
        request = json.loads(response.request.post_data or "{}")
        card = body.get("value") if isinstance(body, dict) else None
        if isinstance(card, dict) and body.get("type") == "application/vnd.microsoft.card.adaptive":
            self.chat._replace_card(str(request.get("replyToId", "")), card)
            return card
        return None


def _expect_ok(response: Response, what: str) -> None:
    if not response.ok:
        raise E2EError(f"{what}: HTTP {response.status} from {response.url}: {response.text()[:500]}")


def _wait_attribute(locator: Locator, name: str, value: str) -> None:
    wait_until(
        lambda: locator.get_attribute(name) == value,
        UI_TIMEOUT_MS / 1000,
        lambda: f"{name} of {locator} did not become {value!r}",
        interval=0.05,
    )


def _squash(text: str) -> str:
    return " ".join(text.split())


def _walk(node: Any, opened: set[str] | None = None) -> Iterator[dict[str, Any]]:
    """Elements of a card in render order: body depth-first, then the actions' show-cards
    (`opened`: only the show-cards with these titles, as the page renders them)."""
    if isinstance(node, dict):
        yield node
        closed = (
            opened is not None and node.get("type") == "Action.ShowCard" and node.get("title") not in opened
        )
        for key in ("body", "items", "columns", "card", "actions", "inlineAction"):
            if not (key == "card" and closed):
                yield from _walk(node.get(key), opened)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item, opened)


def _inputs(card: dict[str, Any], opened: set[str] | None = None) -> list[dict[str, Any]]:
    """Every input of the card; `opened`: only those the page renders with these show-cards open."""
    return [e for e in _walk(card, opened) if str(e.get("type", "")).startswith("Input.")]


def _find_action(card: dict[str, Any], title: str, within: str | None = None) -> dict[str, Any] | None:
    """The action with this title; `within`: in the innermost Container whose texts include that."""
    scope = card
    if within is not None:
        containers = [
            element
            for element in _walk(card)
            if element.get("type") == "Container"
            and any(within in str(e.get("text", "")) for e in _walk(element.get("items")))
            and _find_action(element, title) is not None
        ]
        if not containers:
            return None
        scope = containers[-1]  # depth-first: a container comes before the ones inside it
    for element in _walk(scope):
        if str(element.get("type", "")).startswith("Action.") and element.get("title") == title:
            return element
    return None
