"""`mijn reacties`: the klussen I reacted to or was invited to, each with where it stands and a
button for the next step."""

from __future__ import annotations

from klussenbank.cards.agreements import open_agreement
from klussenbank.cards.elements import Element, card, container, execute, subtle, text, title
from klussenbank.cards.general import next_step_action
from klussenbank.cards.klus_elements import klus_data, klus_line
from klussenbank.domain.klus import InterestStatus
from klussenbank.i18n import Translator
from klussenbank.services.applications import Application, ApplicationsView
from klussenbank.verbs import ApprovalInput, Verb

# Still mine to answer: the klus card has the buttons.
_TO_ANSWER = (InterestStatus.INVITED, InterestStatus.CHOSEN)


def applications_card(view: ApplicationsView, t: Translator) -> Element:
    body: list[Element] = [title(t("applications.title"))]
    if not view.applications:
        body.append(text(t("applications.none" if view.has_profile else "applications.none_no_profile")))
        return card(body, [next_step_action(view.has_profile, t)])
    body.append(subtle(t("applications.intro")))
    for application in view.applications:
        klus = application.klus
        status = "work_done" if application.work_done else application.status.value
        body.append(
            container(
                [
                    text(klus.title, weight="Bolder"),
                    subtle(klus_line(klus, t)),
                    text(t(f"interest.status.{status}")),
                    {"type": "ActionSet", "actions": _next_step(application, t)},
                ],
                separator=True,
            )
        )
    if view.more:
        body.append(subtle(t("applications.more", count=view.more)))
    return card(body, [next_step_action(view.has_profile, t)])


def _next_step(application: Application, t: Translator) -> list[Element]:
    """The button for what comes next; the klus itself when there is nothing else to do."""
    data = klus_data(application.klus.id)
    approval = {ApprovalInput.APPROVAL_ID.value: application.approval_id}
    if application.status in _TO_ANSWER:
        return [execute(t("action.klus_show"), Verb.KLUS_SHOW, style="positive", data=data)]
    if application.approval_id is None:
        return [execute(t("action.klus_show"), Verb.KLUS_SHOW, data=data)]
    if application.work_done:
        return [execute(t("action.evaluations_show"), Verb.EVALUATIONS_SHOW, data=approval)]
    if application.agreement:
        return [open_agreement(application.approval_id, t)]
    return [execute(t("action.approval_show"), Verb.APPROVAL_SHOW, data=approval)]
