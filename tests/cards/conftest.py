"""Card tests: a fixed one-time key, so the golden files stay the same from run to run."""

from __future__ import annotations

import pytest

from klussenbank.cards import elements


@pytest.fixture(autouse=True)
def fixed_once_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(elements, "new_once_key", lambda: "golden-once-key-0001")
