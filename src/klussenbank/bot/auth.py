"""Connections to the Bot Connector: a real app registration, or local mode on loopback."""

from __future__ import annotations

from microsoft_agents.hosting.core import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider, Connections
from microsoft_agents.hosting.core.authorization.connection_manager import ConnectionManager

from klussenbank.config import Settings

SERVICE_CONNECTION = "SERVICE_CONNECTION"


class LocalTokenProvider(AnonymousTokenProvider):
    """Local clients accept any bearer, but the SDK refuses to send with an empty one."""

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return "local-development"


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    if not settings.has_credentials:
        return AgentAuthConfiguration(anonymous_allowed=True)
    return AgentAuthConfiguration(
        auth_type=settings.auth_type,  # type: ignore[arg-type]
        client_id=settings.app_id,
        tenant_id=settings.app_tenant_id,
        client_secret=settings.app_secret or None,
        connection_name=SERVICE_CONNECTION,
    )


def connections(settings: Settings, configuration: AgentAuthConfiguration) -> Connections:
    if not settings.has_credentials:
        return ConnectionManager(
            provider_factory=lambda _config: LocalTokenProvider(),
            connections_configurations={SERVICE_CONNECTION: configuration},
        )
    from microsoft_agents.authentication.msal import MsalConnectionManager

    return MsalConnectionManager(connections_configurations={SERVICE_CONNECTION: configuration})
