"""A local fake Microsoft Graph v1.0: the user endpoints the Directory reads, for tests.

* ``GET /v1.0/users`` (paged), ``GET /v1.0/users/{id}`` (``$select``, ``$expand=manager`` and
  ``$expand=manager($levels=max)``: managers nested to the top), ``GET /v1.0/users/{id}/manager`` and
  ``GET /v1.0/users/{id}/directReports``.
* ``GET /v1.0/users/delta``: pages of ``page_size`` users linked by ``@odata.nextLink`` and, after the
  last page, an ``@odata.deltaLink``. Calling the delta link returns the users changed since it was issued
  and removed users as ``{"id": ..., "@removed": {"reason": "changed"}}``. With ``$expand=manager`` a
  user carries ``manager@delta`` (the manager, or the removed one) as Graph does.
* ``GET /v1.0/appCatalogs/teamsApps`` (``$filter`` on ``externalId``, ``id``, ``distributionMethod``) and
  ``GET``/``POST /v1.0/users/{id}/teamwork/installedApps`` (``$filter`` on ``teamsApp/externalId`` or
  ``teamsApp/id``, ``$expand=teamsApp``; a POST binds ``teamsApp@odata.bind``). A POST answers 201, 409 when
  the app is already installed for the user, 404 for an unknown user or app, 403 for someone without a
  Teams licence (:attr:`FakeGraph.unlicensed`).
* Faults: a scripted sequence (:meth:`FakeGraph.script`) or a seeded share of answers
  (``fault_share``): ``429`` with ``Retry-After``, any 5xx, ``SLOW`` (answered after ``slow_seconds``) or
  ``LATE`` (carried out at once, answered after ``slow_seconds``).
  :meth:`FakeGraph.fail_delta_page` fails one page of the next delta round.
* Counters: requests per route (``"POST /v1.0/..."`` for other methods than GET), answers per status (:attr:`FakeGraph.requests`, :attr:`FakeGraph.statuses`).

Run it on its own: ``python -m tests.fake_graph --port 0`` prints ``listening on http://127.0.0.1:N/v1.0``.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "fake-graph-token"
USER_TYPE = "#microsoft.graph.user"
TEAMS_APP_TYPE = "#microsoft.graph.teamsApp"
INSTALLATION_TYPE = "#microsoft.graph.userScopeTeamsAppInstallation"


@dataclass(frozen=True)
class FakeUser:
    id: str
    display_name: str
    mail: str | None = None
    user_principal_name: str | None = None
    department: str | None = None
    job_title: str | None = None
    office_location: str | None = None
    company_name: str | None = None
    manager: str | None = None

    def json(self, select: set[str] | None = None) -> dict[str, Any]:
        full = {
            "@odata.type": USER_TYPE,
            "id": self.id,
            "displayName": self.display_name,
            "mail": self.mail,
            "userPrincipalName": self.user_principal_name or self.mail,
            "department": self.department,
            "jobTitle": self.job_title,
            "officeLocation": self.office_location,
            "companyName": self.company_name,
        }
        if select:
            return {k: v for k, v in full.items() if k in select or k in ("id", "@odata.type")}
        return full


@dataclass(frozen=True)
class FakeTeamsApp:
    """An app in the tenant's Teams app catalog: `id` is Graph's, `external_id` the manifest's."""

    id: str
    external_id: str
    display_name: str = "Klussenbank"
    distribution_method: str = "organization"

    def json(self) -> dict[str, Any]:
        return {
            "@odata.type": TEAMS_APP_TYPE,
            "id": self.id,
            "externalId": self.external_id,
            "displayName": self.display_name,
            "distributionMethod": self.distribution_method,
        }


@dataclass(frozen=True)
class Fault:
    """``status`` 429 (with ``retry_after`` seconds), a 5xx, 0 for a slow but good answer, or 1 for a
    request carried out at once but answered late (a client that gave up sees a timeout)."""

    status: int
    retry_after: int = 0


def too_many(retry_after: int = 1) -> Fault:
    return Fault(429, retry_after)


SLOW = Fault(0)
LATE = Fault(1)


@dataclass
class _Change:
    version: int
    manager_before: str | None = None
    fields: frozenset[str] = frozenset()  # Graph names of the properties changed (accumulated)


@dataclass
class FakeGraph:
    users: dict[str, FakeUser] = field(default_factory=dict)
    page_size: int = 2
    fault_share: float = 0.0
    share_faults: tuple[Fault, ...] = (Fault(503),)
    slow_seconds: float = 0.2
    seed: int = 1
    token: str = TOKEN
    partial_updates: bool = False
    """Incremental delta pages carry only the id and the changed properties, as Graph may send them."""
    teams_apps: dict[str, FakeTeamsApp] = field(default_factory=dict)
    installed_apps: dict[str, set[str]] = field(default_factory=dict)
    """Per user id, the ids of the catalog apps installed for them."""
    unlicensed: set[str] = field(default_factory=set)
    """Users without a Teams licence: installing an app for them answers 403."""

    def __post_init__(self) -> None:
        self.version = 0
        self._changes: dict[str, _Change] = {}
        self._removed: dict[str, int] = {}
        self._script: deque[Fault] = deque()
        self._failing_pages: dict[int, Fault] = {}
        self._failing_times = 0
        self._token_floor = 0
        self._random = random.Random(self.seed)
        self.requests: Counter[str] = Counter()
        self.urls: list[str] = []
        self.statuses: Counter[int] = Counter()
        self.delta_pages_served = 0
        for user in list(self.users.values()):
            self.put(user)

    # -- the directory's content -------------------------------------------------------------------

    def put(self, user: FakeUser) -> None:
        """Add or change a user: the next delta round reports them."""
        self.version += 1
        before = self.users.get(user.id)
        self.users[user.id] = user
        self._removed.pop(user.id, None)
        fields = frozenset(user.json())
        if before is not None:
            old, new = before.json(), user.json()
            fields = frozenset(k for k in new if old[k] != new[k])
            if user.id in self._changes:
                fields |= self._changes[user.id].fields
        self._changes[user.id] = _Change(self.version, before.manager if before else None, fields)

    def change(self, user_id: str, **changes: Any) -> None:
        self.put(replace(self.users[user_id], **changes))

    def remove(self, user_id: str) -> None:
        self.version += 1
        del self.users[user_id]
        self._changes.pop(user_id, None)
        self._removed[user_id] = self.version

    def publish(self, app: FakeTeamsApp) -> None:
        """Put an app in the tenant's app catalog."""
        self.teams_apps[app.id] = app

    def install(self, user_id: str, app_id: str) -> None:
        """Install an app for someone, as they would themselves in Teams."""
        self.installed_apps.setdefault(user_id, set()).add(app_id)

    def forget_delta_tokens(self) -> None:
        """Delta links issued so far answer 410 syncStateNotFound, as Graph's do after a while."""
        self._token_floor = self.version + 1

    # -- faults -------------------------------------------------------------------------------------

    def script(self, *faults: Fault | None) -> None:
        """The next requests answer with these faults in order (None: answer normally)."""
        self._script.extend(fault or Fault(-1) for fault in faults)

    def fail_delta_page(self, page: int, fault: Fault = Fault(500), *, times: int = 1) -> None:
        """Page `page` (1-based) of delta rounds fails `times` times, whatever the retries do."""
        self._failing_pages[page] = fault
        self._failing_times = times

    def _fault(self) -> Fault | None:
        if self._script:
            fault = self._script.popleft()
            return None if fault.status == -1 else fault
        if self.fault_share and self._random.random() < self.fault_share:
            return self._random.choice(self.share_faults)
        return None

    async def _answer_fault(self, fault: Fault) -> web.Response | None:
        if fault.status == 0:
            await asyncio.sleep(self.slow_seconds)
            return None
        headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
        code = "TooManyRequests" if fault.status == 429 else "ServiceUnavailable"
        return self._error(fault.status, code, f"Injected {fault.status}.", headers)

    def _error(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> web.Response:
        self.statuses[status] += 1
        body = {"error": {"code": code, "message": message}}
        return web.json_response(body, status=status, headers=headers)

    def _ok(self, body: dict[str, Any]) -> web.Response:
        self.statuses[200] += 1
        return web.json_response(body)

    # -- HTTP ---------------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_get("/v1.0/users", self._list)
        app.router.add_get("/v1.0/users/delta", self._delta)
        app.router.add_get("/v1.0/users/delta()", self._delta)
        app.router.add_get("/v1.0/users/{id}", self._user)
        app.router.add_get("/v1.0/users/{id}/manager", self._manager)
        app.router.add_get("/v1.0/users/{id}/directReports", self._direct_reports)
        app.router.add_get("/v1.0/appCatalogs/teamsApps", self._catalog)
        app.router.add_get("/v1.0/users/{id}/teamwork/installedApps", self._installed)
        app.router.add_post("/v1.0/users/{id}/teamwork/installedApps", self._install)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        route = request.match_info.route.resource.canonical if request.match_info.route.resource else "?"
        self.requests[route if request.method == "GET" else f"{request.method} {route}"] += 1
        self.urls.append(request.path_qs)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return self._error(401, "InvalidAuthenticationToken", "Access token is missing or wrong.")
        fault = self._fault()
        if fault == LATE:
            late: web.StreamResponse = await handler(request)
            await asyncio.sleep(self.slow_seconds)
            return late
        if fault is not None:
            answer = await self._answer_fault(fault)
            if answer is not None:
                return answer
        response: web.StreamResponse = await handler(request)
        return response

    def _base(self, request: web.Request) -> str:
        return f"{request.scheme}://{request.host}/v1.0"

    def _get(self, request: web.Request) -> FakeUser | None:
        wanted = request.match_info["id"].lower()
        return next(
            (u for u in self.users.values() if wanted in (u.id.lower(), (u.mail or "").lower())), None
        )

    async def _user(self, request: web.Request) -> web.Response:
        user = self._get(request)
        if user is None:
            return self._error(404, "Request_ResourceNotFound", "Resource does not exist.")
        select = _select(request)
        body = user.json(select)
        expand = request.query.get("$expand", "")
        if "$levels=" in expand and request.headers.get("ConsistencyLevel") != "eventual":
            # Graph answers $levels only as an advanced query.
            return self._error(400, "Request_UnsupportedQuery", "$levels needs ConsistencyLevel: eventual.")
        if expand.startswith("manager"):
            select_manager = _inner_select(expand)
            levels = 1000 if "$levels=max" in expand.replace(" ", "") else 1
            node, seen = body, {user.id}
            current = user
            for _ in range(levels):
                boss = self.users.get(current.manager or "")
                if boss is None or boss.id in seen:
                    break
                seen.add(boss.id)
                node["manager"] = boss.json(select_manager)
                node, current = node["manager"], boss
        return self._ok(body)

    async def _manager(self, request: web.Request) -> web.Response:
        user = self._get(request)
        boss = self.users.get(user.manager or "") if user else None
        if boss is None:
            return self._error(404, "Request_ResourceNotFound", "Resource 'manager' does not exist.")
        return self._ok(boss.json(_select(request)))

    async def _direct_reports(self, request: web.Request) -> web.Response:
        user = self._get(request)
        if user is None:
            return self._error(404, "Request_ResourceNotFound", "Resource does not exist.")
        select = _select(request)
        reports = [u.json(select) for u in sorted(self.users.values(), key=_key) if u.manager == user.id]
        return self._ok({"value": reports})

    async def _catalog(self, request: web.Request) -> web.Response:
        try:
            wanted = _filter(request, {"externalId", "id", "distributionMethod"})
        except ValueError as exc:
            return self._error(400, "BadRequest", str(exc))
        apps = [
            app.json()
            for app in sorted(self.teams_apps.values(), key=lambda a: a.id)
            if all(app.json()[name] == value for name, value in wanted.items())
        ]
        return self._ok({"value": apps})

    async def _installed(self, request: web.Request) -> web.Response:
        user = self._get(request)
        if user is None:
            return self._error(404, "NotFound", f"User '{request.match_info['id']}' was not found.")
        try:
            wanted = _filter(request, {"teamsApp/externalId", "teamsApp/id"})
        except ValueError as exc:
            return self._error(400, "BadRequest", str(exc))
        expand = "teamsApp" in request.query.get("$expand", "").split(",")
        found = []
        for app_id in sorted(self.installed_apps.get(user.id, ())):
            app = self.teams_apps.get(app_id, FakeTeamsApp(app_id, ""))
            if all(app.json()[name.partition("/")[2]] == value for name, value in wanted.items()):
                entry: dict[str, Any] = {"@odata.type": INSTALLATION_TYPE, "id": f"{user.id}~{app_id}"}
                if expand:
                    entry["teamsApp"] = app.json()
                found.append(entry)
        return self._ok({"value": found})

    async def _install(self, request: web.Request) -> web.Response:
        user = self._get(request)
        if user is None:
            return self._error(404, "NotFound", f"User '{request.match_info['id']}' was not found.")
        try:
            body = await request.json()
        except ValueError:
            return self._error(400, "BadRequest", "The body is not JSON.")
        bind = body.get("teamsApp@odata.bind") if isinstance(body, dict) else None
        if not isinstance(bind, str) or "/appCatalogs/teamsApps/" not in bind:
            return self._error(400, "BadRequest", "teamsApp@odata.bind to an app in the catalog is required.")
        app_id = bind.rpartition("/appCatalogs/teamsApps/")[2].strip("'()")
        if app_id not in self.teams_apps:
            return self._error(404, "NotFound", f"App '{app_id}' is not in the app catalog.")
        if user.id in self.unlicensed:
            return self._error(403, "Forbidden", "The user has no Teams licence.")
        if app_id in self.installed_apps.get(user.id, ()):
            return self._error(409, "Conflict", "The app is already installed for this user.")
        self.install(user.id, app_id)
        self.statuses[201] += 1
        return web.Response(status=201)  # Graph's answer has no body

    async def _list(self, request: web.Request) -> web.Response:
        offset = int(request.query.get("$skiptoken", "0"))
        users = sorted(self.users.values(), key=_key)
        page = users[offset : offset + self.page_size]
        body: dict[str, Any] = {"value": [u.json(_select(request)) for u in page]}
        if offset + self.page_size < len(users):
            body["@odata.nextLink"] = f"{self._base(request)}/users?$skiptoken={offset + self.page_size}"
        return self._ok(body)

    async def _delta(self, request: web.Request) -> web.Response:
        query = request.query
        if "$skiptoken" in query:
            since, upto, offset, page, select_text, expand = query["$skiptoken"].split("~")
            state = (int(since), int(upto), int(offset), int(page), select_text, expand)
        else:
            # Like Graph's, our delta token carries the first request's $select and $expand.
            since, _, options = query.get("$deltatoken", "0").partition("~")
            select_text, _, expand = (
                options.partition("~")
                if options
                else (query.get("$select", ""), "", query.get("$expand", ""))
            )
            if not since.isdigit() or int(since) > self.version or 0 < int(since) < self._token_floor:
                return self._error(410, "syncStateNotFound", "The delta token is no longer valid.")
            state = (int(since), self.version, 0, 1, select_text, expand)
        since_v, upto_v, offset_v, page_no, select_text, expand = state
        if page_no in self._failing_pages and self._failing_times > 0:
            self._failing_times -= 1
            answer = await self._answer_fault(self._failing_pages[page_no])
            if answer is not None:
                return answer
        select = set(filter(None, select_text.split(","))) or None
        entries = list(self._delta_entries(since_v, upto_v, select, expand == "manager"))
        chunk = entries[offset_v : offset_v + self.page_size]
        self.delta_pages_served += 1
        body: dict[str, Any] = {"value": chunk}
        base = self._base(request)
        if offset_v + self.page_size < len(entries):
            token = f"{since_v}~{upto_v}~{offset_v + self.page_size}~{page_no + 1}~{select_text}~{expand}"
            body["@odata.nextLink"] = f"{base}/users/delta?$skiptoken={token}"
        else:
            body["@odata.deltaLink"] = f"{base}/users/delta?$deltatoken={upto_v}~{select_text}~{expand}"
        return self._ok(body)

    def _delta_entries(
        self, since: int, upto: int, select: set[str] | None, with_manager: bool
    ) -> Iterator[dict[str, Any]]:
        rows: list[tuple[str, dict[str, Any]]] = []
        for user_id, change in self._changes.items():
            if since < change.version <= upto:
                user = self.users[user_id]
                entry = user.json(select)
                if since and self.partial_updates:
                    entry = {k: v for k, v in entry.items() if k in change.fields or k == "id"}
                if with_manager:
                    if user.manager:
                        entry["manager@delta"] = [{"@odata.type": USER_TYPE, "id": user.manager}]
                    elif change.manager_before and since:
                        removed = {"id": change.manager_before, "@removed": {"reason": "deleted"}}
                        entry["manager@delta"] = [removed]
                rows.append((user_id, entry))
        if since:
            for user_id, version in self._removed.items():
                if since < version <= upto:
                    rows.append((user_id, {"id": user_id, "@removed": {"reason": "changed"}}))
        yield from (entry for _, entry in sorted(rows, key=lambda row: row[0]))


def _key(user: FakeUser) -> str:
    return user.id


def _select(request: web.Request) -> set[str] | None:
    text = request.query.get("$select", "")
    return set(filter(None, text.split(","))) or None


def _filter(request: web.Request, names: set[str]) -> dict[str, str]:
    """`externalId eq 'x' and distributionMethod eq 'organization'` -> {name: value}: the only kind of
    $filter the app catalog and installation routes need; anything else is refused as Graph would."""
    text = request.query.get("$filter", "").strip()
    found: dict[str, str] = {}
    for clause in filter(None, (c.strip() for c in text.split(" and "))):
        name, op, value = (part.strip() for part in [*clause.split(" ", 2), "", ""][:3])
        if op != "eq" or name not in names or len(value) < 2 or value[0] != "'" or value[-1] != "'":
            raise ValueError(f"Invalid filter clause: {clause}")
        found[name] = value[1:-1].replace("''", "'")
    return found


def _inner_select(expand: str) -> set[str] | None:
    """`manager($levels=max;$select=id,displayName)` -> {"id", "displayName"}."""
    inside = expand.partition("(")[2].rstrip(")")
    for option in inside.split(";"):
        name, _, value = option.partition("=")
        if name.strip() == "$select":
            return set(filter(None, value.split(",")))
    return None


@asynccontextmanager
async def serving(graph: FakeGraph, port: int = 0) -> Any:
    """Serve `graph` on 127.0.0.1; yields the base URL (``http://127.0.0.1:N/v1.0``)."""
    server = TestServer(graph.app(), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}/v1.0"
    finally:
        await server.close()


def sample_users(count: int = 0) -> Iterable[FakeUser]:
    """A small organisation: a director, two team leads, staff; `count` more staff under the first lead."""
    yield FakeUser("dir", "Dana Directeur", "dana@noord.example", company_name="Gemeente Noord")
    yield FakeUser("lead-a", "Ali Leider", "ali@noord.example", department="ICT", manager="dir",
                   company_name="Gemeente Noord")  # fmt: skip
    yield FakeUser("lead-b", "Bo Leider", "bo@zuid.example", department="HR", manager="dir",
                   company_name="Gemeente Zuid")  # fmt: skip
    yield FakeUser("staff-1", "Sam Medewerker", "sam@noord.example", department="ICT", job_title="Developer",
                   office_location="Noord 2.01", company_name="Gemeente Noord", manager="lead-a")  # fmt: skip
    yield FakeUser("staff-2", "Kim Medewerker", "kim@zuid.example", department="HR", job_title="Adviseur",
                   company_name="Gemeente Zuid", manager="lead-b")  # fmt: skip
    for n in range(count):
        yield FakeUser(f"extra-{n:04d}", f"Extra {n}", f"extra{n}@noord.example",
                       company_name="Gemeente Noord", manager="lead-a")  # fmt: skip


async def _main(port: int) -> None:
    graph = FakeGraph({u.id: u for u in sample_users()})
    async with serving(graph, port) as base:
        print(f"listening on {base}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="A fake Microsoft Graph for local use")
    parser.add_argument("--port", type=int, default=0)
    with suppress(KeyboardInterrupt):
        asyncio.run(_main(parser.parse_args().port))
