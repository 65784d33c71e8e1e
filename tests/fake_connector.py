"""A local fake Bot Connector: the Teams side of the Bot Framework v3 REST API, for tests and benchmarks.

It records what the bot sends, and behaves like Teams where a sender has to cope with it:

* Endpoints (JSON, camelCase): ``POST /v3/conversations`` (create; the same member and tenant get the
  same 1:1 conversation id back), ``POST /v3/conversations/{cid}/activities`` (send),
  ``POST .../activities/{aid}`` (reply), ``PUT .../activities/{aid}`` (update; 404 for an activity this
  connector did not issue in that conversation) and ``GET /v3/conversations/{cid}/members/{uid}``.
* Teams' rate limits, as sliding windows over *admitted* writes (sends, replies, updates, creates):
  per app per tenant 50 per 1 s, per conversation 7 per 1 s and 60 per 30 s. A write over a limit gets
  429 with a whole-second ``Retry-After`` and is not recorded; refused writes use no budget.
* Seeded fault injection: 500/502/503, 412, slow answers (still delivered), hangs that end in 504,
  blocked conversations (403 ``ConversationBlockedByUser``) and missing ones (404 ``ConversationNotFound``).
* Stats in-process (:meth:`FakeConnector.stats`) and over HTTP (``GET /_stats``), plus ``POST /_reset``,
  ``GET``/``POST /_config``, ``GET /_deliveries`` and ``GET /_events``.

A bare ``FakeConnector()`` (what the bot tests use) measures Teams' limits without enforcing them;
``FakeConnector(ConnectorConfig())`` and the command line enforce them.

Run it on its own for the benchmark: ``python -m tests.fake_connector --host 127.0.0.1 --port 0``; it prints
``listening on http://127.0.0.1:N`` once it accepts connections and stops cleanly on SIGTERM or SIGINT.
Timestamps come from ``time.monotonic()``, which on Linux is one system-wide clock, so a benchmark in
another process can compare them with its own.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import math
import random
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

from aiohttp import web
from aiohttp.test_utils import TestServer

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Write = Literal["create", "send", "reply", "update"]
Fault = str
"""An injected fault's kind: ``http_<status>``, ``precondition_failed``, ``timeout`` or ``slow``."""

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
DELIVERY_ID = "klussenbankDeliveryId"
"""``channelData`` field naming the outbox delivery an activity carries; duplicates are judged by it."""

STATS_WINDOW = 1.0
"""The window, in seconds, of the ``max_per_second`` stats (independent of the configured limits)."""

_FAULT_CODES = {
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` admitted writes in any window of ``seconds`` (half-open: ``(t - seconds, t]``)."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError(f"a limit needs a count >= 1 and a positive window, not {self}")


@dataclass(frozen=True)
class ConnectorConfig:
    """What the fake enforces and injects. Shares are per request and disjoint (their sum is at most 1)."""

    tenant_limits: tuple[Limit, ...] = (Limit(50, 1.0),)
    conversation_limits: tuple[Limit, ...] = (Limit(7, 1.0), Limit(60, 30.0))
    enforce_limits: bool = True
    error_rate: float = 0.0
    """Share of requests answered with one of ``error_statuses`` (chosen evenly), nothing recorded."""
    error_statuses: tuple[int, ...] = (500, 502, 503)
    precondition_rate: float = 0.0
    """Share answered 412 ``PreconditionFailed``, nothing recorded."""
    timeout_rate: float = 0.0
    """Share that hangs ``hang_ms`` and then answers 504 ``GatewayTimeout``, nothing recorded."""
    hang_ms: float = 10_000.0
    slow_rate: float = 0.0
    """Share answered after ``slow_ms``; these are recorded (before the wait) and answered 2xx."""
    slow_ms: float = 200.0
    blocked: frozenset[str] = frozenset()
    """Conversation ids whose user blocked the bot: writes get 403 ``ConversationBlockedByUser``."""
    not_found: frozenset[str] = frozenset()
    """Conversation ids Teams does not know: every request gets 404 ``ConversationNotFound``."""
    seed: int = 0

    def __post_init__(self) -> None:
        shares = (self.error_rate, self.precondition_rate, self.timeout_rate, self.slow_rate)
        if any(not 0.0 <= share <= 1.0 for share in shares) or sum(shares) > 1.0 + 1e-9:
            raise ValueError("fault shares must each be within [0, 1] and add up to at most 1")
        if self.error_rate and not self.error_statuses:
            raise ValueError("an error rate needs at least one error status")
        if self.hang_ms < 0 or self.slow_ms < 0:
            raise ValueError("hang_ms and slow_ms cannot be negative")

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["tenant_limits"] = [[limit.count, limit.seconds] for limit in self.tenant_limits]
        data["conversation_limits"] = [[limit.count, limit.seconds] for limit in self.conversation_limits]
        data["error_statuses"] = list(self.error_statuses)
        data["blocked"] = sorted(self.blocked)
        data["not_found"] = sorted(self.not_found)
        return data

    def updated(self, changes: dict[str, Any]) -> ConnectorConfig:
        """A copy with ``changes`` (JSON-shaped, as ``to_json`` gives them) applied; ValueError if invalid."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown config fields: {', '.join(unknown)}")
        typed: dict[str, Any] = {}
        for name, value in changes.items():
            if name in ("tenant_limits", "conversation_limits"):
                typed[name] = tuple(Limit(int(count), float(seconds)) for count, seconds in value)
            elif name == "error_statuses":
                typed[name] = tuple(int(status) for status in value)
            elif name in ("blocked", "not_found"):
                if isinstance(value, str) or not all(isinstance(item, str) for item in value):
                    raise ValueError(f"{name} must be a list of conversation ids")
                typed[name] = frozenset(value)
            elif name in ("enforce_limits",):
                if not isinstance(value, bool):
                    raise ValueError(f"{name} must be true or false")
                typed[name] = value
            elif name == "seed":
                typed[name] = int(value)
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"{name} must be a number")
                typed[name] = float(value)
        return replace(self, **typed)


@dataclass(frozen=True, slots=True)
class Delivery:
    """An activity Teams accepted into a conversation (send, reply, or the activity of a create)."""

    kind: Literal["create", "send", "reply"]
    conversation_id: str
    activity_id: str
    tenant_id: str
    received_at: float
    activity: dict[str, Any]
    key: str | None
    """What duplicates are judged by: ``delivery:<id>``, ``content:<sha256>``, or None (not judged)."""
    duplicate: bool

    def summary(self) -> dict[str, Any]:
        channel_data = self.activity.get("channelData")
        return {
            "kind": self.kind,
            "conversationId": self.conversation_id,
            "activityId": self.activity_id,
            "tenantId": self.tenant_id,
            "receivedAt": self.received_at,
            "type": self.activity.get("type"),
            "text": self.activity.get("text"),
            "deliveryId": channel_data.get(DELIVERY_ID) if isinstance(channel_data, dict) else None,
            "key": self.key,
            "duplicate": self.duplicate,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One request to a ``/v3`` endpoint and how it was answered."""

    received_at: float
    operation: str
    conversation_id: str
    status: int
    outcome: str


@dataclass(frozen=True)
class Stats:
    """A snapshot of what the fake saw; ``GET /_stats`` serves the same fields as JSON."""

    now: float
    requests: int
    delivered: int
    delivered_by_conversation: dict[str, int]
    updated: int
    conversations_created: int
    duplicates: int
    duplicates_by_conversation: dict[str, int]
    throttled: int
    throttled_by_scope: dict[str, int]
    faults: dict[str, int]
    rejected: dict[str, int]
    first_delivery_at: float | None
    last_delivery_at: float | None
    delivery_rate: float | None
    """Deliveries per second between the first and the last delivery (None below two deliveries)."""
    max_per_second_by_tenant: dict[str, int]
    """Most admitted writes in any 1 s sliding window, per tenant: never above the limit when enforced."""
    max_attempts_per_second_by_tenant: dict[str, int]
    """Most writes received (429s included) in any 1 s sliding window, per tenant: how hard a sender pushed."""
    deliveries_per_second: list[int]
    """Histogram: deliveries in each whole second counted from the first delivery."""
    delivery_times: list[float]

    def to_json(self, *, times: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not times:
            del data["delivery_times"]
        return data


class _SlidingLimits:
    """Teams' sliding-window limits for one scope (tenants or conversations).

    Per key and limit a deque of the last ``count`` admitted timestamps (``maxlen=count``), so a check
    and an admission are O(1): the window is full when it holds ``count`` stamps and the oldest is
    younger than the window.
    """

    def __init__(self, limits: tuple[Limit, ...]) -> None:
        self._limits = limits
        self._stamps: dict[str, list[deque[float]]] = {}

    def wait(self, key: str, now: float) -> float:
        """Seconds until a write for ``key`` fits in every window; 0 when it fits now."""
        queues = self._stamps.get(key)
        if queues is None:
            return 0.0
        longest = 0.0
        for limit, queue in zip(self._limits, queues, strict=True):
            if len(queue) == limit.count:
                longest = max(longest, queue[0] + limit.seconds - now)
        return longest

    def admit(self, key: str, now: float) -> None:
        queues = self._stamps.get(key)
        if queues is None:
            queues = self._stamps[key] = [deque(maxlen=limit.count) for limit in self._limits]
        for queue in queues:
            queue.append(now)


class _WindowMax:
    """The most events seen in any ``seconds``-long sliding window, per key (O(1) amortised per event)."""

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._stamps: dict[str, deque[float]] = {}
        self.maxima: dict[str, int] = {}

    def add(self, key: str, now: float) -> None:
        queue = self._stamps.setdefault(key, deque())
        queue.append(now)
        while now - queue[0] >= self._seconds:
            queue.popleft()
        if len(queue) > self.maxima.get(key, 0):
            self.maxima[key] = len(queue)


@dataclass
class _Conversation:
    tenant_id: str
    members: list[dict[str, Any]] | None = None


def retry_after(wait: float) -> int:
    """The ``Retry-After`` for a wait in seconds: whole seconds, rounded up, at least 1 (as Teams sends).

    Retrying after that many seconds is admitted as long as nothing else is written meanwhile; the
    nanosecond of slack only absorbs float noise in ``stamp + window - now``.
    """
    return max(1, math.ceil(wait - 1e-9))


def duplicate_key(activity: dict[str, Any]) -> str | None:
    """What makes two deliveries into one conversation the same message.

    Only message activities are judged (typing indicators and other events are never duplicates). An
    activity with ``channelData.klussenbankDeliveryId`` is identified by that id alone; any other by a
    hash of its text and its attachments (``contentType``, ``content``, ``contentUrl``). A message with
    neither text nor attachments is not judged.
    """
    if activity.get("type", "message") != "message":
        return None
    channel_data = activity.get("channelData")
    if isinstance(channel_data, dict):
        delivery_id = channel_data.get(DELIVERY_ID)
        if isinstance(delivery_id, str | int) and not isinstance(delivery_id, bool):
            return f"delivery:{delivery_id}"
    text = activity.get("text") or ""
    attachments = [
        {key: attachment.get(key) for key in ("contentType", "content", "contentUrl")}
        for attachment in activity.get("attachments") or []
        if isinstance(attachment, dict)
    ]
    if not text and not attachments:
        return None
    canonical = json.dumps([text, attachments], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "content:" + hashlib.sha256(canonical.encode()).hexdigest()


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


def _tenant_of(body: dict[str, Any]) -> str | None:
    """The tenant an activity or create request names: ``tenantId``, ``conversation.tenantId``, ``channelData.tenant.id``."""
    tenant = body.get("tenantId")
    if isinstance(tenant, str) and tenant:
        return tenant
    conversation = body.get("conversation")
    if isinstance(conversation, dict) and isinstance(conversation.get("tenantId"), str):
        return str(conversation["tenantId"])
    channel_data = body.get("channelData")
    if isinstance(channel_data, dict):
        tenant_info = channel_data.get("tenant")
        if isinstance(tenant_info, dict) and isinstance(tenant_info.get("id"), str):
            return str(tenant_info["id"])
    return None


RECORDING = ConnectorConfig(enforce_limits=False)
"""The config of a bare ``FakeConnector()``: Teams' limits measured but not enforced, no faults.

The bot tests fire turns at one conversation faster than Teams' 7 per second allows; they test the
conversation, not throttling. Pass ``ConnectorConfig()`` (or the CLI's defaults) to get Teams' limits.
"""


class FakeConnector:
    """The fake Bot Connector; serve :meth:`app` (see :func:`start`) and point the bot's serviceUrl at it.

    ``FakeConnector()`` records and measures but never throttles (:data:`RECORDING`);
    ``FakeConnector(ConnectorConfig())`` enforces Teams' limits. ``clock`` stamps and paces everything
    (inject one to test windows without waiting); ``sleep`` is awaited for slow and hanging answers.

    ``sent`` holds every delivered activity (with ``_conversation`` and ``_authorization`` added),
    ``updated`` every accepted update (with ``_conversation`` and ``_activity``), ``deliveries`` the
    same deliveries with their metadata, ``events`` every ``/v3`` request and its answer.
    """

    def __init__(
        self,
        config: ConnectorConfig | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._config = RECORDING if config is None else config
        self._activity_ids = itertools.count(1)  # never reset: ids stay unique for the process
        self._group_ids = itertools.count(1)
        self.reset()

    # -- state ----------------------------------------------------------------------------------------

    @property
    def config(self) -> ConnectorConfig:
        return self._config

    def configure(self, config: ConnectorConfig | None = None, **changes: Any) -> ConnectorConfig:
        """Replace the config, or change some of its fields (what ``POST /_config`` does).

        A new seed restarts the fault sequence; new limits start their windows afresh.
        """
        new = replace(config or self._config, **changes)
        if (new.tenant_limits, new.conversation_limits) != (
            self._config.tenant_limits,
            self._config.conversation_limits,
        ):
            self._tenant_limits = _SlidingLimits(new.tenant_limits)
            self._conversation_limits = _SlidingLimits(new.conversation_limits)
        if new.seed != self._config.seed:
            self._random = random.Random(new.seed)
        self._config = new
        return new

    def reset(self) -> None:
        """Forget everything seen (conversations, deliveries, windows, stats); keep the config, reseed."""
        config = self._config
        self.sent: list[dict[str, Any]] = []
        self.updated: list[dict[str, Any]] = []
        self.deliveries: list[Delivery] = []
        self.events: list[Event] = []
        self._random = random.Random(config.seed)
        self._tenant_limits = _SlidingLimits(config.tenant_limits)
        self._conversation_limits = _SlidingLimits(config.conversation_limits)
        self._admitted = _WindowMax(STATS_WINDOW)
        self._attempts = _WindowMax(STATS_WINDOW)
        self._conversations: dict[str, _Conversation] = {}
        self._activities: dict[str, str] = {}  # activity id -> conversation id
        self._keys: dict[str, set[str]] = {}  # conversation id -> duplicate keys delivered there
        self._delivered_by_conversation: dict[str, int] = {}
        self._duplicates_by_conversation: dict[str, int] = {}
        self._created = 0
        self._throttled_by_scope = {"tenant": 0, "conversation": 0}
        kinds = [f"http_{status}" for status in config.error_statuses]
        kinds += ["precondition_failed", "timeout", "slow", "blocked", "not_found"]
        self._faults: dict[str, int] = dict.fromkeys(kinds, 0)
        self._rejected: dict[str, int] = {"bad_request": 0, "activity_not_found": 0, "member_not_found": 0}

    def stats(self) -> Stats:
        times = [delivery.received_at for delivery in self.deliveries]
        first = min(times) if times else None
        last = max(times) if times else None
        histogram: list[int] = []
        if first is not None:
            for stamp in times:
                second = int(stamp - first)
                if second >= len(histogram):
                    histogram.extend([0] * (second + 1 - len(histogram)))
                histogram[second] += 1
        rate = None
        if first is not None and last is not None and last > first:
            rate = (len(times) - 1) / (last - first)
        return Stats(
            now=self._clock(),
            requests=len(self.events),
            delivered=len(self.deliveries),
            delivered_by_conversation=dict(self._delivered_by_conversation),
            updated=len(self.updated),
            conversations_created=self._created,
            duplicates=sum(self._duplicates_by_conversation.values()),
            duplicates_by_conversation=dict(self._duplicates_by_conversation),
            throttled=sum(self._throttled_by_scope.values()),
            throttled_by_scope=dict(self._throttled_by_scope),
            faults=dict(self._faults),
            rejected=dict(self._rejected),
            first_delivery_at=first,
            last_delivery_at=last,
            delivery_rate=rate,
            max_per_second_by_tenant=dict(self._admitted.maxima),
            max_attempts_per_second_by_tenant=dict(self._attempts.maxima),
            deliveries_per_second=histogram,
            delivery_times=times,
        )

    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards sent so far, in order, typing indicators and text left out."""
        return [
            attachment["content"]
            for activity in self.sent
            if activity.get("type") == "message"
            for attachment in activity.get("attachments") or []
            if attachment.get("contentType") == ADAPTIVE_CARD
        ]

    # -- HTTP -----------------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        app.router.add_get("/_stats", self._stats)
        app.router.add_get("/_deliveries", self._deliveries)
        app.router.add_get("/_events", self._events)
        app.router.add_post("/_reset", self._reset)
        app.router.add_get("/_config", self._get_config)
        app.router.add_post("/_config", self._set_config)
        return app

    async def _create(self, request: web.Request) -> web.Response:
        body = await _body(request)
        now = self._clock()
        if body is None:
            return self._bad_request(now, "create", "", "The request body must be a JSON object.")
        members = body.get("members")
        activity = body.get("activity")
        if (
            not isinstance(members, list)
            or not members
            or not all(isinstance(member, dict) and isinstance(member.get("id"), str) for member in members)
        ):
            return self._bad_request(now, "create", "", "members must list at least one member with an id.")
        if activity is not None and not isinstance(activity, dict):
            return self._bad_request(now, "create", "", "activity must be a JSON object.")
        tenant = _tenant_of(body) or ""
        bot = body.get("bot")
        bot_id = str(bot.get("id", "")) if isinstance(bot, dict) else ""
        if not body.get("isGroup") and len(members) == 1:
            # Teams has one 1:1 conversation per bot, user and tenant, and hands back its id every time.
            seed = f"{bot_id}|{tenant}|{members[0]['id']}"
            cid = "a:1" + hashlib.sha256(seed.encode()).hexdigest()[:40]
        else:
            cid = f"19:fake-{next(self._group_ids)}@thread.v2"
        if activity is not None and cid in self._config.blocked:
            return self._blocked(now, "create", cid)
        refused = self._admit(now, "create", tenant, cid if activity is not None else None)
        if refused is not None:
            return refused
        fate = self._draw()
        if fate is not None and fate != "slow":
            return await self._fail(now, "create", cid, fate)
        known = self._conversations.get(cid)
        if known is None or known.members is None:
            self._conversations[cid] = _Conversation(tenant, [dict(member) for member in members])
        self._created += 1
        answer: dict[str, Any] = {"id": cid}
        outcome = "created"
        if activity is not None:
            activity = {**activity, "_conversation": cid, "_authorization": _authorization(request)}
            answer["activityId"] = self._deliver("create", cid, tenant, now, activity)
            outcome = "created+delivered"
        return await self._succeed(now, "create", cid, fate, outcome, web.json_response(answer, status=201))

    async def _send(self, request: web.Request) -> web.Response:
        return await self._post_activity(request, "send")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._post_activity(request, "reply")

    async def _post_activity(self, request: web.Request, kind: Literal["send", "reply"]) -> web.Response:
        cid = request.match_info["conversation"]
        body = await _body(request)
        now = self._clock()
        if body is None:
            return self._bad_request(now, kind, cid, "The activity must be a JSON object.")
        if cid in self._config.not_found:
            return self._not_found(now, kind, cid)
        tenant = self._tenant(cid, body)
        if cid in self._config.blocked:
            return self._blocked(now, kind, cid)
        refused = self._admit(now, kind, tenant, cid)
        if refused is not None:
            return refused
        fate = self._draw()
        if fate is not None and fate != "slow":
            return await self._fail(now, kind, cid, fate)
        body["_conversation"] = cid
        body["_authorization"] = _authorization(request)
        activity_id = self._deliver(kind, cid, tenant, now, body)
        return await self._succeed(now, kind, cid, fate, "delivered", web.json_response({"id": activity_id}))

    async def _update(self, request: web.Request) -> web.Response:
        cid = request.match_info["conversation"]
        activity_id = request.match_info["activity"]
        body = await _body(request)
        now = self._clock()
        if body is None:
            return self._bad_request(now, "update", cid, "The activity must be a JSON object.")
        if cid in self._config.not_found:
            return self._not_found(now, "update", cid)
        tenant = self._tenant(cid, body)
        if cid in self._config.blocked:
            return self._blocked(now, "update", cid)
        if self._activities.get(activity_id) != cid:
            self._rejected["activity_not_found"] += 1
            self._event(now, "update", cid, 404, "activity_not_found")
            return _error(404, "ActivityNotFound", f"Unknown activity {activity_id} in this conversation.")
        refused = self._admit(now, "update", tenant, cid)
        if refused is not None:
            return refused
        fate = self._draw()
        if fate is not None and fate != "slow":
            return await self._fail(now, "update", cid, fate)
        self.updated.append({**body, "_conversation": cid, "_activity": activity_id, "_received_at": now})
        return await self._succeed(
            now, "update", cid, fate, "updated", web.json_response({"id": activity_id})
        )

    async def _member(self, request: web.Request) -> web.Response:
        cid = request.match_info["conversation"]
        uid = request.match_info["member"]
        now = self._clock()
        if cid in self._config.not_found:
            return self._not_found(now, "member", cid)
        fate = self._draw()
        if fate is not None and fate != "slow":
            return await self._fail(now, "member", cid, fate)
        conversation = self._conversations.get(cid)
        member: dict[str, Any] = {"id": uid}
        if conversation is not None and conversation.members is not None:
            found = next(
                (m for m in conversation.members if uid in (m.get("id"), m.get("aadObjectId"))), None
            )
            if found is None:
                self._rejected["member_not_found"] += 1
                self._event(now, "member", cid, 404, "member_not_found")
                return _error(404, "MemberNotFoundInConversation", "The member is not in the conversation.")
            member = {**found}
        if conversation is not None and conversation.tenant_id:
            member.setdefault("tenantId", conversation.tenant_id)
        member.setdefault("userRole", "user")
        return await self._succeed(now, "member", cid, fate, "member", web.json_response(member))

    async def _stats(self, request: web.Request) -> web.Response:
        times = request.query.get("times", "true").lower() not in ("0", "false", "no")
        return web.json_response(self.stats().to_json(times=times))

    async def _deliveries(self, request: web.Request) -> web.Response:
        return web.json_response([delivery.summary() for delivery in self.deliveries])

    async def _events(self, request: web.Request) -> web.Response:
        return web.json_response([asdict(event) for event in self.events])

    async def _reset(self, request: web.Request) -> web.Response:
        self.reset()
        return web.json_response({"reset": True})

    async def _get_config(self, request: web.Request) -> web.Response:
        return web.json_response(self._config.to_json())

    async def _set_config(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if body is None:
            return _error(400, "BadSyntax", "The config must be a JSON object.")
        try:
            config = self._config.updated(body)
        except (TypeError, ValueError) as error:
            return _error(400, "BadArgument", str(error))
        return web.json_response(self.configure(config).to_json())

    # -- the steps of a request -----------------------------------------------------------------------

    def _tenant(self, cid: str, activity: dict[str, Any]) -> str:
        """The conversation's known tenant, else the one the activity names (then remembered), else ''."""
        conversation = self._conversations.get(cid)
        if conversation is not None:
            return conversation.tenant_id
        tenant = _tenant_of(activity)
        if tenant is None:
            return ""
        self._conversations[cid] = _Conversation(tenant)
        return tenant

    def _admit(self, now: float, operation: Write, tenant: str, cid: str | None) -> web.Response | None:
        """Count a write against the tenant's (and conversation's) windows; a 429 when it does not fit."""
        self._attempts.add(tenant, now)
        if self._config.enforce_limits:
            tenant_wait = self._tenant_limits.wait(tenant, now)
            conversation_wait = self._conversation_limits.wait(cid, now) if cid is not None else 0.0
            wait = max(tenant_wait, conversation_wait)
            if wait > 0:
                scope = "tenant" if tenant_wait >= conversation_wait else "conversation"
                self._throttled_by_scope[scope] += 1
                self._event(now, operation, cid or "", 429, f"throttled_{scope}")
                seconds = retry_after(wait)
                return _error(
                    429,
                    "Throttled",
                    f"Too many requests for this {scope}; retry after {seconds} s.",
                    headers={"Retry-After": str(seconds)},
                )
        self._tenant_limits.admit(tenant, now)
        if cid is not None:
            self._conversation_limits.admit(cid, now)
        self._admitted.add(tenant, now)
        return None

    def _draw(self) -> Fault | None:
        """This request's injected fault, if any: one seeded draw per request, in disjoint bands."""
        config = self._config
        draw = self._random.random()
        if draw < config.error_rate:
            statuses = config.error_statuses
            return f"http_{statuses[min(int(draw / config.error_rate * len(statuses)), len(statuses) - 1)]}"
        draw -= config.error_rate
        if draw < config.precondition_rate:
            return "precondition_failed"
        draw -= config.precondition_rate
        if draw < config.timeout_rate:
            return "timeout"
        draw -= config.timeout_rate
        if draw < config.slow_rate:
            return "slow"
        return None

    async def _fail(self, now: float, operation: str, cid: str, fault: Fault) -> web.Response:
        """Answer an injected failure; nothing has been recorded for the request."""
        self._count_fault(fault)
        if fault == "precondition_failed":
            self._event(now, operation, cid, 412, fault)
            return _error(412, "PreconditionFailed", "Precondition failed: the resource changed, try again.")
        if fault == "timeout":
            self._event(now, operation, cid, 504, fault)
            await self._sleep(self._config.hang_ms / 1000)
            return _error(504, "GatewayTimeout", "The request timed out.")
        status = int(fault.removeprefix("http_"))
        self._event(now, operation, cid, status, fault)
        return _error(status, _FAULT_CODES.get(status, "ServiceError"), f"Injected {status} fault.")

    async def _succeed(
        self, now: float, operation: str, cid: str, fate: Fault | None, outcome: str, response: web.Response
    ) -> web.Response:
        """Answer a request whose effect is already recorded, late if it drew the slow fault."""
        self._event(now, operation, cid, response.status, outcome)
        if fate == "slow":
            self._count_fault("slow")
            await self._sleep(self._config.slow_ms / 1000)
        return response

    def _count_fault(self, kind: str) -> None:
        self._faults[kind] = self._faults.get(kind, 0) + 1

    def _deliver(
        self,
        kind: Literal["create", "send", "reply"],
        cid: str,
        tenant: str,
        now: float,
        activity: dict[str, Any],
    ) -> str:
        activity_id = f"1:{next(self._activity_ids)}"
        key = duplicate_key(activity)
        seen = self._keys.setdefault(cid, set())
        duplicate = key is not None and key in seen
        if key is not None:
            seen.add(key)
        if duplicate:
            self._duplicates_by_conversation[cid] = self._duplicates_by_conversation.get(cid, 0) + 1
        self._activities[activity_id] = cid
        self._delivered_by_conversation[cid] = self._delivered_by_conversation.get(cid, 0) + 1
        self.sent.append(activity)
        self.deliveries.append(Delivery(kind, cid, activity_id, tenant, now, activity, key, duplicate))
        return activity_id

    def _event(self, now: float, operation: str, cid: str, status: int, outcome: str) -> None:
        self.events.append(Event(now, operation, cid, status, outcome))

    def _bad_request(self, now: float, operation: str, cid: str, message: str) -> web.Response:
        self._rejected["bad_request"] += 1
        self._event(now, operation, cid, 400, "bad_request")
        return _error(400, "BadSyntax", message)

    def _blocked(self, now: float, operation: str, cid: str) -> web.Response:
        self._count_fault("blocked")
        self._event(now, operation, cid, 403, "blocked")
        return _error(403, "ConversationBlockedByUser", "User blocked the conversation with the bot.")

    def _not_found(self, now: float, operation: str, cid: str) -> web.Response:
        self._count_fault("not_found")
        self._event(now, operation, cid, 404, "not_found")
        return _error(404, "ConversationNotFound", "Conversation not found.")


def _authorization(request: web.Request) -> str:
    return request.headers.get("Authorization", "")


async def _body(request: web.Request) -> dict[str, Any] | None:
    """The request's JSON object, or None when it is not one."""
    try:
        body = json.loads(await request.read() or b"null")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


async def start(connector: FakeConnector) -> TestServer:
    """Serve ``connector`` on a free port of 127.0.0.1; ``close()`` the server when done."""
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    return server


# -- as a process -------------------------------------------------------------------------------------


def _limits(values: Iterable[str]) -> tuple[Limit, ...]:
    """``COUNT/SECONDS`` strings (``7/1``) as limits."""
    limits = []
    for value in values:
        count, _, seconds = value.partition("/")
        limits.append(Limit(int(count), float(seconds or 1)))
    return tuple(limits)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fake_connector", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=0, help="0 picks a free port (the printed line says which)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share answered 500/502/503")
    parser.add_argument("--precondition-rate", type=float, default=0.0, help="share answered 412")
    parser.add_argument("--timeout-rate", type=float, default=0.0, help="share that hangs, then 504")
    parser.add_argument("--hang-ms", type=float, default=10_000.0)
    parser.add_argument("--slow-rate", type=float, default=0.0, help="share answered late (delivered)")
    parser.add_argument("--slow-ms", type=float, default=200.0)
    parser.add_argument("--blocked", action="append", default=[], metavar="CONVERSATION_ID")
    parser.add_argument("--not-found", action="append", default=[], metavar="CONVERSATION_ID")
    parser.add_argument("--tenant-limit", action="append", metavar="COUNT/SECONDS", help="default 50/1")
    parser.add_argument(
        "--conversation-limit", action="append", metavar="COUNT/SECONDS", help="default 7/1 60/30"
    )
    parser.add_argument("--no-limits", action="store_true", help="measure, but never answer 429")
    return parser


def config_from_args(args: argparse.Namespace) -> ConnectorConfig:
    defaults = ConnectorConfig()
    return ConnectorConfig(
        tenant_limits=_limits(args.tenant_limit) if args.tenant_limit else defaults.tenant_limits,
        conversation_limits=(
            _limits(args.conversation_limit) if args.conversation_limit else defaults.conversation_limits
        ),
        enforce_limits=not args.no_limits,
        error_rate=args.fault_rate,
        precondition_rate=args.precondition_rate,
        timeout_rate=args.timeout_rate,
        hang_ms=args.hang_ms,
        slow_rate=args.slow_rate,
        slow_ms=args.slow_ms,
        blocked=frozenset(args.blocked),
        not_found=frozenset(args.not_found),
        seed=args.seed,
    )


async def serve(host: str, port: int, config: ConnectorConfig) -> None:
    """Serve until SIGTERM or SIGINT, printing ``listening on http://HOST:PORT`` once accepting."""
    connector = FakeConnector(config)
    # No access log: it would cost more than the request itself at benchmark rates.
    runner = web.AppRunner(connector.app(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=1024)
    site = web.SockSite(runner, sock)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(f"listening on http://{shown}:{sock.getsockname()[1]}", flush=True)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as error:
        print(f"fake_connector: {error}", file=sys.stderr)
        return 2
    asyncio.run(serve(args.host, args.port, config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
