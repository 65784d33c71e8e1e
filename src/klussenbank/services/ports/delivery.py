"""Messages sent outside a user's turn: the outbox the use cases fill, the queue the delivery worker
drains, the rate limits it keeps and the sender that reaches Teams."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from klussenbank.domain.delivery import Decision, DeliveryStatus, Failure, FailureKind, Limit
from klussenbank.services.ports.records import ClaimedDelivery, ConversationRef, Recipient, RecipientStatus


class OutboxRepository(Protocol):
    async def enqueue(
        self, content: dict[str, Any], recipients: Sequence[Recipient], *, reason: str, now: datetime
    ) -> int:
        """Queue `content` ({"card": {...}} or {"text": "..."}) for every recipient; the message id."""

    async def enqueue_all(
        self, messages: Sequence[tuple[dict[str, Any], Sequence[Recipient]]], *, reason: str, now: datetime
    ) -> list[int]:
        """`enqueue` for many messages (content, recipients) at once, in a few statements; their ids."""

    async def enqueue_update(
        self, message_id: int, content: dict[str, Any], *, reason: str, now: datetime
    ) -> int:
        """Queue a change of every copy of message `message_id` already sent; the new message id."""

    async def cancel(self, message_id: int, *, now: datetime) -> int:
        """Call back the copies not yet claimed by a worker; how many."""

    async def counts(self, message_id: int) -> dict[str, int]:
        """How the copies of a message stand, by delivery status."""

    async def recipients(self, message_id: int) -> list[RecipientStatus]: ...


class DeliveryQueue(Protocol):
    """The worker's side of the outbox; every call is its own transaction."""

    async def claim(
        self, worker: str, limit: int, *, now: datetime, lease: timedelta
    ) -> list[ClaimedDelivery]: ...

    async def remember(self, conversation: ConversationRef, *, now: datetime) -> None: ...

    async def start(self, delivery_id: int, worker: str, *, now: datetime) -> bool: ...

    async def sent(
        self, delivery_id: int, worker: str, *, conversation_id: str, activity_id: str, now: datetime
    ) -> None: ...

    async def failed(
        self, delivery_id: int, worker: str, decision: Decision, error: str, *, now: datetime
    ) -> None: ...

    async def release(self, worker: str, *, now: datetime) -> int: ...

    async def counts(self) -> dict[str, int]: ...

    async def backlog(self) -> dict[str, int]:
        """How many deliveries wait or need an operator, by status (not the finished ones)."""

    async def retry(self, actor: str, *, now: datetime, unconfirmed: bool = False) -> int: ...


class RateLimiter(Protocol):
    async def reserve(self, limits: Sequence[Limit]) -> float:
        """Book one message in every limit: how many seconds from now it may be sent."""

    async def prune(self) -> int:
        """Forget limits unused for a while (there is one per conversation ever sent to)."""


class SendFailed(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.detail)
        self.failure = failure


class Sender(Protocol):
    """Sends outside a user's turn. Raises SendFailed with what went wrong."""

    def app_for(self, tenant_id: str) -> str:
        """The app id of the bot that writes to this tenant ("" when none does): Teams' rate limit is
        per app per tenant."""

    async def send(self, target: ConversationRef, content: dict[str, Any]) -> str:
        """The id of the activity that was sent."""

    async def update(self, target: ConversationRef, activity_id: str, content: dict[str, Any]) -> None:
        """Replace an activity sent before."""

    async def open_personal_chat(self, template: ConversationRef, aad_object_id: str) -> ConversationRef:
        """Create (or find) the 1:1 conversation with someone, from any conversation in their tenant."""

    async def close(self) -> None: ...


class DeliveryObserver(Protocol):
    """Hears how each send ended, for the operators' metrics."""

    def delivery_ended(
        self, tenant_id: str, status: DeliveryStatus, failure: FailureKind | None, waited: float | None
    ) -> None:
        """A send ended in `status` (pending: to be tried again); `waited`: seconds since it was queued,
        when it was sent."""

    def delivery_crashed(self) -> None:
        """A send failed with an error in our own code (a bug), logged with its traceback."""
