"""Cards that are not about one thing: welcome, help, and short notices."""

from __future__ import annotations

from klussenbank.cards.contact import chat_link
from klussenbank.cards.elements import Element, card, container, execute, facts, open_url, subtle, text, title
from klussenbank.i18n import LANGUAGES, Translator
from klussenbank.services.guide import Situation
from klussenbank.verbs import Verb

HELP_COMMANDS = (
    "help",
    "available",
    "profile",
    "pause",
    "withdraw",
    "klussen",
    "my_applications",
    "post_klus",
    "my_klussen",
    "talent_search",
    "agreement",
    "access_log",
    "my_track",
    "my_data",
    "digest_on",
)
HR_COMMANDS = ("announce", "report", "start_track", "tracks", "standing")  # listed for HR only
POOL_COMMANDS = ("unavailable", "planning", "request_shifts")  # in an organisation of a flexpool
COORDINATOR_COMMANDS = ("pool", "pool_lacking", "open_shifts", "charging")  # for a pool's coordinators


def welcome_card(name: str, situation: Situation, t: Translator) -> Element:
    """The first hello, fitted to what the person already does here."""
    return card(
        [
            title(t("welcome.title", name=name) if name else t("welcome.title_anonymous")),
            text(t("welcome.intro")),
            *[text(t(key)) for key in guide_lines(situation)],
            container(
                [text(t("welcome.privacy_title"), weight="Bolder"), text(t("welcome.privacy"))],
                style="emphasis",
            ),
        ],
        [*next_steps(situation, t), execute(t("action.help"), Verb.HELP_SHOW)],
    )


def help_card(t: Translator, situation: Situation, *, not_understood: bool = False) -> Element:
    commands = (
        HELP_COMMANDS
        + (POOL_COMMANDS if situation.in_pool else ())
        + (COORDINATOR_COMMANDS if situation.coordinates else ())
        + (HR_COMMANDS if situation.hr else ())
    )
    return card(
        [
            title(t("help.title")),
            text(t("help.unknown") if not_understood else t("help.intro")),
            *[subtle(t(key)) for key in guide_lines(situation)],
            facts([(t(f"command.{name}"), t(f"help.command.{name}")) for name in commands]),
        ],
        next_steps(situation, t),
    )


def guide_lines(situation: Situation) -> list[str]:
    """A line for each thing the person does here, saying what comes next; catalog keys."""
    lines = []
    if situation.posted:
        lines.append("guide.poster")
    if situation.has_profile:
        lines.append("guide.available")
    elif situation.posted or situation.manages or situation.hr:
        lines.append("guide.also_available")
    else:
        lines.append("guide.new")
    if situation.manages:
        lines.append("guide.manager")
    if situation.hr:
        lines.append("guide.hr")
    return lines


def next_steps(situation: Situation, t: Translator) -> list[Element]:
    """The buttons for what the person does, the most likely next step first (and highlighted)."""
    steps: list[Element] = []
    if situation.posted:
        steps.append(execute(t("action.mine"), Verb.KLUS_MINE, style="positive"))
    if situation.reacted:
        steps.append(execute(t("action.applications"), Verb.APPLICATIONS_SHOW))
    if situation.has_profile:
        steps.append(execute(t("action.klus_list"), Verb.KLUS_LIST, style=None if steps else "positive"))
    else:
        steps.append(
            execute(t("action.sign_up"), Verb.AVAILABILITY_EDIT, style=None if steps else "positive")
        )
    if not situation.posted:
        steps.append(execute(t("action.klus_new"), Verb.KLUS_NEW))
    steps.append(execute(t("action.talent_search"), Verb.TALENT_SEARCH))
    return steps


def next_step_action(has_profile: bool, t: Translator) -> Element:
    """Where an empty list leads: sign up first; signed up, the open klussen."""
    if has_profile:
        return execute(t("action.klus_list"), Verb.KLUS_LIST, style="positive")
    return execute(t("action.sign_up"), Verb.AVAILABILITY_EDIT, style="positive")


def notice_card(message: str, actions: list[Element] | None = None) -> Element:
    return card([text(message)], actions)


def erased_card() -> Element:
    """What a delivered card about someone who erased their data turns into, in every chat: in
    both languages, because one update goes to every copy."""
    return notice_card("\n\n".join(Translator(lang)("erase.removed_message") for lang in LANGUAGES))


def channel_hello_card(t: Translator, bot_id: str) -> Element:
    """Said once in a team channel when the app joins: what Klussenbank is, and the way to the
    personal chat, where signing up happens (never where colleagues can see it)."""
    actions = [open_url(t("action.open_personal_chat"), chat_link(bot_id))] if bot_id else []
    return card([title(t("channel.hello.title")), text(t("welcome.channel"))], actions)
