"""The secondment agreement (detacheringsovereenkomst) as a PDF, in Dutch or English.

`AgreementView` is plain data the approval flow fills in; `render_agreement` turns it into PDF
bytes. All wording lives in `WORDING` (one dictionary per language) so it can be read and
changed in one place.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
from klussenbank.domain.agreement import CENT, AgreementView, Contact, Language

WORDING: dict[Language, dict[str, str]] = {
    "nl": {
        "title": "Detacheringsovereenkomst",
        "pdf_language": "nl-NL",
        "page_label": "Pagina {page} van {pages}",
        "footer": "Detacheringsovereenkomst {number}",
        "number": "Nummer",
        "date": "Datum",
        "approved": "Goedgekeurd door {approver} op {approved_on}.",
        "intro": (
            "In deze overeenkomst staan de afspraken over het tijdelijke werk van {employee} bij "
            "{borrowing}. De klus komt uit de Klussenbank."
        ),
        "parties": "1. Partijen",
        "lending": "Uitlenende organisatie",
        "borrowing": "Inlenende organisatie",
        "department": "Afdeling: {department}",
        "employee": "Medewerker",
        "assignment": "2. Opdracht",
        "assignment_text": "{employee} gaat tijdelijk werken aan deze klus van {borrowing}:",
        "klus": "Klus",
        "description": "Omschrijving",
        "duration": "3. Duur en omvang",
        "period": "Periode",
        "period_value": "{start} tot en met {end}",
        "hours": "Uren per week",
        "hours_value": "{hours} uur",
        "duration_text": (
            "{employee} en {borrowing} spreken samen de werkdagen en werktijden af. Eerder stoppen "
            "kan, als alle partijen dat goed vinden. Langer doorgaan kan alleen met een nieuwe "
            "overeenkomst."
        ),
        "costs": "4. Kosten",
        "costs_free": (
            "De detachering is kosteloos. {borrowing} betaalt {lending} niets voor de uren van {employee}."
        ),
        "costs_rate": (
            "{borrowing} betaalt {lending} voor de uren van {employee}, tegen het interne uurtarief van "
            "{lending}."
        ),
        "rate": "Uurtarief",
        "estimate": "Schatting",
        "estimate_value": "{hours} uur per week × {weeks} weken × {rate} = {estimate}",
        "estimate_note": (
            "Dit is een schatting. {borrowing} betaalt de uren die {employee} echt heeft gewerkt."
        ),
        "contacts": "5. Contactpersonen",
        "poster": "Opdrachtgever",
        "line_manager": "Leidinggevende",
        "hr_contact": "HR",
        "employment": "6. Werkgeverschap en rechtspositie",
        "employment_text": (
            "{employee} blijft in dienst van {lending}. Salaris en arbeidsvoorwaarden blijven "
            "hetzelfde; {lending} betaalt en regelt die, zoals altijd. {borrowing} geeft leiding aan "
            "het dagelijkse werk voor de klus en zorgt voor een veilige werkplek. Bij ziekte meldt "
            "{employee} zich ziek bij {lending} en laat het ook aan {borrowing} weten. Verlof vraagt "
            "{employee} aan bij {lending}, na overleg met {borrowing}."
        ),
        "confidentiality": "7. Geheimhouding en AVG",
        "confidentiality_text": (
            "{employee} houdt vertrouwelijke informatie van {borrowing} geheim, ook na het einde "
            "van de detachering. Werkt {employee} met persoonsgegevens, dan gelden de regels van de "
            "AVG en de afspraken van {borrowing}. Een datalek meldt {employee} meteen bij {borrowing}."
        ),
        "signing": "8. Ondertekening",
        "signing_text": "Alle partijen zijn het eens met deze afspraken en tekenen hieronder.",
        "sign_lending": "Namens {lending} (uitlenende organisatie)",
        "sign_borrowing": "Namens {borrowing} (inlenende organisatie)",
        "sign_employee": "{employee} (medewerker)",
        "sign_name": "Naam: {name}",
        "sign_date": "Datum: {date}",
        "blank": "....................................................",
        "months": "januari februari maart april mei juni juli augustus september oktober november december",
    },
    "en": {
        "title": "Secondment agreement",
        "pdf_language": "en-GB",
        "page_label": "Page {page} of {pages}",
        "footer": "Secondment agreement {number}",
        "number": "Number",
        "date": "Date",
        "approved": "Approved by {approver} on {approved_on}.",
        "intro": (
            "This agreement sets out what was agreed about the temporary work of {employee} for "
            "{borrowing}. The klus comes from the Klussenbank."
        ),
        "parties": "1. Parties",
        "lending": "Lending organisation",
        "borrowing": "Borrowing organisation",
        "department": "Department: {department}",
        "employee": "Employee",
        "assignment": "2. Assignment",
        "assignment_text": "{employee} will work for a while on this klus of {borrowing}:",
        "klus": "Klus",
        "description": "Description",
        "duration": "3. Period and hours",
        "period": "Period",
        "period_value": "{start} to {end} inclusive",
        "hours": "Hours per week",
        "hours_value": "{hours} hours",
        "duration_text": (
            "{employee} and {borrowing} agree together on the working days and hours. Stopping "
            "earlier is possible if all parties agree. Going on for longer needs a new agreement."
        ),
        "costs": "4. Costs",
        "costs_free": (
            "The secondment is free of charge. {borrowing} pays {lending} nothing for the hours of {employee}."
        ),
        "costs_rate": (
            "{borrowing} pays {lending} for the hours of {employee}, at the internal hourly rate of {lending}."
        ),
        "rate": "Hourly rate",
        "estimate": "Estimate",
        "estimate_value": "{hours} hours per week × {weeks} weeks × {rate} = {estimate}",
        "estimate_note": "This is an estimate. {borrowing} pays for the hours {employee} actually worked.",
        "contacts": "5. Contacts",
        "poster": "Klus owner",
        "line_manager": "Line manager",
        "hr_contact": "HR",
        "employment": "6. Employer and legal position",
        "employment_text": (
            "{employee} stays employed by {lending}. Salary and terms of employment stay the same; "
            "{lending} pays and arranges them, as always. {borrowing} directs the daily work on the "
            "klus and provides a safe workplace. When ill, {employee} reports sick to {lending} and "
            "also tells {borrowing}. {employee} asks {lending} for leave, after talking to {borrowing}."
        ),
        "confidentiality": "7. Confidentiality and GDPR",
        "confidentiality_text": (
            "{employee} keeps confidential information of {borrowing} secret, also after the "
            "secondment ends. When working with personal data, the rules of the GDPR and the "
            "arrangements of {borrowing} apply. {employee} reports a data breach to {borrowing} at once."
        ),
        "signing": "8. Signatures",
        "signing_text": "All parties agree to these arrangements and sign below.",
        "sign_lending": "On behalf of {lending} (lending organisation)",
        "sign_borrowing": "On behalf of {borrowing} (borrowing organisation)",
        "sign_employee": "{employee} (employee)",
        "sign_name": "Name: {name}",
        "sign_date": "Date: {date}",
        "blank": "....................................................",
        "months": "January February March April May June July August September October November December",
    },
}


def format_date(value: date, language: Language) -> str:
    """12 mei 2027 / 12 May 2027."""
    month = WORDING[language]["months"].split()[value.month - 1]
    return f"{value.day} {month} {value.year}"


def format_money(amount: Decimal, language: Language) -> str:
    """€ 1.234,50 in Dutch, €1,234.50 in English."""
    english = f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
    if language == "en":
        return f"€{english}"
    return "€ " + english.translate(str.maketrans(",.", ".,"))


def format_decimal(value: Decimal, language: Language) -> str:
    """13 / 12,9 / 12.9: no decimals when the number is whole."""
    text = f"{value:f}" if value != value.to_integral_value() else f"{value:.0f}"
    return text.replace(".", ",") if language == "nl" else text


def render_agreement(view: AgreementView) -> bytes:
    words = WORDING[view.language]
    info = DocumentInfo(
        title=f"{words['title']} {view.number}",
        created=view.generated_at,
        language=words["pdf_language"],
        footer=words["footer"].format(number=view.number),
        page_label=words["page_label"],
    )
    return render_pdf(agreement_blocks(view), info)


def agreement_blocks(view: AgreementView) -> list[Block]:
    lang = view.language
    words = WORDING[lang]
    names = {
        "employee": view.employee_name,
        "lending": view.lending_organisation,
        "borrowing": view.borrowing_organisation,
    }

    def say(key: str, **values: str) -> str:
        return words[key].format(**names, **values)

    def day(value: date) -> str:
        return format_date(value, lang)

    def contact(person: Contact) -> str:
        return f"{person.name}\n{person.email}"

    blanks = words["blank"]
    blocks: list[Block] = [
        Title(words["title"]),
        Field(words["number"], view.number),
        Field(words["date"], day(view.agreement_date)),
        Paragraph(say("approved", approver=view.approved_by, approved_on=day(view.approved_on))),
        Paragraph(say("intro")),
        Heading(words["parties"]),
        Field(
            words["lending"],
            f"{view.lending_organisation}\n{say('department', department=view.lending_department)}",
        ),
        Field(
            words["borrowing"],
            f"{view.borrowing_organisation}\n{say('department', department=view.borrowing_department)}",
        ),
        Field(
            words["employee"],
            f"{view.employee_name}\n{view.employee_job_title}\n{view.employee_email}",
        ),
        Heading(words["assignment"]),
        Paragraph(say("assignment_text")),
        Field(words["klus"], view.klus_title),
        Field(words["description"], view.klus_description),
        Heading(words["duration"]),
        Field(words["period"], say("period_value", start=day(view.start_date), end=day(view.end_date))),
        Field(words["hours"], say("hours_value", hours=str(view.hours_per_week))),
        Paragraph(say("duration_text")),
        Heading(words["costs"]),
    ]
    estimate = view.cost_estimate
    if view.hourly_rate is None or estimate is None:
        blocks.append(Paragraph(say("costs_free")))
    else:
        rate = format_money(view.hourly_rate, lang)
        blocks += [
            Paragraph(say("costs_rate")),
            Field(words["rate"], rate),
            Field(
                words["estimate"],
                say(
                    "estimate_value",
                    hours=str(view.hours_per_week),
                    weeks=format_decimal(view.weeks, lang),
                    rate=rate,
                    estimate=format_money(estimate, lang),
                ),
            ),
            Paragraph(say("estimate_note")),
        ]
    blocks += [
        Heading(words["contacts"]),
        Field(words["poster"], contact(view.poster)),
        Field(words["line_manager"], contact(view.line_manager)),
        Field(words["hr_contact"], contact(view.hr_contact)),
        Heading(words["employment"]),
        Paragraph(say("employment_text")),
        Heading(words["confidentiality"]),
        Paragraph(say("confidentiality_text")),
        Heading(words["signing"]),
        Paragraph(say("signing_text")),
        Signature(say("sign_lending"), (say("sign_name", name=blanks), say("sign_date", date=blanks))),
        Signature(say("sign_borrowing"), (say("sign_name", name=blanks), say("sign_date", date=blanks))),
        Signature(
            say("sign_employee"),
            (say("sign_name", name=view.employee_name), say("sign_date", date=blanks)),
        ),
    ]
    return blocks
