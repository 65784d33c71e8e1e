"""Cards of the secondment agreement: ready, its download link (renewed with one press), and
`overeenkomst`, the list of the agreements I may open."""

from __future__ import annotations

from klussenbank.cards.elements import Element, card, container, execute, subtle, text, title
from klussenbank.cards.general import next_step_action
from klussenbank.i18n import Translator
from klussenbank.services.agreements import AgreementLink, AgreementsView
from klussenbank.verbs import ApprovalInput, Verb


def open_agreement(approval_id: int, t: Translator, *, style: str | None = None) -> Element:
    """The button that makes a fresh download link: the server checks the reader again each time."""
    data = {ApprovalInput.APPROVAL_ID.value: approval_id}
    return execute(t("action.agreement_open"), Verb.AGREEMENT_SHOW, style=style, data=data)


def agreement_ready_card(approval_id: int, klus_title: str, t: Translator) -> Element:
    """The agreement is ready: a button gets a fresh download link (links are short-lived)."""
    return card(
        [title(t("agreement.title", title=klus_title)), text(t("agreement.text"))],
        [open_agreement(approval_id, t, style="positive")],
    )


def agreement_link_card(link: AgreementLink, t: Translator) -> Element:
    """The download link, and the way to a new one when it has run out."""
    return card(
        [
            title(t("agreement.title", title=link.klus_title)),
            subtle(t("agreement.link_note", number=link.number)),
        ],
        [
            {"type": "Action.OpenUrl", "title": t("action.agreement_download"), "url": link.url},
            execute(
                t("action.agreement_renew"),
                Verb.AGREEMENT_SHOW,
                data={ApprovalInput.APPROVAL_ID.value: link.approval_id},
            ),
            execute(t("action.agreements"), Verb.AGREEMENT_LIST),
        ],
    )


def agreements_card(view: AgreementsView, t: Translator) -> Element:
    body: list[Element] = [title(t("agreements.title"))]
    if not view.rows:
        body.append(text(t("agreements.none")))
        return card(body, [next_step_action(view.has_profile, t)])
    body.append(subtle(t("agreements.intro")))
    for row in view.rows:
        body.append(
            container(
                [
                    text(row.klus_title, weight="Bolder"),
                    subtle(
                        t(
                            "agreements.row",
                            name=row.employee_name,
                            number=row.number,
                            date=t.date(row.drawn_up_on),
                        )
                    ),
                    {"type": "ActionSet", "actions": [open_agreement(row.approval_id, t)]},
                ],
                separator=True,
            )
        )
    return card(body, [execute(t("action.help"), Verb.HELP_SHOW)])
