"""A development track against its goals, as a PDF for the personnel file (`track.pdf.*` texts)."""

from __future__ import annotations

from klussenbank.documents.pdf import Block, DocumentInfo, Field, Heading, Paragraph, Title, render_pdf
from klussenbank.i18n import Translator
from klussenbank.i18n.formatting import language_tag
from klussenbank.services.tracks import TrackProgressView


def render_track(view: TrackProgressView, language: str) -> bytes:
    t = Translator.for_locale(language)
    summary, track = view.summary, view.summary.track
    info = DocumentInfo(
        title=t("track.progress.title", name=summary.person_name),
        created=view.timeline[-1].at if view.timeline else track.started_at,
        language=language_tag(t.language),
        footer=t("track.pdf.footer"),
        page_label=t("track.pdf.page", page="{page}", pages="{pages}"),
    )
    skills = ", ".join(s.label_en if t.language == "en" else s.label_nl for s in summary.skills)
    blocks: list[Block] = [
        Title(info.title),
        Field(t("track.kind"), t(f"track.kind.{track.kind.value}")),
        Field(t("track.skills"), skills),
        Field(t("track.hours"), t("track.progress.hours", done=t.number(view.hours), goal=track.goals.hours)),
        Field(t("track.until"), t.date(track.goals.until)),
        Field(t("track.adviser"), summary.adviser_name),
        Heading(t("track.progress.klussen")),
        *(
            Paragraph(
                t(
                    "track.progress.klus",
                    title=k.title,
                    hours=t.number(k.hours),
                    employee="-" if k.scores[0] is None else k.scores[0],
                    poster="-" if k.scores[1] is None else k.scores[1],
                )
            )
            for k in view.done
        ),
        *([] if view.done else [Paragraph(t("track.progress.no_klussen"))]),
        Heading(t("track.progress.timeline")),
        *(
            Paragraph(f"{t.date(e.at.date())}: {t(f'track.event.{e.kind.value}', title=e.klus_title)}")
            for e in view.timeline
        ),
    ]
    return render_pdf(blocks, info)
