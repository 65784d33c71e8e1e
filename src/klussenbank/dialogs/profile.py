"""A person's own availability: signing up (the form and its round trip with errors), the profile,
pausing, resuming and withdrawing (asked first)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from klussenbank.cards.availability import (
    availability_form_card,
    no_profile_card,
    pause_card,
    profile_card,
    withdraw_confirm_card,
)
from klussenbank.cards.elements import Element
from klussenbank.dialogs.inputs import Inputs, once_key
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.people import WorkMode
from klussenbank.i18n import Translator
from klussenbank.services.once import ALREADY_DONE, Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import FormView, PauseView, ProfileView
from klussenbank.verbs import AvailabilityInput as F
from klussenbank.verbs import PauseInput, Verb

router = Router()


def parse_availability(data: object) -> AvailabilityDraft:
    """The sign-up card's inputs: whatever the client sends, typed or refused."""
    inputs = Inputs(data)
    draft = AvailabilityDraft(
        skills=inputs.choices(F.SKILLS),
        skills_other=inputs.text(F.SKILLS_OTHER),
        hours_per_week=inputs.number(F.HOURS_PER_WEEK),
        start_date=inputs.day(F.START_DATE),
        end_date=inputs.day(F.END_DATE),
        weekdays=inputs.choices(F.WEEKDAYS),
        organisations=inputs.choices(F.ORGANISATIONS),
        work_mode=inputs.choice(F.WORK_MODE, WorkMode),
        intro=inputs.text(F.INTRO),
        suggestions=inputs.flag(F.SUGGESTIONS, default=True),
        visible_to_own_line=inputs.flag(F.VISIBLE_TO_OWN_LINE, default=False),
        findable=inputs.flag(F.FINDABLE, default=False),
        talent_text=inputs.text(F.TALENT_TEXT),
        learning_skills=inputs.choices(F.LEARNING_SKILLS),
        learning_other=inputs.text(F.LEARNING_OTHER),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_pause_until(data: object) -> date | None:
    """The pause card's chosen date; anything that is not a date counts as no date."""
    return Inputs(data).day(PauseInput.PAUSED_UNTIL)


@router.verb(Verb.PROFILE_SHOW)
@router.command("profile")
async def on_profile_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return _profile_or_none(await services.signup.profile(actor), turn.t)


@router.verb(Verb.AVAILABILITY_EDIT)
@router.command("available", also=("aanmelden",))
async def on_availability_edit(services: Services, actor: Actor, turn: Turn) -> Element:
    return availability_form_card(await services.signup.form(actor), turn.t, typeahead=turn.typeahead)


@router.verb(Verb.AVAILABILITY_SAVE)
async def on_availability_save(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.signup.save(actor, parse_availability(turn.data), once=once_key(turn.data))
    if isinstance(result, FormView):
        return availability_form_card(result, turn.t, typeahead=turn.typeahead)
    if isinstance(result, Repeated):
        return profile_card(result.result, turn.t, banner=turn.t(ALREADY_DONE))
    return profile_card(result, turn.t, banner=turn.t("profile.saved"))


@router.command("pause")
async def on_pause_command(services: Services, actor: Actor, turn: Turn) -> Element:
    view = await services.signup.pause_form(actor)
    return pause_card(view, turn.t) if view else no_profile_card(turn.t)


@router.verb(Verb.AVAILABILITY_PAUSE)
async def on_availability_pause(services: Services, actor: Actor, turn: Turn) -> Element:
    result = await services.signup.pause(actor, parse_pause_until(turn.data))
    if isinstance(result, PauseView):
        return pause_card(result, turn.t)
    return _profile_or_none(result, turn.t)


@router.verb(Verb.AVAILABILITY_RESUME)
async def on_availability_resume(services: Services, actor: Actor, turn: Turn) -> Element:
    return _profile_or_none(await services.signup.resume(actor), turn.t, banner=turn.t("resume.done"))


@router.verb(Verb.AVAILABILITY_WITHDRAW)
@router.command("withdraw")
async def on_availability_withdraw(services: Services, actor: Actor, turn: Turn) -> Element:
    profile = await services.signup.profile(actor)
    return withdraw_confirm_card(turn.t) if profile else no_profile_card(turn.t)


@router.verb(Verb.AVAILABILITY_WITHDRAW_CONFIRM)
async def on_availability_withdraw_confirm(services: Services, actor: Actor, turn: Turn) -> Element:
    return _profile_or_none(await services.signup.withdraw(actor), turn.t, banner=turn.t("withdraw.done"))


def _profile_or_none(profile: ProfileView | None, t: Translator, *, banner: str | None = None) -> Element:
    return profile_card(profile, t, banner=banner) if profile else no_profile_card(t)
