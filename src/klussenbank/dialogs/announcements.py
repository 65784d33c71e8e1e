"""HR's announcements (the composer and its round trip with errors, the preview, sending or planning,
the live report) and a person's weekly digest."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from klussenbank.cards.announcements import composer_card, preview_card, published_card, report_card
from klussenbank.cards.elements import Element, execute
from klussenbank.cards.general import notice_card
from klussenbank.dialogs.inputs import Inputs, once_key, record_id
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn, on_record, refused
from klussenbank.domain.announcement import AnnouncementDraft
from klussenbank.i18n import Translator
from klussenbank.services.once import Repeated
from klussenbank.services.ports.records import Actor
from klussenbank.services.views import ComposerView, PreviewView, Refusal, ReportView
from klussenbank.verbs import AnnounceInput as A
from klussenbank.verbs import Verb

router = Router()


def parse_announcement(data: object) -> AnnouncementDraft:
    """The composer's inputs (also when preview and send carry them as data)."""
    inputs = Inputs(data)
    draft = AnnouncementDraft(
        title=inputs.text(A.TITLE),
        text=inputs.text(A.TEXT),
        link_title=inputs.text(A.LINK_TITLE),
        link_url=inputs.text(A.LINK_URL),
        channels=inputs.choices(A.CHANNELS),
        organisations=inputs.choices(A.ORGANISATIONS),
        send_date=inputs.day(A.SEND_DATE),
        send_time=inputs.clock(A.SEND_TIME),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_announcement_id(data: object) -> int | None:
    return record_id(data, A.ANNOUNCEMENT_ID)


@router.verb(Verb.ANNOUNCE_NEW)
@router.command("announce")
async def on_announce_new(services: Services, actor: Actor, turn: Turn) -> Element:
    return _announce_result(await services.announcements.composer(actor), turn.t)


@router.verb(Verb.ANNOUNCE_EDIT)
async def on_announce_edit(services: Services, actor: Actor, turn: Turn) -> Element:
    draft = parse_announcement(turn.data)
    return _announce_result(await services.announcements.composer(actor, draft), turn.t)


@router.verb(Verb.ANNOUNCE_PREVIEW)
async def on_announce_preview(services: Services, actor: Actor, turn: Turn) -> Element:
    draft = parse_announcement(turn.data)
    return _announce_result(await services.announcements.preview(actor, draft), turn.t)


@router.verb(Verb.ANNOUNCE_SEND)
async def on_announce_send(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _publish(services, actor, turn, scheduled=False)


@router.verb(Verb.ANNOUNCE_SCHEDULE)
async def on_announce_schedule(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _publish(services, actor, turn, scheduled=True)


async def _publish(services: Services, actor: Actor, turn: Turn, *, scheduled: bool) -> Element:
    """The preview becomes a short confirmation: the live report is the card that follows."""
    draft = parse_announcement(turn.data)
    result = await services.announcements.publish(actor, draft, scheduled=scheduled, once=once_key(turn.data))
    if isinstance(result, Repeated):
        return published_card(result.result, turn.t)
    return (
        published_card(result, turn.t) if isinstance(result, ReportView) else _announce_result(result, turn.t)
    )


@router.verb(Verb.ANNOUNCE_REPORT)
async def on_announce_report(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_announcement(turn, lambda a: services.announcements.report(actor, a))


@router.verb(Verb.ANNOUNCE_CANCEL)
async def on_announce_cancel(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_announcement(turn, lambda a: services.announcements.cancel(actor, a))


@router.verb(Verb.ANNOUNCE_WITHDRAW)
async def on_announce_withdraw(services: Services, actor: Actor, turn: Turn) -> Element:
    return await _on_announcement(turn, lambda a: services.announcements.withdraw(actor, a))


async def _on_announcement(turn: Turn, action: Callable[[int], Awaitable[ReportView | Refusal]]) -> Element:
    result = await on_record(parse_announcement_id(turn.data), "announcement_not_found", action)
    return _announce_result(result, turn.t)


def _announce_result(result: ComposerView | PreviewView | ReportView | Refusal, t: Translator) -> Element:
    if isinstance(result, Refusal):
        return refused(result, t)
    if isinstance(result, ComposerView):
        return composer_card(result, t)
    if isinstance(result, PreviewView):
        return preview_card(result, t)
    return report_card(result, t)


@router.verb(Verb.DIGEST_ON)
@router.command("digest_on")
async def on_digest_on(services: Services, actor: Actor, turn: Turn) -> Element:
    await services.digests.set(actor, True)
    return notice_card(turn.t("digest.on"), [execute(turn.t("action.digest_off"), Verb.DIGEST_OFF)])


@router.verb(Verb.DIGEST_OFF)
@router.command("digest_off")
async def on_digest_off(services: Services, actor: Actor, turn: Turn) -> Element:
    await services.digests.set(actor, False)
    return notice_card(turn.t("digest.off"), [execute(turn.t("action.digest_on"), Verb.DIGEST_ON)])
