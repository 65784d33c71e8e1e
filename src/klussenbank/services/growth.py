"""The monthly pulse: "Hoe bevalt Klussenbank? Wat mis je?" (see `domain.growth` for who gets it).

A chore sends it; the person answers once with one tap (a score of 1 to 5), optionally a text and
"zet mijn naam erbij". HR sees only aggregates in the report (`ReportService`)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from klussenbank.domain.growth import MAX_PULSE_TEXT, PULSE_SCORES, month_after, pulse_month
from klussenbank.services.clock import AMSTERDAM, Clock
from klussenbank.services.once import first_press
from klussenbank.services.ports.records import Actor, Recipient
from klussenbank.services.ports.renderers import GrowthCards
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.views import PulseDraft, PulseOutcome, PulseView


class PulseService:
    def __init__(self, uow: UnitOfWorkFactory, *, clock: Clock, cards: GrowthCards) -> None:
        self._uow = uow
        self._clock = clock
        self._cards = cards

    async def send_due(self) -> int:
        """From `PULSE_FROM_DAY`: the month's pulse to everyone who used Klussenbank this month and has
        not had it; once per person and month, also with several instances. How many were sent."""
        month = pulse_month(self._clock.today())
        if month is None:
            return 0
        # The month as the Dutch calendar has it (as `today`), not UTC's: a turn at 00:30 on the 1st
        # counts. In UTC for the query: SQLite compares the stored times as text.
        since = datetime.combine(month, time(), tzinfo=AMSTERDAM).astimezone(UTC)
        until = datetime.combine(month_after(month), time(), tzinfo=AMSTERDAM).astimezone(UTC)
        async with self._uow() as uow:
            people = await uow.growth.active(since, until)
        sent = 0
        for aad_object_id in people:
            async with self._uow() as uow:
                now = self._clock.now()
                pulse_id = await uow.growth.start_pulse(aad_object_id, month, now=now)
                person = await uow.people.get(aad_object_id)
                if pulse_id is None or person is None:
                    continue
                await uow.outbox.enqueue(
                    {"card": self._cards.pulse(PulseView(pulse_id), person.locale)},
                    [Recipient(person_aad_object_id=aad_object_id)],
                    reason="pulse",
                    now=now,
                )
                await uow.commit()
                sent += 1
        return sent

    async def answer(
        self, actor: Actor, pulse_id: int, draft: PulseDraft, *, once: str | None = None
    ) -> PulseOutcome:
        if draft.score not in PULSE_SCORES or len(draft.text) > MAX_PULSE_TEXT:
            return PulseOutcome("invalid", pulse_id, draft)
        async with self._uow() as uow:
            now = self._clock.now()
            if await first_press(uow, actor, once, "pulse.answer", now=now):
                return PulseOutcome("already")
            assert draft.score is not None
            stored = await uow.growth.answer_pulse(
                actor.aad_object_id, pulse_id, draft.score, draft.text.strip(), draft.signed, now=now
            )
            if stored is None:
                return PulseOutcome("not_found")
            await uow.commit()
            return PulseOutcome("thanks" if stored else "already")
