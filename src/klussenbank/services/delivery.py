"""The delivery worker: takes due messages from the outbox and sends them within Teams' limits."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from random import Random

from klussenbank.domain.delivery import (
    ON_ITS_WAY,
    Decision,
    DeliveryStatus,
    Failure,
    FailureKind,
    Limit,
    RetryPolicy,
    classify,
    limits_for,
)
from klussenbank.services import correlation
from klussenbank.services.clock import Clock
from klussenbank.services.ports.delivery import (
    DeliveryObserver,
    DeliveryQueue,
    RateLimiter,
    Sender,
    SendFailed,
)
from klussenbank.services.ports.records import ClaimedDelivery, ConversationRef

log = logging.getLogger(__name__)

PRUNE_EVERY = 60.0  # seconds between clean-ups of idle rate buckets, when there is nothing to send

# How long before its booked moment a send is marked `sending`. Writing that mark between waking up
# and sending made sends late by a few ms typically and tens of ms at times (p90 ~20 ms, p99 ~55 ms at
# 50 sends a second): enough to draw 429s. Writing it earlier costs in a crash: what is `sending` when
# a worker dies becomes `unconfirmed`, and that now includes the sends due within this lead (at 50 a
# second about 50 * START_LEAD of them, besides those on the wire).
START_LEAD = 0.05
ORIGINAL_WAIT = 2.0  # seconds an update of a message not yet sent waits before it looks again


@dataclass(frozen=True)
class WorkerSettings:
    batch: int = 50
    concurrency: int = 16
    lease: timedelta = timedelta(seconds=60)
    idle_sleep: float = 0.5
    send_timeout: float = 20.0


class DeliveryWorker:
    def __init__(
        self,
        name: str,
        queue: DeliveryQueue,
        sender: Sender,
        limiter: RateLimiter,
        clock: Clock,
        *,
        policy: RetryPolicy | None = None,
        settings: WorkerSettings | None = None,
        rng: Random | None = None,
        observer: DeliveryObserver | None = None,
    ) -> None:
        self.name = name
        self._queue = queue
        self._sender = sender
        self._limiter = limiter
        self._clock = clock
        self._policy = policy or RetryPolicy()
        self._settings = settings or WorkerSettings()
        self._rng = rng or Random()
        self._observer = observer
        # Sends wait for their booked moment inside a slot: each tenant has slots of its own, so a
        # tenant's burst, waiting for its turn within Teams' limit, never holds up another tenant.
        self._slots: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self._settings.concurrency)
        )
        self._pruned_at = time.monotonic()

    async def close(self) -> None:
        await self._sender.close()

    async def run_once(self) -> int:
        """Claim one batch of due deliveries and deliver them; how many were claimed."""
        claimed = await self._queue.claim(
            self.name, self._settings.batch, now=self._clock.now(), lease=self._settings.lease
        )
        if claimed:
            await asyncio.gather(*(self._deliver(delivery) for delivery in claimed))
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; then finish what is under way and hand back anything left.

        The next batch is claimed while the last deliveries of this one are still being sent (once
        no more than `concurrency` are left), so that a delivery is always booked for the next free
        moment: claiming only after a whole batch was done left Teams' budget unused for the length
        of a claim (50 rows, about 0.1 s).
        """
        delivering: dict[int, asyncio.Task[None]] = {}
        stopping = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                for delivery_id, task in list(delivering.items()):
                    if task.done():
                        del delivering[delivery_id]
                        task.result()  # the queue itself failing stops the worker, as before
                if len(delivering) > self._settings.concurrency:
                    await asyncio.wait({stopping, *delivering.values()}, return_when=asyncio.FIRST_COMPLETED)
                    continue
                claimed = await self._queue.claim(
                    self.name, self._settings.batch, now=self._clock.now(), lease=self._settings.lease
                )
                for delivery in claimed:
                    held = delivering.get(delivery.id)
                    if held is not None and not held.done():
                        continue  # ours, its lease ran out while it waited: the task holding it sends it
                    if held is not None:
                        held.result()
                    delivering[delivery.id] = asyncio.create_task(self._deliver(delivery))
                if not claimed:
                    if not delivering:
                        await self._prune_now_and_then()
                    await asyncio.wait({stopping}, timeout=self._settings.idle_sleep)
        finally:
            stopping.cancel()
            outcomes = await asyncio.gather(stopping, *delivering.values(), return_exceptions=True)
            for outcome in outcomes[1:]:
                if isinstance(outcome, BaseException):
                    log.error("a delivery failed while the worker stopped", exc_info=outcome)
            released = await self._queue.release(self.name, now=self._clock.now())
            if released:
                log.info("worker %s released %d deliveries", self.name, released)

    async def _prune_now_and_then(self) -> None:
        if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            await self._limiter.prune()

    async def _deliver(self, delivery: ClaimedDelivery) -> None:
        # Each delivery is a task of its own, so its id stays with it; its logs share the turn's id.
        with correlation.bound(delivery.correlation_id or correlation.new_id()):
            await self._deliver_now(delivery)

    async def _deliver_now(self, delivery: ClaimedDelivery) -> None:
        if delivery.original is not None and delivery.original is not DeliveryStatus.SENT:
            await self._wait_for_original(delivery, delivery.original)
            return
        known = delivery.target or delivery.template
        async with self._slots[known.tenant_id if known else ""]:
            try:
                target = delivery.target
                if target is None:
                    target = await self._open_personal_chat(delivery)
                slot = await self._book(self._limits(target.tenant_id, target.conversation_id))
                # Marked `sending` a moment before its slot, so that the database write does not make
                # the send late (a send late next to one on time draws a 429); see START_LEAD.
                await self._sleep_until(slot - START_LEAD)
                if not await self._queue.start(delivery.id, self.name, now=self._clock.now()):
                    log.warning("delivery %s: lease lost before sending; left to its new owner", delivery.id)
                    return
                await self._sleep_until(slot)
                activity_id = await asyncio.wait_for(
                    self._send(target, delivery), self._settings.send_timeout
                )
            except SendFailed as failed:
                await self._failed(delivery, failed.failure)
            except TimeoutError:
                await self._failed(delivery, classify(None, "timed out"))
            except Exception as error:  # a bug must not stop the other deliveries
                log.exception("delivery %s failed unexpectedly", delivery.id)
                if self._observer is not None:
                    self._observer.delivery_crashed()
                await self._failed(delivery, classify(None, type(error).__name__))
            else:
                now = self._clock.now()
                await self._queue.sent(
                    delivery.id,
                    self.name,
                    conversation_id=target.conversation_id,
                    activity_id=activity_id,
                    now=now,
                )
                log.debug("delivery %s sent", delivery.id)
                if self._observer is not None:
                    waited = (now - delivery.queued_at).total_seconds() if delivery.queued_at else None
                    self._observer.delivery_ended(target.tenant_id, DeliveryStatus.SENT, None, waited)

    async def _wait_for_original(self, delivery: ClaimedDelivery, original: DeliveryStatus) -> None:
        """An update of a message not sent yet: try again soon; if it never will be, drop it."""
        if original in ON_ITS_WAY:
            decision, why = Decision(DeliveryStatus.PENDING, ORIGINAL_WAIT, False), "waiting for its message"
        else:
            decision, why = (
                Decision(DeliveryStatus.UNREACHABLE),
                f"its message was not delivered ({original})",
            )
        await self._queue.failed(delivery.id, self.name, decision, why, now=self._clock.now())

    async def _open_personal_chat(self, delivery: ClaimedDelivery) -> ConversationRef:
        """Create the 1:1 chat with someone the bot has none with yet, and keep it for next time.

        Creating a conversation is a write Teams counts against the tenant's limit: it is booked too.
        """
        if delivery.template is None or delivery.person_aad_object_id is None:
            raise SendFailed(Failure(FailureKind.UNREACHABLE, "no conversation with this recipient"))
        await self._sleep_until(await self._book(self._limits(delivery.template.tenant_id)))
        target = await self._sender.open_personal_chat(delivery.template, delivery.person_aad_object_id)
        await self._queue.remember(target, now=self._clock.now())
        return target

    async def _send(self, target: ConversationRef, delivery: ClaimedDelivery) -> str:
        if delivery.replaces_activity_id is None:
            return await self._sender.send(target, delivery.content)
        await self._sender.update(target, delivery.replaces_activity_id, delivery.content)
        return delivery.replaces_activity_id

    def _limits(self, tenant_id: str, conversation_id: str | None = None) -> tuple[Limit, ...]:
        return limits_for(self._sender.app_for(tenant_id), tenant_id, conversation_id)

    async def _book(self, limits: tuple[Limit, ...]) -> float:
        """Book the next free moment of every limit: that moment on the event loop's clock."""
        delay = await self._limiter.reserve(limits)
        return asyncio.get_running_loop().time() + delay

    @staticmethod
    async def _sleep_until(moment: float) -> None:
        delay = moment - asyncio.get_running_loop().time()
        if delay > 0:
            await asyncio.sleep(delay)

    async def _failed(self, delivery: ClaimedDelivery, failure: Failure) -> None:
        decision = self._policy.after(failure, delivery.attempts, self._rng)
        log.info("delivery %s: %s -> %s", delivery.id, failure.detail, decision.status)
        await self._queue.failed(delivery.id, self.name, decision, failure.detail, now=self._clock.now())
        if self._observer is not None:
            known = delivery.target or delivery.template
            tenant = known.tenant_id if known else "unknown"
            self._observer.delivery_ended(tenant, decision.status, failure.kind, None)
