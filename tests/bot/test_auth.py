"""With an app registration configured, only a token the Bot Framework signed for this bot, about this
activity, from a tenant we serve, gets a turn: a local key server stands in for the Bot Framework's
OpenID metadata, and every forged, malformed, expired or misdirected token is refused with nothing
answered and nothing stored."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from klussenbank.bot import server
from klussenbank.bot.auth import (
    LEEWAY,
    REFETCH_INTERVAL,
    KeySet,
    TokenRefused,
    TokenValidator,
    connections,
)
from klussenbank.bot.server import init_app
from klussenbank.config import Settings
from klussenbank.tenants import single_tenant
from tests.bot.conftest import ANNA, TENANT, BotHarness, snapshot
from tests.fake_openid import KeyServer, rsa_key

APP_ID = "11111111-2222-3333-4444-555555555555"
STRANGER = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5eff"  # in no directory: a first contact would store them
OTHER_TENANT = "00000000-0000-0000-0000-0000000000bb"
OTHER_KEY = rsa_key()


@dataclass
class Secured:
    client: TestClient[Any, Any]
    keys: KeyServer
    harness: BotHarness

    def claims(self, **changes: Any) -> dict[str, Any]:
        return self.keys.claims(APP_ID, self.harness.service_url, **changes)

    def valid(self) -> str:
        return self.keys.token(self.claims())

    def hello(self, user: str = STRANGER, **fields: Any) -> dict[str, Any]:
        return self.harness.activity(user, type="message", text="hallo", **fields)

    async def post(self, authorization: str | None, activity: dict[str, Any] | None = None) -> int:
        headers = {"Authorization": authorization} if authorization is not None else {}
        response = await self.client.post("/api/messages", json=activity or self.hello(), headers=headers)
        await response.read()
        return response.status


@pytest.fixture
async def secured(harness: BotHarness, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Secured]:
    keys = await KeyServer().start()
    settings = Settings(
        app_id=APP_ID,
        app_secret="not-a-real-secret",
        app_tenant_id=TENANT,
        openid_metadata_url=keys.metadata_url,
    )
    # Replies get their outgoing token from the local provider: Microsoft's token service is out of reach.
    local = Settings()
    monkeypatch.setattr(server, "connections", lambda _tenants: connections(single_tenant(local)))
    app = init_app(settings, engine=harness.engine, services=harness.services)
    client: TestClient[Any, Any] = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield Secured(client, keys, harness)
    await client.close()
    await keys.close()


def _segment(data: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return f"{_segment(header)}.{_segment(claims)}."


def _swap_payload(token: str, claims: dict[str, Any]) -> str:
    header, _payload, signature = token.split(".")
    return f"{header}.{_segment(claims)}.{signature}"


def _public_pem(keys: KeyServer) -> bytes:
    return keys.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    """A token MACed with a shared secret (PyJWT refuses to make one with a public key as the secret)."""
    signing_input = f"{_segment({'alg': 'HS256', **header})}.{_segment(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def _rs256(header: dict[str, Any], claims: dict[str, Any], key: RSAPrivateKey) -> str:
    """A token with any header at all (PyJWT refuses to make some of them)."""
    signing_input = f"{_segment({'alg': 'RS256', **header})}.{_segment(claims)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _now() -> int:
    return int(time.time())


Authorization = Callable[[Secured], str | None]
ActivityOf = Callable[[Secured], dict[str, Any]]


def _bearer(make: Callable[[Secured], str]) -> Authorization:
    return lambda s: f"Bearer {make(s)}"


def _claims_token(**changes: Any) -> Authorization:
    """A token with these claims changed; a callable value is read when the token is made, so that
    times stay relative to the moment of the test, however long the run before it took."""
    return _bearer(
        lambda s: s.keys.token(s.claims(**{k: v() if callable(v) else v for k, v in changes.items()}))
    )


def _hello(**fields: Any) -> ActivityOf:
    return lambda s: s.hello(**fields)


def _foreign(user: str) -> ActivityOf:
    return lambda s: s.hello(
        user,
        conversation={"id": f"a:personal-{user}", "conversationType": "personal", "tenantId": OTHER_TENANT},
        channelData={"tenant": {"id": OTHER_TENANT}},
    )


_valid: Authorization = _bearer(Secured.valid)

# (what it is, its Authorization header, the activity it comes with, the status it must get)
REFUSED: list[tuple[str, Authorization, ActivityOf, int]] = [
    ("no Authorization header", lambda s: None, _hello(), 401),
    ("an empty bearer", lambda s: "Bearer ", _hello(), 401),
    ("another scheme", lambda s: "Basic dXNlcjpwYXNzd29yZA==", _hello(), 401),
    ("two tokens", lambda s: f"Bearer {s.valid()} {s.valid()}", _hello(), 401),
    ("three junk segments", lambda s: "Bearer abc.def.ghi", _hello(), 401),
    ("not a JWT at all", lambda s: "Bearer not-a-token", _hello(), 401),
    (
        "a header that is no JSON object",
        _bearer(lambda s: f"{_segment([1])}.{_segment({})}.x"),
        _hello(),
        401,
    ),
    (
        "alg none, with a key id",
        _bearer(lambda s: _unsigned({"alg": "none", "kid": s.keys.kid}, s.claims())),
        _hello(),
        401,
    ),
    ("alg none, no key id", _bearer(lambda s: _unsigned({"alg": "none"}, s.claims())), _hello(), 401),
    (
        "HS256 with the public key as secret",
        _bearer(lambda s: _hs256({"kid": s.keys.kid}, s.claims(), _public_pem(s.keys))),
        _hello(),
        401,
    ),
    ("HS256 without a key id", _bearer(lambda s: _hs256({}, s.claims(), b"secret")), _hello(), 401),
    ("RS256 without a key id", _bearer(lambda s: s.keys.token(s.claims(), kid=None)), _hello(), 401),
    ("RS256 with an empty key id", _bearer(lambda s: s.keys.token(s.claims(), kid="")), _hello(), 401),
    (
        "RS256 with a number as key id",
        _bearer(lambda s: _rs256({"kid": 7}, s.claims(), s.keys.key)),
        _hello(),
        401,
    ),
    ("RS512 by the trusted key", _bearer(lambda s: s.keys.token(s.claims(), alg="RS512")), _hello(), 401),
    (
        "an unknown key id and key",
        _bearer(lambda s: s.keys.token(s.claims(), key=OTHER_KEY, kid="made-up")),
        _hello(),
        401,
    ),
    (
        "the trusted key id, another key",
        _bearer(lambda s: s.keys.token(s.claims(), key=OTHER_KEY)),
        _hello(),
        401,
    ),
    (
        "a valid signature on other claims",
        _bearer(lambda s: _swap_payload(s.valid(), s.claims(aud="other-app"))),
        _hello(),
        401,
    ),
    (
        "expired beyond the leeway",
        _claims_token(exp=lambda: _now() - int(LEEWAY) - 60, nbf=lambda: _now() - 7200),
        _hello(),
        401,
    ),
    ("not valid before a later time", _claims_token(nbf=lambda: _now() + int(LEEWAY) + 60), _hello(), 401),
    ("no expiry", _claims_token(exp=None), _hello(), 401),
    ("another app's audience", _claims_token(aud="99999999-2222-3333-4444-555555555555"), _hello(), 401),
    ("a list of other audiences", _claims_token(aud=["other-app", "another-app"]), _hello(), 401),
    ("no audience", _claims_token(aud=None), _hello(), 401),
    ("another issuer, trusted key", _claims_token(iss="https://evil.example"), _hello(), 401),
    (
        "an Entra issuer, trusted key",
        _claims_token(iss=f"https://login.microsoftonline.com/{TENANT}/v2.0"),
        _hello(),
        401,
    ),
    ("no issuer", _claims_token(iss=None), _hello(), 401),
    ("serviceurl claim names another host", _claims_token(serviceurl="https://evil.example/"), _hello(), 403),
    ("no serviceurl claim", _claims_token(serviceurl=None), _hello(), 403),
    ("a stranger from another tenant", _valid, _foreign(STRANGER), 403),
    ("a known person's id from another tenant", _valid, _foreign(ANNA), 403),
    (
        "another tenant in conversation.tenantId only",
        _valid,
        _hello(
            channelData={},
            conversation={"id": "a:x", "conversationType": "personal", "tenantId": OTHER_TENANT},
        ),
        403,
    ),
    (
        "no tenant at all",
        _valid,
        _hello(channelData={}, conversation={"id": "a:x", "conversationType": "personal"}),
        403,
    ),
    ("a channel the key does not endorse", _valid, _hello(channelId="webchat"), 403),
]


async def test_forged_malformed_expired_and_misdirected_tokens_are_refused(
    secured: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    before = await snapshot(secured.harness.engine)
    requests = [(name, header(secured), activity(secured)) for name, header, activity, _ in REFUSED]
    with caplog.at_level(logging.DEBUG):
        got = {name: await secured.post(header, activity) for name, header, activity in requests}
    assert got == {name: status for name, _, _, status in REFUSED}
    assert secured.harness.connector.sent == [], "nothing was answered"
    assert await snapshot(secured.harness.engine) == before, "nothing was stored"
    assert len(REFUSED) >= 25
    assert "refused" in caplog.text
    # No token, nor the signature of one, is logged.
    tokens = {part for _, header, _ in requests for part in (header or "").split() if len(part) > 20}
    secrets = {secret for token in tokens for secret in (token, token.rsplit(".", 1)[-1]) if len(secret) > 20}
    assert not [secret for secret in secrets if secret in caplog.text]


async def test_a_token_signed_by_the_bot_framework_key_gets_a_turn(secured: Secured) -> None:
    assert await secured.post(f"Bearer {secured.valid()}", secured.hello(ANNA)) in (200, 202)
    assert secured.harness.connector.cards(), "the bot answered"


async def test_an_expired_token_within_the_leeway_is_accepted(secured: Secured) -> None:
    """Clocks differ: the Bot Framework's tokens are accepted up to LEEWAY seconds after they expire."""
    token = secured.keys.token(secured.claims(exp=_now() - int(LEEWAY) + 60))
    assert await secured.post(f"Bearer {token}", secured.hello(ANNA)) in (200, 202)


async def test_a_flood_of_unknown_key_ids_costs_one_key_download_and_stalls_nobody(secured: Secured) -> None:
    flood = [secured.keys.token(secured.claims(), key=OTHER_KEY, kid=f"unknown-{n}") for n in range(200)]

    async def timed(token: str) -> tuple[int, float]:
        started = time.perf_counter()
        status = await secured.post(f"Bearer {token}")
        return status, time.perf_counter() - started

    started = time.perf_counter()
    flooding = [asyncio.create_task(timed(token)) for token in flood[:100]]
    valid = asyncio.create_task(timed(secured.valid()))
    flooding += [asyncio.create_task(timed(token)) for token in flood[100:]]
    refused = await asyncio.gather(*flooding)
    valid_status, valid_seconds = await valid
    total = time.perf_counter() - started
    later_status, later_seconds = await timed(secured.valid())
    print(
        f"\nflood of {len(flood)} unknown key ids: all refused in {total * 1000:.0f} ms "
        f"(slowest {max(s for _, s in refused) * 1000:.0f} ms); a valid token in the flood: "
        f"{valid_seconds * 1000:.0f} ms, after it: {later_seconds * 1000:.1f} ms; key server hits {secured.keys.hits}"
    )
    assert {status for status, _ in refused} == {401}
    assert valid_status in (200, 202) and later_status in (200, 202)
    assert secured.keys.hits == {"openid": 1, "keys": 1}


@pytest.fixture
async def keys() -> AsyncIterator[KeyServer]:
    keys = await KeyServer().start()
    yield keys
    await keys.close()


@dataclass
class StepClock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_during_a_flood_a_token_with_a_known_key_is_checked_at_once(keys: KeyServer) -> None:
    validator = TokenValidator([APP_ID], KeySet(keys.metadata_url))
    claims = keys.claims(APP_ID, "https://smba.trafficmanager.net/emea/")
    flood = [keys.token(claims, key=OTHER_KEY, kid=f"unknown-{n}") for n in range(200)]
    valid = keys.token(claims)

    async def check(token: str) -> float | None:
        started = time.perf_counter()
        try:
            await validator.validate(f"Bearer {token}")
        except TokenRefused:
            return None
        return time.perf_counter() - started

    results = await asyncio.gather(*map(check, flood[:100]), check(valid), *map(check, flood[100:]))
    during = results[100]
    after = await check(valid)
    print(
        f"\nvalidator: a valid token amid 200 unknown key ids: {(during or 0) * 1000:.1f} ms "
        f"(including the one key download), after: {(after or 0) * 1000:.2f} ms; key server hits {keys.hits}"
    )
    assert during is not None and after is not None
    assert results[:100] + results[101:] == [None] * 200
    assert keys.hits == {"openid": 1, "keys": 1}


async def test_unknown_key_ids_refetch_the_keys_at_most_once_per_interval(keys: KeyServer) -> None:
    clock = StepClock()
    validator = TokenValidator([APP_ID], KeySet(keys.metadata_url, clock=clock))
    claims = keys.claims(APP_ID, "https://smba.trafficmanager.net/emea/")
    rotated = rsa_key()
    with pytest.raises(TokenRefused):
        await validator.validate(f"Bearer {keys.token(claims, key=rotated, kid='next-key')}")
    assert keys.hits == {"openid": 1, "keys": 1}

    # The Bot Framework rotates its keys: the new key id is refused until the interval has passed.
    keys.key, keys.kid = rotated, "next-key"
    clock.now += REFETCH_INTERVAL - 1
    with pytest.raises(TokenRefused):
        await validator.validate(f"Bearer {keys.token(claims)}")
    assert keys.hits == {"openid": 1, "keys": 1}
    clock.now += 2
    assert (await validator.validate(f"Bearer {keys.token(claims)}")).claims["aud"] == APP_ID
    assert keys.hits == {"openid": 2, "keys": 2}


async def test_an_unreachable_key_server_means_a_refusal_not_an_error(keys: KeyServer) -> None:
    clock = StepClock()
    metadata_url = keys.metadata_url
    await keys.close()
    validator = TokenValidator([APP_ID], KeySet(metadata_url, clock=clock))
    token = keys.token(keys.claims(APP_ID, "https://smba.trafficmanager.net/emea/"))
    with pytest.raises(TokenRefused):
        await validator.validate(f"Bearer {token}")
    with pytest.raises(TokenRefused):
        await validator.validate(f"Bearer {token}")
