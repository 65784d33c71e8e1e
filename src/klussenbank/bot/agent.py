"""The Teams edge: routes activities and card verbs to use cases and renders their cards.

Handlers are thin: read who acts from the activity, call one service, render one card.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
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

from klussenbank.bot.activity import (
    PERSONAL,
    actor_of,
    channel_conversation,
    channel_data_of,
    conversation_of,
    conversation_type_of,
    team_channel_of,
)
from klussenbank.cards.announcements import composer_card, preview_card, published_card, report_card
from klussenbank.cards.approval import (
    access_log_card,
    agreement_link_card,
    approval_card,
    erase_confirm_card,
    my_data_card,
)
from klussenbank.cards.availability import (
    availability_form_card,
    no_profile_card,
    pause_card,
    profile_card,
    withdraw_confirm_card,
)
from klussenbank.cards.elements import Element, execute
from klussenbank.cards.general import help_card, notice_card, welcome_card
from klussenbank.cards.klus import (
    cancel_confirm_card,
    candidates_card,
    klus_card,
    my_klussen_card,
    offers_card,
    posted_card,
)
from klussenbank.cards.klus_form import klus_form_card
from klussenbank.cards.report import report_evaluations_card, report_figures_card
from klussenbank.cards.verbs import Verb, WorkInput
from klussenbank.cards.work import evaluation_card, evaluations_card, hours_card, work_complete_confirm_card
from klussenbank.dialogs.announcement_form import parse_announcement, parse_announcement_id
from klussenbank.dialogs.approval_form import parse_approval_id, parse_delegate, parse_reason
from klussenbank.dialogs.availability_form import parse_availability, parse_pause_until
from klussenbank.dialogs.klus_form import (
    parse_filters,
    parse_klus,
    parse_klus_id,
    parse_motivation,
    parse_person_id,
    parse_share_motivation,
)
from klussenbank.dialogs.report_form import parse_report
from klussenbank.dialogs.work_form import parse_evaluation, parse_hours
from klussenbank.i18n import LANGUAGES, Translator, catalog
from klussenbank.services.agreements import AgreementService
from klussenbank.services.announcements import AnnouncementService
from klussenbank.services.approvals import ApprovalService
from klussenbank.services.digests import DigestService
from klussenbank.services.klussen import KlusService
from klussenbank.services.ports import Actor
from klussenbank.services.privacy import PrivacyService
from klussenbank.services.reports import ReportService
from klussenbank.services.signup import SignupService
from klussenbank.services.views import (
    ApprovalView,
    CandidatesView,
    ComposerView,
    FormView,
    KlusFormView,
    KlusOffer,
    PauseView,
    PreviewView,
    ProfileView,
    Refusal,
    ReportView,
)
from klussenbank.services.work import EvaluationView, HoursView, WorkService

log = logging.getLogger(__name__)

GREETINGS = ("hallo", "hoi", "hey", "hi", "hello", "goedemorgen", "goedemiddag", "good morning")

CardHandler = Callable[[Actor, Translator, Any], Awaitable[Element]]


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]", "", text.lower()).strip()


class KlussenbankBot:
    def __init__(
        self,
        signup: SignupService,
        klussen: KlusService,
        approvals: ApprovalService,
        announcements: AnnouncementService,
        digests: DigestService,
        privacy: PrivacyService,
        reports: ReportService,
        agreements: AgreementService,
        work: WorkService,
    ) -> None:
        self._signup = signup
        self._klussen = klussen
        self._approvals = approvals
        self._announcements = announcements
        self._digests = digests
        self._privacy = privacy
        self._reports = reports
        self._agreements = agreements
        self._work = work
        self.verbs: dict[Verb, CardHandler] = {
            Verb.HELP_SHOW: self.on_help_show,
            Verb.PROFILE_SHOW: self.on_profile_show,
            Verb.AVAILABILITY_EDIT: self.on_availability_edit,
            Verb.AVAILABILITY_SAVE: self.on_availability_save,
            Verb.AVAILABILITY_PAUSE: self.on_availability_pause,
            Verb.AVAILABILITY_RESUME: self.on_availability_resume,
            Verb.AVAILABILITY_WITHDRAW: self.on_availability_withdraw,
            Verb.AVAILABILITY_WITHDRAW_CONFIRM: self.on_availability_withdraw_confirm,
            Verb.SUGGESTIONS_OFF: self.on_suggestions_off,
            Verb.KLUS_NEW: self.on_klus_new,
            Verb.KLUS_EDIT: self.on_klus_edit,
            Verb.KLUS_POST: self.on_klus_post,
            Verb.KLUS_SHOW: self.on_klus_show,
            Verb.KLUS_MINE: self.on_klus_mine,
            Verb.KLUS_LIST: self.on_klus_list,
            Verb.KLUS_CANCEL: self.on_klus_cancel,
            Verb.KLUS_CANCEL_CONFIRM: self.on_klus_cancel_confirm,
            Verb.KLUS_CANDIDATES: self.on_klus_candidates,
            Verb.INTEREST_ADD: self.on_interest_add,
            Verb.INTEREST_WITHDRAW: self.on_interest_withdraw,
            Verb.CANDIDATE_INVITE: self.on_candidate_invite,
            Verb.CANDIDATE_CHOOSE: self.on_candidate_choose,
            Verb.MATCH_CONFIRM: self.on_match_confirm,
            Verb.MATCH_DECLINE: self.on_match_decline,
            Verb.APPROVAL_SHOW: self.on_approval_show,
            Verb.APPROVAL_APPROVE: self.on_approval_approve,
            Verb.APPROVAL_DECLINE: self.on_approval_decline,
            Verb.APPROVAL_FORWARD: self.on_approval_forward,
            Verb.AGREEMENT_SHOW: self.on_agreement_show,
            Verb.HOURS_SHOW: self.on_hours_show,
            Verb.HOURS_REPORT: self.on_hours_report,
            Verb.HOURS_CHECK: self.on_hours_check,
            Verb.HOURS_CORRECT: self.on_hours_correct,
            Verb.WORK_COMPLETE: self.on_work_complete,
            Verb.WORK_COMPLETE_CONFIRM: self.on_work_complete_confirm,
            Verb.EVALUATION_SEND: self.on_evaluation_send,
            Verb.EVALUATIONS_SHOW: self.on_evaluations_show,
            Verb.ACCESS_LOG_SHOW: self.on_access_log_show,
            Verb.ANNOUNCE_NEW: self.on_announce_new,
            Verb.ANNOUNCE_PREVIEW: self.on_announce_preview,
            Verb.ANNOUNCE_EDIT: self.on_announce_edit,
            Verb.ANNOUNCE_SEND: self.on_announce_send,
            Verb.ANNOUNCE_SCHEDULE: self.on_announce_schedule,
            Verb.ANNOUNCE_REPORT: self.on_announce_report,
            Verb.ANNOUNCE_CANCEL: self.on_announce_cancel,
            Verb.ANNOUNCE_WITHDRAW: self.on_announce_withdraw,
            Verb.DIGEST_ON: self.on_digest_on,
            Verb.DIGEST_OFF: self.on_digest_off,
            Verb.REPORT_SHOW: self.on_report_show,
            Verb.REPORT_EVALUATIONS: self.on_report_evaluations,
            Verb.MY_DATA_SHOW: self.on_my_data_show,
            Verb.MY_DATA_ERASE: self.on_my_data_erase,
            Verb.MY_DATA_ERASE_CONFIRM: self.on_my_data_erase_confirm,
        }
        # Every command word works in both languages, whatever the Teams locale.
        commands: dict[str, CardHandler] = {
            "help": self.on_help_show,
            "available": self.on_availability_edit,
            "profile": self.on_profile_show,
            "pause": self.on_pause_command,
            "withdraw": self.on_availability_withdraw,
            "post_klus": self.on_klus_new,
            "my_klussen": self.on_klus_mine,
            "klussen": self.on_klus_list,
            "access_log": self.on_access_log_show,
            "announce": self.on_announce_new,
            "digest_on": self.on_digest_on,
            "digest_off": self.on_digest_off,
            "report": self.on_report_show,
            "my_data": self.on_my_data_show,
            "erase": self.on_my_data_erase,
        }
        self.commands: dict[str, CardHandler] = {
            _normalise(catalog(lang)[f"command.{name}"]): handler
            for lang in LANGUAGES
            for name, handler in commands.items()
        }
        self.commands.update({"hulp": self.on_help_show, "aanmelden": self.on_availability_edit})
        self.commands.update(dict.fromkeys(GREETINGS, self.on_help_show))

    # -- activities ---------------------------------------------------------------------------

    async def on_message(self, context: TurnContext, _state: TurnState) -> None:
        activity = context.activity
        t = Translator.for_locale(activity.locale)
        actor = actor_of(activity)
        if actor is None:
            await _send(context, notice_card(t("error.no_identity")))
            return
        if conversation_type_of(activity) != PERSONAL:
            await self._remember(actor, context)
            await _send(context, notice_card(t("error.personal_only")))
            return
        try:
            welcome = await self._signup.meet(actor, conversation_of(activity, actor))
            if welcome is not None:
                await _send(context, welcome_card(welcome, t))
            handler = self.commands.get(_normalise(activity.text or ""))
            if handler is not None:
                await _send(context, await handler(actor, t, None))
            elif welcome is None:
                await _send(context, await self._help(actor, t, not_understood=True))
        except Exception:
            log.exception("message turn failed: %s", _describe(context))
            await _send(context, notice_card(t("error.apology")))

    async def on_invoke(self, context: TurnContext, _state: TurnState) -> None:
        """Card actions; any other invoke is left unanswered, which the SDK reports as 501."""
        if context.activity.name != "adaptiveCard/action":
            return
        response = await self.on_card_action(context)
        body = response.model_dump(mode="json", by_alias=True, exclude_none=True)
        await context.send_activity(
            Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200, body=body))
        )

    async def on_card_action(self, context: TurnContext) -> AdaptiveCardInvokeResponse:
        # Read leniently: a malformed payload still gets a friendly card, never an error status.
        activity = context.activity
        t = Translator.for_locale(activity.locale)
        actor = actor_of(activity)
        if actor is None:
            return _card_response(notice_card(t("error.no_identity")))
        if conversation_type_of(activity) != PERSONAL:
            return _card_response(notice_card(t("error.personal_only")))
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        if not isinstance(action, dict):
            action = {}
        verb, data = action.get("verb"), action.get("data")
        try:
            handler = self.verbs.get(Verb(verb)) if isinstance(verb, str) and verb in set(Verb) else None
            if handler is None:
                return _card_response(
                    notice_card(t("error.unknown_action"), [execute(t("action.help"), Verb.HELP_SHOW)])
                )
            await self._signup.meet(actor, conversation_of(activity, actor))
            return _card_response(await handler(actor, t, data))
        except Exception:
            log.exception("card action %s failed: %s", verb, _describe(context))
            return _card_response(notice_card(t("error.apology")))

    async def on_conversation_update(self, context: TurnContext, _state: TurnState) -> None:
        """The bot joined a conversation, or a team's channels changed."""
        activity = context.activity
        try:
            event = channel_data_of(activity).get("eventType")
            channel = team_channel_of(activity)
            if activity.members_added:
                await self._on_members_added(context)
            elif channel is not None and event in ("channelCreated", "channelRenamed", "channelRestored"):
                await self._announcements.remember_channel(channel, channel_conversation(activity, channel))
            elif channel is not None and event == "channelDeleted":
                await self._announcements.forget_channel(channel.conversation_id)
            elif channel is not None and event in ("teamDeleted", "teamArchived"):
                await self._announcements.forget_team(channel.team_id)
        except Exception:
            log.exception("conversation update failed: %s", _describe(context))

    async def _on_members_added(self, context: TurnContext) -> None:
        """Remember the conversation; in a team, the channel, and say hello there.

        Teams also sends installationUpdate for the same install, which welcomes the person:
        answering both would greet them twice.
        """
        activity = context.activity
        recipient = activity.recipient.id if activity.recipient else None
        if not any(member.id == recipient for member in activity.members_added or []):
            return
        await self._remember(actor_of(activity), context)
        if conversation_type_of(activity) != PERSONAL:
            await _send(context, notice_card(Translator.for_locale(activity.locale)("welcome.channel")))

    async def on_installation_update(self, context: TurnContext, _state: TurnState) -> None:
        """Installed for a person: welcome them, once, in their language."""
        activity = context.activity
        actor = actor_of(activity)
        if not (activity.action or "").startswith("add"):
            return
        try:
            if conversation_type_of(activity) != PERSONAL or actor is None:
                await self._remember(actor, context)
                return
            welcome = await self._signup.meet(actor, conversation_of(activity, actor))
            if welcome is not None:
                await _send(context, welcome_card(welcome, Translator.for_locale(activity.locale)))
        except Exception:
            log.exception("install turn failed: %s", _describe(context))

    async def _remember(self, actor: Actor | None, context: TurnContext) -> None:
        conversation = conversation_of(context.activity, actor)
        channel = team_channel_of(context.activity)
        if channel is not None:
            await self._announcements.remember_channel(
                channel, channel_conversation(context.activity, channel)
            )
        elif conversation is not None:
            await self._signup.remember_conversation(conversation)

    # -- verbs and commands ------------------------------------------------------------------

    async def on_help_show(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return await self._help(actor, t)

    async def _help(self, actor: Actor, t: Translator, *, not_understood: bool = False) -> Element:
        """What the bot can do; HR's own commands only for HR."""
        has_profile = await self._signup.profile(actor) is not None
        hr = bool(await self._announcements.hr_of(actor))
        return help_card(t, has_profile=has_profile, hr=hr, not_understood=not_understood)

    async def on_profile_show(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return _profile_or_none(await self._signup.profile(actor), t)

    async def on_availability_edit(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return availability_form_card(await self._signup.form(actor), t)

    async def on_availability_save(self, actor: Actor, t: Translator, data: Any) -> Element:
        result = await self._signup.save(actor, parse_availability(data))
        if isinstance(result, FormView):
            return availability_form_card(result, t)
        return profile_card(result, t, banner=t("profile.saved"))

    async def on_pause_command(self, actor: Actor, t: Translator, _data: Any) -> Element:
        view = await self._signup.pause_form(actor)
        return pause_card(view, t) if view else no_profile_card(t)

    async def on_availability_pause(self, actor: Actor, t: Translator, data: Any) -> Element:
        result = await self._signup.pause(actor, parse_pause_until(data))
        if isinstance(result, PauseView):
            return pause_card(result, t)
        return _profile_or_none(result, t)

    async def on_availability_resume(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return _profile_or_none(await self._signup.resume(actor), t, banner=t("resume.done"))

    async def on_availability_withdraw(self, actor: Actor, t: Translator, _data: Any) -> Element:
        profile = await self._signup.profile(actor)
        return withdraw_confirm_card(t) if profile else no_profile_card(t)

    async def on_availability_withdraw_confirm(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return _profile_or_none(await self._signup.withdraw(actor), t, banner=t("withdraw.done"))

    # -- klussen ----------------------------------------------------------------------------

    async def on_suggestions_off(self, actor: Actor, t: Translator, _data: Any) -> Element:
        done = await self._klussen.stop_suggestions(actor)
        return notice_card(t("suggestions.off" if done else "profile.none"))

    async def on_klus_new(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return _klus_result(await self._klussen.form(actor), t)

    async def on_klus_edit(self, actor: Actor, t: Translator, data: Any) -> Element:
        klus_id = parse_klus_id(data)
        return _klus_result(
            await self._klussen.form(actor, klus_id) if klus_id else Refusal("klus_not_found"), t
        )

    async def on_klus_post(self, actor: Actor, t: Translator, data: Any) -> Element:
        klus_id = parse_klus_id(data)
        result = await self._klussen.post(actor, parse_klus(data), klus_id)
        if isinstance(result, Refusal | KlusFormView):
            return _klus_result(result, t)
        return posted_card(result, t, banner=t("klus.saved" if klus_id else "klus.posted"))

    async def on_klus_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_klus(data, t, lambda klus_id: self._klussen.offer(actor, klus_id))

    async def on_klus_mine(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return my_klussen_card(await self._klussen.mine(actor), t)

    async def on_klus_list(self, actor: Actor, t: Translator, data: Any) -> Element:
        return offers_card(await self._klussen.offers(actor, parse_filters(data)), t)

    async def on_klus_cancel(self, actor: Actor, t: Translator, data: Any) -> Element:
        klus_id = parse_klus_id(data)
        return cancel_confirm_card(klus_id, t) if klus_id else _refused(Refusal("klus_not_found"), t)

    async def on_klus_cancel_confirm(self, actor: Actor, t: Translator, data: Any) -> Element:
        klus_id = parse_klus_id(data)
        result = await self._klussen.cancel(actor, klus_id) if klus_id else Refusal("klus_not_found")
        if isinstance(result, Refusal):
            return _refused(result, t)
        return my_klussen_card(await self._klussen.mine(actor), t, banner=t("cancel.done"))

    async def on_klus_candidates(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_klus(data, t, lambda klus_id: self._klussen.candidates(actor, klus_id))

    async def on_interest_add(self, actor: Actor, t: Translator, data: Any) -> Element:
        motivation = parse_motivation(data)
        return await self._on_klus(
            data, t, lambda klus_id: self._klussen.show_interest(actor, klus_id, motivation), "interest.sent"
        )

    async def on_interest_withdraw(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_klus(
            data, t, lambda klus_id: self._klussen.withdraw_interest(actor, klus_id), "interest.withdrawn"
        )

    async def on_candidate_invite(self, actor: Actor, t: Translator, data: Any) -> Element:
        person_id = parse_person_id(data) or ""
        return await self._on_klus(
            data, t, lambda klus_id: self._klussen.invite(actor, klus_id, person_id), "candidates.invited"
        )

    async def on_candidate_choose(self, actor: Actor, t: Translator, data: Any) -> Element:
        person_id = parse_person_id(data) or ""
        return await self._on_klus(
            data, t, lambda klus_id: self._klussen.choose(actor, klus_id, person_id), "candidates.chosen"
        )

    async def on_match_confirm(self, actor: Actor, t: Translator, data: Any) -> Element:
        share = parse_share_motivation(data)
        return await self._on_klus(
            data,
            t,
            lambda klus_id: self._klussen.confirm(actor, klus_id, share_motivation=share),
            "match.confirmed",
        )

    async def on_match_decline(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_klus(
            data, t, lambda klus_id: self._klussen.decline(actor, klus_id), "match.declined"
        )

    # -- approvals ---------------------------------------------------------------------------

    async def on_approval_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_approval(data, t, lambda a: self._approvals.show(actor, a))

    async def on_approval_approve(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_approval(data, t, lambda a: self._approvals.approve(actor, a))

    async def on_approval_decline(self, actor: Actor, t: Translator, data: Any) -> Element:
        reason = parse_reason(data)
        return await self._on_approval(data, t, lambda a: self._approvals.decline(actor, a, reason))

    async def on_approval_forward(self, actor: Actor, t: Translator, data: Any) -> Element:
        delegate = parse_delegate(data)
        return await self._on_approval(data, t, lambda a: self._approvals.forward(actor, a, delegate))

    async def on_agreement_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        approval_id = parse_approval_id(data)
        result = (
            await self._agreements.link(actor, approval_id) if approval_id else Refusal("agreement_not_found")
        )
        return _refused(result, t) if isinstance(result, Refusal) else agreement_link_card(result, t)

    async def on_hours_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        month, _, _ = parse_hours(data)
        return await self._on_work(data, t, lambda a: self._work.hours(actor, a, month))

    async def on_hours_report(self, actor: Actor, t: Translator, data: Any) -> Element:
        month, hours, unreadable = parse_hours(data)
        return await self._on_work(
            data, t, lambda a: self._work.report_hours(actor, a, month, hours, unreadable)
        )

    async def on_hours_check(self, actor: Actor, t: Translator, data: Any) -> Element:
        """The "Hours are right" button: exactly the hours the card showed, whatever is in the box."""
        month, shown, unreadable = parse_hours(data, WorkInput.SHOWN)
        return await self._on_work(
            data, t, lambda a: self._work.correct_hours(actor, a, month, shown, unreadable, shown=shown)
        )

    async def on_hours_correct(self, actor: Actor, t: Translator, data: Any) -> Element:
        month, hours, unreadable = parse_hours(data)
        _, shown, _ = parse_hours(data, WorkInput.SHOWN)
        return await self._on_work(
            data, t, lambda a: self._work.correct_hours(actor, a, month, hours, unreadable, shown=shown)
        )

    async def on_work_complete(self, actor: Actor, t: Translator, data: Any) -> Element:
        """Only asks whether the work is really done: the confirmation ends it."""
        approval_id = parse_approval_id(data)
        month, _, _ = parse_hours(data)
        if not approval_id:
            return _refused(Refusal("match_not_found"), t)
        return work_complete_confirm_card(approval_id, month, t)

    async def on_work_complete_confirm(self, actor: Actor, t: Translator, data: Any) -> Element:
        """The card pressed shows the match's status again; the evaluation comes as its own message."""
        approval_id = parse_approval_id(data)
        if not approval_id:
            return _refused(Refusal("match_not_found"), t)
        ended = await self._work.complete(actor, approval_id)
        shown = ended if isinstance(ended, Refusal) else await self._approvals.show(actor, approval_id)
        if isinstance(shown, Refusal):
            return _refused(shown, t)
        return approval_card(
            replace(shown, banner="work.completed" if ended else "work.already_completed"), t
        )

    async def on_evaluation_send(self, actor: Actor, t: Translator, data: Any) -> Element:
        draft = parse_evaluation(data)
        return await self._on_work(data, t, lambda a: self._work.evaluate(actor, a, draft))

    async def on_evaluations_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        approval_id = parse_approval_id(data)
        result = (
            await self._work.evaluations(actor, approval_id) if approval_id else Refusal("match_not_found")
        )
        if isinstance(result, Refusal):
            return _refused(result, t)
        return evaluations_card(result, t, parse_report(data))  # from the HR list: its report

    async def _on_work(
        self,
        data: Any,
        t: Translator,
        action: Callable[[int], Awaitable[HoursView | EvaluationView | Refusal]],
    ) -> Element:
        approval_id = parse_approval_id(data)
        result = await action(approval_id) if approval_id else Refusal("match_not_found")
        if isinstance(result, Refusal):
            return _refused(result, t)
        return hours_card(result, t) if isinstance(result, HoursView) else evaluation_card(result, t)

    async def agreement_pdf(
        self, approval_id: int, language: str, expires: str, signature: str
    ) -> tuple[str, bytes] | None:
        """For the download route: the PDF behind an agreement card's signed link."""
        return await self._agreements.pdf(approval_id, language, expires, signature)

    async def _on_approval(
        self, data: Any, t: Translator, action: Callable[[int], Awaitable[ApprovalView | Refusal]]
    ) -> Element:
        approval_id = parse_approval_id(data)
        result = await action(approval_id) if approval_id else Refusal("approval_not_found")
        return _refused(result, t) if isinstance(result, Refusal) else approval_card(result, t)

    async def on_access_log_show(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return access_log_card(await self._approvals.access_log(actor), t)

    # -- announcements and digests -------------------------------------------------------------

    async def on_announce_new(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return _announce_result(await self._announcements.composer(actor), t)

    async def on_announce_edit(self, actor: Actor, t: Translator, data: Any) -> Element:
        return _announce_result(await self._announcements.composer(actor, parse_announcement(data)), t)

    async def on_announce_preview(self, actor: Actor, t: Translator, data: Any) -> Element:
        return _announce_result(await self._announcements.preview(actor, parse_announcement(data)), t)

    async def on_announce_send(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._publish(actor, t, data, scheduled=False)

    async def on_announce_schedule(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._publish(actor, t, data, scheduled=True)

    async def _publish(self, actor: Actor, t: Translator, data: Any, *, scheduled: bool) -> Element:
        """The preview becomes a short confirmation: the live report is the card that follows."""
        result = await self._announcements.publish(actor, parse_announcement(data), scheduled=scheduled)
        return published_card(result, t) if isinstance(result, ReportView) else _announce_result(result, t)

    async def on_announce_report(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_announcement(data, t, lambda a: self._announcements.report(actor, a))

    async def on_announce_cancel(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_announcement(data, t, lambda a: self._announcements.cancel(actor, a))

    async def on_announce_withdraw(self, actor: Actor, t: Translator, data: Any) -> Element:
        return await self._on_announcement(data, t, lambda a: self._announcements.withdraw(actor, a))

    async def _on_announcement(
        self, data: Any, t: Translator, action: Callable[[int], Awaitable[ReportView | Refusal]]
    ) -> Element:
        announcement_id = parse_announcement_id(data)
        result = await action(announcement_id) if announcement_id else Refusal("announcement_not_found")
        return _announce_result(result, t)

    async def on_digest_on(self, actor: Actor, t: Translator, _data: Any) -> Element:
        await self._digests.set(actor, True)
        return notice_card(t("digest.on"), [execute(t("action.digest_off"), Verb.DIGEST_OFF)])

    async def on_digest_off(self, actor: Actor, t: Translator, _data: Any) -> Element:
        await self._digests.set(actor, False)
        return notice_card(t("digest.off"), [execute(t("action.digest_on"), Verb.DIGEST_ON)])

    # -- reports -------------------------------------------------------------------------------

    async def on_report_show(self, actor: Actor, t: Translator, data: Any) -> Element:
        result = await self._reports.report(actor, parse_report(data))
        return _refused(result, t) if isinstance(result, Refusal) else report_figures_card(result, t)

    async def on_report_evaluations(self, actor: Actor, t: Translator, data: Any) -> Element:
        result = await self._reports.evaluations(actor, parse_report(data))
        return _refused(result, t) if isinstance(result, Refusal) else report_evaluations_card(result, t)

    async def report_csv(
        self, organisation: str, start: date, end: date, expires: str, signature: str
    ) -> str | None:
        """For the download route: the CSV behind a report card's signed link."""
        return await self._reports.csv(organisation, start, end, expires, signature)

    # -- privacy -------------------------------------------------------------------------------

    async def on_my_data_show(self, actor: Actor, t: Translator, _data: Any) -> Element:
        view = await self._privacy.my_data(actor)
        return my_data_card(view, t) if view else no_profile_card(t)

    async def on_my_data_erase(self, actor: Actor, t: Translator, _data: Any) -> Element:
        return erase_confirm_card(t)

    async def on_my_data_erase_confirm(self, actor: Actor, t: Translator, _data: Any) -> Element:
        await self._privacy.erase(actor)
        return notice_card(t("erase.done"))

    async def my_data_export(self, aad_object_id: str, expires: str, signature: str) -> dict[str, Any] | None:
        """For the download route: the JSON behind a `my data` card's signed link."""
        return await self._privacy.export(aad_object_id, expires, signature)

    async def recipients_csv(self, announcement_id: int, expires: str, signature: str) -> str | None:
        """For the download route: the CSV behind a report card's signed link."""
        return await self._announcements.recipients_csv(announcement_id, expires, signature)

    async def _on_klus(
        self,
        data: Any,
        t: Translator,
        action: Callable[[int], Awaitable[KlusOffer | CandidatesView | Refusal]],
        banner: str | None = None,
    ) -> Element:
        """Read the klus id the card sent, run the action, and show its outcome."""
        klus_id = parse_klus_id(data)
        result = await action(klus_id) if klus_id else Refusal("klus_not_found")
        if isinstance(result, Refusal):
            return _refused(result, t)
        if isinstance(result, CandidatesView):
            return candidates_card(result, t, banner=t(banner) if banner else None)
        return klus_card(result, t, banner=t(banner) if banner else None)


def _refused(refusal: Refusal, t: Translator) -> Element:
    return notice_card(t(f"refusal.{refusal.code}"), [execute(t("action.help"), Verb.HELP_SHOW)])


def _announce_result(result: ComposerView | PreviewView | ReportView | Refusal, t: Translator) -> Element:
    if isinstance(result, Refusal):
        return _refused(result, t)
    if isinstance(result, ComposerView):
        return composer_card(result, t)
    if isinstance(result, PreviewView):
        return preview_card(result, t)
    return report_card(result, t)


def _klus_result(result: KlusFormView | Refusal, t: Translator) -> Element:
    return _refused(result, t) if isinstance(result, Refusal) else klus_form_card(result, t)


def _profile_or_none(profile: ProfileView | None, t: Translator, *, banner: str | None = None) -> Element:
    return profile_card(profile, t, banner=banner) if profile else no_profile_card(t)


def _card_response(card: Element) -> AdaptiveCardInvokeResponse:
    return invoke_factory.adaptive_card(card)  # type: ignore[arg-type]


async def _send(context: TurnContext, card: Element) -> None:
    await context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(card)))


def _describe(context: TurnContext) -> str:
    activity = context.activity
    conversation = activity.conversation.id if activity.conversation else "?"
    return f"type={activity.type} name={activity.name} id={activity.id} conversation={conversation}"


def build_agent(bot: KlussenbankBot, connections: Connections) -> AgentApplication[TurnState]:
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
        log.error("turn failed outside a handler: %s", _describe(context), exc_info=error)

    return app
