"""Delivery rules: what a failed send means, when to try again, and Teams' rate limits."""

from __future__ import annotations

from collections.abc import Sequence
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

    An update of a message waits (as `pending`) until the message itself is sent; a newer update
    of the same message makes one that has not started `superseded`, so the last state wins.
    """

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    UNREACHABLE = "unreachable"
    DEAD = "dead"
    UNCONFIRMED = "unconfirmed"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"  # its message was called back (an announcement cancelled) before it went out


# Not sent yet, but on its way: an update of it has to wait.
ON_ITS_WAY = (DeliveryStatus.PENDING, DeliveryStatus.CLAIMED, DeliveryStatus.SENDING)


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
    """Backoff for transient failures: the first retry within a quarter second (a lone 5xx is
    usually just that, and a long first wait leaves the end of a broadcast waiting for its last
    few), then four times longer each time, up to 10 minutes a step: 13 to 25 minutes in all
    (0.25 + 1 + 4 + ... + 600 s) before dead-letter, long enough for a short Teams outage."""

    max_attempts: int = 9
    base_delay: float = 0.25
    growth: float = 4.0
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

    def step(self, attempts: int) -> float:
        return min(self.max_delay, self.base_delay * self.growth ** (attempts - 1))

    def _backoff(self, attempts: int, rng: Random) -> float:
        # Exponential with "equal jitter": spread out, but never sooner than half the step.
        step = self.step(attempts)
        return step / 2 + rng.uniform(0, step / 2)


@dataclass(frozen=True)
class Limit:
    """At most `count` messages per `seconds`, kept by booking evenly spaced send times."""

    key: str
    count: float
    seconds: float

    @property
    def interval(self) -> float:
        return self.seconds / self.count


# Teams counts in sliding windows: 50 messages per second per app per tenant; per conversation
# 7 per second and 60 per 30 seconds. Messages are booked at least `interval` apart, never early,
# so no window holds more than Teams allows; each rate stays a little under its limit, as room for
# the milliseconds by which a booked send may be late after the one before it was on time.
TENANT_LIMIT = (48.8, 1.0)
CONVERSATION_LIMITS = ((6.0, 1.0), (59.0, 30.0))


def limits_for(app_id: str, tenant_id: str, conversation_id: str | None = None) -> tuple[Limit, ...]:
    """The limits a write by the bot `app_id` counts against: the app's in the tenant (Teams counts per
    app per tenant), and the conversation's when it writes into one."""
    tenant = Limit(f"tenant:{app_id}:{tenant_id}", *TENANT_LIMIT)
    if conversation_id is None:  # creating a conversation
        return (tenant,)
    return (
        tenant,
        *(Limit(f"conversation:{conversation_id}:{int(s)}", c, s) for c, s in CONVERSATION_LIMITS),
    )


def reserve(limits: Sequence[Limit], next_free: Sequence[float], now: float) -> tuple[float, list[float]]:
    """Book the first moment every limit allows: (that moment; each limit's next free moment after it).

    `next_free` is each limit's earliest free moment (0 for a limit never used). A booking is final:
    the caller sends at that moment, without asking again, so a late wake-up costs nothing.
    """
    at = max(now, *next_free)
    return at, [at + limit.interval for limit in limits]
