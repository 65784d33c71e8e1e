"""The turn pipeline: each activity is read once into a Turn, checked (who acts, and where), routed to
its dialog, and the dialog's card sent back through the Agents SDK."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, AdaptiveCardInvokeResponse, InvokeResponse
from microsoft_agents.hosting.core import (
    AgentApplication,
    CardFactory,
    Connections,
    MemoryStorage,
    MessageFactory,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.app.adaptive_card import factory as invoke_factory

from klussenbank.bot.activity import CARD_ACTION, SEARCH, turn_of
from klussenbank.cards.elements import Element
from klussenbank.cards.general import notice_card
from klussenbank.dialogs import (
    agreements,
    announcements,
    applications,
    approvals,
    charging,
    general,
    growth,
    klussen,
    matching,
    pools,
    privacy,
    profile,
    reports,
    shifts,
    skills,
    talent,
    tracks,
    work,
)
from klussenbank.dialogs.router import Routes
from klussenbank.dialogs.turn import Services, Turn, with_help
from klussenbank.telemetry.metrics import Metrics

log = logging.getLogger(__name__)
# One line per message or card action (BIO): who, what, on which object, how it ended; the record's
# time is the when. Never what was typed, nor a token: the object is only the ids the card carried.
audit = logging.getLogger("klussenbank.audit")
AN_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")

# Every feature's verbs and command words; a verb or word claimed twice stops the start.
ROUTES = Routes(
    general.router,
    profile.router,
    klussen.router,
    matching.router,
    approvals.router,
    agreements.router,
    applications.router,
    pools.router,
    work.router,
    announcements.router,
    reports.router,
    privacy.router,
    skills.router,
    tracks.router,
    talent.router,
    growth.router,
    shifts.router,
    charging.router,
)


class KlussenbankBot:
    """The SDK's handlers for each kind of activity."""

    def __init__(self, services: Services, metrics: Metrics, *, typeahead: bool = False) -> None:
        self._services = services
        self._metrics = metrics
        self._typeahead = typeahead  # the clients answer type-ahead searches (Teams)

    def _ended(self, turn: Turn, action: str, result: str, started: float) -> None:
        """The audit line and the turn's metrics; `action` is bounded (a routed verb or command)."""
        _audit(turn, action, result)
        self._metrics.turn_ended(action, result.partition(":")[0], time.perf_counter() - started)

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        started = time.perf_counter()
        turn = turn_of(context.activity, typeahead=self._typeahead)
        t, actor = turn.t, turn.actor
        handler = ROUTES.for_text(turn.text)
        action = f"message:{handler.__name__.removeprefix('on_') if handler else 'other'}"
        if actor is None:
            self._ended(turn, action, "refused: no identity", started)
            await _send(context, notice_card(t("error.no_identity")))
            return
        if not turn.personal:
            self._ended(turn, action, "refused: not a personal chat", started)
            await general.remember(self._services, turn)
            await _send(context, notice_card(t("error.personal_only")))
            return
        try:
            welcome = await general.meet(self._services, actor, turn)
            if welcome is not None:
                await _send(context, welcome)
            if handler is not None:
                await _send(context, await handler(self._services, actor, turn))
            elif welcome is None:
                await _send(context, await general.not_understood(self._services, actor, turn))
        except Exception:
            self._ended(turn, action, "failed", started)
            log.exception("message turn failed: %s", _describe(context))
            await _send(context, notice_card(t("error.apology")))
            return
        self._ended(turn, action, "answered", started)

    async def on_invoke(self, context: TurnContext, _state: TurnState) -> None:
        """Card actions and type-ahead searches; any other invoke is left unanswered, which the SDK
        reports as 501."""
        if context.activity.name == CARD_ACTION:
            response = _card_response(await self._on_card_action(context))
        elif context.activity.name == SEARCH:
            response = invoke_factory.search_response({"results": await self._on_search(context)})
        else:
            return
        body = Uncopied(response.model_dump(mode="json", by_alias=True, exclude_none=True))
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    async def _on_search(self, context: TurnContext) -> list[dict[str, str]]:
        """The choices a type-ahead list offers for what was typed; whatever goes wrong: none (the
        list then shows no results), never an error status."""
        turn = turn_of(context.activity, typeahead=self._typeahead)
        query = turn.search
        action = f"search:{query.dataset if query and query.dataset else 'unknown'}"
        if turn.actor is None:
            _audit(turn, action, "refused: no identity")
            return []
        handler = ROUTES.for_dataset(query.dataset if query else None)
        if handler is None:
            _audit(turn, action, "refused: unknown dataset")
            return []
        try:
            results = await handler(self._services, turn.actor, turn)
        except Exception:
            _audit(turn, action, "failed")
            log.exception("search failed: %s", _describe(context))
            return []
        _audit(turn, action, "answered")
        return results

    async def _on_card_action(self, context: TurnContext) -> Element:
        # Read leniently: a malformed payload still gets a friendly card, never an error status.
        started = time.perf_counter()
        turn = turn_of(context.activity, typeahead=self._typeahead)
        t, actor = turn.t, turn.actor
        action = f"card:{turn.verb or 'unknown'}"
        if actor is None:
            self._ended(turn, action, "refused: no identity", started)
            return notice_card(t("error.no_identity"))
        if not turn.personal:
            self._ended(turn, action, "refused: not a personal chat", started)
            return notice_card(t("error.personal_only"))
        try:
            handler = ROUTES.for_verb(turn.verb)
            if handler is None:
                self._ended(turn, action, "refused: unknown action", started)
                return with_help(t("error.unknown_action"), t)
            await general.meet(self._services, actor, turn)
            card = await handler(self._services, actor, turn)
        except Exception:
            self._ended(turn, action, "failed", started)
            log.exception("card action %s failed: %s", turn.verb, _describe(context))
            return notice_card(t("error.apology"))
        self._ended(turn, action, "answered", started)
        return card

    async def on_conversation_update(self, context: TurnContext, _state: TurnState) -> None:
        """The bot joined a conversation, or a team's channels changed."""
        started, result = time.perf_counter(), "answered"
        try:
            hello = await general.conversation_updated(self._services, turn_of(context.activity))
            if hello is not None:
                await _send(context, hello)
        except Exception:
            result = "failed"
            log.exception("conversation update failed: %s", _describe(context))
        self._metrics.turn_ended("conversationUpdate", result, time.perf_counter() - started)

    async def on_installation_update(self, context: TurnContext, _state: TurnState) -> None:
        started, result = time.perf_counter(), "answered"
        try:
            welcome = await general.installed(self._services, turn_of(context.activity))
            if welcome is not None:
                await _send(context, welcome)
        except Exception:
            result = "failed"
            log.exception("install turn failed: %s", _describe(context))
        self._metrics.turn_ended("installationUpdate", result, time.perf_counter() - started)


def _audit(turn: Turn, action: str, result: str) -> None:
    actor = turn.actor
    data = turn.data if isinstance(turn.data, dict) else {}
    ids = [
        f"{name}={value}"
        for name, value in sorted(data.items())
        if isinstance(value, int | str) and name.endswith("_id") and AN_ID.fullmatch(f"{name}{value}")
    ]
    audit.info(
        "actor=%s tenant=%s action=%s object=%s result=%s",
        _plain(actor.aad_object_id if actor else "-"),
        _plain(actor.tenant_id if actor else "-"),
        action,
        ",".join(ids) or "-",
        result,
    )


def _plain(value: str) -> str:
    """The id as it is, or `?`: what the caller sent must not forge log lines."""
    return value if AN_ID.fullmatch(value) else "?"


def _card_response(card: Element) -> AdaptiveCardInvokeResponse:
    return invoke_factory.adaptive_card(card)  # type: ignore[arg-type]


class Uncopied(dict[str, Any]):
    """A card (or an invoke response's body) that the SDK sends as it is.

    The SDK deep-copies every activity it sends; a card is made for its one turn and nobody changes
    it after, so copying it (hundreds of dicts and lists for the help card) is only work."""

    def __deepcopy__(self, _memo: dict[int, object]) -> Uncopied:
        return self


async def _send(context: TurnContext, card: Element) -> None:
    await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(Uncopied(card))))


def _describe(context: TurnContext) -> str:
    activity = context.activity
    conversation = activity.conversation.id if activity.conversation else "?"
    return f"type={activity.type} name={activity.name} id={activity.id} conversation={conversation}"


def build_agent(
    bot: KlussenbankBot, connections: Connections, metrics: Metrics
) -> AgentApplication[TurnState]:
    app: AgentApplication[TurnState] = AgentApplication[TurnState](
        storage=MemoryStorage(), connection_manager=connections, start_typing_timer=False
    )
    app.activity(ActivityTypes.conversation_update)(bot.on_conversation_update)
    app.activity(ActivityTypes.installation_update)(bot.on_installation_update)
    app.activity(ActivityTypes.invoke)(bot.on_invoke)
    app.activity(ActivityTypes.message)(bot.on_message)

    @app.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        # Last resort: the handlers catch their own errors, so this is the SDK failing.
        metrics.errors.labels("sdk").inc()
        log.error("turn failed outside a handler: %s", _describe(context), exc_info=error)

    return app
