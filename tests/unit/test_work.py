from __future__ import annotations

from datetime import date

import pytest

from klussenbank.domain.work import HoursMonth


@pytest.mark.parametrize(("reported", "far"), [(None, False), (28.5, False), (42.5, False), (43.0, True)])
def test_reported_hours_more_than_half_again_the_plan_are_far_above_it(
    reported: float | None, far: bool
) -> None:
    assert HoursMonth(1, date(2026, 12, 1), 28.5, reported).far_above_plan is far
