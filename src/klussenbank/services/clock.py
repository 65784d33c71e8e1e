from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class SystemClock:
    """Dates are Dutch calendar dates: a pause 'until Friday' means Friday in Amsterdam."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(AMSTERDAM).date()
