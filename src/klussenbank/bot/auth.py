"""Who may talk to the bot (the Bot Framework's inbound tokens) and how it talks back (connections)."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import jwt
from microsoft_agents.hosting.core import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization import AnonymousTokenProvider, Connections
from microsoft_agents.hosting.core.authorization.connection_manager import ConnectionManager

from klussenbank.tenants import Tenant, Tenants

log = logging.getLogger(__name__)

SERVICE_CONNECTION = "SERVICE_CONNECTION"
BOT_FRAMEWORK = "https://api.botframework.com"  # the resource of the bot's outgoing tokens
SCOPES = [f"{BOT_FRAMEWORK}/.default"]

ALGORITHM = "RS256"  # the only one the Bot Framework signs with; never "none" or a shared secret
LEEWAY = 300.0  # seconds of clock skew allowed on exp/nbf, as the Agents SDK allows
REFETCH_INTERVAL = 300.0  # an unknown key id refetches the keys at most this often
RETRY_AFTER_FAILURE = 10.0  # after a failed fetch (the key server unreachable), wait this long
KEYS_MAX_AGE = 24 * 3600.0  # the Bot Framework rotates keys; older ones are refetched
FETCH_TIMEOUT = aiohttp.ClientTimeout(total=10)


class TokenRefused(Exception):
    """The request's bearer token does not prove it comes from the Bot Framework for this bot."""


@dataclass(frozen=True)
class SigningKey:
    key: jwt.PyJWK
    endorsements: frozenset[str] | None  # the channels the key may sign for; None: not restricted


@dataclass(frozen=True)
class Verified:
    """A token whose signature, issuer, audience and lifetime were checked."""

    claims: dict[str, Any]
    token: str
    key: SigningKey

    @property
    def service_url(self) -> str | None:
        value = self.claims.get("serviceurl")
        return value if isinstance(value, str) else None

    def endorses(self, channel_id: str) -> bool:
        endorsements = self.key.endorsements
        return endorsements is None or channel_id in endorsements


@dataclass
class KeySet:
    """The issuer and signing keys from the OpenID metadata, fetched once and refetched sparingly, so a
    flood of tokens with made-up key ids costs one download, and known keys never wait for one."""

    metadata_url: str
    clock: Callable[[], float] = time.monotonic
    issuer: str = ""
    _keys: dict[str, SigningKey] = field(default_factory=dict)
    _fetched_at: float | None = None
    _next_fetch: float = 0.0
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def key(self, kid: str) -> SigningKey | None:
        found = self._keys.get(kid)
        if found is not None and not self._stale():
            return found
        if not self._lock.locked() and not self._may_fetch():
            return found
        async with self._lock:
            # Whoever waited here while another fetched finds the new keys, or is refused at once.
            if (kid not in self._keys or self._stale()) and self._may_fetch():
                await self._fetch()
            return self._keys.get(kid)

    def _stale(self) -> bool:
        return self._fetched_at is None or self.clock() - self._fetched_at > KEYS_MAX_AGE

    def _may_fetch(self) -> bool:
        return self.clock() >= self._next_fetch

    async def _fetch(self) -> None:
        self._next_fetch = self.clock() + RETRY_AFTER_FAILURE
        try:
            async with aiohttp.ClientSession(timeout=FETCH_TIMEOUT) as session:
                metadata = await _json(session, self.metadata_url)
                issuer, jwks_uri = metadata.get("issuer"), metadata.get("jwks_uri")
                if not isinstance(issuer, str) or not isinstance(jwks_uri, str):
                    raise ValueError("the OpenID metadata names no issuer or jwks_uri")
                keys = _signing_keys(await _json(session, jwks_uri))
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("token keys could not be fetched from %s: %s", self.metadata_url, error)
            return
        self.issuer, self._keys = issuer, keys
        self._fetched_at = self.clock()
        self._next_fetch = self._fetched_at + REFETCH_INTERVAL
        log.info("token keys fetched: %d keys from %s", len(keys), jwks_uri)


async def _json(session: aiohttp.ClientSession, url: str) -> Mapping[str, Any]:
    async with session.get(url, raise_for_status=True) as response:
        document = await response.json(content_type=None)
    if not isinstance(document, Mapping):
        raise ValueError(f"{url} is not a JSON object")
    return document


def _signing_keys(jwks: Mapping[str, Any]) -> dict[str, SigningKey]:
    keys: dict[str, SigningKey] = {}
    for entry in jwks.get("keys") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str) or entry.get("kty") != "RSA":
            continue
        try:
            key = jwt.PyJWK(entry, ALGORITHM)
        except jwt.PyJWTError:
            continue
        endorsements = entry.get("endorsements")
        keys[entry["kid"]] = SigningKey(
            key, frozenset(map(str, endorsements)) if isinstance(endorsements, list) else None
        )
    return keys


class TokenValidator:
    """Checks a bearer token as the Bot Framework's authentication spec says: RS256, signed by a key
    from the OpenID metadata, issued by its issuer, for one of our apps (one per tenant), and not
    expired (with leeway). Which app it was sent to is its audience (`aud`)."""

    def __init__(self, app_ids: Collection[str], keys: KeySet) -> None:
        self._app_ids = list(app_ids)
        self._keys = keys

    async def validate(self, authorization: str | None) -> Verified:
        token = _bearer(authorization)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise TokenRefused("not a JWT") from error
        kid = header.get("kid")
        if header.get("alg") != ALGORITHM or not isinstance(kid, str) or not kid:
            raise TokenRefused("not an RS256 token with a key id")
        key = await self._keys.key(kid)
        if key is None:
            raise TokenRefused("unknown signing key")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[ALGORITHM],
                audience=self._app_ids,
                issuer=self._keys.issuer,
                leeway=LEEWAY,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise TokenRefused(type(error).__name__) from error
        return Verified(claims, token, key)


def _bearer(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or any(char.isspace() for char in token):
        raise TokenRefused("no bearer token")
    return token


def token_validator(tenants: Tenants, openid_metadata_url: str) -> TokenValidator | None:
    """None in local mode (no app registration): then anyone on this machine may talk to the bot."""
    if not tenants.authenticated:
        return None
    return TokenValidator([entry.app_id for entry in tenants.entries], KeySet(openid_metadata_url))


class LocalTokenProvider(AnonymousTokenProvider):
    """Local clients accept any bearer, but the SDK refuses to send with an empty one."""

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return "local-development"


def _local_provider(_configuration: AgentAuthConfiguration) -> LocalTokenProvider:
    return LocalTokenProvider()


CHECK_TIMEOUT = 20.0


# How MSAL's answer shows in the SDK's error when the token service refused (Entra's own words).
REFUSAL = re.compile(r"""'error_description': ['"](?P<said>.*?)['"](?:, '|})""")


async def can_sign_in(manager: Connections, tenant: Tenant) -> str:
    """ "yes", or why this tenant's bot cannot get its token for the Bot Framework (for `tenants status`)."""
    if tenant.credential.kind is None:
        return "local mode (no credential)"
    bot = ClaimsIdentity({"aud": tenant.app_id})
    try:
        provider = manager.get_token_provider(bot, BOT_FRAMEWORK)
        await asyncio.wait_for(provider.get_access_token(BOT_FRAMEWORK, SCOPES), CHECK_TIMEOUT)
    except Exception as error:  # whatever MSAL raises, the admin reads what it was
        return f"no: {_why_no_token(error)}"
    return "yes"


def _why_no_token(error: Exception) -> str:
    said = " ".join(str(error).split())
    refused = REFUSAL.search(said)
    if refused:
        return (
            f"the sign-in service refused the bot's credential ({refused['said'][:300]}). Check the "
            "tenant's app_id and credential in the tenants file, and that its secret or certificate is current."
        )
    if isinstance(error, TimeoutError):
        return f"the sign-in service did not answer within {CHECK_TIMEOUT:.0f} s"
    return f"{type(error).__name__}: {said[:300]}"


# The SDK's names for our credential kinds, where they differ.
AUTH_TYPES = {"Certificate": "certificate"}


def auth_configuration(tenant: Tenant, name: str) -> AgentAuthConfiguration:
    credential = tenant.credential
    if credential.kind is None:
        return AgentAuthConfiguration(anonymous_allowed=True, client_id=tenant.app_id or None)
    return AgentAuthConfiguration(
        auth_type=AUTH_TYPES.get(credential.kind, credential.kind),  # type: ignore[arg-type]
        client_id=tenant.app_id,
        tenant_id=tenant.tenant_id,
        client_secret=credential.secret or None,
        cert_pfx_file=credential.certificate or None,
        connection_name=name,
        # None: the SDK's own, Microsoft's global cloud.
        authority=f"{tenant.authority}/{tenant.tenant_id}" if tenant.authority else None,
    )


ProviderFactory = Callable[[AgentAuthConfiguration], Any]


def connections(tenants: Tenants, provider_factory: ProviderFactory | None = None) -> Connections:
    """One SDK connection per tenant's bot; the SDK's connections map picks the one a request was
    sent to by the token's audience (the app id), for replies as for proactive messages. The first
    tenant's is also the SERVICE_CONNECTION the SDK asks for."""
    names = [SERVICE_CONNECTION, *(entry.key for entry in tenants.entries[1:])]
    configurations = {
        name: auth_configuration(entry, name) for name, entry in zip(names, tenants.entries, strict=True)
    }
    audience_map = (
        [
            {"AUDIENCE": entry.app_id, "CONNECTION": name}
            for name, entry in zip(names, tenants.entries, strict=True)
        ]
        if tenants.several
        else None
    )
    if provider_factory is None and not tenants.authenticated:
        provider_factory = _local_provider
    if provider_factory is None:
        from microsoft_agents.authentication.msal import MsalAuth

        provider_factory = MsalAuth
    return ConnectionManager(
        provider_factory=provider_factory,
        connections_configurations=configurations,
        connections_map=audience_map,
    )
