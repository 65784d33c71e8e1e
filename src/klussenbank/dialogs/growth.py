"""Growth: hiding (or showing again) a skill posters confirmed, and answering the monthly pulse."""

from __future__ import annotations

from klussenbank.cards.availability import no_profile_card, profile_card
from klussenbank.cards.elements import Element
from klussenbank.cards.growth import pulse_outcome_card
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import PulseDraft
from klussenbank.verbs import GrowthInput, Verb

router = Router()


@router.verb(Verb.CONFIRMATION_HIDE)
async def on_confirmation_hide(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _set_hidden(services, actor, turn, hidden=True)


@router.verb(Verb.CONFIRMATION_SHOW)
async def on_confirmation_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _set_hidden(services, actor, turn, hidden=False)


async def _set_hidden(services: Services, actor: Actor, turn: Turn, *, hidden: bool) -> Element:
    skill = Inputs(turn.data).text(GrowthInput.SKILL)
    result = await services.signup.set_confirmation_hidden(actor, skill, hidden)
    if result is None:
        return no_profile_card(turn.t)
    view, changed = result
    banner = turn.t("learning.hidden" if hidden else "learning.shown") if changed else None
    return profile_card(view, turn.t, banner=banner)


def parse_pulse(data: object) -> tuple[int | None, PulseDraft]:
    inputs = Inputs(data)
    draft = PulseDraft(
        score=inputs.number(GrowthInput.SCORE),
        text=inputs.text(GrowthInput.TEXT),
        signed=inputs.flag(GrowthInput.SIGNED, default=False),
    )
    return record_id(data, GrowthInput.PULSE_ID), draft


@router.verb(Verb.PULSE_ANSWER)
async def on_pulse_answer(services: Services, actor: Actor, turn: Turn) -> Element:
    pulse_id, draft = parse_pulse(turn.data)
    outcome = await services.pulse.answer(actor, pulse_id or 0, draft, once=once_key(turn.data))
    return pulse_outcome_card(outcome, turn.t)
