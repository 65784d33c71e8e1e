"""Help, and the conversation itself: first contact and its welcome, installs, a team's channels."""

from __future__ import annotations

from klussenbank.cards.elements import Element
from klussenbank.cards.general import channel_hello_card, help_card, welcome_card
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.i18n import Translator
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Verb

GREETINGS = ("hallo", "hoi", "hey", "hi", "hello", "goedemorgen", "goedemiddag", "good morning")

router = Router()


@router.verb(Verb.HELP_SHOW)
@router.command("help", also=("hulp", *GREETINGS))
async def on_help_show(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _help(services, actor, turn.t)


async def not_understood(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _help(services, actor, turn.t, not_understood=True)


async def _help(services: Services, actor: Actor, t: Translator, *, not_understood: bool = False) -> Element:
    """What the bot can do, with the next steps for what this person does; HR's own commands only for HR."""
    situation = await services.guide.situation(actor)
    return help_card(t, situation, not_understood=not_understood)


async def meet(services: Services, actor: Actor, turn: Turn) -> Element | None:
    """Every turn keeps the person's conversation current; the first one also welcomes them, with
    the next steps for what they already do (a team lead may have posted klussen before)."""
    welcome = await services.signup.meet(actor, turn.conversation)
    if welcome is None:
        return None
    return welcome_card(welcome.name, await services.guide.situation(actor), turn.t)


async def remember(services: Services, turn: Turn) -> None:
    """Where the bot was spoken to: the team channel, or else the conversation."""
    if turn.channel is not None:
        await services.announcement_chores.remember_channel(turn.channel, turn.channel_conversation)
    elif turn.conversation is not None:
        await services.signup.remember_conversation(turn.conversation)


async def conversation_updated(services: Services, turn: Turn) -> Element | None:
    """The bot joined a conversation (in a team, it says hello there), or a team's channels changed.

    Teams also sends installationUpdate for the same install, which welcomes the person:
    answering both would greet them twice.
    """
    channel = turn.channel
    if turn.members_added:
        if not turn.bot_added:
            return None
        await remember(services, turn)
        if turn.personal:
            return None
        # Teams sends no locale with a conversation update: the hello is in the language of whoever
        # added the app, as far as Klussenbank knows it (Dutch when it does not).
        t = turn.t
        if not turn.locale and turn.actor is not None:
            t = Translator.for_locale(await services.signup.locale_of(turn.actor.aad_object_id))
        return channel_hello_card(t, turn.bot_id)
    if channel is not None and turn.event in ("channelCreated", "channelRenamed", "channelRestored"):
        await services.announcement_chores.remember_channel(channel, turn.channel_conversation)
    elif channel is not None and turn.event == "channelDeleted":
        await services.announcement_chores.forget_channel(channel.conversation_id)
    elif channel is not None and turn.event in ("teamDeleted", "teamArchived"):
        await services.announcement_chores.forget_team(channel.team_id)
    return None


async def installed(services: Services, turn: Turn) -> Element | None:
    """Installed for a person: welcome them, once, in their language."""
    if not turn.install_action.startswith("add"):
        return None
    if not turn.personal or turn.actor is None:
        await remember(services, turn)
        return None
    return await meet(services, turn.actor, turn)
