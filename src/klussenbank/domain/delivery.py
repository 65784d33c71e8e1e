"""Delivery rules: what a failed send means, when to try again, and Teams' rate limits."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from random import Random


class DeliveryStatus(StrEnum):
    """pending -> claimed -> sending -> sent, or back to pending to retry, or to a final state.

    `claimed` means a worker holds it but has not started; `sending` is written just before the
    request goes out. A worker that dies leaves its lease: a `claimed` delivery is then simply
    due again, but a `sending` one may or may not have reached Teams, which does not deduplicate.
    Sending it again could greet someone twice, so it becomes `unconfirmed` for an operator to
    look at (and `klussenbank outbox retry --unconfirmed` to resend).
    """

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    UNREACHABLE = "unreachable"
    DEAD = "dead"
    UNCONFIRMED = "unconfirmed"


class FailureKind(StrEnum):
    THROTTLED = "throttled"  # 429: wait as long as Teams says
    TRANSIENT = "transient"  # 412, 5xx, timeouts, connection errors: try again later
    UNREACHABLE = "unreachable"  # 403 (blocked, app removed), 404: the person cannot be reached
    PERMANENT = "permanent"  # any other 4xx: our request is wrong; retrying will not help


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    detail: str
    retry_after: float | None = None


def classify(status: int | None, detail: str = "", retry_after: float | None = None) -> Failure:
    """`status` None means no answer at all (timeout, connection refused or reset)."""
    if status is None:
        kind = FailureKind.TRANSIENT
    elif status == 429:
        kind = FailureKind.THROTTLED
    elif status == 412 or status >= 500:
        kind = FailureKind.TRANSIENT
    elif status in (403, 404):
        kind = FailureKind.UNREACHABLE
    else:
        kind = FailureKind.PERMANENT
    return Failure(kind, f"{status or 'no answer'}: {detail}"[:500], retry_after)


@dataclass(frozen=True)
class Decision:
    status: DeliveryStatus
    delay: float = 0.0
    counts_as_attempt: bool = True


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 2.0
    max_delay: float = 600.0

    def after(self, failure: Failure, attempts: int, rng: Random) -> Decision:
        """What to do after the `attempts`-th try failed."""
        if failure.kind is FailureKind.UNREACHABLE:
            return Decision(DeliveryStatus.UNREACHABLE)
        if failure.kind is FailureKind.PERMANENT:
            return Decision(DeliveryStatus.DEAD)
        if failure.kind is FailureKind.THROTTLED:
            # Throttling says nothing about the message: it does not use up its tries.
            delay = failure.retry_after if failure.retry_after is not None else self._backoff(1, rng)
            return Decision(DeliveryStatus.PENDING, delay, counts_as_attempt=False)
        if attempts >= self.max_attempts:
            return Decision(DeliveryStatus.DEAD)
        return Decision(DeliveryStatus.PENDING, self._backoff(attempts, rng))

    def _backoff(self, attempts: int, rng: Random) -> float:
        # Exponential with "equal jitter": spread out, but never sooner than half the step.
        step: float = min(self.max_delay, self.base_delay * 2.0 ** (attempts - 1))
        return step / 2 + rng.uniform(0, step / 2)


@dataclass(frozen=True)
class Limit:
    """A token bucket: refilled with `count` tokens per `seconds`, holding at most `burst`.

    In any window of `seconds` it lets through at most `count + burst` messages.
    """

    key: str
    count: float
    seconds: float
    burst: float = 1.0

    @property
    def rate(self) -> float:
        return self.count / self.seconds


# Teams counts in sliding windows: 50 messages per second per app per tenant; per conversation
# 7 per second and 60 per 30 seconds. Each bucket's rate plus its burst stays within the limit,
# so no window ever holds more than Teams allows; the burst absorbs a worker that wakes late.
TENANT_LIMIT = (48.6, 1.0, 1.4)
CONVERSATION_LIMITS = ((6.0, 1.0, 1.0), (59.0, 30.0, 1.0))


def limits_for(tenant_id: str, conversation_id: str) -> tuple[Limit, ...]:
    return (
        Limit(f"tenant:{tenant_id}", *TENANT_LIMIT),
        *(Limit(f"conversation:{conversation_id}:{int(s)}", c, s, b) for c, s, b in CONVERSATION_LIMITS),
    )


@dataclass(frozen=True)
class Bucket:
    tokens: float
    at: float  # seconds, any monotonic scale shared by the callers

    def refilled(self, limit: Limit, now: float) -> Bucket:
        elapsed = max(0.0, now - self.at)
        return Bucket(min(limit.burst, self.tokens + elapsed * limit.rate), max(now, self.at))


def take(buckets: list[tuple[Limit, Bucket]], now: float) -> tuple[float, list[Bucket]]:
    """Take one token from every bucket, or none: (seconds to wait, 0 if taken; new buckets)."""
    refilled = [bucket.refilled(limit, now) for limit, bucket in buckets]
    wait = max(
        ((1.0 - bucket.tokens) / limit.rate for (limit, _), bucket in zip(buckets, refilled, strict=True)),
        default=0.0,
    )
    if wait > 1e-9:
        return wait, refilled
    return 0.0, [Bucket(bucket.tokens - 1.0, bucket.at) for bucket in refilled]
