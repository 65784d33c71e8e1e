"""The wording of the secondment agreement: the built-in text in Dutch and English, and an
organisation's template that words texts its own way and adds clauses of its own.

Every text is a format string that may name the parties ({employee}, {lending}, {borrowing}); some
have more placeholders (a date, an amount), which a template's version of that text may use too.
documents/ numbers the articles, so headings carry no number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from string import Formatter
from typing import Literal

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")
PARTIES = ("employee", "lending", "borrowing")  # the placeholders every text may use

WORDING: dict[Language, dict[str, str]] = {
    "nl": {
        "title": "Detacheringsovereenkomst",
        "page_label": "Pagina {page} van {pages}",
        "footer": "Detacheringsovereenkomst {number}",
        "number": "Nummer",
        "date": "Datum",
        "approved": "Goedgekeurd door {approver} op {approved_on}.",
        "intro": (
            "In deze overeenkomst staan de afspraken over het tijdelijke werk van {employee} bij "
            "{borrowing}. De klus komt uit de Klussenbank."
        ),
        "parties": "Partijen",
        "lending": "Uitlenende organisatie",
        "borrowing": "Inlenende organisatie",
        "department": "Afdeling: {department}",
        "employee": "Medewerker",
        "assignment": "Opdracht",
        "assignment_text": "{employee} gaat tijdelijk werken aan deze klus van {borrowing}:",
        "klus": "Klus",
        "description": "Omschrijving",
        "duration": "Duur en omvang",
        "period": "Periode",
        "period_value": "{start} tot en met {end}",
        "hours": "Uren per week",
        "hours_value": "{hours} uur",
        "duration_text": (
            "{employee} en {borrowing} spreken samen de werkdagen en werktijden af. Eerder stoppen "
            "kan, als alle partijen dat goed vinden. Langer doorgaan kan alleen met een nieuwe "
            "overeenkomst."
        ),
        "costs": "Kosten",
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
        "contacts": "Contactpersonen",
        "poster": "Opdrachtgever",
        "line_manager": "Leidinggevende",
        "hr_contact": "HR",
        "employment": "Werkgeverschap en rechtspositie",
        "employment_text": (
            "{employee} blijft in dienst van {lending}. Salaris en arbeidsvoorwaarden blijven "
            "hetzelfde; {lending} betaalt en regelt die, zoals altijd. {borrowing} geeft leiding aan "
            "het dagelijkse werk voor de klus en zorgt voor een veilige werkplek. Bij ziekte meldt "
            "{employee} zich ziek bij {lending} en laat het ook aan {borrowing} weten. Verlof vraagt "
            "{employee} aan bij {lending}, na overleg met {borrowing}."
        ),
        "confidentiality": "Geheimhouding en AVG",
        "confidentiality_text": (
            "{employee} houdt vertrouwelijke informatie van {borrowing} geheim, ook na het einde "
            "van de detachering. Werkt {employee} met persoonsgegevens, dan gelden de regels van de "
            "AVG en de afspraken van {borrowing}. Een datalek meldt {employee} meteen bij {borrowing}."
        ),
        "signing": "Ondertekening",
        "signing_text": "Alle partijen zijn het eens met deze afspraken en tekenen hieronder.",
        "sign_lending": "Namens {lending} (uitlenende organisatie)",
        "sign_borrowing": "Namens {borrowing} (inlenende organisatie)",
        "sign_employee": "{employee} (medewerker)",
        "sign_name": "Naam: {name}",
        "sign_date": "Datum: {date}",
        "blank": "....................................................",
    },
    "en": {
        "title": "Secondment agreement",
        "page_label": "Page {page} of {pages}",
        "footer": "Secondment agreement {number}",
        "number": "Number",
        "date": "Date",
        "approved": "Approved by {approver} on {approved_on}.",
        "intro": (
            "This agreement sets out what was agreed about the temporary work of {employee} for "
            "{borrowing}. The klus comes from the Klussenbank."
        ),
        "parties": "Parties",
        "lending": "Lending organisation",
        "borrowing": "Borrowing organisation",
        "department": "Department: {department}",
        "employee": "Employee",
        "assignment": "Assignment",
        "assignment_text": "{employee} will work for a while on this klus of {borrowing}:",
        "klus": "Klus",
        "description": "Description",
        "duration": "Period and hours",
        "period": "Period",
        "period_value": "{start} to {end} inclusive",
        "hours": "Hours per week",
        "hours_value": "{hours} hours",
        "duration_text": (
            "{employee} and {borrowing} agree together on the working days and hours. Stopping "
            "earlier is possible if all parties agree. Going on for longer needs a new agreement."
        ),
        "costs": "Costs",
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
        "contacts": "Contacts",
        "poster": "Klus owner",
        "line_manager": "Line manager",
        "hr_contact": "HR",
        "employment": "Employer and legal position",
        "employment_text": (
            "{employee} stays employed by {lending}. Salary and terms of employment stay the same; "
            "{lending} pays and arranges them, as always. {borrowing} directs the daily work on the "
            "klus and provides a safe workplace. When ill, {employee} reports sick to {lending} and "
            "also tells {borrowing}. {employee} asks {lending} for leave, after talking to {borrowing}."
        ),
        "confidentiality": "Confidentiality and GDPR",
        "confidentiality_text": (
            "{employee} keeps confidential information of {borrowing} secret, also after the "
            "secondment ends. When working with personal data, the rules of the GDPR and the "
            "arrangements of {borrowing} apply. {employee} reports a data breach to {borrowing} at once."
        ),
        "signing": "Signatures",
        "signing_text": "All parties agree to these arrangements and sign below.",
        "sign_lending": "On behalf of {lending} (lending organisation)",
        "sign_borrowing": "On behalf of {borrowing} (borrowing organisation)",
        "sign_employee": "{employee} (employee)",
        "sign_name": "Name: {name}",
        "sign_date": "Date: {date}",
        "blank": "....................................................",
    },
}


@dataclass(frozen=True)
class Clause:
    """An article an organisation adds to its agreements, after the built-in ones."""

    heading: str
    text: str


@dataclass(frozen=True)
class AgreementTemplate:
    """The lending organisation's own wording, per language: texts it words differently (by their
    key in WORDING) and clauses it adds. Empty: the built-in wording. Both languages must say the
    same, so they change the same texts and add as many clauses."""

    texts: Mapping[Language, Mapping[str, str]] = field(default_factory=dict)
    clauses: Mapping[Language, tuple[Clause, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for language in LANGUAGES:
            built_in = WORDING[language]
            for key, text in self.texts.get(language, {}).items():
                if key not in built_in:
                    raise ValueError(f"[{language}] has an unknown key {key!r}; known are {sorted(built_in)}")
                _check(text, {*PARTIES, *_placeholders(built_in[key])}, f"[{language}] {key}")
            for number, clause in enumerate(self.clauses.get(language, ()), start=1):
                _check(clause.heading, PARTIES, f"[{language}] clause {number} heading")
                _check(clause.text, PARTIES, f"[{language}] clause {number} text")
        changed = {language: sorted(self.texts.get(language, {})) for language in LANGUAGES}
        added = {language: len(self.clauses.get(language, ())) for language in LANGUAGES}
        if len({tuple(keys) for keys in changed.values()}) > 1 or len(set(added.values())) > 1:
            raise ValueError(
                "both languages must say the same: change the same keys and add as many clauses in "
                f"each (now it changes {changed} and adds {added} clauses)"
            )

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> AgreementTemplate:
        """A template from parsed TOML: per language a table of texts by key, and `clauses`, an
        array of tables with a heading and a text. Raises ValueError saying what is wrong where."""
        unknown = sorted(set(data) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"has unknown tables {unknown}; known are {list(LANGUAGES)}")
        texts: dict[Language, dict[str, str]] = {}
        clauses: dict[Language, tuple[Clause, ...]] = {}
        for language in LANGUAGES:
            table = data.get(language, {})
            if not isinstance(table, Mapping):
                raise ValueError(f"[{language}] must be a table")
            texts[language] = {
                key: _text(value, f"[{language}] {key}") for key, value in table.items() if key != "clauses"
            }
            raw = table.get("clauses", [])
            if not isinstance(raw, list):
                raise ValueError(f"[{language}] clauses must be an array of tables ([[{language}.clauses]])")
            clauses[language] = tuple(
                _clause(entry, f"[{language}] clause {number}") for number, entry in enumerate(raw, start=1)
            )
        return cls(texts, clauses)

    def words(self, language: Language) -> dict[str, str]:
        """Every text of the agreement in `language`, the template's over the built-in ones."""
        return {**WORDING[language], **self.texts.get(language, {})}

    def extra_clauses(self, language: Language) -> tuple[Clause, ...]:
        return self.clauses.get(language, ())


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def _check(text: str, allowed: Iterable[str], where: str) -> None:
    """Fill the text in as documents/ will, with every placeholder it may use."""
    names = sorted(allowed)
    try:
        text.format(**dict.fromkeys(names, ""))
    except KeyError as exc:
        may_use = ", ".join(f"{{{name}}}" for name in names)
        raise ValueError(
            f"{where} has an unknown placeholder {{{exc.args[0]}}}; it may use {may_use}"
        ) from None
    except (IndexError, ValueError, AttributeError) as exc:
        raise ValueError(
            f"{where} is not a valid text ({exc}); write a placeholder as {{employee}} and a brace as {{{{ or }}}}"
        ) from None


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a text that is not empty")
    return value


def _clause(entry: object, where: str) -> Clause:
    if not isinstance(entry, Mapping) or set(entry) != {"heading", "text"}:
        raise ValueError(f"{where} must be a table with just a heading and a text")
    return Clause(_text(entry["heading"], f"{where} heading"), _text(entry["text"], f"{where} text"))
