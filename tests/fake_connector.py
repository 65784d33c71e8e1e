"""A local fake Bot Connector: the conversation endpoints the bot calls, recording what it sends."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class FakeConnector:
    sent: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        return app

    async def _send(self, request: web.Request) -> web.Response:
        activity = await request.json()
        activity["_conversation"] = request.match_info["conversation"]
        activity["_authorization"] = request.headers.get("Authorization", "")
        self.sent.append(activity)
        return web.json_response({"id": f"activity-{next(self._ids)}"})

    async def _update(self, request: web.Request) -> web.Response:
        self.updated.append(await request.json())
        return web.json_response({"id": request.match_info["activity"]})

    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards sent so far, in order, typing indicators and text left out."""
        return [
            attachment["content"]
            for activity in self.sent
            if activity.get("type") == "message"
            for attachment in activity.get("attachments") or []
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


async def start(connector: FakeConnector) -> TestServer:
    server = TestServer(connector.app(), host="127.0.0.1")
    await server.start_server()
    return server
