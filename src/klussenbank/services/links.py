"""Short-lived, signed download links the bot serves (a report's CSV): whoever has the link may
download until it expires, and nobody can make one for something else."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

DEFAULT_LIFETIME = timedelta(hours=1)


class LinkSigner:
    def __init__(self, secret: bytes, base_url: str, *, lifetime: timedelta = DEFAULT_LIFETIME) -> None:
        if len(secret) < 16:
            raise ValueError("the link secret must be at least 16 bytes")
        self._secret = secret
        self._base_url = base_url.rstrip("/")
        self._lifetime = lifetime

    def lasting(self, lifetime: timedelta) -> LinkSigner:
        """A signer with the same secret for links that must last (a calendar feed Outlook subscribes to)."""
        return LinkSigner(self._secret, self._base_url, lifetime=lifetime)

    def url(self, path: str, now: datetime) -> str:
        """An absolute link to `path` (starting with /) that works until `now` + the lifetime."""
        expires = int((now + self._lifetime).timestamp())
        return f"{self._base_url}{path}?expires={expires}&sig={self._sign(path, expires)}"

    def valid(self, path: str, expires: str, signature: str, now: datetime) -> bool:
        # ASCII digits only, and no more than a timestamp needs: `isdigit` also accepts other scripts'
        # digits, and int() of thousands of digits is refused by Python (an error, not an answer).
        if not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
            return False
        if int(expires) < now.timestamp():
            return False
        return hmac.compare_digest(self._sign(path, int(expires)), signature)

    def seal(self, text: str, until: datetime) -> str:
        """A seal on `text` (never a path: it must not start with /) that holds until `until`: a card
        carries it so that the server can trust what the card says, such as a proposal it made."""
        expires = int(until.timestamp())
        return f"{expires}.{self._sign(text, expires)}"

    def sealed(self, text: str, seal: str, now: datetime) -> bool:
        expires, _, signature = seal.partition(".")
        return not text.startswith("/") and self.valid(text, expires, signature, now)

    def _sign(self, path: str, expires: int) -> str:
        return hmac.new(self._secret, f"{path}\n{expires}".encode(), hashlib.sha256).hexdigest()
