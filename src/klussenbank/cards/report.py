"""HR's report card: the key figures, a chart of klussen posted and filled per month, a CSV; and
the period's individual evaluations."""

from __future__ import annotations

from klussenbank.cards.chart import BarChart, Series, bar_chart_png, data_uri
from klussenbank.cards.elements import (
    Element,
    attention,
    card,
    container,
    date_input,
    errors_by_field,
    execute,
    facts,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.cards.growth import FACES
from klussenbank.cards.work import match_evaluation_items
from klussenbank.domain.fields import FieldError
from klussenbank.domain.growth import PulseSummary
from klussenbank.domain.report import Month
from klussenbank.i18n import Translator
from klussenbank.services.reports import EvaluationsListView, FiguresView
from klussenbank.verbs import ApprovalInput, ReportInput, Verb, report_scope

R = ReportInput


def report_figures_card(view: FiguresView, t: Translator) -> Element:
    found = view.figures
    period = t("report.period", start=t.date(found.start), end=t.date(found.end))
    body: list[Element] = [title(t("report.title", organisation=view.organisation.name)), subtle(period)]
    body += _errors(view.errors, t)
    rate = found.approval_rate
    euros = found.euros_avoided
    body.append(
        facts(
            [
                (t("report.people_available"), t.number(found.people_available)),
                (t("report.posted"), t.number(found.posted)),
                (t("report.filled"), t.number(found.filled)),
                (t("report.expired_cancelled"), f"{t.number(found.expired)} / {t.number(found.cancelled)}"),
                (t("report.days_to_first_interest"), _days(found.days_to_first_interest, t)),
                (t("report.days_to_match"), _days(found.days_to_match, t)),
                (
                    t("report.approval"),
                    t("report.approval_value", percent=t.percent(rate), decided=found.approvals_decided)
                    if rate is not None
                    else "–",
                ),
                (t("report.days_to_decide"), _days(found.days_to_decide, t)),
                (t("report.hours"), _hours(found.hours, t)),
                (
                    t("report.euros"),
                    t.money(euros, cents=False) if euros is not None else t("report.no_rate"),
                ),
                (t("report.internal_first"), t.number(found.filled_internally_in_time)),
                (
                    t("report.satisfaction"),
                    " / ".join("–" if v is None else t.number(v) for v in found.satisfaction),
                ),
            ]
        )
    )
    if found.months:
        body += _months(found.months, t)
    body += _pulse(view.pulse, t)
    choose = card(
        [
            {
                "type": "Input.ChoiceSet",
                "id": R.ORGANISATION.value,
                "label": t("report.organisation"),
                "choices": [{"title": o.name, "value": o.key} for o in view.organisations],
                "value": view.organisation.key,
            },
            date_input(R.START.value, t("report.from"), found.start, t),
            date_input(R.END.value, t("report.to"), found.end, t),
        ],
        [execute(t("action.report_show"), Verb.REPORT_SHOW, style="positive")],
    )
    scope = report_scope(view.organisation.key, found.start, found.end)
    return card(
        body,
        [
            show_card(t("action.report_choose"), choose),
            {"type": "Action.OpenUrl", "title": t("action.download_csv_report"), "url": view.csv_url},
            execute(t("action.report_evaluations"), Verb.REPORT_EVALUATIONS, data=scope),
        ],
    )


PULSE_TEXTS_SHOWN = 10  # (each cut like the evaluations' texts, so that the card stays small)


def _pulse(pulse: PulseSummary, t: Translator) -> list[Element]:
    """The monthly pulse in aggregate: how many answered, the average, how many per face, and the
    texts without names (unless someone chose to sign)."""
    if not pulse.answers:
        return []
    items: list[Element] = [
        text(t("pulse.report_title"), weight="Bolder", spacing="Medium"),
        facts(
            [
                (t("pulse.report_answers"), t.number(pulse.answers)),
                (t("pulse.report_average"), t.number(pulse.average) if pulse.average is not None else "–"),
                (
                    t("pulse.report_per_score"),
                    "  ".join(
                        f"{FACES[score]} {t.number(count)}" for score, count in reversed(pulse.per_score)
                    ),
                ),
            ]
        ),
    ]
    for said, name in pulse.texts[:PULSE_TEXTS_SHOWN]:
        cut = said if len(said) <= 240 else said[:239] + "…"
        items.append(text(f"“{cut}”" + (f" — {name}" if name else ""), isSubtle=not name))
    if len(pulse.texts) > PULSE_TEXTS_SHOWN:
        items.append(subtle(t("pulse.report_more", count=len(pulse.texts) - PULSE_TEXTS_SHOWN)))
    return items


def report_evaluations_card(view: EvaluationsListView, t: Translator) -> Element:
    """The evaluations given in the report's period, newest first; back to the report."""
    period = t("report.period", start=t.date(view.start), end=t.date(view.end))
    body: list[Element] = [
        title(t("report.evaluations.title", organisation=view.organisation.name)),
        subtle(period),
        *_errors(view.errors, t),
        subtle(t("report.evaluations.intro")),
    ]
    if not view.matches:
        body.append(text(t("report.evaluations.none")))
    scope = report_scope(view.organisation.key, view.start, view.end)
    for match in view.matches:
        read_all = execute(
            t("action.evaluations_read_all"),
            Verb.EVALUATIONS_SHOW,
            data={ApprovalInput.APPROVAL_ID.value: match.approval_id, **scope},
        )
        items = [
            text(match.klus_title, weight="Bolder"),
            *match_evaluation_items(match, t, brief=True),
            {"type": "ActionSet", "actions": [read_all]},
        ]
        body.append(container(items, separator=True))
    if view.more:
        body.append(attention(t("report.evaluations.more", count=view.more)))
    return card(body, [execute(t("action.report_back"), Verb.REPORT_SHOW, data=scope)])


def months_chart(months: tuple[Month, ...], t: Translator) -> BarChart:
    """Klussen posted and filled per month; the year under the first month and under each January."""
    return BarChart(
        categories=tuple(
            f"{t.month_short(m.first_day)}\n{m.first_day.year}"
            if n == 0 or m.first_day.month == 1
            else t.month_short(m.first_day)
            for n, m in enumerate(months)
        ),
        series=(
            Series(t("report.table.posted"), tuple(m.posted for m in months)),
            Series(t("report.table.filled"), tuple(m.filled for m in months)),
        ),
        x_title=t("report.chart_x"),
        y_title=t("report.chart_y"),
    )


def _months(months: tuple[Month, ...], t: Translator) -> list[Element]:
    """The chart of klussen posted and filled per month, its figures in words for screen readers, and
    the same figures as a table (for narrow screens, and to copy)."""
    figures = "; ".join(
        t("report.chart_alt_month", month=t.month(m.first_day), posted=m.posted, filled=m.filled)
        for m in months
    )
    chart = {
        "type": "Image",
        "url": data_uri(bar_chart_png(months_chart(months, t))),
        "altText": t("report.chart_alt", months=figures),
    }
    header = _row(
        (t("report.table.month"), t("report.table.posted"), t("report.table.filled")), weight="Bolder"
    )
    rows = [_row((t.month(m.first_day), t.number(m.posted), t.number(m.filled))) for m in months]
    return [text(t("report.chart"), weight="Bolder"), chart, container([header, *rows])]


def _row(cells: tuple[str, str, str], **style: str) -> Element:
    """A line of the months table; the same column widths on every line keep the figures aligned."""
    return {
        "type": "ColumnSet",
        "spacing": "None",
        "columns": [
            {"type": "Column", "width": width, "items": [text(cell, horizontalAlignment=align, **style)]}
            for cell, width, align in zip(cells, (2, 1, 1), ("Left", "Right", "Right"), strict=True)
        ],
    }


def _errors(errors: tuple[FieldError, ...], t: Translator) -> list[Element]:
    return [attention(message) for message in errors_by_field(errors, t).values()]


def _days(value: float | None, t: Translator) -> str:
    return "–" if value is None else t.plural("report.days_value", value, days=value)


def _hours(value: float, t: Translator) -> str:
    """To the half hour, as hours are given elsewhere."""
    halves = round(value * 2) / 2
    return t.plural("report.hours_value", halves, hours=halves)
