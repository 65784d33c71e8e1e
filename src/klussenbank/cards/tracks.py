"""Development tracks: HR's start card, the person's consent card and `mijn traject`, the adviser's
list, progress and suggestions, the notices about a track, and HR's standing candidates."""

from __future__ import annotations

from typing import Any

from klussenbank.cards.elements import (
    Element,
    FormBody,
    card,
    container,
    date_input,
    execute,
    facts,
    good,
    once_data,
    open_url,
    show_card,
    skill_label,
    subtle,
    text,
    title,
)
from klussenbank.cards.klus_elements import klus_data
from klussenbank.cards.skills import skill_picker
from klussenbank.domain.track import TrackKind
from klussenbank.i18n import Translator
from klussenbank.services.tracks import (
    Cell,
    ConsentView,
    MyTrackView,
    Proposal,
    StandingView,
    TrackFormView,
    TrackKlussenView,
    TrackNotice,
    TrackProgressView,
    TrackSummary,
    TracksView,
)
from klussenbank.services.views import SkillChoice
from klussenbank.verbs import TrackInput as F
from klussenbank.verbs import Verb


def _skills(skills: tuple[SkillChoice, ...], t: Translator) -> str:
    return ", ".join(skill_label(s, t) for s in skills)


def _choices(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"title": name, "value": value} for value, name in pairs]


def _track_id(track_id: int) -> dict[str, Any]:
    return {F.TRACK_ID.value: track_id}


def track_form_card(view: TrackFormView, t: Translator, *, typeahead: bool = False) -> Element:
    """HR starts a track: who, what kind, the goals and who coaches. Nothing is stored until the
    person agrees in their own chat."""
    values = view.values
    form = FormBody([title(t("track.form.title")), subtle(t("track.form.intro"))], view.errors, t)
    person: Element = (
        {
            "type": "Input.ChoiceSet",
            "id": F.PERSON.value,
            "label": t("track.form.person"),
            "style": "filtered",
            "choices": _choices([(c.id, c.name) for c in view.people]),
            "value": values.person_id,
        }
        if view.people
        else {
            "type": "Input.Text",
            "id": F.PERSON.value,
            "label": t("track.form.person_email"),
            "style": "Email",
            "value": values.person_id,
        }
    )
    form.field(person)
    form.field(
        {
            "type": "Input.ChoiceSet",
            "id": F.KIND.value,
            "label": t("track.form.kind"),
            "style": "expanded",
            "choices": _choices([(k.value, t(f"track.kind.{k.value}")) for k in TrackKind]),
            "value": values.kind.value if values.kind else "",
        }
    )
    form.field(
        skill_picker(
            F.SKILLS.value, t("track.form.skills"), view.skills, values.skills, t, typeahead=typeahead
        )
    )
    hours: Element = {"type": "Input.Number", "id": F.HOURS.value, "label": t("track.form.hours")}
    if values.hours is not None:
        hours["value"] = values.hours
    form.field(hours, t("track.form.hours_help"))
    form.field(date_input(F.UNTIL.value, t("track.form.until"), values.until, t))
    form.field(
        {
            "type": "Input.ChoiceSet",
            "id": F.ADVISER.value,
            "label": t("track.form.adviser"),
            "choices": _choices([(c.id, c.name) for c in view.advisers]),
            "value": values.adviser_id,
        }
    )
    return card(
        form.items,
        [execute(t("track.action.propose"), Verb.TRACK_PROPOSE, style="positive", data=once_data())],
    )


def proposal_data(proposal: Proposal, seal: str) -> dict[str, Any]:
    """What the consent card sends back: the proposal and the seal the server checks it by."""
    goals = proposal.goals
    return {
        F.PERSON.value: proposal.person_id,
        F.PROPOSER.value: proposal.proposer_id,
        F.ADVISER.value: proposal.adviser_id,
        F.KIND.value: proposal.kind.value,
        F.SKILLS.value: ",".join(goals.skills),
        F.HOURS.value: goals.hours,
        F.UNTIL.value: goals.until.isoformat(),
        F.SEAL.value: seal,
    }


def _goal_facts(
    kind: TrackKind, skills: tuple[SkillChoice, ...], hours: int, until_: str, adviser: str, t: Translator
) -> Element:
    return facts(
        [
            (t("track.kind"), t(f"track.kind.{kind.value}")),
            (t("track.skills"), _skills(skills, t)),
            (t("track.hours"), t("track.hours_goal", hours=hours)),
            (t("track.until"), until_),
            (t("track.adviser"), adviser),
        ]
    )


def consent_card(view: ConsentView, t: Translator) -> Element:
    """The person decides: only on yes does the track exist."""
    proposal, goals = view.proposal, view.proposal.goals
    data = once_data(proposal_data(proposal, view.seal))  # one key: yes and no take effect once together
    return card(
        [
            title(t("track.consent.title")),
            text(t("track.consent.intro", name=view.proposer_name)),
            _goal_facts(proposal.kind, view.skills, goals.hours, t.date(goals.until), view.adviser_name, t),
            container([text(t("track.privacy", adviser=view.adviser_name))], style="emphasis"),
            subtle(t("track.consent.nothing_stored")),
        ],
        [
            execute(t("track.action.accept"), Verb.TRACK_ACCEPT, style="positive", data=data),
            execute(t("track.action.decline"), Verb.TRACK_DECLINE, data=data),
        ],
    )


def track_notice_card(notice: TrackNotice, t: Translator) -> Element:
    body = [text(t(f"track.notice.{notice.kind}", name=notice.name))]
    actions: list[Element] = []
    if notice.kind == "started" and notice.track_id is not None:
        actions.append(execute(t("track.action.show"), Verb.TRACK_SHOW, data=_track_id(notice.track_id)))
    if notice.kind == "suggested" and notice.klus is not None:
        body.insert(0, title(notice.klus.title))
        actions += [
            execute(t("action.klus_show"), Verb.KLUS_SHOW, style="positive", data=klus_data(notice.klus.id)),
            execute(t("track.action.mine"), Verb.TRACK_MINE),
        ]
    return card(body, actions)


def _summary(summary: TrackSummary, t: Translator) -> Element:
    track = summary.track
    goals = track.goals
    return _goal_facts(track.kind, summary.skills, goals.hours, t.date(goals.until), summary.adviser_name, t)


def my_track_card(view: MyTrackView, t: Translator) -> Element:
    """`mijn traject`: my tracks (end one at any time) and whether I want coaching from HR."""
    body: list[Element] = [title(t("track.mine.title"))]
    if view.banner:
        body.append(good(t(view.banner)))
    if not view.tracks:
        body.append(text(t("track.mine.none")))
    for summary in view.tracks:
        track = summary.track
        items: list[Element] = [
            text(
                t(f"track.status.{track.status.value}", date=t.date(track.started_at.date())), weight="Bolder"
            ),
            _summary(summary, t),
        ]
        if track.active:
            items.append(subtle(t("track.privacy", adviser=summary.adviser_name)))
            confirm = card(
                [text(t("track.end.confirm"))],
                [
                    execute(
                        t("track.action.end_confirm"),
                        Verb.TRACK_END,
                        style="destructive",
                        data=_track_id(track.id),
                    )
                ],
            )
            items.append({"type": "ActionSet", "actions": [show_card(t("track.action.end"), confirm)]})
        body.append(container(items, separator=True))
    body += [
        text(t("track.coaching.title"), weight="Bolder", spacing="Medium"),
        subtle(t("track.coaching.help")),
        {
            "type": "Input.Toggle",
            "id": F.COACHING.value,
            "title": t("track.coaching.toggle"),
            "value": "true" if view.coaching else "false",
            "valueOn": "true",
            "valueOff": "false",
        },
    ]
    return card(body, [execute(t("action.save"), Verb.TRACK_COACHING)])


def tracks_card(view: TracksView, t: Translator) -> Element:
    """HR: the tracks I coach."""
    body: list[Element] = [title(t("track.list.title")), subtle(t("track.list.intro"))]
    if not view.tracks:
        body.append(text(t("track.list.none")))
    for summary in view.tracks:
        track = summary.track
        body.append(
            container(
                [
                    text(summary.person_name, weight="Bolder"),
                    subtle(
                        t(
                            "track.list.line",
                            kind=t(f"track.kind.{track.kind.value}"),
                            date=t.date(track.goals.until),
                        )
                    ),
                    {
                        "type": "ActionSet",
                        "actions": [
                            execute(t("track.action.show"), Verb.TRACK_SHOW, data=_track_id(track.id))
                        ],
                    },
                ],
                separator=True,
            )
        )
    return card(
        body,
        [
            execute(t("track.action.new"), Verb.TRACK_NEW, style="positive"),
            execute(t("track.action.standing"), Verb.TRACK_STANDING),
        ],
    )


def progress_card(view: TrackProgressView, t: Translator) -> Element:
    """HR's view of a track against its goals, with a timeline and the exports."""
    summary = view.summary
    goals = summary.track.goals
    body: list[Element] = [
        title(t("track.progress.title", name=summary.person_name)),
        _summary(summary, t),
        text(t("track.progress.hours", done=t.number(view.hours), goal=goals.hours), weight="Bolder"),
    ]
    if view.skills_practised:
        body.append(text(t("track.progress.practised", skills=_skills(view.skills_practised, t))))
    body.append(text(t("track.progress.klussen"), weight="Bolder", spacing="Medium"))
    if not view.done:
        body.append(subtle(t("track.progress.no_klussen")))
    for klus in view.done:
        employee, poster = (t("track.progress.no_score") if s is None else str(s) for s in klus.scores)
        body.append(
            text(
                t(
                    "track.progress.klus",
                    title=klus.title,
                    hours=t.number(klus.hours),
                    employee=employee,
                    poster=poster,
                )
            )
        )
    body.append(text(t("track.progress.timeline"), weight="Bolder", spacing="Medium"))
    body += [
        subtle(f"{t.date(e.at.date())}: {t(f'track.event.{e.kind.value}', title=e.klus_title)}")
        for e in view.timeline
    ]
    track_id = _track_id(summary.track.id)
    return card(
        body,
        [
            execute(t("track.action.klussen"), Verb.TRACK_KLUSSEN, style="positive", data=track_id),
            open_url(t("track.action.csv"), view.csv_url),
            open_url(t("track.action.pdf"), view.pdf_urls.get(t.language, view.pdf_urls["nl"])),
        ],
    )


def track_klussen_card(view: TrackKlussenView, t: Translator) -> Element:
    """Open klussen that serve the goals; the adviser suggests one and the person decides."""
    name = view.summary.person_name
    body: list[Element] = [
        title(t("track.klussen.title", name=name)),
        subtle(t("track.klussen.intro", name=name)),
    ]
    if view.banner:
        body.append(good(t(view.banner)))
    if not view.klussen:
        body.append(text(t("track.klussen.none")))
    once = once_data()  # one suggestion per card and press
    for klus in view.klussen:
        data = {**_track_id(view.summary.track.id), **klus_data(klus.id), "once": once["once"]}
        body.append(
            container(
                [
                    text(klus.title, weight="Bolder"),
                    subtle(t("track.klussen.line", hours=klus.hours_per_week, date=t.date(klus.end_date))),
                    {
                        "type": "ActionSet",
                        "actions": [execute(t("track.action.suggest"), Verb.TRACK_SUGGEST, data=data)],
                    },
                ],
                separator=True,
            )
        )
    return card(
        body, [execute(t("track.action.show"), Verb.TRACK_SHOW, data=_track_id(view.summary.track.id))]
    )


def _count(cell: Cell, t: Translator) -> str:
    return t("track.standing.few") if cell.count is None else str(cell.count)


def standing_card(view: StandingView, t: Translator) -> Element:
    """HR: how many are available, by skill domain and hours (small counts hidden), and the profiles
    of those who asked for coaching."""
    language = 1 if t.language == "en" else 0
    body: list[Element] = [
        title(t("track.standing.title", organisation=view.organisation)),
        text(t("track.standing.available", count=_count(view.available, t))),
        subtle(t("track.standing.privacy")),
        text(t("track.standing.by_domain"), weight="Bolder", spacing="Medium"),
        facts([(view.domain_labels[c.label][language], _count(c, t)) for c in view.by_domain])
        if view.by_domain
        else subtle(t("track.standing.none")),
        text(t("track.standing.by_hours"), weight="Bolder", spacing="Medium"),
        facts([(t("track.standing.hours", hours=c.label), _count(c, t)) for c in view.by_hours]),
        text(t("track.standing.coaching"), weight="Bolder", spacing="Medium"),
        subtle(t("track.standing.coaching_help")),
    ]
    if not view.coaching:
        body.append(text(t("track.standing.no_coaching")))
    for profile in view.coaching:
        hours = (
            t("track.standing.profile_hours", hours=profile.hours_per_week) if profile.hours_per_week else ""
        )
        body.append(
            container(
                [
                    text(profile.name, weight="Bolder"),
                    subtle(" · ".join(part for part in (profile.job_title, hours) if part)),
                    text(_skills(profile.skills, t) or t("track.standing.no_skills")),
                ],
                separator=True,
            )
        )
    return card(body, [execute(t("track.action.new"), Verb.TRACK_NEW, style="positive")])


class TrackCardRenderer:
    """The cards for messages about tracks sent outside the actor's turn, in the recipient's language."""

    def consent(self, view: ConsentView, locale: str) -> dict[str, Any]:
        return consent_card(view, Translator.for_locale(locale))

    def notice(self, notice: TrackNotice, locale: str) -> dict[str, Any]:
        return track_notice_card(notice, Translator.for_locale(locale))
