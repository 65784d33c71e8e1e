"""A local stand-in for Microsoft Entra's token service, the authority a tenant's credentials sign in at
(the tenants file's `authority`): app tokens for the client credentials it knows, a refusal as Entra
words it for the others. It serves https with a certificate of its own (`ca_file`), because MSAL and
azure-identity speak to an authority over https only.

Its authority is `https://127.0.0.1:PORT/adfs`: MSAL checks an authority on a host it does not know
with login.microsoftonline.com (out of reach in tests) unless its path says it is an AD FS, which
MSAL asks directly for its OpenID configuration. azure-identity asks `{authority}/{tenant}/oauth2/v2.0/token`.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from tests.fake_openid import rsa_key


def token_of(client_id: str) -> str:
    """The access token the service gives a client: it names the client, so whoever receives it (a
    fake Graph, a fake connector) can tell whose credential was used."""
    return f"token-of-{client_id}"


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files: (certificate, key)."""
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "entra.pem", folder / "entra-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


@dataclass
class TokenService:
    """Knows `clients` (client id: the secret it accepts); counts the tokens issued per client."""

    clients: dict[str, str]
    issued: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    ca_file: Path | None = None
    server: TestServer | None = None

    @property
    def authority(self) -> str:
        assert self.server is not None
        return f"https://127.0.0.1:{self.server.port}/adfs"

    async def start(self, folder: Path) -> TokenService:
        self.ca_file, key_file = self_signed(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.ca_file, key_file)
        app = web.Application()
        app.router.add_get("/adfs/{tenant}/.well-known/openid-configuration", self._configuration)
        app.router.add_post("/adfs/{tenant}/oauth2/v2.0/token", self._token)
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server(ssl=context)
        return self

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    async def _configuration(self, request: web.Request) -> web.Response:
        base = f"{self.authority}/{request.match_info['tenant']}"
        return web.json_response(
            {
                "issuer": base,
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        if form.get("grant_type") != "client_credentials" or self.clients.get(client_id) != secret:
            self.refused[client_id] = self.refused.get(client_id, 0) + 1
            return web.json_response(
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided. Ensure the "
                    "secret being sent in the request is the client secret value, not the client "
                    f"secret ID, for a secret added to app '{client_id}'.",
                    "error_codes": [7000215],
                },
                status=401,
            )
        self.issued[client_id] = self.issued.get(client_id, 0) + 1
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token_of(client_id),
            }
        )
