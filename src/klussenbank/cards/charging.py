"""Charging the client: a charged pool's settled hours per client and month, with a CSV for finance."""

from __future__ import annotations

from klussenbank.cards.elements import Element, card, open_url, subtle, text, title
from klussenbank.i18n import Translator
from klussenbank.services.charging import ChargingView


def charging_card(view: ChargingView, t: Translator) -> Element:
    body: list[Element] = [title(t("charging.title")), subtle(t("charging.intro"))]
    for month in view.months:
        body.append(
            text(
                t("charging.month", pool=month.pool.name, month=t.month(month.month)),
                weight="Bolder",
                separator=True,
            )
        )
        if not month.charges:
            body.append(subtle(t("charging.none")))
        for charge in month.charges:
            hours = t.number(charge.hours.hours)
            if charge.rate is None or charge.amount is None:
                line = t("charging.line_no_rate", client=charge.hours.organisation_name, hours=hours)
            else:
                line = t(
                    "charging.line",
                    client=charge.hours.organisation_name,
                    hours=hours,
                    rate=t.money(charge.rate),
                    amount=t.money(charge.amount),
                )
            body.append(text(line))
        body.append({"type": "ActionSet", "actions": [open_url(t("charging.csv"), month.csv_url)]})
    return card(body)
