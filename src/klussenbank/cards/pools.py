"""Cards of pools run by a coordinator: the coordinator's pool card (members, onboarding, recording a
qualification, adding a member), who lacks what for open requests, a person's own card (unavailable
periods, qualifications, onboarding) and the reminder before a qualification expires."""

from __future__ import annotations

from datetime import date
from typing import Any

from klussenbank.cards.elements import (
    Element,
    attention,
    card,
    container,
    date_input,
    execute,
    good,
    once_data,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.domain.people import WEEKDAYS
from klussenbank.domain.pools import Exclusion, Qualification, UnavailablePeriod
from klussenbank.i18n import Translator
from klussenbank.services.pools import LackingView, MemberView, MyPoolView, PoolView
from klussenbank.verbs import PoolInput, Verb


def period_text(period: UnavailablePeriod, t: Translator) -> str:
    """ "3 juni 2027 – 14 juni 2027" (one day: that day)."""
    if period.first_day == period.last_day:
        return t.date(period.first_day)
    return t("pools.period", first=t.date(period.first_day), last=t.date(period.last_day))


def qualification_text(qualification: Qualification, t: Translator) -> str:
    if qualification.expires_on is None:
        return t("pools.qualification", name=qualification.name, obtained=t.date(qualification.obtained_on))
    return t(
        "pools.qualification_until",
        name=qualification.name,
        obtained=t.date(qualification.obtained_on),
        expires=t.date(qualification.expires_on),
    )


def exclusion_text(exclusion: Exclusion, t: Translator) -> str:
    """Why the pool rules leave someone out: "mist: Voorkomen ID-fraude"."""
    params: dict[str, Any] = dict(exclusion.params)
    if exclusion.code == "unavailable":
        params = {key: t.date(date.fromisoformat(params[key])) for key in ("first", "last")}
    return t(f"pools.left_out.{exclusion.code}", **params)


def _notes(banner: str, error: str, detail: str, t: Translator) -> list[Element]:
    notes: list[Element] = []
    if banner:
        notes.append(good(t(banner, detail=detail)))
    if error:
        notes.append(attention(t(error, detail=detail)))
    return notes


def pool_card(view: PoolView, t: Translator) -> Element:
    pool = view.pool
    pool_data = {PoolInput.POOL.value: pool.key}
    body: list[Element] = [
        title(pool.name),
        subtle(t.plural(f"pools.mode.{pool.mode.value}", len(view.members), count=len(view.members))),
        *_notes(view.banner, view.error, view.detail, t),
    ]
    if not view.members:
        body.append(text(t("pools.no_members")))
    for member in view.members:
        body.append(_member(member, pool_data, t))
    body.append(subtle(t("pools.coordinator_privacy")))
    actions: list[Element] = [
        show_card(t("action.pool_member_add"), _add_member_form(pool_data, t)),
    ]
    if view.members and pool.qualifications:
        actions.append(show_card(t("action.pool_qualification"), _qualification_form(view, pool_data, t)))
    if pool.qualifications:
        actions.append(execute(t("action.pool_lacking"), Verb.POOL_LACKING, data=pool_data))
    actions += [
        execute(other.name, Verb.POOL_SHOW, data={PoolInput.POOL.value: other.key}) for other in view.others
    ]
    return card(body, actions)


def _member(member: MemberView, pool_data: dict[str, str], t: Translator) -> Element:
    done, to_go = len(member.steps_done), len(member.steps_to_go)
    items: list[Element] = [text(member.name, weight="Bolder")]
    if to_go:
        items.append(text(t("pools.onboarding_progress", done=done, total=done + to_go)))
    else:
        items.append(good(t("pools.ready")))
    held = ", ".join(qualification_text(q, t) for q in member.qualifications)
    items.append(subtle(held or t("pools.no_qualifications")))
    about = {**pool_data, PoolInput.PERSON_ID.value: member.person_id}
    actions: list[Element] = []
    if to_go:
        step = member.steps_to_go[0]
        data = once_data({**about, PoolInput.STEP.value: step})
        actions.append(execute(t("action.pool_step", step=step), Verb.POOL_STEP_DONE, data=data))
    remove = execute(
        t("action.pool_member_remove_confirm"),
        Verb.POOL_MEMBER_REMOVE,
        style="destructive",
        data=once_data(about),
    )
    confirm = card([text(t("pools.member_remove_question", name=member.name))], [remove])
    actions.append(show_card(t("action.pool_member_remove"), confirm))
    items.append({"type": "ActionSet", "actions": actions})
    return container(items, separator=True)


def _add_member_form(pool_data: dict[str, str], t: Translator) -> Element:
    return card(
        [
            {
                "type": "Input.Text",
                "id": PoolInput.EMAIL.value,
                "label": t("pools.member_email"),
                "placeholder": t("pools.member_email_hint"),
                "style": "Email",
                "isRequired": True,
                "errorMessage": t("pools.member_email_missing"),
                "maxLength": 320,
            }
        ],
        [
            execute(
                t("action.pool_member_add_confirm"),
                Verb.POOL_MEMBER_ADD,
                style="positive",
                data=once_data(pool_data),
            )
        ],
    )


def _qualification_form(view: PoolView, pool_data: dict[str, str], t: Translator) -> Element:
    return card(
        [
            {
                "type": "Input.ChoiceSet",
                "id": PoolInput.PERSON_ID.value,
                "label": t("pools.member"),
                "choices": [{"title": m.name, "value": m.person_id} for m in view.members],
                "value": view.members[0].person_id,
            },
            {
                "type": "Input.ChoiceSet",
                "id": PoolInput.QUALIFICATION.value,
                "label": t("pools.qualification_name"),
                "choices": [{"title": q, "value": q} for q in view.pool.qualifications],
                "value": view.pool.qualifications[0],
            },
            date_input(PoolInput.OBTAINED_ON.value, t("pools.obtained_on"), None, t),
            date_input(PoolInput.EXPIRES_ON.value, t("pools.expires_on"), None, t),
        ],
        [
            execute(
                t("action.pool_qualification_confirm"),
                Verb.POOL_QUALIFICATION_RECORD,
                style="positive",
                data=once_data(pool_data),
            )
        ],
    )


def lacking_card(view: LackingView, t: Translator) -> Element:
    body: list[Element] = [title(t("pools.lacking_title", pool=view.pool.name))]
    if not view.requests:
        body.append(text(t("pools.lacking_none")))
    for lacking in view.requests:
        klus = lacking.klus
        items: list[Element] = [
            text(klus.title, weight="Bolder"),
            subtle(
                t(
                    "pools.lacking_requires",
                    names=", ".join(klus.qualifications),
                    date=t.date(klus.start_date),
                )
            ),
        ]
        items += [
            text(t("pools.lacking_member", name=name, names=", ".join(missing)))
            for name, missing in lacking.members
        ]
        if not lacking.members:
            items.append(good(t("pools.lacking_everyone")))
        body.append(container(items, separator=True))
    return card(
        body, [execute(t("action.pool_show"), Verb.POOL_SHOW, data={PoolInput.POOL.value: view.pool.key})]
    )


def my_pool_card(view: MyPoolView, t: Translator) -> Element:
    body: list[Element] = [title(t("pools.mine_title")), *_notes(view.banner, view.error, "", t)]
    body.append(text(t("pools.unavailable_heading"), weight="Bolder"))
    if not view.periods:
        body.append(subtle(t("pools.unavailable_none")))
    for period in view.periods:
        lines = [period_text(period, t)]
        if period.weekdays:
            lines.append(t("pools.can_work_on", days=", ".join(t.weekday(d) for d in period.weekdays)))
        if period.reason:
            lines.append(period.reason)
        remove = execute(
            t("action.unavailable_remove"),
            Verb.UNAVAILABLE_REMOVE,
            data={PoolInput.PERIOD_ID.value: period.id},
        )
        body.append(
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [text(" · ".join(lines))]},
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [{"type": "ActionSet", "actions": [remove]}],
                    },
                ],
            }
        )
    body.append(subtle(t("pools.reason_private")))
    body.append(text(t("pools.qualifications_heading"), weight="Bolder"))
    body += [text(qualification_text(q, t)) for q in view.qualifications] or [
        subtle(t("pools.no_qualifications"))
    ]
    for pool, done, to_go in view.pools:
        body.append(text(pool.name, weight="Bolder"))
        body.append(
            good(t("pools.ready")) if not to_go else text(t("pools.steps_to_go", steps=", ".join(to_go)))
        )
        if done:
            body.append(subtle(t("pools.steps_done", steps=", ".join(done))))
    actions = [
        show_card(t("action.unavailable_add"), _period_form(view, t)),
        execute(t("action.show_profile"), Verb.PROFILE_SHOW),
    ]
    return card(body, actions)


def _period_form(view: MyPoolView, t: Translator) -> Element:
    return card(
        [
            date_input(PoolInput.FIRST_DAY.value, t("pools.first_day"), view.today, t, minimum=view.today),
            date_input(PoolInput.LAST_DAY.value, t("pools.last_day"), None, t, minimum=view.today),
            {
                "type": "Input.ChoiceSet",
                "id": PoolInput.WEEKDAYS.value,
                "label": t("pools.weekdays"),
                "isMultiSelect": True,
                "style": "compact",
                "choices": [{"title": t.weekday(day), "value": day} for day in WEEKDAYS],
            },
            {
                "type": "Input.Text",
                "id": PoolInput.REASON.value,
                "label": t("pools.reason"),
                "placeholder": t("pools.reason_hint"),
                "maxLength": 200,
            },
        ],
        [
            execute(
                t("action.unavailable_add_confirm"), Verb.UNAVAILABLE_ADD, style="positive", data=once_data()
            )
        ],
    )


def expiry_reminder_card(qualification: Qualification, t: Translator) -> Element:
    assert qualification.expires_on is not None
    return card(
        [
            title(t("pools.expiry_title")),
            text(t("pools.expiry_text", name=qualification.name, date=t.date(qualification.expires_on))),
        ],
        [execute(t("action.unavailable_show"), Verb.UNAVAILABLE_SHOW)],
    )


class PoolCardRenderer:
    """Implements the services' `PoolRenderer` port."""

    def expiry_reminder(self, qualification: Qualification, locale: str) -> dict[str, Any]:
        return expiry_reminder_card(qualification, Translator.for_locale(locale))
