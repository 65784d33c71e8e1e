"""Cards of the approval of a match, and of privacy: the access log ("who saw my data"), my data,
and erasing it."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.agreements import agreement_ready_card, open_agreement
from klussenbank.cards.elements import (
    Element,
    attention,
    card,
    container,
    errors_by_field,
    execute,
    facts,
    good,
    once_data,
    person,
    refresh,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.cards.klus_elements import work_place
from klussenbank.domain.approval import MAX_REASON, ApprovalStatus, ApprovalStep
from klussenbank.i18n import Translator
from klussenbank.services.privacy import MyDataView
from klussenbank.services.views import AccessLogView, ApprovalView
from klussenbank.verbs import ApprovalInput, Verb

A = ApprovalInput


def approval_card(view: ApprovalView, t: Translator) -> Element:
    """One approval as `view.role` sees it; the approver gets the buttons, everyone the status."""
    klus = view.klus
    data = {A.APPROVAL_ID.value: view.approval_id}
    body: list[Element] = [
        title(t(f"approval.title.{view.role}", name=person(view.candidate_name, t), title=klus.title))
    ]
    if view.banner:
        body.append(good(t(view.banner, name=view.approver_name)))
    body.append(
        facts(
            [
                (t("approval.klus"), klus.title),
                (
                    t("approval.candidate"),
                    f"{person(view.candidate_name, t)} ({view.candidate_organisation})",
                ),
                (t("klus.poster"), f"{person(klus.poster_name, t)} ({klus.organisation.name})"),
                (
                    t("klus.hours"),
                    t.plural("profile.hours_value", klus.hours_per_week, hours=klus.hours_per_week),
                ),
                (
                    t("klus.period"),
                    t("profile.period_closed", start=t.date(klus.start_date), end=t.date(klus.end_date)),
                ),
                (t("klus.work_mode"), work_place(klus, t)),
                (t("approval.decide_before"), t.date(view.expires_on) if view.expires_on else ""),
            ]
        )
    )
    if view.role == "approver":
        body.append(text(klus.description))
    if view.motivation:
        body.append(text(t("candidates.motivation", motivation=view.motivation)))
    for decision in view.decisions:
        line = "approval.approved_by" if decision.approved else "approval.declined_by"
        body.append(text(t(line, name=decision.name, date=t.date(decision.at)), weight="Bolder"))
    body.append(_status(view, t))
    if view.reason:
        body.append(text(t("approval.reason_was", reason=view.reason)))
    actions: list[Element] = []
    if view.role == "poster" and view.at_work:
        actions = [execute(t("action.work_complete"), Verb.WORK_COMPLETE, data=data)]
    if view.role in ("candidate", "poster") and view.completed_on:
        actions = [execute(t("action.evaluations_show"), Verb.EVALUATIONS_SHOW, data=data)]
    if view.agreement:
        actions.append(open_agreement(view.approval_id, t))
    if view.role == "approver":
        errors = errors_by_field(view.errors, t)
        for field in (A.REASON, A.DELEGATE):
            if field.value in errors:
                body.append(attention(errors[field.value], f"{field.value}_error"))
        decide = once_data(data)  # approve, decline or forward: one decision, however often pressed
        actions = [
            execute(t("action.approve"), Verb.APPROVAL_APPROVE, style="positive", data=decide),
            show_card(
                t("action.decline_approval"),
                card(
                    [
                        {
                            "type": "Input.Text",
                            "id": A.REASON.value,
                            "label": t("approval.reason", name=person(view.candidate_name, t)),
                            "placeholder": t("approval.reason_placeholder"),
                            "isMultiline": True,
                            "isRequired": True,
                            "errorMessage": t("error.required"),
                            "maxLength": MAX_REASON,
                        }
                    ],
                    [
                        execute(
                            t("action.decline_send"), Verb.APPROVAL_DECLINE, style="destructive", data=decide
                        )
                    ],
                ),
            ),
            show_card(
                t("action.forward"),
                card(
                    [
                        {
                            "type": "Input.Text",
                            "id": A.DELEGATE.value,
                            "label": t("approval.delegate"),
                            "placeholder": t("approval.delegate_placeholder"),
                            "style": "Email",
                            "isRequired": True,
                            "errorMessage": t("error.required"),
                            "maxLength": 320,
                        }
                    ],
                    [execute(t("action.forward_send"), Verb.APPROVAL_FORWARD, data=decide)],
                ),
            ),
        ]
    result = card(body, actions)
    result["refresh"] = refresh(Verb.APPROVAL_SHOW, data, view.refresh_user_ids)
    return result


def _status(view: ApprovalView, t: Translator) -> Element:
    if view.status is ApprovalStatus.PENDING:
        if not view.approver_name:
            return attention(t("approval.status.nobody"))
        step = "hr" if view.step is ApprovalStep.HR else "manager"
        own = {"poster": "approval.status.pending.poster", "approver": "approval.status.pending.you"}
        key = own.get(view.role, f"approval.status.pending.{step}")
        line = t(key, name=view.approver_name, candidate=person(view.candidate_name, t))
        if view.forwarded_by:
            line += " " + t("approval.forwarded_by", name=view.forwarded_by)
        return subtle(line)
    if view.completed_on:
        return text(t("approval.status.completed", date=t.date(view.completed_on)), weight="Bolder")
    key = f"approval.status.{view.status.value}"
    if view.status is ApprovalStatus.DECLINED and view.role in ("candidate", "poster"):
        key += f".{view.role}"  # worded kindly, and without the reason for the poster
    elif view.status is ApprovalStatus.APPROVED and view.role == "candidate":
        key += ".candidate"  # to her, not about her
    return text(t(key, name=person(view.candidate_name, t)), weight="Bolder")


def access_log_card(view: AccessLogView, t: Translator) -> Element:
    body: list[Element] = [title(t("access_log.title")), subtle(t("access_log.intro"))]
    if not view.rows:
        body.append(text(t("access_log.empty")))
    for row in view.rows:
        body.append(
            container(
                [
                    text(t(f"access_log.what.{row.what}", name=row.viewer_name, title=row.klus_title)),
                    subtle(t.date(row.at)),
                ],
                separator=True,
            )
        )
    return card(body, [execute(t("action.help"), Verb.HELP_SHOW)])


def my_data_card(view: MyDataView, t: Translator) -> Element:
    data = view.data
    person, availability = data["person"], data["availability"]
    body: list[Element] = [
        title(t("my_data.title")),
        subtle(t("my_data.intro")),
        facts(
            [
                (t("my_data.name"), person["name"]),
                (t("my_data.email"), person["email"]),
                (t("my_data.organisation"), person["organisation"]),
                (t("my_data.profile"), t("my_data.yes") if availability else t("my_data.no")),
                (t("my_data.digest"), t("my_data.yes") if person["weekly_digest"] else t("my_data.no")),
                (t("my_data.interests"), str(len(data["interests"]))),
                (t("my_data.klussen_posted"), str(len(data["klussen_posted"]))),
                (t("my_data.approvals"), str(len(data["approvals"]))),
                (t("my_data.seen_by"), str(len(data["seen_by"]))),
            ]
        ),
    ]
    for interest in data["interests"]:
        line = t(
            "my_data.interest", klus=interest["klus"], status=t(f"candidates.status.{interest['status']}")
        )
        body.append(subtle(line))
    return card(
        body,
        [
            {"type": "Action.OpenUrl", "title": t("action.my_data_download"), "url": view.download_url},
            execute(t("action.access_log"), Verb.ACCESS_LOG_SHOW),
            execute(t("action.my_data_erase"), Verb.MY_DATA_ERASE, style="destructive"),
        ],
    )


def erase_confirm_card(t: Translator) -> Element:
    return card(
        [title(t("erase.title")), text(t("erase.text"))],
        [
            execute(t("action.erase_confirm"), Verb.MY_DATA_ERASE_CONFIRM, style="destructive"),
            execute(t("action.erase_keep"), Verb.HELP_SHOW),
        ],
    )


class ApprovalCardRenderer:
    """The ApprovalRenderer and AgreementCards ports: cards in the recipient's language."""

    def render(self, view: ApprovalView, locale: str) -> dict[str, Any]:
        return approval_card(view, Translator.for_locale(locale))

    def ready(self, approval_id: int, klus_title: str, locale: str) -> dict[str, Any]:
        return agreement_ready_card(approval_id, klus_title, Translator.for_locale(locale))
