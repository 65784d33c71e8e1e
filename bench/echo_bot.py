"""The bare Microsoft 365 Agents SDK echo bot that ``bench.turns`` measures Klussenbank against.

Run: ``.venv/bin/python -m bench.echo_bot --port 0`` (prints ``listening on http://HOST:PORT``).

The same SDK packages, the same aiohttp host (``web.run_app`` with its access log) and the same auth
setting as ``klussenbank serve`` in local mode: anonymous inbound, a placeholder bearer outbound. A
message is echoed back through the Bot Connector named by the activity's serviceUrl, as the bot's
replies are; a card action (``adaptiveCard/action``) is answered in the HTTP response with a small
card, as the bot's card actions are. Nothing else: no database, no routing, no cards of its own.
"""

from __future__ import annotations

import argparse
import logging
import socket
from collections.abc import Sequence

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider
from microsoft_agents.hosting.core.authorization.connection_manager import ConnectionManager

CARD = {
    "type": "AdaptiveCard",
    "version": "1.5",
    "body": [{"type": "TextBlock", "text": "echo", "wrap": True}],
}


class PlaceholderToken(AnonymousTokenProvider):
    """Anonymous, but the SDK refuses to send with an empty bearer (as Klussenbank's local mode)."""

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return "local-development"


def agent() -> tuple[AgentApplication[TurnState], CloudAdapter]:
    configuration = AgentAuthConfiguration(anonymous_allowed=True)
    connections = ConnectionManager(
        provider_factory=lambda _config: PlaceholderToken(),
        connections_configurations={"SERVICE_CONNECTION": configuration},
    )
    app: AgentApplication[TurnState] = AgentApplication[TurnState](
        storage=MemoryStorage(), connection_manager=connections, start_typing_timer=False
    )

    @app.activity(ActivityTypes.message)
    async def on_message(context: TurnContext, _state: TurnState) -> None:
        await context.send_activity(context.activity.text or "")

    @app.activity(ActivityTypes.invoke)
    async def on_invoke(context: TurnContext, _state: TurnState) -> None:
        body = {"statusCode": 200, "type": "application/vnd.microsoft.card.adaptive", "value": CARD}
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    return app, CloudAdapter(connection_manager=connections)


def web_app() -> web.Application:
    application, adapter = agent()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, application)
        return response if response is not None else web.Response(status=202)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.echo_bot", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=0, help="0 picks a free port (the printed line says which)"
    )
    args = parser.parse_args(argv)
    # As `klussenbank serve` logs at its default level (INFO): the access log costs both the same.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sock = socket.create_server((args.host, args.port), backlog=1024)
    print(f"listening on http://{args.host}:{sock.getsockname()[1]}", flush=True)
    web.run_app(web_app(), sock=sock, print=None)


if __name__ == "__main__":
    main()
