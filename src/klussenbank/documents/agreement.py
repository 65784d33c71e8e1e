"""The secondment agreement (detacheringsovereenkomst) as a PDF, in Dutch or English.

`AgreementView` is plain data the approval flow fills in; `render_agreement` turns it into PDF
bytes. The texts are the built-in wording (`domain.agreement_wording.WORDING`) with the lending
organisation's template over it; the articles are numbered here, the template's own clauses after
the built-in ones and before the signatures.
"""

from __future__ import annotations

from datetime import date

from klussenbank.documents.pdf import (
    Block,
    DocumentInfo,
    Field,
    Heading,
    Paragraph,
    Signature,
    Title,
    render_pdf,
)
from klussenbank.domain.agreement import AgreementView, Contact
from klussenbank.i18n.formatting import format_date, format_money, format_number, language_tag


class _Texts:
    """The view's texts in its language, its organisation's template over the built-in wording,
    filled in with the parties' names and the values given."""

    def __init__(self, view: AgreementView) -> None:
        self._words = view.template.words(view.language)
        self._parties = view.parties

    def __call__(self, key: str, **values: str) -> str:
        return self.fill(self._words[key], **values)

    def fill(self, text: str, **values: str) -> str:
        return text.format(**self._parties, **values)


def render_agreement(view: AgreementView) -> bytes:
    say = _Texts(view)
    info = DocumentInfo(
        title=f"{say('title')} {view.number}",
        created=view.generated_at,
        language=language_tag(view.language),
        footer=say("footer", number=view.number),
        # The layout fills in the page numbers once it knows how many pages there are.
        page_label=say("page_label", page="{page}", pages="{pages}"),
    )
    return render_pdf(agreement_blocks(view), info)


def agreement_blocks(view: AgreementView) -> list[Block]:
    lang = view.language
    say = _Texts(view)

    def day(value: date) -> str:
        return format_date(value, lang)

    def contact(person: Contact) -> str:
        return f"{person.name}\n{person.email}"

    blanks = say("blank")
    own: list[tuple[str, list[Block]]] = [
        (say.fill(clause.heading), [Paragraph(say.fill(clause.text))])
        for clause in view.template.extra_clauses(lang)
    ]
    articles: list[tuple[str, list[Block]]] = [
        (
            say("parties"),
            [
                Field(
                    say("lending"),
                    f"{view.lending_organisation}\n{say('department', department=view.lending_department)}",
                ),
                Field(
                    say("borrowing"),
                    f"{view.borrowing_organisation}\n{say('department', department=view.borrowing_department)}",
                ),
                Field(
                    say("employee"),
                    f"{view.employee_name}\n{view.employee_job_title}\n{view.employee_email}",
                ),
            ],
        ),
        (
            say("assignment"),
            [
                Paragraph(say("assignment_text")),
                Field(say("klus"), view.klus_title),
                Field(say("description"), view.klus_description),
            ],
        ),
        (
            say("duration"),
            [
                Field(say("period"), say("period_value", start=day(view.start_date), end=day(view.end_date))),
                Field(say("hours"), say("hours_value", hours=str(view.hours_per_week))),
                Paragraph(say("duration_text")),
            ],
        ),
        (say("costs"), _costs(view, say)),
        (
            say("contacts"),
            [
                Field(say("poster"), contact(view.poster)),
                Field(say("line_manager"), contact(view.line_manager)),
                Field(say("hr_contact"), contact(view.hr_contact)),
            ],
        ),
        (say("employment"), [Paragraph(say("employment_text"))]),
        (say("confidentiality"), [Paragraph(say("confidentiality_text"))]),
        *own,  # the organisation's own clauses, before the signatures
        (
            say("signing"),
            [
                Paragraph(say("signing_text")),
                Signature(
                    say("sign_lending"), (say("sign_name", name=blanks), say("sign_date", date=blanks))
                ),
                Signature(
                    say("sign_borrowing"), (say("sign_name", name=blanks), say("sign_date", date=blanks))
                ),
                Signature(
                    say("sign_employee"),
                    (say("sign_name", name=view.employee_name), say("sign_date", date=blanks)),
                ),
            ],
        ),
    ]
    blocks: list[Block] = [
        Title(say("title")),
        Field(say("number"), view.number),
        Field(say("date"), day(view.agreement_date)),
        Paragraph(say("approved", approver=view.approved_by, approved_on=day(view.approved_on))),
        Paragraph(say("intro")),
    ]
    for number, (heading, body) in enumerate(articles, start=1):
        blocks += [Heading(f"{number}. {heading}"), *body]
    return blocks


def _costs(view: AgreementView, say: _Texts) -> list[Block]:
    estimate = view.cost_estimate
    if view.hourly_rate is None or estimate is None:
        return [Paragraph(say("costs_free"))]
    rate = format_money(view.hourly_rate, view.language)
    return [
        Paragraph(say("costs_rate")),
        Field(say("rate"), rate),
        Field(
            say("estimate"),
            say(
                "estimate_value",
                hours=str(view.hours_per_week),
                weeks=format_number(view.weeks, view.language),
                rate=rate,
                estimate=format_money(estimate, view.language),
            ),
        ),
        Paragraph(say("estimate_note")),
    ]
