"""A local stand-in for the Bot Framework's OpenID metadata and signing keys, and tokens signed with them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

ISSUER = "https://api.botframework.com"
KID = "trusted-key"


def rsa_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class KeyServer:
    """Serves `/openid` (issuer and jwks_uri) and `/keys`, counting the requests for each."""

    key: RSAPrivateKey = field(default_factory=rsa_key)
    kid: str = KID
    endorsements: tuple[str, ...] = ("msteams",)
    hits: dict[str, int] = field(default_factory=lambda: {"openid": 0, "keys": 0})
    server: TestServer | None = None

    @property
    def metadata_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/openid"))

    def jwk(self) -> dict[str, Any]:
        data: dict[str, Any] = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {**data, "kid": self.kid, "use": "sig", "endorsements": list(self.endorsements)}

    async def start(self) -> KeyServer:
        async def openid(request: web.Request) -> web.Response:
            self.hits["openid"] += 1
            return web.json_response({"issuer": ISSUER, "jwks_uri": str(request.url.with_path("/keys"))})

        async def keys(_request: web.Request) -> web.Response:
            self.hits["keys"] += 1
            return web.json_response({"keys": [self.jwk()]})

        app = web.Application()
        app.router.add_get("/openid", openid)
        app.router.add_get("/keys", keys)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def claims(self, app_id: str, service_url: str, **changes: Any) -> dict[str, Any]:
        """What the Bot Framework puts in a token for this bot; a change of None drops the claim."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": app_id,
            "exp": now + 3600,
            "nbf": now - 60,
            "serviceurl": service_url,
            **changes,
        }
        return {name: value for name, value in claims.items() if value is not None}

    def token(self, claims: dict[str, Any], *, key: RSAPrivateKey | None = None, **headers: Any) -> str:
        """A token signed by this server's key (or `key`), with its key id unless `headers` say otherwise."""
        header = {"kid": self.kid, **headers}
        return jwt.encode(
            claims,
            key or self.key,
            algorithm=header.pop("alg", "RS256"),
            headers={name: value for name, value in header.items() if value is not None},
        )
