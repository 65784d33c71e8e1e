"""Sending outside a turn, through the Agents SDK's connector client: the outbox's Sender port."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, ActivityTypes, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core import CardFactory, ClaimsIdentity, Connections
from microsoft_agents.hosting.core.connector.client import ConnectorClient

from klussenbank.bot.auth import BOT_FRAMEWORK, SCOPES, connections
from klussenbank.config import Settings
from klussenbank.domain.delivery import Failure, FailureKind, classify
from klussenbank.services.ports.delivery import SendFailed
from klussenbank.services.ports.records import ConversationRef
from klussenbank.tenants import Tenants, load_tenants


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After") if headers else None
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


@contextmanager
def _as_send_failure() -> Iterator[None]:
    """What the connector client raises, as the outbox's SendFailed with its classification."""
    try:
        yield
    except aiohttp.ClientResponseError as error:
        raise SendFailed(classify(error.status, error.message, _retry_after(error.headers))) from error
    except (aiohttp.ClientError, TimeoutError) as error:
        raise SendFailed(classify(None, type(error).__name__)) from error


def _activity(target: ConversationRef, content: dict[str, Any]) -> Activity:
    activity = Activity(type=ActivityTypes.message, channel_data={"tenant": {"id": target.tenant_id}})
    if "card" in content:
        activity.attachments = [CardFactory.adaptive_card(content["card"])]
    else:
        activity.text = str(content.get("text", ""))
    return activity


class TeamsSender:
    """Sends as the bot of the recipient's own tenant: the SDK's connections map picks that tenant's
    connection by its app id, as it does for a reply to a request sent to that app."""

    @classmethod
    def for_settings(cls, settings: Settings) -> TeamsSender:
        """For a process without the web app: the stand-alone delivery worker."""
        tenants = load_tenants(settings)
        return cls(connections(tenants), tenants)

    def __init__(self, connections: Connections, tenants: Tenants) -> None:
        self._connections = connections
        self._tenants = tenants
        self._clients: dict[tuple[str, str], tuple[str, ConnectorClient]] = {}
        self._lock = asyncio.Lock()

    def app_for(self, tenant_id: str) -> str:
        tenant = self._tenants.of(tenant_id)
        return tenant.app_id if tenant else ""

    async def _client(self, target: ConversationRef) -> ConnectorClient:
        tenant = self._tenants.of(target.tenant_id)
        if tenant is None:
            raise SendFailed(
                Failure(FailureKind.PERMANENT, "the recipient's tenant is not in the tenants file")
            )
        bot = ClaimsIdentity({"aud": tenant.app_id})
        provider = self._connections.get_token_provider(bot, target.service_url)
        # The token provider caches and renews tokens; a client is rebuilt when the token changes.
        token = await provider.get_access_token(BOT_FRAMEWORK, SCOPES)
        key = (tenant.key, target.service_url)
        async with self._lock:
            cached = self._clients.get(key)
            if cached and cached[0] == token:
                return cached[1]
            if cached:
                await cached[1].close()
            client = ConnectorClient(target.service_url, token)
            self._clients[key] = (token, client)
            return client

    async def send(self, target: ConversationRef, content: dict[str, Any]) -> str:
        client = await self._client(target)
        with _as_send_failure():
            response = await client.conversations.send_to_conversation(
                target.conversation_id, _activity(target, content)
            )
        return str(response.id or "")

    async def update(self, target: ConversationRef, activity_id: str, content: dict[str, Any]) -> None:
        client = await self._client(target)
        activity = _activity(target, content)
        activity.id = activity_id
        with _as_send_failure():
            await client.conversations.update_activity(target.conversation_id, activity_id, activity)

    async def open_personal_chat(self, template: ConversationRef, aad_object_id: str) -> ConversationRef:
        client = await self._client(template)
        bot = template.reference.get("bot") or template.reference.get("agent") or {}
        parameters = ConversationParameters(
            is_group=False,
            bot=ChannelAccount(id=str(bot.get("id", ""))),
            members=[ChannelAccount(id=aad_object_id)],
            tenant_id=template.tenant_id,
            channel_data={"tenant": {"id": template.tenant_id}},
        )
        with _as_send_failure():
            created = await client.conversations.create_conversation(parameters)
        return ConversationRef(
            conversation_id=str(created.id),
            conversation_type="personal",
            tenant_id=template.tenant_id,
            channel_id=template.channel_id,
            service_url=template.service_url,
            person_aad_object_id=aad_object_id,
            reference={
                **template.reference,
                "conversation": {"id": created.id, "conversationType": "personal"},
            },
        )

    async def close(self) -> None:
        for _token, client in self._clients.values():
            await client.close()
        self._clients.clear()
