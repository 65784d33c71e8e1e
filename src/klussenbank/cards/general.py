"""Cards that are not about one thing: welcome, help, and short notices."""

from __future__ import annotations

from klussenbank.cards.contact import chat_link
from klussenbank.cards.elements import Element, card, container, execute, facts, open_url, text, title
from klussenbank.i18n import LANGUAGES, Translator
from klussenbank.services.views import WelcomeView
from klussenbank.verbs import Verb

HELP_COMMANDS = (
    "help",
    "available",
    "profile",
    "pause",
    "withdraw",
    "post_klus",
    "my_klussen",
    "klussen",
    "access_log",
    "my_data",
    "digest_on",
)
HR_COMMANDS = ("announce", "report")  # listed for HR only


def welcome_card(view: WelcomeView, t: Translator) -> Element:
    return card(
        [
            title(t("welcome.title", name=view.name) if view.name else t("welcome.title_anonymous")),
            text(t("welcome.intro")),
            text(t("welcome.quick")),
            container(
                [text(t("welcome.privacy_title"), weight="Bolder"), text(t("welcome.privacy"))],
                style="emphasis",
            ),
        ],
        [_profile_action(view.has_profile, t), execute(t("action.help"), Verb.HELP_SHOW)],
    )


def help_card(t: Translator, *, has_profile: bool, hr: bool = False, not_understood: bool = False) -> Element:
    commands = HELP_COMMANDS + HR_COMMANDS if hr else HELP_COMMANDS
    return card(
        [
            title(t("help.title")),
            text(t("help.unknown") if not_understood else t("help.intro")),
            facts([(t(f"command.{name}"), t(f"help.command.{name}")) for name in commands]),
        ],
        [
            _profile_action(has_profile, t),
            execute(t("action.klus_list"), Verb.KLUS_LIST),
            execute(t("action.klus_new"), Verb.KLUS_NEW),
        ],
    )


def notice_card(message: str, actions: list[Element] | None = None) -> Element:
    return card([text(message)], actions)


def erased_card() -> Element:
    """What a delivered card about someone who erased their data turns into, in every chat: in
    both languages, because one update goes to every copy."""
    return notice_card("\n\n".join(Translator(lang)("erase.removed_message") for lang in LANGUAGES))


def _profile_action(has_profile: bool, t: Translator) -> Element:
    if has_profile:
        return execute(t("action.show_profile"), Verb.PROFILE_SHOW)
    return execute(t("action.sign_up"), Verb.AVAILABILITY_EDIT, style="positive")


def channel_hello_card(t: Translator, bot_id: str) -> Element:
    """Said once in a team channel when the app joins: what Klussenbank is, and the way to the
    personal chat, where signing up happens (never where colleagues can see it)."""
    actions = [open_url(t("action.open_personal_chat"), chat_link(bot_id))] if bot_id else []
    return card([title(t("channel.hello.title")), text(t("welcome.channel"))], actions)
