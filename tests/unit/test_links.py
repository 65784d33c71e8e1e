"""Signed download links: valid until they expire, for exactly the path they were made for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from klussenbank.services.links import LinkSigner

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_a_link_works_for_its_path_until_it_expires() -> None:
    signer = LinkSigner(b"s" * 32, "https://bot.example/")
    link = urlsplit(signer.url("/api/x.csv", NOW))
    query = {k: v[0] for k, v in parse_qs(link.query).items()}

    assert (link.scheme, link.netloc, link.path) == ("https", "bot.example", "/api/x.csv")
    assert signer.valid("/api/x.csv", query["expires"], query["sig"], NOW + timedelta(minutes=59))
    assert not signer.valid("/api/x.csv", query["expires"], query["sig"], NOW + timedelta(minutes=61))
    assert not signer.valid("/api/y.csv", query["expires"], query["sig"], NOW)
    assert not signer.valid("/api/x.csv", str(int(query["expires"]) + 3600), query["sig"], NOW)
    assert not signer.valid("/api/x.csv", "soon", query["sig"], NOW)
    assert not LinkSigner(b"t" * 32, "https://bot.example").valid(
        "/api/x.csv", query["expires"], query["sig"], NOW
    )


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        LinkSigner(b"short", "https://bot.example")


@pytest.mark.parametrize(
    "expires",
    [
        "9" * 5000,  # int() of this many digits raises in Python 3.11
        "١٧٩٩٩٩٩٩٩٩",  # Arabic-Indic digits: isdigit() alone accepts them
        "１７９９９９９９９９",  # fullwidth digits
        "+1799999999",
        "1799999999.5",
        "",
    ],
)
def test_a_link_whose_expiry_is_not_a_plain_timestamp_is_refused_without_an_error(expires: str) -> None:
    signer = LinkSigner(b"s" * 32, "https://bot.example/")
    assert signer.valid("/api/x.csv", expires, "0" * 64, NOW) is False
