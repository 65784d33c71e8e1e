"""Example track cards for the card tests (schema, golden JSON, the renderer, verbs)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from klussenbank.cards.tracks import (
    consent_card,
    my_track_card,
    progress_card,
    standing_card,
    track_form_card,
    track_klussen_card,
    track_notice_card,
    tracks_card,
)
from klussenbank.domain.fields import FieldError
from klussenbank.domain.klus import Klus, KlusStatus, Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.domain.track import Track, TrackEvent, TrackEventKind, TrackGoals, TrackKind, TrackStatus
from klussenbank.i18n import Translator
from klussenbank.services.tracks import (
    Cell,
    Choice,
    CoachingProfile,
    ConsentView,
    DoneKlus,
    MyTrackView,
    Proposal,
    StandingView,
    TrackFormView,
    TrackKlussenView,
    TrackNotice,
    TrackProgressView,
    TrackRequest,
    TrackSummary,
    TracksView,
)
from klussenbank.services.views import SkillChoice

ANNA, CHANTAL = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01", "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e03"
TODAY = date(2026, 11, 23)
STARTED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
COPYWRITING = SkillChoice("copywriting", "Teksten schrijven", "Copywriting")
GOALS = TrackGoals(("copywriting",), 40, date(2027, 5, 1))
TRACK = Track(7, CHANTAL, "ermelo", ANNA, TrackKind.CAREER, GOALS, TrackStatus.ACTIVE, STARTED)
SUMMARY = TrackSummary(TRACK, "Chantal Bakker", "Anna de Vries", (COPYWRITING,))
KLUS = Klus(
    id=12,
    poster_id="6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02",
    organisation_key="ermelo",
    title="Teksten voor de website",
    description="",
    required_skills=(),
    nice_skills=("copywriting",),
    free_skills=(),
    hours_per_week=4,
    start_date=date(2026, 12, 1),
    end_date=date(2027, 1, 31),
    work_mode=WorkMode.HYBRID,
    place="",
    people_needed=1,
    interest_deadline=date(2026, 11, 30),
    visibility=Visibility.POOL,
    internal_first_until=date(2026, 11, 30),
    status=KlusStatus.OPEN,
)
FORM = TrackFormView(
    people=(Choice(CHANTAL, "Chantal Bakker"),),
    advisers=(Choice(ANNA, "Anna de Vries"),),
    skills=(COPYWRITING,),
    values=TrackRequest(adviser_id=ANNA),
    today=TODAY,
)
LINK = "http://127.0.0.1:3978/api/tracks/7"

TRACK_CARDS: dict[str, Callable[[Translator], dict[str, Any]]] = {
    "track_form": lambda t: track_form_card(FORM, t),
    "track_form_errors": lambda t: track_form_card(
        TrackFormView(
            (),  # too many people for a list: an e-mail address
            FORM.advisers,
            FORM.skills,
            TrackRequest("chantal.bakker@ermelo.example", TrackKind.OTHER, (), 0, TODAY, ANNA),
            TODAY,
            (FieldError("skills", "no_skill"), FieldError("hours", "hours_range", {"min": 1, "max": 2000})),
        ),
        t,
    ),
    "track_consent": lambda t: consent_card(
        ConsentView(
            Proposal(CHANTAL, ANNA, ANNA, TrackKind.CAREER, GOALS),
            "1790000000.ab12",
            "Anna de Vries",
            "Anna de Vries",
            (COPYWRITING,),
        ),
        t,
    ),
    "track_notice_started": lambda t: track_notice_card(TrackNotice("started", "Chantal Bakker", 7), t),
    "track_notice_declined": lambda t: track_notice_card(TrackNotice("declined", "Chantal Bakker"), t),
    "track_notice_suggested": lambda t: track_notice_card(
        TrackNotice("suggested", "Anna de Vries", 7, KLUS), t
    ),
    "track_mine": lambda t: my_track_card(
        MyTrackView((SUMMARY,), coaching=False, banner="track.started_by_you"), t
    ),
    "track_mine_none": lambda t: my_track_card(MyTrackView((), coaching=True), t),
    "tracks": lambda t: tracks_card(TracksView((SUMMARY,)), t),
    "track_progress": lambda t: progress_card(
        TrackProgressView(
            SUMMARY,
            (DoneKlus("Teksten voor de website", 12.5, (4, None), ("copywriting",)),),
            12.5,
            (COPYWRITING,),
            (
                TrackEvent(STARTED, TrackEventKind.STARTED),
                TrackEvent(STARTED, TrackEventKind.SUGGESTED, "Teksten voor de website"),
            ),
            f"{LINK}.csv?expires=1&sig=ab",
            {"nl": f"{LINK}.nl.pdf?expires=1&sig=ab", "en": f"{LINK}.en.pdf?expires=1&sig=ab"},
        ),
        t,
    ),
    "track_klussen": lambda t: track_klussen_card(TrackKlussenView(SUMMARY, (KLUS,), "track.suggested"), t),
    "track_standing": lambda t: standing_card(
        StandingView(
            "Gemeente Ermelo",
            Cell("", 5),
            (Cell("communication", 4), Cell("administration", None)),
            (Cell("1-8", None), Cell("9-16", 3), Cell("17-40", None)),
            (CoachingProfile("Chantal Bakker", "Medewerker zwembad", (COPYWRITING,), 12),),
            {
                "communication": ("Communicatie", "Communication"),
                "administration": ("Administratie", "Administration"),
            },
        ),
        t,
    ),
}
