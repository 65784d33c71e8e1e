"""An agreement's terms (`AgreementView`) as JSON: stored at approval and turned into its PDF when a
party first opens it, so the PDF says exactly what was agreed then."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from klussenbank.domain.agreement import AgreementView, Contact
from klussenbank.domain.agreement_wording import AgreementTemplate, Clause

_DATES = ("agreement_date", "start_date", "end_date", "approved_on")
_CONTACTS = ("poster", "line_manager", "hr_contact")


def terms_json(view: AgreementView) -> str:
    data: dict[str, Any] = {f.name: getattr(view, f.name) for f in fields(view)}
    for name in _DATES:
        data[name] = data[name].isoformat()
    for name in _CONTACTS:
        data[name] = [data[name].name, data[name].email]
    data["generated_at"] = view.generated_at.isoformat()
    data["hourly_rate"] = None if view.hourly_rate is None else str(view.hourly_rate)
    data["template"] = {
        "texts": {language: dict(texts) for language, texts in view.template.texts.items()},
        "clauses": {
            language: [[c.heading, c.text] for c in clauses]
            for language, clauses in view.template.clauses.items()
        },
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def terms_of(text: str) -> AgreementView:
    data: dict[str, Any] = json.loads(text)
    for name in _DATES:
        data[name] = date.fromisoformat(data[name])
    for name in _CONTACTS:
        data[name] = Contact(*data[name])
    data["generated_at"] = datetime.fromisoformat(data["generated_at"])
    data["hourly_rate"] = None if data["hourly_rate"] is None else Decimal(data["hourly_rate"])
    template = data["template"]
    data["template"] = AgreementTemplate(
        texts=template["texts"],
        clauses={
            language: tuple(Clause(heading, text) for heading, text in clauses)
            for language, clauses in template["clauses"].items()
        },
    )
    return AgreementView(**data)
