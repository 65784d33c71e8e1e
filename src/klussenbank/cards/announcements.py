"""Cards of announcements: the composer, the preview, the announcement itself, the delivery report."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    attention,
    card,
    container,
    date_input,
    errors_by_field,
    execute,
    facts,
    good,
    once_data,
    open_url,
    show_card,
    subtle,
    text,
    title,
)
from klussenbank.domain.announcement import (
    MAX_LINK_TITLE,
    MAX_TEXT,
    MAX_TITLE,
    MAX_URL,
    AnnouncementDraft,
    AnnouncementStatus,
)
from klussenbank.i18n import LANGUAGES, Translator
from klussenbank.services.views import AnnouncementView, ComposerView, PreviewView, ReportView
from klussenbank.verbs import AnnounceInput, Verb

A = AnnounceInput


def composer_card(view: ComposerView, t: Translator) -> Element:
    values = view.values
    form = FormBody([title(t("announce.heading")), subtle(t("announce.intro"))], view.errors, t)

    def line(input_id: A, value: str, max_length: int, **extra: Any) -> Element:
        return {
            "type": "Input.Text",
            "id": input_id.value,
            "label": t(f"announce.{input_id.value}"),
            "value": value,
            "maxLength": max_length,
            **extra,
        }

    form.field(line(A.TITLE, values.title, MAX_TITLE, isRequired=True, errorMessage=t("error.required")))
    form.field(
        line(
            A.TEXT,
            values.text,
            MAX_TEXT,
            isMultiline=True,
            isRequired=True,
            errorMessage=t("error.required"),
            placeholder=t("announce.text_placeholder"),
        )
    )
    form.field(line(A.LINK_TITLE, values.link_title, MAX_LINK_TITLE))
    form.field(line(A.LINK_URL, values.link_url, MAX_URL, style="Url", placeholder="https://"))
    form.items.append(text(t("announce.audience"), weight="Bolder"))
    if view.channels:
        form.items.append(
            {
                "type": "Input.ChoiceSet",
                "id": A.CHANNELS.value,
                "label": t("announce.channels"),
                "isMultiSelect": True,
                "style": "expanded",
                "choices": [
                    {"title": f"{c.team_name} › {c.channel_name}", "value": c.conversation_id}
                    for c in view.channels
                ],
                "value": ",".join(values.channels),
            }
        )
    else:
        form.items.append(subtle(t("announce.no_channels")))
    form.items.append(
        {
            "type": "Input.ChoiceSet",
            "id": A.ORGANISATIONS.value,
            "label": t("announce.organisations"),
            "isMultiSelect": True,
            "style": "expanded",
            "choices": [{"title": o.name, "value": o.key} for o in view.organisations],
            "value": ",".join(values.organisations),
        }
    )
    audience = errors_by_field(view.errors, t).get("audience")
    if audience:
        form.items.append(attention(audience, "audience_error"))
    return card(form.items, [execute(t("action.preview"), Verb.ANNOUNCE_PREVIEW, style="positive")])


def preview_card(view: PreviewView, t: Translator) -> Element:
    data = _draft_data(view.draft)
    sends = once_data(data)  # "send now" and "plan": one announcement, whichever is pressed (twice)
    channels = ", ".join(f"{c.team_name} › {c.channel_name}" for c in view.channels)
    people = (
        t.plural(
            "announce.people_count",
            view.people,
            count=view.people,
            organisations=", ".join(view.organisations),
        )
        if view.organisations
        else t("announce.none")
    )
    shown = view.announcement
    link = (
        [{"type": "ActionSet", "actions": [open_url(shown.link_title, shown.link_url)]}]
        if shown.link_url
        else []
    )
    body: list[Element] = [
        title(t("announce.preview_title")),
        subtle(t("announce.preview_intro")),
        container([*_announcement_body(shown), *link], style="emphasis"),  # as readers will see it
        facts([(t("announce.channels"), channels or t("announce.none")), (t("announce.people"), people)]),
    ]
    when = errors_by_field(view.errors, t).get("send_date")
    schedule = card(
        [
            *([attention(when, "send_date_error")] if when else []),
            date_input(
                A.SEND_DATE.value, t("announce.send_date"), view.draft.send_date, t, minimum=view.today
            ),
            {
                "type": "Input.Time",
                "id": A.SEND_TIME.value,
                "label": t("announce.send_time"),
                "value": view.draft.send_time.strftime("%H:%M") if view.draft.send_time else "08:30",
            },
        ],
        [execute(t("action.schedule_send"), Verb.ANNOUNCE_SCHEDULE, style="positive", data=sends)],
    )
    return card(
        body,
        [
            execute(t("action.send_now"), Verb.ANNOUNCE_SEND, style="positive", data=sends),
            show_card(t("action.schedule"), schedule),
            execute(t("action.edit"), Verb.ANNOUNCE_EDIT, data=data),
        ],
    )


def announcement_card(view: AnnouncementView) -> Element:
    """What readers get. Its words are the author's; the one line of ours is in both languages."""
    body = _announcement_body(view)
    if view.withdrawn:
        withdrawn = " · ".join(Translator(lang)("announce.withdrawn_note") for lang in LANGUAGES)
        body = [text(withdrawn, color="Attention", weight="Bolder"), title(view.title)]
        return card(body)
    actions = [open_url(view.link_title, view.link_url)] if view.link_url else None
    return card(body, actions)


def report_card(view: ReportView, t: Translator) -> Element:
    data = {A.ANNOUNCEMENT_ID.value: view.announcement_id}
    when = t.datetime(view.send_at)
    body: list[Element] = [title(t("announce.report_title", title=view.title))]
    if view.banner:
        body.append(good(t(view.banner)))
    body.append(text(t(f"announce.status.{view.status.value}", when=when), weight="Bolder"))
    body.append(
        facts(
            [(t(f"announce.count.{group}"), t.number(count)) for group, count in view.counts.items() if count]
        )
    )
    actions: list[Element] = [execute(t("action.refresh"), Verb.ANNOUNCE_REPORT, data=data)]
    if view.status in (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING):
        actions.append(execute(t("action.cancel_announcement"), Verb.ANNOUNCE_CANCEL, data=data))
    if view.status in (AnnouncementStatus.SENDING, AnnouncementStatus.SENT):
        actions.append(execute(t("action.withdraw_announcement"), Verb.ANNOUNCE_WITHDRAW, data=data))
    if view.status is not AnnouncementStatus.SCHEDULED:
        actions.append(open_url(t("action.download_csv"), view.csv_url))
    return card(body, actions)


def published_card(view: ReportView, t: Translator) -> Element:
    """What the preview turns into once sent or planned: the live report follows as its own card."""
    return card(
        [
            title(t("announce.report_title", title=view.title)),
            good(t(view.banner)),
            subtle(t("announce.follow")),
        ]
    )


class AnnouncementCardRenderer:
    """The AnnouncementRenderer port."""

    def announcement(self, view: AnnouncementView) -> dict[str, Any]:
        return announcement_card(view)

    def report(self, view: ReportView, locale: str) -> dict[str, Any]:
        return report_card(view, Translator.for_locale(locale))


def _announcement_body(view: AnnouncementView) -> list[Element]:
    byline = f"{view.author_name} · {view.organisation_name}" if view.author_name else view.organisation_name
    return [title(view.title), text(view.text), subtle(byline)]


def _draft_data(draft: AnnouncementDraft) -> dict[str, Any]:
    """The draft as the next button sends it back; the server checks it all again."""
    data: dict[str, Any] = {
        A.TITLE.value: draft.title,
        A.TEXT.value: draft.text,
        A.LINK_TITLE.value: draft.link_title,
        A.LINK_URL.value: draft.link_url,
        A.CHANNELS.value: ",".join(draft.channels),
        A.ORGANISATIONS.value: ",".join(draft.organisations),
    }
    return data
