"""Cards of the marketplace: a klus as a candidate and as its poster see it, the lists of klussen, the
candidates."""

from __future__ import annotations

from klussenbank.cards.contact import contact_block
from klussenbank.cards.elements import (
    Element,
    card,
    container,
    execute,
    good,
    once_data,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.cards.general import next_step_action
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
from klussenbank.domain.klus import InterestStatus, KlusStatus
from klussenbank.i18n import Translator
from klussenbank.services.views import (
    CandidatesView,
    KlusOffer,
    KlusSummary,
    KlusView,
    OfferFilters,
    OffersView,
)
from klussenbank.verbs import KlusInput, Verb

F = KlusInput


def klus_card(offer: KlusOffer, t: Translator, *, banner: str | None = None) -> Element:
    """A klus as a candidate sees it: what, why it fits, and what they can do."""
    klus = offer.klus
    body: list[Element] = [title(klus.title)]
    if offer.banner:  # their press came too late: nothing happened, and this is how it is now
        body.append(text(t(offer.banner), color="Warning", weight="Bolder"))
    elif banner:
        body.append(good(banner))
    body += klus_body(klus, t)
    if offer.match is not None:
        body += why_block(offer.match, t)
    data = klus_data(klus.id)
    if offer.own:
        return kept_current(
            card(
                body,
                [
                    execute(t("action.candidates"), Verb.KLUS_CANDIDATES, data=data),
                    execute(t("action.mine"), Verb.KLUS_MINE),
                ],
            ),
            klus.id,
            offer.refresh_user_ids,
        )
    actions: list[Element] = []
    status = offer.interest
    if status is not None:
        body.append(subtle(t(f"interest.status.{'work_done' if offer.work_done else status.value}")))
        if offer.motivation:
            body.append(subtle(t("interest.your_motivation", motivation=offer.motivation)))
    not_in_yet = status in (None, InterestStatus.INVITED, InterestStatus.WITHDRAWN)
    if offer.accepts_interest and klus.status is KlusStatus.OPEN and not_in_yet:
        actions.append(interest_action(data, t))
    elif status in (InterestStatus.INTERESTED,) and klus.status is KlusStatus.OPEN:
        actions.append(execute(t("action.interest_withdraw"), Verb.INTEREST_WITHDRAW, data=data))
    elif status is InterestStatus.CHOSEN and klus.status is KlusStatus.OPEN:
        body.append(share_toggle(t))
        actions += confirm_actions(data, t)
    if offer.contact is not None:
        body.append(contact_block(offer.contact, t))
    actions.append(execute(t("action.klus_list"), Verb.KLUS_LIST))
    return kept_current(card(body, actions), klus.id, offer.refresh_user_ids)


def offers_card(view: OffersView, t: Translator) -> Element:
    filters = view.filters
    body: list[Element] = [title(t("offers.title"))]
    if not view.offers:
        if view.filters != OfferFilters():
            body.append(text(t("offers.none_filtered")))
        else:
            body.append(text(t("offers.none" if view.has_profile else "offers.none_no_profile")))
    elif not view.has_profile:
        body.append(text(t("offers.sign_up_first")))
    for offer in view.offers:
        items = [
            text(offer.klus.title, weight="Bolder"),
            subtle(klus_line(offer.klus, t)),
        ]
        if offer.match is not None:
            items.append(text(why(offer.match, t, "you")))
        if offer.interest is not None:
            items.append(subtle(t(f"interest.status.{offer.interest.value}")))
        body.append(openable(items, offer.klus.id, t))
    filter_form = card(
        [
            {
                "type": "Input.ChoiceSet",
                "id": F.FILTER_ORGANISATION,
                "label": t("offers.filter_organisation"),
                "style": "compact",
                "placeholder": t("offers.filter_any"),
                "choices": [{"title": org.name, "value": org.key} for org in view.organisation_choices],
                "value": filters.organisation or "",
            },
            {
                "type": "Input.Toggle",
                "id": F.FILTER_REMOTE,
                "title": t("offers.filter_remote"),
                "value": "true" if filters.remote else "false",
            },
            {
                "type": "Input.Number",
                "id": F.FILTER_MAX_HOURS,
                "label": t("offers.filter_max_hours"),
                **({"value": filters.max_hours} if filters.max_hours else {}),
            },
        ],
        [execute(t("action.filter"), Verb.KLUS_LIST, style="positive")],
    )
    actions = [show_card(t("action.filters"), filter_form), execute(t("action.klus_new"), Verb.KLUS_NEW)]
    if not view.has_profile:
        actions.insert(0, next_step_action(False, t))
    return card(body, actions)


def my_klussen_card(summaries: list[KlusSummary], t: Translator, *, banner: str | None = None) -> Element:
    body: list[Element] = [title(t("mine.title"))]
    if banner:
        body.append(good(banner))
    if not summaries:
        body.append(text(t("mine.none")))
    for summary in summaries:
        klus = summary.klus
        data = klus_data(klus.id)
        items: list[Element] = [
            text(klus.title, weight="Bolder"),
            subtle(
                t(
                    "mine.counts",
                    status=t(f"klus.status.{klus.status.value}"),
                    interested=summary.interested,
                    confirmed=summary.confirmed,
                    needed=klus.people_needed,
                )
            ),
        ]
        actions = [execute(t("action.candidates"), Verb.KLUS_CANDIDATES, data=data)]
        if klus.status is KlusStatus.OPEN:
            actions += [
                execute(t("action.edit"), Verb.KLUS_EDIT, data=data),
                execute(t("action.klus_cancel"), Verb.KLUS_CANCEL, data=data),
            ]
        items.append({"type": "ActionSet", "actions": actions})
        body.append(container(items, separator=True))
    return card(body, [execute(t("action.klus_new"), Verb.KLUS_NEW, style="positive")])


def candidates_card(view: CandidatesView, t: Translator, *, banner: str | None = None) -> Element:
    klus = view.klus
    body: list[Element] = [title(t("candidates.title", title=klus.title))]
    if banner:
        body.append(good(banner))
    body.append(subtle(t("candidates.intro", chosen=view.chosen, needed=klus.people_needed)))
    if not view.candidates:
        body.append(text(t("candidates.none")))
    for row in view.candidates:
        items: list[Element] = [text(f"{row.name} · {row.organisation}", weight="Bolder")]
        if row.match is not None:
            items.append(text(why(row.match, t, "they")))
        status = row.interest
        items.append(subtle(t(f"candidates.status.{status.value if status else 'suggested'}")))
        if row.motivation:
            items.append(text(t("candidates.motivation", motivation=row.motivation)))
        if row.intro:
            items.append(subtle(t("candidates.about", intro=row.intro)))
        if row.contact is not None:
            items.append(contact_block(row.contact, t))
        data = once_data(klus_data(klus.id, row.person_id))  # a key per person: choose one, then another
        places_left = view.chosen < klus.people_needed  # (inviting or choosing more is no use when full)
        if klus.status is KlusStatus.OPEN and places_left:
            if status is None:
                items.append(_action_set([execute(t("action.invite"), Verb.CANDIDATE_INVITE, data=data)]))
            elif status is InterestStatus.INTERESTED:
                items.append(
                    _action_set(
                        [execute(t("action.choose"), Verb.CANDIDATE_CHOOSE, style="positive", data=data)]
                    )
                )
        body.append(container(items, separator=True))
    return card(body, [execute(t("action.mine"), Verb.KLUS_MINE)])


def cancel_confirm_card(klus_id: int, t: Translator) -> Element:
    data = once_data(klus_data(klus_id))
    return card(
        [title(t("cancel.title")), text(t("cancel.text"))],
        [
            execute(
                t("action.klus_cancel_confirm"), Verb.KLUS_CANCEL_CONFIRM, style="destructive", data=data
            ),
            execute(t("action.back"), Verb.KLUS_MINE),
        ],
    )


def posted_card(klus: KlusView, t: Translator, *, banner: str) -> Element:
    """The poster's own view of their klus, right after posting or saving it."""
    data = klus_data(klus.id)
    return card(
        [title(klus.title), good(banner), *klus_body(klus, t)],
        [
            execute(t("action.candidates"), Verb.KLUS_CANDIDATES, data=data),
            execute(t("action.mine"), Verb.KLUS_MINE),
        ],
    )


def _action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}
