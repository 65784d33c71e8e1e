from __future__ import annotations

from random import Random

import pytest

from klussenbank.domain.delivery import (
    DeliveryStatus,
    FailureKind,
    Limit,
    RetryPolicy,
    classify,
    limits_for,
    reserve,
)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (None, FailureKind.TRANSIENT),
        (429, FailureKind.THROTTLED),
        (412, FailureKind.TRANSIENT),
        (500, FailureKind.TRANSIENT),
        (502, FailureKind.TRANSIENT),
        (503, FailureKind.TRANSIENT),
        (403, FailureKind.UNREACHABLE),
        (404, FailureKind.UNREACHABLE),
        (400, FailureKind.PERMANENT),
        (401, FailureKind.PERMANENT),
        (413, FailureKind.PERMANENT),
    ],
)
def test_classify(status: int | None, kind: FailureKind) -> None:
    assert classify(status, "x").kind is kind


def test_throttling_waits_as_told_and_does_not_use_up_tries() -> None:
    decision = RetryPolicy().after(classify(429, "slow down", retry_after=3.0), attempts=8, rng=Random(1))
    assert decision.status is DeliveryStatus.PENDING
    assert decision.delay == 3.0
    assert decision.counts_as_attempt is False


def test_transient_failures_back_off_with_jitter_then_dead_letter() -> None:
    policy = RetryPolicy(max_attempts=5, base_delay=2.0, growth=2.0, max_delay=60.0)
    rng = Random(7)
    delays = [policy.after(classify(503, "x"), attempts=n, rng=rng).delay for n in range(1, 5)]
    for n, delay in enumerate(delays, start=1):
        step = min(60.0, 2.0 * 2 ** (n - 1))
        assert step / 2 <= delay <= step
    assert policy.after(classify(503, "x"), attempts=5, rng=rng).status is DeliveryStatus.DEAD


def test_the_default_retries_quickly_first_and_outlasts_a_short_outage() -> None:
    policy = RetryPolicy()
    steps = [policy.step(n) for n in range(1, policy.max_attempts)]
    assert steps[0] == 0.25
    assert steps[:6] == [0.25, 1.0, 4.0, 16.0, 64.0, 256.0] and steps[-1] == 600.0
    # With equal jitter the whole wait before dead-letter is between half the steps and all of them.
    assert 12 * 60 < sum(steps) / 2 < sum(steps) < 26 * 60


def test_jitter_spreads_retries() -> None:
    policy = RetryPolicy()
    delays = {policy.after(classify(None), attempts=3, rng=Random(seed)).delay for seed in range(20)}
    assert len(delays) == 20


def test_unreachable_and_permanent_are_final() -> None:
    policy = RetryPolicy()
    assert policy.after(classify(403, "blocked"), 1, Random(0)).status is DeliveryStatus.UNREACHABLE
    assert policy.after(classify(404, "gone"), 1, Random(0)).status is DeliveryStatus.UNREACHABLE
    assert policy.after(classify(400, "bad"), 1, Random(0)).status is DeliveryStatus.DEAD


def test_bookings_are_spaced_by_every_limit() -> None:
    fast, slow = Limit("fast", count=10, seconds=1.0), Limit("slow", count=2, seconds=1.0)
    at, after = reserve([fast, slow], [0.0, 0.0], now=5.0)
    assert at == 5.0, "a limit never used lets the first message through at once"
    assert after == [pytest.approx(5.1), pytest.approx(5.5)]
    at, after = reserve([fast, slow], after, now=5.0)
    assert at == pytest.approx(5.5), "the slowest limit decides"
    assert after == [pytest.approx(5.6), pytest.approx(6.0)]


def test_a_booking_is_never_in_the_past() -> None:
    limit = Limit("k", count=10, seconds=1.0)
    at, _ = reserve([limit], [1.0], now=9.0)
    assert at == 9.0


def _simulate(limit: Limit, seconds: float, lateness: float, seed: int = 1) -> list[float]:
    """Book back to back for `seconds`; each send leaves up to `lateness` after its booked moment."""
    rng = Random(seed)
    next_free, sent = 0.0, []
    at = 0.0
    while at < seconds:
        at, (next_free,) = reserve([limit], [next_free], at)
        sent.append(at + rng.uniform(0, lateness))
    return sorted(sent)


def _most_in_any_window(times: list[float], window: float) -> int:
    """The most sends in a half-open window (t - window, t], as Teams and the fake connector count."""
    most, start = 0, 0
    for end, t in enumerate(times):
        while times[start] <= t - window:
            start += 1
        most = max(most, end - start + 1)
    return most


@pytest.mark.parametrize("limit", list(limits_for("app", "t", "c")))
def test_no_sliding_window_ever_holds_more_than_teams_allows(limit: Limit) -> None:
    allowed = {"tenant": 50, "1": 7, "30": 60}
    key = "tenant" if limit.key.startswith("tenant") else limit.key.rsplit(":", 1)[1]
    # Sends may be late by up to 4 ms after their booking (a busy event loop), never early.
    sent = _simulate(limit, seconds=3 * limit.seconds + 1, lateness=0.004)
    assert _most_in_any_window(sent, limit.seconds) <= allowed[key]


def test_the_tenant_limit_runs_within_three_percent_of_teams_limit() -> None:
    (tenant, *_) = limits_for("app", "t", "c")
    sent = _simulate(tenant, seconds=20.0, lateness=0.004)
    assert len(sent) / 20.0 >= 0.97 * 50


def test_creating_a_conversation_counts_against_the_tenant_only() -> None:
    (tenant,) = limits_for("app", "t")
    assert tenant.key == "tenant:app:t"
    assert [limit.key for limit in limits_for("app", "t", "c")] == [
        "tenant:app:t",
        "conversation:c:1",
        "conversation:c:30",
    ]


def test_the_default_policy_retries_soon_and_keeps_trying_for_minutes() -> None:
    policy, rng = RetryPolicy(), Random(1)
    waits = [
        policy.after(classify(503, "x"), attempts=n, rng=rng).delay for n in range(1, policy.max_attempts)
    ]
    assert waits[0] <= 1.0, "a lone 5xx is retried within a second"
    assert sum(waits) >= 120, "an outage of a couple of minutes does not dead-letter a message"
    assert (
        policy.after(classify(503, "x"), attempts=policy.max_attempts, rng=rng).status is DeliveryStatus.DEAD
    )
