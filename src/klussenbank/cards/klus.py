"""Cards of the marketplace: the klus form, a klus as a candidate sees it, lists, candidates, notices."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    card,
    container,
    date_input,
    execute,
    facts,
    good,
    refresh,
    show_card,
    skill_choices,
    skill_label,
    subtle,
    text,
    title,
)
from klussenbank.domain.klus import MAX_MOTIVATION, InterestStatus, KlusStatus, Visibility
from klussenbank.domain.matching import Match
from klussenbank.domain.people import WorkMode
from klussenbank.i18n import Translator
from klussenbank.services.views import (
    CandidatesView,
    DigestView,
    KlusFormView,
    KlusNotice,
    KlusOffer,
    KlusSummary,
    KlusView,
    OffersView,
)
from klussenbank.verbs import KlusInput, Verb

F = KlusInput
# Notices that show a candidate the klus with its state: they stay current (refresh to klus.show).
# The others are messages about a moment (interest received, not chosen, a decision) and stay as sent.
SHOWS_THE_KLUS = ("new_klus", "invited", "chosen")


def klus_form_card(view: KlusFormView, t: Translator) -> Element:
    values = view.values
    form = FormBody(
        [
            title(t("klus_form.title_edit" if view.klus_id else "klus_form.title_new")),
            subtle(t("klus_form.intro")),
        ],
        view.errors,
        t,
    )
    field = form.field
    skills = skill_choices(view.skill_choices, t)

    def choice_set(input_id: str, choices: list[dict[str, str]], value: str, **extra: Any) -> Element:
        return {
            "type": "Input.ChoiceSet",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "choices": choices,
            "value": value,
            **extra,
        }

    def number(input_id: str, value: int | None, minimum: int, maximum: int) -> Element:
        element: Element = {
            "type": "Input.Number",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "min": minimum,
            "max": maximum,
        }
        if value is not None:
            element["value"] = value
        return element

    def line(input_id: str, value: str, max_length: int, **extra: Any) -> Element:
        return {
            "type": "Input.Text",
            "id": input_id,
            "label": t(f"klus_form.{input_id}"),
            "maxLength": max_length,
            "value": value,
            **extra,
        }

    field(line(F.TITLE, values.title, 80, placeholder=t("klus_form.title_placeholder")))
    field(line(F.DESCRIPTION, values.description, 2000, isMultiline=True))
    field(
        choice_set(
            F.ORGANISATION,
            [{"title": org.name, "value": org.key} for org in view.organisation_choices],
            values.organisation,
            style="compact",
        )
    )
    field(
        choice_set(
            F.REQUIRED_SKILLS,
            skills,
            ",".join(values.required_skills),
            isMultiSelect=True,
            style="compact",
        )
    )
    field(line(F.SKILLS_OTHER, values.skills_other, 300, placeholder=t("form.skills_other_placeholder")))
    field(
        choice_set(F.NICE_SKILLS, skills, ",".join(values.nice_skills), isMultiSelect=True, style="compact")
    )
    field(number(F.HOURS_PER_WEEK, values.hours_per_week, 1, 40))
    for input_id, value in ((F.START_DATE, values.start_date), (F.END_DATE, values.end_date)):
        field(date_input(input_id, t(f"klus_form.{input_id}"), value, minimum=view.today))
    field(
        choice_set(
            F.WORK_MODE,
            [{"title": t(f"klus_mode.{mode.value}"), "value": mode.value} for mode in WorkMode],
            values.work_mode.value if values.work_mode else "",
            style="expanded",
        )
    )
    field(line(F.PLACE, values.place, 80, placeholder=t("klus_form.place_placeholder")))
    field(number(F.PEOPLE_NEEDED, values.people_needed, 1, 20))
    field(
        date_input(
            F.INTEREST_DEADLINE,
            t("klus_form.interest_deadline"),
            values.interest_deadline,
            minimum=view.today,
        )
    )
    field(
        choice_set(
            F.VISIBILITY,
            [{"title": t(f"visibility.{v.value}"), "value": v.value} for v in Visibility],
            (values.visibility or Visibility.POOL).value,
            style="expanded",
        )
    )
    field(
        date_input(
            F.INTERNAL_FIRST_UNTIL,
            t("klus_form.internal_first_until"),
            values.internal_first_until,
            minimum=view.today,
        )
    )
    data = _ids(view.klus_id) if view.klus_id else None
    actions = [
        execute(
            t("action.klus_post" if not view.klus_id else "action.save"),
            Verb.KLUS_POST,
            style="positive",
            data=data,
        )
    ]
    if view.klus_id:
        actions.append(execute(t("action.cancel"), Verb.KLUS_MINE))
    return card(form.items, actions)


def klus_card(offer: KlusOffer, t: Translator, *, banner: str | None = None) -> Element:
    """A klus as a candidate sees it: what, why it fits, and what they can do."""
    klus = offer.klus
    body: list[Element] = [title(klus.title)]
    if offer.banner:  # their press came too late: nothing happened, and this is how it is now
        body.append(text(t(offer.banner), color="Warning", weight="Bolder"))
    elif banner:
        body.append(good(banner))
    body += _klus_body(klus, t)
    if offer.match is not None:
        body.append(text(t("klus.why", reasons=explain(offer.match, t)), weight="Bolder"))
    data = _ids(klus.id)
    if offer.own:
        return _current(
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
        actions.append(
            show_card(
                t("action.interest"),
                card(
                    [
                        {
                            "type": "Input.Text",
                            "id": F.MOTIVATION,
                            "label": t("interest.motivation"),
                            "placeholder": t("interest.motivation_placeholder"),
                            "isMultiline": True,
                            "maxLength": MAX_MOTIVATION,
                        }
                    ],
                    [execute(t("action.interest_send"), Verb.INTEREST_ADD, style="positive", data=data)],
                ),
            )
        )
    elif status in (InterestStatus.INTERESTED,) and klus.status is KlusStatus.OPEN:
        actions.append(execute(t("action.interest_withdraw"), Verb.INTEREST_WITHDRAW, data=data))
    elif status is InterestStatus.CHOSEN and klus.status is KlusStatus.OPEN:
        body.append(_share_toggle(t))
        actions += _confirm_actions(data, t)
    actions.append(execute(t("action.klus_list"), Verb.KLUS_LIST))
    return _current(card(body, actions), klus.id, offer.refresh_user_ids)


def _current(result: Element, klus_id: int, user_ids: tuple[str, ...]) -> Element:
    """The reader's Teams shows this card as the klus is now for them: it asks `klus.show` again
    whenever they see it (the "you were chosen" card says "approved" once it is)."""
    result["refresh"] = refresh(Verb.KLUS_SHOW, _ids(klus_id), user_ids)
    return result


def _openable(items: list[Element], klus_id: int, t: Translator) -> Element:
    """A klus in a list: the whole block opens it, and says so, like a link."""
    cue = {"type": "TextBlock", "text": t("action.klus_show") + " ›", "color": "Accent", "size": "Small"}
    show = execute(t("action.klus_show"), Verb.KLUS_SHOW, data=_ids(klus_id))
    return container([*items, cue], separator=True, selectAction=show)


def offers_card(view: OffersView, t: Translator) -> Element:
    filters = view.filters
    body: list[Element] = [title(t("offers.title"))]
    if not view.offers:
        body.append(text(t("offers.none")))
    for offer in view.offers:
        items = [
            text(offer.klus.title, weight="Bolder"),
            subtle(_short(offer.klus, t)),
        ]
        if offer.match is not None:
            items.append(subtle(explain(offer.match, t)))
        if offer.interest is not None:
            items.append(subtle(t(f"interest.status.{offer.interest.value}")))
        body.append(_openable(items, offer.klus.id, t))
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
                "min": 1,
                "max": 40,
                **({"value": filters.max_hours} if filters.max_hours else {}),
            },
        ],
        [execute(t("action.filter"), Verb.KLUS_LIST, style="positive")],
    )
    return card(
        body, [show_card(t("action.filters"), filter_form), execute(t("action.klus_new"), Verb.KLUS_NEW)]
    )


def my_klussen_card(summaries: list[KlusSummary], t: Translator, *, banner: str | None = None) -> Element:
    body: list[Element] = [title(t("mine.title"))]
    if banner:
        body.append(good(banner))
    if not summaries:
        body.append(text(t("mine.none")))
    for summary in summaries:
        klus = summary.klus
        data = _ids(klus.id)
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
            items.append(subtle(explain(row.match, t)))
        status = row.interest
        items.append(subtle(t(f"candidates.status.{status.value if status else 'suggested'}")))
        if row.motivation:
            items.append(text(t("candidates.motivation", motivation=row.motivation)))
        if row.intro:
            items.append(subtle(t("candidates.about", intro=row.intro)))
        data = _ids(klus.id, row.person_id)
        if klus.status is KlusStatus.OPEN:
            if status is None:
                items.append(_action_set([execute(t("action.invite"), Verb.CANDIDATE_INVITE, data=data)]))
            elif status is InterestStatus.INTERESTED and view.chosen < klus.people_needed:
                items.append(
                    _action_set(
                        [execute(t("action.choose"), Verb.CANDIDATE_CHOOSE, style="positive", data=data)]
                    )
                )
        body.append(container(items, separator=True))
    return card(body, [execute(t("action.mine"), Verb.KLUS_MINE)])


def cancel_confirm_card(klus_id: int, t: Translator) -> Element:
    data = _ids(klus_id)
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
    data = _ids(klus.id)
    return card(
        [title(klus.title), good(banner), *_klus_body(klus, t)],
        [
            execute(t("action.candidates"), Verb.KLUS_CANDIDATES, data=data),
            execute(t("action.mine"), Verb.KLUS_MINE),
        ],
    )


def notice_card_for(notice: KlusNotice, t: Translator) -> Element:
    """A message about a klus to one person, sent later through the outbox."""
    klus = notice.klus
    data = _ids(klus.id)
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
        body += _klus_body(klus, t)
        if notice.match is not None:
            body.append(text(t("klus.why", reasons=explain(notice.match, t)), weight="Bolder"))
        actions.append(execute(t("action.klus_show"), Verb.KLUS_SHOW, style="positive", data=data))
        if notice.kind == "new_klus":
            actions.append(execute(t("action.suggestions_off"), Verb.SUGGESTIONS_OFF))
    elif notice.kind == "chosen":
        body += _klus_body(klus, t)
        body.append(_share_toggle(t))
        actions += _confirm_actions(data, t)
    elif notice.kind.startswith("approval_"):
        if notice.reason:
            body.append(text(t("approval.reason_was", reason=notice.reason)))
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
    if notice.others:
        body.append(text(t("notice.others"), weight="Bolder"))
        for other in notice.others:
            body.append(
                _openable(
                    [text(other.klus.title, weight="Bolder"), subtle(_short(other.klus, t))], other.klus.id, t
                )
            )
    if not actions:
        actions.append(execute(t("action.klus_list"), Verb.KLUS_LIST))
    if notice.kind in SHOWS_THE_KLUS:
        return _current(card(body, actions), klus.id, notice.refresh_user_ids)
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
        items: list[Element] = [text(offer.klus.title, weight="Bolder"), subtle(_short(offer.klus, t))]
        if offer.match is not None:
            items.append(subtle(t("klus.why", reasons=explain(offer.match, t))))
        body.append(_openable(items, offer.klus.id, t))
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


def explain(match: Match, t: Translator) -> str:
    """ "3 van 4 vaardigheden · 16 van 16 uur · periode past", from the match's reasons."""
    parts = []
    for reason in match.reasons:
        params: dict[str, object] = dict(reason.params)
        variant = params.pop("fit", None)
        if reason.code == "hours":  # "16 van 16 uur", also for someone with more hours free
            params["offered"] = min(int(reason.params["offered"]), int(reason.params["needed"]))
        if variant is None and params.get("related"):
            variant = "related"
        if variant is None and params.get("partial"):
            variant = "partial"
        parts.append(t(f"reason.{reason.code}" + (f".{variant}" if variant else ""), **params))
    return " · ".join(parts)


def _klus_body(klus: KlusView, t: Translator) -> list[Element]:
    skills = [skill_label(s, t) for s in klus.required_skills] + list(klus.free_skills)
    body: list[Element] = []
    if klus.description:
        body.append(text(klus.description))
    body.append(
        facts(
            [
                (t("klus.organisation"), klus.organisation.name),
                (t("klus.poster"), klus.poster_name),
                (t("klus.skills"), ", ".join(skills)),
                (t("klus.nice_skills"), ", ".join(skill_label(s, t) for s in klus.nice_skills)),
                (t("klus.hours"), t("profile.hours_value", hours=klus.hours_per_week)),
                (
                    t("klus.period"),
                    t("profile.period_closed", start=t.date(klus.start_date), end=t.date(klus.end_date)),
                ),
                (t("klus.work_mode"), work_place(klus, t)),
                (t("klus.people_needed"), str(klus.people_needed)),
                (t("klus.deadline"), t.date(klus.interest_deadline)),
                (t("klus.status"), t(f"klus.status.{klus.status.value}")),
            ]
        )
    )
    return body


def work_place(klus: KlusView, t: Translator) -> str:
    """Remote, or on site / partly on site with the place."""
    return t(f"klus_mode.{klus.work_mode.value}") + (f", {klus.place}" if klus.place else "")


def _short(klus: KlusView, t: Translator) -> str:
    return t(
        "klus.short",
        organisation=klus.organisation.name,
        hours=klus.hours_per_week,
        mode=t(f"klus_mode.{klus.work_mode.value}"),
        deadline=t.date(klus.interest_deadline),
    )


def _share_toggle(t: Translator) -> Element:
    """Whether the line manager who approves may read the candidate's motivation: off unless chosen."""
    return {
        "type": "Input.Toggle",
        "id": F.SHARE_MOTIVATION.value,
        "title": t("match.share_motivation"),
        "value": "false",
        "valueOn": "true",
        "valueOff": "false",
    }


def _confirm_actions(data: dict[str, Any], t: Translator) -> list[Element]:
    return [
        execute(t("action.match_confirm"), Verb.MATCH_CONFIRM, style="positive", data=data),
        execute(t("action.match_decline"), Verb.MATCH_DECLINE, data=data),
    ]


def _action_set(actions: list[Element]) -> Element:
    return {"type": "ActionSet", "actions": actions}


def _ids(klus_id: int, person_id: str | None = None) -> dict[str, Any]:
    """What a klus button sends back; the server checks it, it decides nothing."""
    data: dict[str, Any] = {F.KLUS_ID.value: klus_id}
    if person_id is not None:
        data[F.PERSON_ID.value] = person_id
    return data
