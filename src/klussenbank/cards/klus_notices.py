"""Messages about a klus to one person, sent later through the outbox, and the weekly digest of new klussen."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from klussenbank.cards.agreements import open_agreement
from klussenbank.cards.contact import contact_block
from klussenbank.cards.elements import Element, card, execute, subtle, text, title
from klussenbank.cards.klus_elements import (
    confirm_actions,
    interest_action,
    kept_current,
    klus_body,
    klus_data,
    klus_line,
    openable,
    share_toggle,
)
from klussenbank.cards.why import why, why_block
from klussenbank.i18n import Language, Translator
from klussenbank.services.views import DigestView, KlusNotice, KlusView
from klussenbank.verbs import Verb

# Notices that show a candidate the klus with its state: they stay current (refresh to klus.show).
# The others are messages about a moment (interest received, not chosen, a decision) and stay as sent.
SHOWS_THE_KLUS = ("new_klus", "invited", "chosen", "proposed")


@lru_cache(maxsize=16)
def _klus_body(klus: KlusView, language: Language) -> tuple[Element, ...]:
    """The klus part of a suggestion, the same for everyone told in one language: a new klus tells
    up to 25 people, and this part took half of the CPU of making their cards."""
    return tuple(klus_body(klus, Translator(language)))


def notice_card_for(notice: KlusNotice, t: Translator) -> Element:
    """A message about a klus to one person, sent later through the outbox."""
    klus = notice.klus
    data = klus_data(klus.id)
    key = f"notice.{notice.kind}"
    body: list[Element] = [
        title(t(f"{key}.title", title=klus.title, name=notice.name)),
        text(
            t(
                f"{key}.text",
                title=klus.title,
                name=notice.name,
                poster=klus.poster_name,
                approver=notice.approver,
            )
        ),
    ]
    actions: list[Element] = []
    if notice.kind in ("new_klus", "invited"):
        body += _klus_body(klus, t.language)
        if notice.match is not None:
            body += why_block(notice.match, t)
        actions += [interest_action(data, t), execute(t("action.klus_show"), Verb.KLUS_SHOW, data=data)]
        if notice.kind == "new_klus":
            actions.append(execute(t("action.suggestions_off"), Verb.SUGGESTIONS_OFF))
    elif notice.kind in ("shift_request", "proposal_declined"):  # to a coordinator: places to fill
        body += klus_body(klus, t)
        actions.append(
            execute(t("shifts.action.people"), Verb.SHIFTS_CANDIDATES, style="positive", data=data)
        )
    elif notice.kind in ("chosen", "proposed"):
        body += klus_body(klus, t)
        body.append(share_toggle(t))
        actions += confirm_actions(data, t)
    elif notice.kind.startswith("approval_"):
        if notice.reason:
            body.append(text(t("approval.reason_was", reason=notice.reason)))
        if notice.agreement_id is not None:  # one message with the outcome and the agreement
            body.append(text(t("agreement.ready_line")))
            actions.append(open_agreement(notice.agreement_id, t, style="positive"))
        if notice.kind in ("approval_declined_poster", "approval_expired_poster"):
            actions.append(execute(t("action.candidates"), Verb.KLUS_CANDIDATES, style="positive", data=data))
        else:
            actions.append(execute(t("action.klus_show"), Verb.KLUS_SHOW, data=data))
    elif notice.kind in ("interest", "declined", "expired", "left"):
        if notice.motivation:
            body.append(text(t("candidates.motivation", motivation=notice.motivation)))
        if notice.kind == "expired":
            body.append(text(t("notice.expired.next", date=t.date(klus.internal_first_until))))
        actions.append(execute(t("action.candidates"), Verb.KLUS_CANDIDATES, style="positive", data=data))
    if notice.contact is not None:
        body.append(contact_block(notice.contact, t))
    if notice.others:
        body.append(text(t("notice.others"), weight="Bolder"))
        for other in notice.others:
            body.append(
                openable(
                    [text(other.klus.title, weight="Bolder"), subtle(klus_line(other.klus, t))],
                    other.klus.id,
                    t,
                )
            )
    if not actions:
        actions.append(execute(t("action.klus_list"), Verb.KLUS_LIST))
    if notice.kind in SHOWS_THE_KLUS:
        return kept_current(card(body, actions), klus.id, notice.refresh_user_ids)
    return card(body, actions)


def digest_card(view: DigestView, t: Translator) -> Element:
    """New klussen of the week: in a channel for everyone, or ranked for one person."""
    body: list[Element] = [
        title(t("digest.title")),
        subtle(
            t(
                "digest.intro.personal" if view.personal else "digest.intro.channel",
                organisation=view.organisation_name,
            )
        ),
    ]
    for offer in view.offers:
        items: list[Element] = [text(offer.klus.title, weight="Bolder"), subtle(klus_line(offer.klus, t))]
        if offer.match is not None:
            items.append(text(why(offer.match, t, "you")))
        body.append(openable(items, offer.klus.id, t))
    actions = [execute(t("action.klus_list"), Verb.KLUS_LIST, style="positive")]
    if view.personal:
        actions.append(execute(t("action.digest_off"), Verb.DIGEST_OFF))
    return card(body, actions)


class CardRenderer:
    """The NoticeRenderer and DigestRenderer ports: cards in the recipient's language."""

    def render(self, notice: KlusNotice, locale: str) -> dict[str, Any]:
        return notice_card_for(notice, Translator.for_locale(locale))

    def digest(self, view: DigestView, locale: str) -> dict[str, Any]:
        return digest_card(view, Translator.for_locale(locale))
