"""What a dialog is given (one incoming activity read once, the use cases) and the refusal it may answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from klussenbank.cards.elements import Element, execute
from klussenbank.cards.general import notice_card
from klussenbank.i18n import Translator
from klussenbank.services.agreements import AgreementService
from klussenbank.services.announcement_chores import AnnouncementChores
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.applications import ApplicationsService
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.charging import ChargingService
from klussenbank.services.choosing import ChoosingService
from klussenbank.services.digests import DigestService
from klussenbank.services.growth import PulseService
from klussenbank.services.guide import GuideService
from klussenbank.services.hours import HoursService
from klussenbank.services.interest import InterestService
from klussenbank.services.planning import PlanningService
from klussenbank.services.pools import PoolService
from klussenbank.services.ports.records import Actor, Channel, ConversationRef
from klussenbank.services.posting import PostingService
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import ReportService
from klussenbank.services.shifts import ShiftService
from klussenbank.services.signup import SignupService
from klussenbank.services.skill_search import SkillSearch
from klussenbank.services.talent import TalentService
from klussenbank.services.tracks import TrackService
from klussenbank.services.views import Refusal
from klussenbank.services.work import WorkService
from klussenbank.verbs import Dataset, Verb

R = TypeVar("R")
V = TypeVar("V")


@dataclass(frozen=True)
class SearchQuery:
    """What a type-ahead list asks for (an `application/search` invoke): the text typed so far,
    in which dataset, and which page of the results."""

    dataset: Dataset | None  # None: a dataset we do not know
    text: str
    top: int
    skip: int


@dataclass(frozen=True)
class Turn:
    """One incoming activity, read once by the bot, in terms the dialogs understand (no SDK types).

    `verb` and `data` are a card action's (None for other activities; `verb` is None too when the
    card named no verb we know); `text` is a message's.
    """

    actor: Actor | None  # None when the sender has no Entra id
    conversation: ConversationRef | None
    personal: bool
    channel: Channel | None  # the team channel the activity is in or about
    channel_conversation: ConversationRef | None  # a reference to post in that channel
    t: Translator
    verb: Verb | None = None
    data: object = None
    text: str = ""
    event: str | None = None  # channelData.eventType of a conversation update
    members_added: bool = False
    bot_added: bool = False  # the bot itself is among the members added
    install_action: str = ""
    locale: str = ""  # as the activity says it; empty when it says none (a conversation update)
    bot_id: str = ""  # the bot's own id in this conversation ("28:<app id>")
    search: SearchQuery | None = None  # a type-ahead list's search (None for other activities)
    # The client asks the bot for a type-ahead list's choices (Teams does; the Agents Playground
    # does not, and draws such a list as a single choice): only then do cards offer `choices.data`.
    typeahead: bool = False


@dataclass(frozen=True)
class Services:
    """The use cases the dialogs call."""

    signup: SignupService
    posting: PostingService
    choosing: ChoosingService
    interest: InterestService
    approvals: ApprovalService
    announcements: AnnouncementService
    announcement_chores: AnnouncementChores
    digests: DigestService
    privacy: PrivacyService
    reports: ReportService
    agreements: AgreementService
    hours: HoursService
    work: WorkService
    guide: GuideService
    applications: ApplicationsService
    skills: SkillSearch
    tracks: TrackService
    talent: TalentService
    pulse: PulseService
    shifts: ShiftService
    planning: PlanningService
    charging: ChargingService
    pools: PoolService


def with_help(text: str, t: Translator) -> Element:
    """A short notice and the way back: the help card."""
    return notice_card(text, [execute(t("action.help"), Verb.HELP_SHOW)])


def refused(refusal: Refusal, t: Translator) -> Element:
    return with_help(t(f"refusal.{refusal.code}"), t)


async def on_record(
    record_id: int | None, missing: str, action: Callable[[int], Awaitable[R]]
) -> R | Refusal:
    """The action on the stored thing the card named; refused as `missing` when it named none usable."""
    return await action(record_id) if record_id else Refusal(missing)


def on_card(result: V | Refusal, t: Translator, card: Callable[[V, Translator], Element]) -> Element:
    """The refusal, or the result on its card."""
    return refused(result, t) if isinstance(result, Refusal) else card(result, t)
