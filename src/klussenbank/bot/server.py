"""The aiohttp host: /api/messages through the Agents SDK, /healthz, and nothing that answers 500."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import pydantic
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger
from aiohttp.web_request import BaseRequest
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import AgentApplication, ClaimsIdentity, TurnContext, TurnState
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.bot.activity import tenant_of
from klussenbank.bot.agent import KlussenbankBot, build_agent
from klussenbank.bot.auth import TokenRefused, TokenValidator, Verified, connections, token_validator
from klussenbank.bot.gate import TurnGate
from klussenbank.bot.sender import TeamsSender
from klussenbank.config import Settings
from klussenbank.dialogs.turn import Services
from klussenbank.services import correlation
from klussenbank.services.delivery import DeliveryWorker
from klussenbank.services.planning import week_of
from klussenbank.services.ports.delivery import Sender
from klussenbank.telemetry.metrics import Metrics
from klussenbank.tenants import Tenants, load_tenants

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
MAX_DEPTH = 64  # of the JSON body; Teams' activities and our cards' data nest a handful of levels

AGENT = web.AppKey("agent", AgentApplication[TurnState])
ADAPTER = web.AppKey("adapter", CloudAdapter)
ENGINE = web.AppKey("engine", AsyncEngine)
SERVICES = web.AppKey("services", Services)
VALIDATOR = web.AppKey("validator", TokenValidator)  # absent in local mode
TENANTS = web.AppKey("tenants", Tenants)
METRICS = web.AppKey("metrics", Metrics)
GATE = web.AppKey("gate", TurnGate)
# Each request's correlation id (services/correlation.py), also in every log line written for it.
CORRELATION_HEADER = "X-Correlation-Id"


def _bad_request(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


def _nested_deeper_than(value: Any, limit: int) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _read_activity(body: bytes) -> Activity | str:
    """The activity in the body, or why the body is not one we can process."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return "body is not valid JSON"
    if not isinstance(payload, dict):
        return "body must be a JSON object (an activity)"
    if _nested_deeper_than(payload, MAX_DEPTH):
        return f"body nests deeper than {MAX_DEPTH} levels"
    try:
        activity = Activity.model_validate(payload)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "activity"
        return f"invalid activity: {where}: {first['msg']}"
    except (ValueError, TypeError):  # the SDK's own checks, such as an empty channelId
        return "invalid activity"
    if not activity.conversation or not activity.conversation.id:
        return "activity needs conversation.id"
    if not activity.service_url:
        return "activity needs serviceUrl"
    address = urlsplit(activity.service_url)
    if address.scheme not in ("http", "https") or not address.hostname:
        return "serviceUrl must be an absolute http(s) address"
    if not activity.channel_id:
        return "activity needs channelId"
    # Who sent it and to whom (the bot): the SDK's turn state and every stored reference need both.
    if not activity.from_property or not activity.from_property.id:
        return "activity needs from.id"
    if not activity.recipient or not activity.recipient.id:
        return "activity needs recipient.id"
    return activity


def _refusal(verified: Verified, activity: Activity, tenants: Tenants) -> str | None:
    """Why an authenticated activity is still not served, or None if it is."""
    # The Bot Framework signs the service URL into the token; replies go only where it says.
    if verified.service_url != activity.service_url:
        return "serviceUrl differs from the token's serviceurl claim"
    if not verified.endorses(activity.channel_id.channel if activity.channel_id else ""):
        return "the token's signing key does not endorse this channel"
    # Each tenant's bot serves its own tenant: the token's audience (the app it was sent to) says
    # which bot, and so which tenant the activity must come from (the tenant boundary).
    tenant = tenants.by_app(str(verified.claims.get("aud", "")))
    if tenant is None or tenant_of(activity).lower() not in tenant.tenant_ids:
        return "tenant not served"
    return None


async def messages(request: web.Request) -> web.StreamResponse:
    validator = request.app.get(VALIDATOR)
    verified: Verified | None = None
    if validator is not None:
        try:
            verified = await validator.validate(request.headers.get("Authorization"))
        except TokenRefused as refused:
            log.warning("refused a request from %s: token: %s", request.remote, refused)
            return web.json_response({"error": "invalid or missing token"}, status=401)
    if request.content_length is not None and request.content_length > MAX_BODY:
        return web.json_response({"error": "body too large"}, status=413)
    body = await request.read()
    activity = _read_activity(body)
    if isinstance(activity, str):
        return _bad_request(activity)
    if verified is not None:
        refusal = _refusal(verified, activity, request.app[TENANTS])
        if refusal is not None:
            log.warning("refused activity %r from %s: %s", activity.id, request.remote, refusal)
            return web.json_response({"error": refusal}, status=403)
        request["claims_identity"] = ClaimsIdentity(verified.claims, security_token=verified.token)
    async with request.app[GATE].turn():
        response = await request.app[ADAPTER].process(request, request.app[AGENT])
    return response if response is not None else web.Response(status=202)


async def healthz(request: web.Request) -> web.Response:
    try:
        async with request.app[ENGINE].connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: database unreachable")
        return web.json_response({"status": "unhealthy", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})


# A download link's query: when it expires (seconds since 1970, ASCII digits only: int() would also
# read other scripts' digits, and thousands of them) and its HMAC-SHA256, in hex.
LINK_EXPIRES = re.compile(r"[0-9]{1,12}")
LINK_SIGNATURE = re.compile(r"[0-9a-f]{64}")
# Downloads hold personal data: no browser or proxy may keep a copy.
NO_STORE = {"Cache-Control": "no-store"}


def _link_query(request: web.Request) -> tuple[str, str] | None:
    expires, signature = request.query.get("expires", ""), request.query.get("sig", "")
    if LINK_EXPIRES.fullmatch(expires) is None or LINK_SIGNATURE.fullmatch(signature) is None:
        return None
    return expires, signature


async def recipients_csv(request: web.Request) -> web.Response:
    """A report card's download link: signed and short-lived, so no login is needed for it."""
    announcement_id = int(request.match_info["announcement_id"])
    link = _link_query(request)
    body = link and await request.app[SERVICES].announcements.recipients_csv(announcement_id, *link)
    if body is None:
        return _link_invalid("Open the report card again.")
    return _csv(body, f"aankondiging-{announcement_id}.csv")


async def agreement_pdf(request: web.Request) -> web.Response:
    """An agreement card's download link: the secondment agreement as a PDF."""
    link = _link_query(request)
    found = link and await request.app[SERVICES].agreements.pdf(
        int(request.match_info["approval_id"]), request.match_info["language"], *link
    )
    if found is None:
        return _link_invalid("Open the agreement card again.")
    number, pdf = found
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="detacheringsovereenkomst-{number}.pdf"',
            **NO_STORE,
        },
    )


async def report_csv(request: web.Request) -> web.Response:
    """A report card's download link: the figures as CSV."""
    try:
        start, end = (date.fromisoformat(request.match_info[k]) for k in ("start", "end"))
    except ValueError:
        return web.Response(status=400, text="Not a date.\n")
    link = _link_query(request)
    body = link and await request.app[SERVICES].reports.csv(
        request.match_info["organisation"], start, end, *link
    )
    if body is None:
        return _link_invalid("Open the report again.")
    return _csv(body, f"rapport-{request.match_info['organisation']}.csv")


async def track_csv(request: web.Request) -> web.Response:
    """A track card's download link: the track against its goals, as CSV for the personnel file."""
    link = _link_query(request)
    body = link and await request.app[SERVICES].tracks.csv(int(request.match_info["track_id"]), *link)
    if body is None:
        return _link_invalid("Open the track card again.")
    return _csv(body, f"traject-{request.match_info['track_id']}.csv")


async def track_pdf(request: web.Request) -> web.Response:
    """A track card's download link: the track against its goals, as PDF for the personnel file."""
    link = _link_query(request)
    track_id = int(request.match_info["track_id"])
    pdf = link and await request.app[SERVICES].tracks.pdf(track_id, request.match_info["language"], *link)
    if pdf is None:
        return _link_invalid("Open the track card again.")
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="traject-{track_id}.pdf"', **NO_STORE},
    )


async def planning_csv(request: web.Request) -> web.Response:
    """The planning board's download link: the week as CSV."""
    monday = week_of(request.match_info["week"])
    link = _link_query(request)
    scope, key = request.match_info["scope"], request.match_info["key"]
    body = link and monday and await request.app[SERVICES].planning.week_csv(scope, key, monday, *link)
    if not body or monday is None:
        return _link_invalid("Type 'planning' again.")
    return _csv(body, f"planning-{monday.isoformat()}.csv")


async def planning_feed(request: web.Request) -> web.Response:
    """A calendar feed (.ics) of someone's shifts, or an organisation's: signed, valid for a year."""
    link = _link_query(request)
    scope, key = request.match_info["scope"], request.match_info["key"]
    body = link and await request.app[SERVICES].planning.feed(scope, key, *link)
    if body is None:
        return _link_invalid("Type 'planning' again.")
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": 'inline; filename="klussenbank.ics"', **NO_STORE},
    )


async def charging_csv(request: web.Request) -> web.Response:
    """The charging card's download link: a charged pool's month, per client, as CSV."""
    try:
        month = date.fromisoformat(f"{request.match_info['month']}-01")
    except ValueError:
        return web.Response(status=400, text="Not a month.\n")
    link = _link_query(request)
    pool = request.match_info["pool"]
    body = link and await request.app[SERVICES].charging.csv(pool, month, *link)
    if body is None:
        return _link_invalid("Type 'charging' again.")
    return _csv(body, f"doorbelasten-{pool}-{month:%Y-%m}.csv")


async def my_data(request: web.Request) -> web.Response:
    """The `my data` card's download link: everything held about the person, as JSON."""
    link = _link_query(request)
    data = link and await request.app[SERVICES].privacy.export(request.match_info["aad_object_id"], *link)
    if data is None:
        return _link_invalid("Type 'my data' again.")
    return web.json_response(
        data,
        dumps=lambda value: json.dumps(value, ensure_ascii=False, indent=2),
        headers={"Content-Disposition": 'attachment; filename="klussenbank-mijn-gegevens.json"', **NO_STORE},
    )


def _link_invalid(what_next: str) -> web.Response:
    """A download link that is forged, or older than its hour."""
    return web.Response(
        status=403, text=f"This link is not valid (any more). {what_next}\n", headers=NO_STORE
    )


def _csv(body: str, filename: str) -> web.Response:
    return web.Response(
        body=body.encode("utf-8-sig"),  # with a BOM, so spreadsheet programs read it as UTF-8
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE},
    )


@web.middleware
async def _correlated(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    with correlation.bound(correlation.new_id()) as correlation_id:
        response = await handler(request)
    if not response.prepared:
        response.headers[CORRELATION_HEADER] = correlation_id
    return response


class AccessLog(AbstractAccessLogger):
    """One line per request, under its correlation id, without the query string: a download link's
    signature is a key to personal data for an hour and must not end up in a log."""

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        correlation_id = response.headers.get(CORRELATION_HEADER)
        with correlation.bound(correlation_id) if correlation_id else contextlib.nullcontext():
            self.logger.info(
                '%s "%s %s" %s %.3f s', request.remote, request.method, request.path, response.status, time
            )

    @property
    def enabled(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)


def _adapter_error_handler(metrics: Metrics) -> Callable[[TurnContext, Exception], Awaitable[None]]:
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        # Replaces the SDK default, which shows the exception text to the user.
        metrics.errors.labels("sdk").inc()
        log.error(
            "unhandled turn error: type=%s id=%s", context.activity.type, context.activity.id, exc_info=error
        )

    return on_turn_error


WorkerFactory = Callable[[Sender], DeliveryWorker]


class Chore(NamedTuple):
    """A periodic job: its name in the metrics, what it does, and seconds between runs."""

    name: str
    job: Callable[[], Awaitable[object]]
    every: float


STOP_GRACE = 30.0


def init_app(
    settings: Settings,
    *,
    engine: AsyncEngine,
    services: Services,
    worker: WorkerFactory | None = None,
    chores: Sequence[Chore] = (),
    metrics: Metrics | None = None,
    tenants: Tenants | None = None,
) -> web.Application:
    """The bot's web app; with `worker`, the outbox is delivered from this process too. Its metrics
    are counted in `metrics` (app[METRICS]); the wiring serves them on a listener of their own.
    `tenants`: the tenants file's, or by default the settings' one tenant."""
    metrics = metrics or Metrics()
    tenants = tenants or load_tenants(settings)
    connection_manager = connections(tenants)
    adapter = CloudAdapter(connection_manager=connection_manager)
    adapter.on_turn_error = _adapter_error_handler(metrics)
    app = web.Application(client_max_size=MAX_BODY, middlewares=[_correlated])
    app[METRICS] = metrics
    app[AGENT] = build_agent(
        KlussenbankBot(services, metrics, typeahead=settings.skill_typeahead), connection_manager, metrics
    )
    app[ADAPTER] = adapter
    app[ENGINE] = engine
    app[SERVICES] = services
    app[TENANTS] = tenants
    app[GATE] = TurnGate(settings.concurrent_turns, metrics.turns_waiting)
    validator = token_validator(tenants, settings.openid_metadata_url)
    if validator is not None:
        app[VALIDATOR] = validator
    app.router.add_post("/api/messages", messages)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/api/announcements/{announcement_id:[0-9]{1,9}}/recipients.csv", recipients_csv)
    app.router.add_get("/api/agreements/{approval_id:[0-9]{1,9}}.{language:nl|en}.pdf", agreement_pdf)
    planning = "/api/planning/{scope:person|organisation}/{key:[0-9A-Za-z_.-]{1,400}}"
    app.router.add_get(planning + ".ics", planning_feed)
    app.router.add_get(planning + "/{week:[0-9-]{10}}.csv", planning_csv)
    app.router.add_get("/api/charging/{pool:[a-z0-9_-]{1,64}}/{month:[0-9]{4}-[0-9]{2}}.csv", charging_csv)
    app.router.add_get("/api/my-data/{aad_object_id:[0-9a-fA-F-]{1,64}}.json", my_data)
    app.router.add_get("/api/tracks/{track_id:[0-9]{1,9}}.csv", track_csv)
    app.router.add_get("/api/tracks/{track_id:[0-9]{1,9}}.{language:nl|en}.pdf", track_pdf)
    app.router.add_get(
        "/api/reports/{organisation:[a-z0-9_-]{1,64}}/{start:[0-9-]{10}}/{end:[0-9-]{10}}.csv", report_csv
    )

    async def dispose_engine(_app: web.Application) -> AsyncIterator[None]:
        yield
        await engine.dispose()

    app.cleanup_ctx.append(dispose_engine)
    if worker is not None:
        app.cleanup_ctx.append(_delivering(worker(TeamsSender(connection_manager, tenants))))
    if chores:
        app.cleanup_ctx.append(_doing(chores, metrics))
    return app


def _doing(chores: Sequence[Chore], metrics: Metrics) -> Callable[[web.Application], AsyncIterator[None]]:
    async def loop(chore: Chore) -> None:
        while True:
            # Each run has its own correlation id, which the messages it queues carry too.
            with correlation.bound(correlation.new_id()):
                try:
                    await chore.job()
                except Exception:  # a failing chore is logged and tried again next round
                    log.exception("chore %s failed", chore.name)
                    metrics.chore_ended(chore.name, ok=False)
                else:
                    metrics.chore_ended(chore.name, ok=True)
            await asyncio.sleep(chore.every)

    async def run(_app: web.Application) -> AsyncIterator[None]:
        tasks = [asyncio.create_task(loop(chore), name=f"chore-{chore.name}") for chore in chores]
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return run


def _delivering(worker: DeliveryWorker) -> Callable[[web.Application], AsyncIterator[None]]:
    async def run(_app: web.Application) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop), name=f"delivery-{worker.name}")
        yield
        # Finish the sends under way rather than cut them off: a cut-off send is in doubt.
        stop.set()
        try:
            await asyncio.wait_for(task, STOP_GRACE)
        except TimeoutError:
            log.warning("delivery worker did not stop within %.0f s", STOP_GRACE)
        finally:
            await worker.close()

    return run
