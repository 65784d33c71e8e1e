from __future__ import annotations

from random import Random

import pytest

from klussenbank.domain.delivery import (
    Bucket,
    DeliveryStatus,
    FailureKind,
    Limit,
    RetryPolicy,
    classify,
    limits_for,
    take,
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
    policy = RetryPolicy(max_attempts=5, base_delay=2.0, max_delay=60.0)
    rng = Random(7)
    delays = [policy.after(classify(503, "x"), attempts=n, rng=rng).delay for n in range(1, 5)]
    for n, delay in enumerate(delays, start=1):
        step = min(60.0, 2.0 * 2 ** (n - 1))
        assert step / 2 <= delay <= step
    assert policy.after(classify(503, "x"), attempts=5, rng=rng).status is DeliveryStatus.DEAD


def test_jitter_spreads_retries() -> None:
    policy = RetryPolicy()
    delays = {policy.after(classify(None), attempts=3, rng=Random(seed)).delay for seed in range(20)}
    assert len(delays) == 20


def test_unreachable_and_permanent_are_final() -> None:
    policy = RetryPolicy()
    assert policy.after(classify(403, "blocked"), 1, Random(0)).status is DeliveryStatus.UNREACHABLE
    assert policy.after(classify(404, "gone"), 1, Random(0)).status is DeliveryStatus.UNREACHABLE
    assert policy.after(classify(400, "bad"), 1, Random(0)).status is DeliveryStatus.DEAD


def test_bucket_lets_a_burst_through_then_paces() -> None:
    limit = Limit("k", count=10, seconds=1.0, burst=2.0)
    state = [(limit, Bucket(limit.burst, 0.0))]
    granted = 0
    wait, buckets = take(state, 0.0)
    while wait == 0:
        granted += 1
        state = [(limit, buckets[0])]
        wait, buckets = take(state, 0.0)
    assert granted == 2
    assert wait == pytest.approx(0.1)


def _simulate(limit: Limit, seconds: float, step: float) -> list[float]:
    """Send whenever allowed, polling every `step` seconds; the send times."""
    bucket, now, sent = Bucket(limit.burst, 0.0), 0.0, []
    while now < seconds:
        wait, (after,) = take([(limit, bucket)], now)
        if wait == 0:
            sent.append(now)
            bucket = after
        else:
            bucket = after
            now += max(step, wait)
    return sent


@pytest.mark.parametrize("limit", list(limits_for("t", "c")))
def test_no_sliding_window_ever_holds_more_than_teams_allows(limit: Limit) -> None:
    allowed = {"tenant": 50, "1": 7, "30": 60}
    key = "tenant" if limit.key.startswith("tenant") else limit.key.rsplit(":", 1)[1]
    sent = _simulate(limit, seconds=3 * limit.seconds + 1, step=0.0005)
    window = limit.seconds
    most = max(sum(1 for t in sent if start <= t < start + window) for start in sent)
    assert most <= allowed[key]


def test_the_tenant_bucket_runs_within_three_percent_of_the_limit() -> None:
    (tenant, *_) = limits_for("t", "c")
    sent = _simulate(tenant, seconds=20.0, step=0.001)
    assert len(sent) / 20.0 >= 0.97 * 50


def test_take_is_all_or_nothing() -> None:
    free = Limit("a", 10, 1.0, 1.0)
    empty = Limit("b", 1, 1.0, 1.0)
    wait, buckets = take([(free, Bucket(1.0, 0.0)), (empty, Bucket(0.0, 0.0))], 0.0)
    assert wait == pytest.approx(1.0)
    assert buckets[0].tokens == 1.0, "the free bucket keeps its token"
