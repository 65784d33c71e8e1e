"""Every card: valid Adaptive Card 1.5, stable (golden JSON), in both languages, every verb handled."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

import jsonschema
import pytest

from klussenbank.bot.agent import ROUTES
from klussenbank.cards.agreements import agreement_link_card, agreement_ready_card, agreements_card
from klussenbank.cards.announcements import (
    announcement_card,
    composer_card,
    preview_card,
    published_card,
    report_card,
)
from klussenbank.cards.applications import applications_card
from klussenbank.cards.approval import (
    access_log_card,
    approval_card,
    erase_confirm_card,
    my_data_card,
)
from klussenbank.cards.availability import (
    availability_form_card,
    no_profile_card,
    pause_card,
    profile_card,
    withdraw_confirm_card,
)
from klussenbank.cards.general import channel_hello_card, help_card, notice_card, welcome_card
from klussenbank.cards.growth import pulse_card, pulse_outcome_card
from klussenbank.cards.klus import (
    cancel_confirm_card,
    candidates_card,
    klus_card,
    my_klussen_card,
    offers_card,
    posted_card,
)
from klussenbank.cards.klus_form import klus_form_card
from klussenbank.cards.klus_notices import CardRenderer, digest_card
from klussenbank.cards.pools import (
    exclusion_text,
    expiry_reminder_card,
    lacking_card,
    my_pool_card,
    pool_card,
)
from klussenbank.cards.report import report_evaluations_card, report_figures_card
from klussenbank.cards.talent import date_card, date_form_card, talent_results_card, talent_search_card
from klussenbank.cards.work import evaluation_card, evaluations_card, hours_card, work_complete_confirm_card
from klussenbank.domain.announcement import AnnouncementDraft, AnnouncementStatus
from klussenbank.domain.approval import ApprovalStatus, ApprovalStep
from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.fields import FieldError
from klussenbank.domain.growth import PulseAnswer, summarise_pulse
from klussenbank.domain.klus import InterestStatus, Klus, KlusDraft, KlusStatus, Visibility
from klussenbank.domain.matching import Match, Reason
from klussenbank.domain.people import AvailabilityStatus, Organisation, WorkMode
from klussenbank.domain.pools import Exclusion, Pool, Qualification, UnavailablePeriod
from klussenbank.domain.report import KlusRecord, MatchRecord, figures
from klussenbank.domain.talent import DateDraft, DateStatus
from klussenbank.domain.work import MAX_EVALUATION_TEXT, Evaluation, EvaluationDraft, HoursMonth, Role
from klussenbank.i18n import LANGUAGES, Translator
from klussenbank.services.agreements import AgreementLink, AgreementRowView, AgreementsView
from klussenbank.services.applications import Application, ApplicationsView
from klussenbank.services.guide import Situation
from klussenbank.services.pools import Lacking, LackingView, MemberView, MyPoolView, PoolView
from klussenbank.services.ports.records import Channel
from klussenbank.services.privacy import MyDataView
from klussenbank.services.reports import EVALUATIONS_SHOWN, EvaluationsListView, FiguresView, ReportRequest
from klussenbank.services.talent import (
    DateFormView,
    DateView,
    TalentResult,
    TalentResultsView,
    TalentSearchView,
)
from klussenbank.services.views import (
    AccessLogView,
    AccessRow,
    AnnouncementView,
    ApprovalView,
    CandidateRow,
    CandidatesView,
    ComposerView,
    ConfirmedView,
    Contact,
    DigestView,
    EvaluationsView,
    EvaluationView,
    FormView,
    HoursView,
    KlusFormView,
    KlusNotice,
    KlusOffer,
    KlusSummary,
    KlusView,
    MatchEvaluations,
    OfferFilters,
    OffersView,
    PauseView,
    PreviewView,
    ProfileView,
    PulseDraft,
    PulseOutcome,
    PulseView,
    ReportView,
    SkillChoice,
    StepDecision,
)
from klussenbank.verbs import Verb
from tests.cards.shift_cards import shift_cards
from tests.cards.track_examples import TRACK_CARDS

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 11, 23)
ORGS = (Organisation("ermelo", "Gemeente Ermelo"), Organisation("zeewolde", "Gemeente Zeewolde"))
SKILLS = (
    SkillChoice("minute-taking", "Notuleren", "Taking minutes"),
    SkillChoice("event-organisation", "Evenementen organiseren", "Organising events"),
)


def _profile(status: AvailabilityStatus, paused_until: date | None = None) -> ProfileView:
    return ProfileView(
        name="Chantal Bakker",
        skills=SKILLS[:1],
        free_skills=("gebarentaal",),
        hours_per_week=12,
        start_date=date(2026, 12, 1),
        end_date=date(2027, 3, 31),
        weekdays=("mon", "wed"),
        organisations=ORGS,
        work_mode=WorkMode.HYBRID,
        intro="Ik werk normaal in het zwembad & help graag <overal>.",
        status=status,
        paused_until=paused_until,
        today=TODAY,
    )


FORM = FormView(
    values=AvailabilityDraft(
        hours_per_week=8, start_date=TODAY, organisations=("ermelo",), work_mode=WorkMode.HYBRID
    ),
    skill_choices=SKILLS,
    organisation_choices=ORGS,
    today=TODAY,
    is_update=False,
)
FORM_ERRORS = FormView(
    values=AvailabilityDraft(
        skills=("minute-taking",), hours_per_week=60, start_date=TODAY, end_date=date(2026, 11, 1)
    ),
    skill_choices=SKILLS,
    organisation_choices=ORGS,
    today=TODAY,
    is_update=True,
    errors=(
        FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40}),
        FieldError("end_date", "in_past"),
        FieldError("organisations", "no_organisation"),
        FieldError("work_mode", "required"),
    ),
)

KLUS = KlusView(
    id=7,
    poster_id="bram",
    organisation_key="ermelo",
    title="Notuleren bij de raad",
    description="Verslag maken van vier raadsvergaderingen <in maart>.",
    organisation=ORGS[0],
    poster_name="Bram Jansen",
    required_skills=tuple(s.id for s in SKILLS[:1]),
    nice_skills=tuple(s.id for s in SKILLS[1:]),
    required_skill_choices=SKILLS[:1],
    nice_skill_choices=SKILLS[1:],
    free_skills=("gebarentaal",),
    hours_per_week=8,
    start_date=date(2026, 12, 7),
    end_date=date(2027, 3, 31),
    work_mode=WorkMode.HYBRID,
    place="Gemeentehuis Ermelo",
    people_needed=2,
    interest_deadline=date(2026, 12, 1),
    visibility=Visibility.POOL,
    internal_first_until=date(2026, 12, 7),
    status=KlusStatus.OPEN,
)
MATCH = Match(
    klus_id=7,
    person_id="eva",
    score=0.9,
    # As the matcher makes it for KLUS (hybrid, 8 hours) and someone who takes minutes, knows sign
    # language partly, organises events and works from home: every kind of sentence.
    reasons=(
        Reason("skills", {"matched": 1, "related": 0, "total": 1}, 1.0, 0.225, ("minute-taking",)),
        Reason("free_skills", {"matched": 0, "partial": 1, "total": 1}, 0.5, 0.225, (), ("gebarentaal",)),
        Reason("nice_skills", {"matched": 1, "related": 0, "total": 1}, 1.0, 0.1, ("event-organisation",)),
        Reason("hours", {"offered": 6, "needed": 8}, 0.75, 0.15),
        Reason("period", {"fit": "full", "days": 115, "total": 115}, 1.0, 0.15),
        Reason("work_mode", {"fit": "partial", "klus": "hybrid", "person": "remote"}, 0.5, 0.1),
        Reason("place", {"fit": "near", "organisation": "ermelo"}, 1.0, 0.05),
    ),
)
KLUS_FORM = KlusFormView(
    values=KlusDraft(organisation="ermelo", hours_per_week=8, work_mode=WorkMode.HYBRID, people_needed=1),
    skill_choices=SKILLS,
    organisation_choices=ORGS,
    today=TODAY,
)
KLUS_FORM_ERRORS = KlusFormView(
    values=KlusDraft(title="", organisation="ermelo", hours_per_week=99),
    skill_choices=SKILLS,
    organisation_choices=ORGS,
    today=TODAY,
    klus_id=7,
    errors=(
        FieldError("title", "required"),
        FieldError("hours_per_week", "hours_range", {"min": 1, "max": 40}),
        FieldError("place", "place_required"),
    ),
)
OFFER = KlusOffer(KLUS, MATCH)
BRAM = Contact("Bram Jansen", "bram.jansen@ermelo.example", "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02")
ANNA = Contact("Anna de Vries", "", "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01")  # no e-mail in the directory
CLOSED = KlusView(**{**KLUS.__dict__, "status": KlusStatus.FILLED, "id": 8, "title": "Archief ordenen"})
CANDIDATES = CandidatesView(
    klus=KLUS,
    candidates=(
        CandidateRow(
            "eva",
            "Eva Smit",
            "Gemeente Zeewolde",
            InterestStatus.INTERESTED,
            "Ik notuleer graag.",
            MATCH,
            intro="Beleidsmedewerker, schrijf graag en snel.",
        ),
        CandidateRow(
            "anna", "Anna de Vries", "Gemeente Harderwijk", InterestStatus.CHOSEN, "", MATCH, contact=ANNA
        ),
        CandidateRow("daan", "Daan Visser", "Gemeente Ermelo", None, "", MATCH),
    ),
    chosen=1,
)
FULL = dataclasses.replace(CANDIDATES, chosen=2)  # both places taken: no more inviting or choosing
RENDER = CardRenderer()


CHANNEL = Channel("19:klussen@thread.tacv2", "19:general@thread.tacv2", "Klussenbank Veluwe", "Klussen")
DRAFT = AnnouncementDraft(
    title="Klussenbank-lunch",
    text="Kom **donderdag** naar de lunch.",
    link_title="Aanmelden",
    link_url="https://intranet.example/lunch",
    channels=(CHANNEL.conversation_id,),
    organisations=("ermelo",),
)
ANNOUNCEMENT = AnnouncementView(
    "Klussenbank-lunch",
    "Kom **donderdag** naar de lunch.",
    "Aanmelden",
    "https://intranet.example/lunch",
    "Anna de Vries",
    "Gemeente Harderwijk",
)


def _report(status: AnnouncementStatus, counts: dict[str, int], banner: str = "") -> ReportView:
    send_at = datetime(2026, 11, 24, 8, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    csv_url = "https://bot.example/api/announcements/3/recipients.csv?expires=1&sig=ab"
    return ReportView(3, "Klussenbank-lunch", status, send_at, counts, csv_url, banner)


def _at(day: int, month: int) -> datetime:
    return datetime(2027, month, day, 9, tzinfo=ZoneInfo("UTC"))


REPORT_KLUSSEN = (
    KlusRecord("ermelo", _at(4, 1), KlusStatus.FILLED, _at(5, 1)),
    KlusRecord("ermelo", _at(2, 2), KlusStatus.EXPIRED, None),
    KlusRecord("ermelo", _at(3, 3), KlusStatus.FILLED, _at(4, 3)),
)
REPORT_MATCHES = (
    MatchRecord(
        "ermelo",
        _at(4, 1),
        date(2027, 1, 18),
        _at(10, 1),
        _at(12, 1),
        ApprovalStatus.APPROVED,
        8,
        date(2027, 1, 15),
        date(2027, 3, 15),
    ),
    MatchRecord(
        "ermelo",
        _at(3, 3),
        date(2027, 3, 17),
        _at(8, 3),
        _at(9, 3),
        ApprovalStatus.APPROVED,
        16,
        date(2027, 3, 10),
        date(2027, 5, 1),
    ),
)


EVALUATED = MatchEvaluations(
    approval_id=11,
    klus_title="Notuleren bij de raad",
    employee_name="Eva Smit",
    employee_organisation="Gemeente Zeewolde",
    poster_name="Bram Jansen",
    poster_organisation="Gemeente Ermelo",
    completed_on=date(2027, 3, 31),
    employee=Evaluation(11, Role.EMPLOYEE, 5, "Fijn team & <goede> koffie.", "Meer uitleg vooraf.", True),
    poster=None,
)
BOTH_EVALUATED = MatchEvaluations(
    **{
        **EVALUATED.__dict__,
        "approval_id": 12,
        "klus_title": "Archief ordenen",
        "poster": Evaluation(12, Role.POSTER, 2, "", "Vaker overleggen.", False),
    }
)


def _approval(role: str, **changes: Any) -> ApprovalView:
    values: dict[str, Any] = {
        "approval_id": 11,
        "role": role,
        "status": ApprovalStatus.PENDING,
        "step": ApprovalStep.MANAGER,
        "klus": KLUS,
        "candidate_name": "Eva Smit",
        "candidate_organisation": "Gemeente Zeewolde",
        "approver_name": "Bram Jansen",
    }
    return ApprovalView(**{**values, **changes})


def _notice(kind: str, **extra: Any) -> Callable[[Translator], dict[str, Any]]:
    return lambda t: RENDER.render(
        KlusNotice(kind, KLUS, **extra), "en-US" if t.language == "en" else "nl-NL"
    )


TALENTS = TalentResultsView(
    text="wie kan notuleren?",
    skills=(SkillChoice("minute-taking", "Notuleren", "Taking minutes"),),
    terms=("gebarentaal",),
    results=(
        TalentResult(4, "Gemeente Ermelo", "Ik maak graag dashboards en notuleer snel.", MATCH),
        TalentResult(9, "Gemeente Zeewolde", "", dataclasses.replace(MATCH, reasons=MATCH.reasons[:1])),
    ),
    page=0,
    more=True,
    today=TODAY,
    max_free_hours=8,
)


def _date(reader: Literal["requester", "talent"], status: DateStatus, *, hours: int = 2) -> DateView:
    accepted = status is DateStatus.ACCEPTED
    return DateView(
        id=3,
        reader=reader,
        text="Zou je me 2 uur willen helpen met een dashboard in Power BI?",
        hours=hours,
        start_date=date(2026, 12, 1),
        end_date=None,
        status=status,
        needs_approval=hours > 8,
        requester=ANNA if reader == "talent" else None,
        talent=BRAM if reader == "requester" and accepted else None,
        requester_organisation="Gemeente Harderwijk",
        max_free_hours=8,
    )


FLEX = Pool(
    "flex",
    "Flexpool Burgerzaken",
    ("assen", "groningen"),
    ("planner@assen.example",),
    onboarding=("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker"),
    qualifications=("Voorkomen ID-fraude", "VOG"),
)
FLEX_MEMBERS = (
    MemberView("fenna", "Fenna Mulder", ("4 trainingsdagen",), ("2 weken inwerken bij Chantal Bakker",), ()),
    MemberView(
        "gijs",
        "Gijs de Boer",
        FLEX.onboarding,
        (),
        (
            Qualification(1, "gijs", "Voorkomen ID-fraude", date(2026, 3, 2), date(2027, 3, 2), "planner"),
            Qualification(2, "gijs", "VOG", date(2026, 1, 5), None, "planner"),
        ),
    ),
)


def pool_klus(klus_id: int, title: str, qualification: str) -> Klus:
    """A klus of the flexpool that requires a qualification (the domain's, as the service gives it)."""
    return Klus(
        id=klus_id,
        poster_id="bram",
        organisation_key="assen",
        title=title,
        description="",
        required_skills=("front-desk",),
        nice_skills=(),
        free_skills=(),
        hours_per_week=16,
        start_date=date(2026, 12, 3),
        end_date=date(2027, 1, 29),
        work_mode=WorkMode.ON_SITE,
        place="Stadhuis Assen",
        people_needed=1,
        interest_deadline=date(2026, 11, 30),
        visibility=Visibility.POOL,
        internal_first_until=TODAY,
        pool_key="flex",
        qualifications=(qualification,),
    )


CARDS: dict[str, Callable[[Translator], dict[str, Any]]] = {
    "channel_hello": lambda t: channel_hello_card(t, "28:klussenbank"),
    "welcome": lambda t: welcome_card("Chantal Bakker", Situation(), t),
    "welcome_returning": lambda t: welcome_card("", Situation(has_profile=True, reacted=True), t),
    # A team lead who posted klussen before their first message, and manages people: no "Sign up"
    # up front, their klussen first.
    "welcome_team_lead": lambda t: welcome_card("Bram Jansen", Situation(posted=True, manages=True), t),
    "help": lambda t: help_card(t, Situation()),
    "help_not_understood": lambda t: help_card(t, Situation(has_profile=True), not_understood=True),
    "help_hr": lambda t: help_card(t, Situation(has_profile=True, hr=True)),
    "help_team_lead": lambda t: help_card(t, Situation(posted=True, reacted=True, manages=True)),
    "help_coordinator": lambda t: help_card(t, Situation(has_profile=True, in_pool=True, coordinates=True)),
    "notice": lambda t: notice_card(t("error.apology")),
    "form_new": lambda t: availability_form_card(FORM, t),
    "form_errors": lambda t: availability_form_card(FORM_ERRORS, t),
    "form_typeahead": lambda t: availability_form_card(FORM, t, typeahead=True),
    "profile_active": lambda t: profile_card(
        _profile(AvailabilityStatus.ACTIVE), t, banner=t("profile.saved")
    ),
    "profile_paused": lambda t: profile_card(_profile(AvailabilityStatus.PAUSED, date(2027, 1, 15)), t),
    "profile_withdrawn": lambda t: profile_card(_profile(AvailabilityStatus.WITHDRAWN), t),
    "profile_learning": lambda t: profile_card(
        dataclasses.replace(
            _profile(AvailabilityStatus.ACTIVE),
            learning=(SKILLS[1], "presenteren"),
            confirmed=(ConfirmedView(SKILLS[0], 2, False), ConfirmedView(SKILLS[1], 1, True)),
        ),
        t,
        banner=t("learning.hidden"),
    ),
    "pulse": lambda t: pulse_card(PulseView(12), t),
    "pulse_invalid": lambda t: pulse_outcome_card(
        PulseOutcome("invalid", 12, PulseDraft(None, "Meer klussen <graag>", True)), t
    ),
    "pulse_thanks": lambda t: pulse_outcome_card(PulseOutcome("thanks"), t),
    "no_profile": no_profile_card,
    "pause": lambda t: pause_card(PauseView(today=TODAY), t),
    "pause_error": lambda t: pause_card(
        PauseView(today=TODAY, paused_until=TODAY, errors=(FieldError("paused_until", "pause_in_past"),)), t
    ),
    "withdraw_confirm": withdraw_confirm_card,
    "klus_form": lambda t: klus_form_card(KLUS_FORM, t),
    "klus_form_errors": lambda t: klus_form_card(KLUS_FORM_ERRORS, t),
    "klus_form_typeahead": lambda t: klus_form_card(KLUS_FORM, t, typeahead=True),
    "klus_offer": lambda t: klus_card(OFFER, t),
    "klus_offer_chosen": lambda t: klus_card(
        KlusOffer(
            KLUS,
            MATCH,
            InterestStatus.CHOSEN,
            "Ik notuleer graag.",
            refresh_user_ids=("29:eva",),
            contact=BRAM,
        ),
        t,
        banner=t("candidates.chosen"),
    ),
    "klus_offer_interested": lambda t: klus_card(KlusOffer(KLUS, None, InterestStatus.INTERESTED), t),
    "klus_offer_own": lambda t: klus_card(KlusOffer(KLUS, None, own=True), t),
    "klus_offer_too_late": lambda t: klus_card(
        KlusOffer(CLOSED, MATCH, InterestStatus.NOT_CHOSEN, banner="klus.moved_on.filled"),
        t,
        banner=t("interest.withdrawn"),  # the press's own banner: not shown, nothing happened
    ),
    "klus_offer_approved": lambda t: klus_card(
        KlusOffer(CLOSED, None, InterestStatus.APPROVED, contact=BRAM), t
    ),
    "klus_offer_work_done": lambda t: klus_card(
        KlusOffer(CLOSED, None, InterestStatus.APPROVED, work_done=True), t
    ),
    "klus_offer_past_deadline": lambda t: klus_card(KlusOffer(KLUS, MATCH, accepts_interest=False), t),
    "offers": lambda t: offers_card(
        OffersView((OFFER, KlusOffer(CLOSED, None, InterestStatus.NOT_CHOSEN)), OfferFilters(), ORGS), t
    ),
    "offers_none": lambda t: offers_card(
        OffersView((), OfferFilters(organisation="ermelo", remote=True, max_hours=8), ORGS), t
    ),
    "offers_none_signed_up": lambda t: offers_card(OffersView((), OfferFilters(), ORGS), t),
    "offers_none_no_profile": lambda t: offers_card(
        OffersView((), OfferFilters(), ORGS, has_profile=False), t
    ),
    "offers_no_profile": lambda t: offers_card(
        OffersView((OFFER,), OfferFilters(), ORGS, has_profile=False), t
    ),
    "mine": lambda t: my_klussen_card([KlusSummary(KLUS, 3, 1, 0), KlusSummary(CLOSED, 2, 0, 1)], t),
    "mine_none": lambda t: my_klussen_card([], t),
    "candidates": lambda t: candidates_card(CANDIDATES, t, banner=t("candidates.invited")),
    "candidates_full": lambda t: candidates_card(FULL, t),
    "klus_cancel_confirm": lambda t: cancel_confirm_card(7, t),
    "klus_posted": lambda t: posted_card(KLUS, t, banner=t("klus.posted")),
    "notice_new_klus": _notice("new_klus", match=MATCH),
    "notice_invited": _notice("invited", match=MATCH),
    "notice_chosen": _notice("chosen", refresh_user_ids=("29:eva",), contact=BRAM),
    "notice_interest": _notice("interest", name="Eva Smit", motivation="Ik notuleer graag."),
    "notice_approval_approved_candidate": _notice(
        "approval_approved_candidate", name="Eva Smit", agreement_id=11, contact=BRAM
    ),
    "notice_approval_approved_poster": _notice(
        "approval_approved_poster",
        name="Eva Smit",
        agreement_id=11,
        contact=Contact("Eva Smit", "eva.smit@zeewolde.example", "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05"),
    ),
    # Eva works in another Microsoft 365 tenant, and the two allow no Teams chats: her e-mail only.
    "notice_approval_approved_poster_other_tenant": _notice(
        "approval_approved_poster",
        name="Eva Smit",
        agreement_id=11,
        contact=Contact(
            "Eva Smit", "eva.smit@zeewolde.example", "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05", chat=False
        ),
    ),
    "notice_approval_declined_candidate": _notice(
        "approval_declined_candidate", name="Eva Smit", reason="We hebben je in mei zelf nodig."
    ),
    "notice_approval_declined_poster": _notice("approval_declined_poster", name="Eva Smit"),
    "notice_approval_expired_candidate": _notice("approval_expired_candidate", name="Eva Smit"),
    "notice_approval_expired_poster": _notice("approval_expired_poster", name="Eva Smit"),
    "notice_approval_fallback_candidate": _notice(
        "approval_fallback_candidate", name="Eva Smit", approver="Anna de Vries"
    ),
    "approval_approver": lambda t: approval_card(
        _approval("approver", motivation="Ik notuleer graag.", expires_on=date(2027, 3, 15)), t
    ),
    "approval_approver_errors": lambda t: approval_card(
        _approval(
            "approver",
            errors=(FieldError("reason", "required"),),
            forwarded_by="Bram Jansen",
            refresh_user_ids=("29:eva",),
        ),
        t,
    ),
    "approval_candidate": lambda t: approval_card(_approval("candidate"), t),
    "approval_poster": lambda t: approval_card(_approval("poster"), t),
    "approval_poster_candidate_erased": lambda t: approval_card(
        _approval("poster", candidate_name="", status=ApprovalStatus.APPROVED, at_work=True), t
    ),
    "approval_poster_at_work": lambda t: approval_card(
        _approval(
            "poster",
            status=ApprovalStatus.APPROVED,
            decisions=(StepDecision(True, "Bram Jansen", TODAY),),
            at_work=True,
            agreement=True,
        ),
        t,
    ),
    "approval_completed_candidate": lambda t: approval_card(
        _approval(
            "candidate",
            status=ApprovalStatus.APPROVED,
            decisions=(StepDecision(True, "Bram Jansen", TODAY),),
            completed_on=date(2027, 3, 31),
        ),
        t,
    ),
    "approval_completed_manager": lambda t: approval_card(
        _approval(
            "other",
            status=ApprovalStatus.APPROVED,
            decisions=(StepDecision(True, "Bram Jansen", TODAY),),
            completed_on=date(2027, 3, 31),
        ),
        t,
    ),
    "approval_hr_after_manager": lambda t: approval_card(
        _approval(
            "other",
            step=ApprovalStep.HR,
            decisions=(StepDecision(True, "Bram Jansen", TODAY),),
            approver_name="Anna de Vries",
        ),
        t,
    ),
    "approval_approved": lambda t: approval_card(
        _approval(
            "approver",
            status=ApprovalStatus.APPROVED,
            decisions=(StepDecision(True, "Bram Jansen", TODAY),),
            banner="approval.already_decided",
        ),
        t,
    ),
    "approval_declined_candidate": lambda t: approval_card(
        _approval(
            "candidate",
            status=ApprovalStatus.DECLINED,
            decisions=(StepDecision(False, "Bram Jansen", TODAY),),
            reason="We hebben je in mei zelf nodig.",
        ),
        t,
    ),
    "approval_declined_poster": lambda t: approval_card(
        _approval(
            "poster", status=ApprovalStatus.DECLINED, decisions=(StepDecision(False, "Bram Jansen", TODAY),)
        ),
        t,
    ),
    "approval_expired": lambda t: approval_card(_approval("candidate", status=ApprovalStatus.EXPIRED), t),
    "approval_nobody": lambda t: approval_card(_approval("candidate", approver_name=""), t),
    "access_log": lambda t: access_log_card(
        AccessLogView(
            (
                AccessRow("Bram Jansen", "approval", "Notuleren", TODAY),
                AccessRow("Anna de Vries", "candidacy", "Notuleren", TODAY),
                AccessRow("Anna de Vries", "suggestion", "Archief", TODAY),
            )
        ),
        t,
    ),
    "access_log_empty": lambda t: access_log_card(AccessLogView(()), t),
    "access_log_talent": lambda t: access_log_card(
        AccessLogView(
            (
                AccessRow("Anna de Vries", "talent_date", "", TODAY),
                AccessRow("Anna de Vries", "talent_search", "", TODAY),
            )
        ),
        t,
    ),
    "talent_search": lambda t: talent_search_card(TalentSearchView(), t),
    "talent_search_empty": lambda t: talent_search_card(TalentSearchView("wie kan?", empty_query=True), t),
    "talent_results": lambda t: talent_results_card(TALENTS, t),
    "talent_results_none": lambda t: talent_results_card(
        dataclasses.replace(TALENTS, results=(), more=False), t
    ),
    "talent_date_form": lambda t: date_form_card(DateFormView(12, DateDraft(hours=2), TODAY, 8), t),
    "talent_date_form_errors": lambda t: date_form_card(
        DateFormView(
            12,
            DateDraft("", 0),
            TODAY,
            8,
            (
                FieldError("date_text", "required"),
                FieldError("date_hours", "hours_range", {"min": 1, "max": 40}),
            ),
        ),
        t,
    ),
    "talent_date_to_talent": lambda t: date_card(_date("talent", DateStatus.REQUESTED, hours=12), t),
    "talent_date_talent_accepted": lambda t: date_card(_date("talent", DateStatus.ACCEPTED), t),
    "talent_date_talent_declined": lambda t: date_card(_date("talent", DateStatus.DECLINED), t),
    "talent_date_requested": lambda t: date_card(_date("requester", DateStatus.REQUESTED), t),
    "talent_date_accepted_large": lambda t: date_card(_date("requester", DateStatus.ACCEPTED, hours=12), t),
    "talent_date_declined": lambda t: date_card(_date("requester", DateStatus.DECLINED), t),
    "my_data": lambda t: my_data_card(
        MyDataView(
            {
                "person": {
                    "name": "Chantal Bakker",
                    "email": "chantal.bakker@ermelo.example",
                    "organisation": "ermelo",
                    "weekly_digest": True,
                },
                "availability": {"intro": "Ik geef zwemles."},
                "interests": [{"klus": "Notuleren", "status": "confirmed", "motivation": "Graag."}],
                "klussen_posted": [],
                "approvals": [{"status": "pending"}],
                "seen_by": [{"what": "approval"}, {"what": "candidacy"}],
            },
            "https://bot.example/api/my-data/x.json?expires=1&sig=ab",
        ),
        t,
    ),
    "erase_confirm": erase_confirm_card,
    "hours_employee": lambda t: hours_card(
        HoursView(
            11, "Notuleren bij de raad", "Eva Smit", Role.EMPLOYEE, HoursMonth(11, date(2026, 12, 1), 28.5)
        ),
        t,
    ),
    "hours_employee_error": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.EMPLOYEE,
            HoursMonth(11, date(2026, 12, 1), 28.5),
            errors=(FieldError("hours", "hours_month_range", {"max": 200}),),
        ),
        t,
    ),
    "hours_employee_reported_far_above_plan": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.EMPLOYEE,
            HoursMonth(11, date(2026, 12, 1), 28.5, 50.0),
        ),
        t,
    ),
    "hours_employee_checked": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.EMPLOYEE,
            HoursMonth(11, date(2026, 12, 1), 28.5, 30.0, 29.0),
        ),
        t,
    ),
    "hours_poster": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.POSTER,
            HoursMonth(11, date(2026, 12, 1), 28.5, 30.0),
        ),
        t,
    ),
    "hours_poster_changed": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.POSTER,
            HoursMonth(11, date(2026, 12, 1), 28.5, 50.0),
            changed=True,
        ),
        t,
    ),
    "hours_poster_error": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.POSTER,
            HoursMonth(11, date(2026, 12, 1), 28.5, 30.0),
            errors=(FieldError("hours", "hours_month_range", {"max": 200}),),
        ),
        t,
    ),
    "hours_poster_checked": lambda t: hours_card(
        HoursView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.POSTER,
            HoursMonth(11, date(2026, 12, 1), 28.5, 30.0, 30.0),
        ),
        t,
    ),
    "work_complete_confirm": lambda t: work_complete_confirm_card(11, None, t),
    "work_complete_confirm_from_hours": lambda t: work_complete_confirm_card(11, date(2026, 12, 1), t),
    "evaluation_employee": lambda t: evaluation_card(
        EvaluationView(11, "Notuleren bij de raad", "Bram Jansen", Role.EMPLOYEE, SKILLS), t
    ),
    "evaluation_poster_errors": lambda t: evaluation_card(
        EvaluationView(
            11,
            "Notuleren bij de raad",
            "Eva Smit",
            Role.POSTER,
            draft=EvaluationDraft(score=None, went_well="Snel en precies."),
            errors=(FieldError("score", "required"), FieldError("again", "required")),
        ),
        t,
    ),
    "evaluation_done": lambda t: evaluation_card(
        EvaluationView(11, "Notuleren bij de raad", "Eva Smit", Role.POSTER, done=True), t
    ),
    "evaluations_poster": lambda t: evaluations_card(EvaluationsView(EVALUATED, Role.POSTER), t),
    "evaluations_hr": lambda t: evaluations_card(EvaluationsView(BOTH_EVALUATED), t),
    "evaluations_erased_employee": lambda t: evaluations_card(
        EvaluationsView(
            dataclasses.replace(
                BOTH_EVALUATED,
                employee_name="",
                employee=Evaluation(12, Role.EMPLOYEE, 4, "", "", True),  # erased: the texts went
            ),
            Role.POSTER,
        ),
        t,
    ),
    "evaluations_hr_from_report": lambda t: evaluations_card(
        EvaluationsView(BOTH_EVALUATED), t, ReportRequest("ermelo", date(2027, 1, 1), date(2027, 3, 31))
    ),
    "agreement_ready": lambda t: agreement_ready_card(11, "Notuleren bij de raad", t),
    "agreement_link": lambda t: agreement_link_card(
        AgreementLink(
            11,
            "KB-2026-0011",
            "Notuleren bij de raad",
            "https://bot.example/api/agreements/11.pdf?expires=1&sig=ab",
        ),
        t,
    ),
    "agreements": lambda t: agreements_card(
        AgreementsView(
            (
                AgreementRowView(11, "KB-2026-0011", "Notuleren bij de raad", "Eva Smit", date(2026, 12, 2)),
                AgreementRowView(4, "KB-2026-0004", "Website teksten", "Chantal Bakker", date(2026, 10, 1)),
            ),
            has_profile=True,
        ),
        t,
    ),
    "agreements_none": lambda t: agreements_card(AgreementsView((), has_profile=False), t),
    "applications": lambda t: applications_card(
        ApplicationsView(
            (
                Application(KLUS, InterestStatus.CHOSEN),
                Application(KLUS, InterestStatus.INVITED),
                Application(KLUS, InterestStatus.INTERESTED),
                Application(KLUS, InterestStatus.CONFIRMED, approval_id=9),
                Application(CLOSED, InterestStatus.APPROVED, approval_id=11, agreement=True),
                Application(CLOSED, InterestStatus.APPROVED, approval_id=12, work_done=True, agreement=True),
                Application(CLOSED, InterestStatus.NOT_CHOSEN),
            ),
            more=3,
            has_profile=True,
        ),
        t,
    ),
    "applications_none": lambda t: applications_card(ApplicationsView((), 0, has_profile=True), t),
    "applications_none_no_profile": lambda t: applications_card(
        ApplicationsView((), 0, has_profile=False), t
    ),
    "report": lambda t: report_figures_card(
        FiguresView(
            figures(
                "ermelo",
                date(2027, 1, 1),
                date(2027, 3, 31),
                klussen=REPORT_KLUSSEN,
                matches=REPORT_MATCHES,
                availability=(),
                external_rate=85.0,
            ),
            ORGS[0],
            ORGS,
            "https://bot.example/api/reports/ermelo/2027-01-01/2027-03-31.csv?expires=1&sig=ab",
        ),
        t,
    ),
    "report_pulse": lambda t: report_figures_card(
        FiguresView(
            figures(
                "ermelo",
                date(2027, 1, 1),
                date(2027, 3, 31),
                klussen=(),
                matches=(),
                availability=(),
                external_rate=85.0,
            ),
            ORGS[0],
            ORGS,
            "https://bot.example/api/reports/ermelo/2027-01-01/2027-03-31.csv?expires=1&sig=ab",
            pulse=summarise_pulse(
                [
                    PulseAnswer(4, "Meer klussen in de buurt.", "Chantal Bakker"),
                    PulseAnswer(2, "Te weinig tijd <naast> mijn werk.", ""),
                    PulseAnswer(5, "", ""),
                ]
            ),
        ),
        t,
    ),
    "report_empty_no_rate": lambda t: report_figures_card(
        FiguresView(
            figures(
                "ermelo",
                date(2027, 1, 1),
                date(2027, 1, 31),
                klussen=(),
                matches=(),
                availability=(),
                external_rate=None,
            ),
            ORGS[0],
            ORGS,
            "https://bot.example/api/reports/ermelo/2027-01-01/2027-01-31.csv?expires=1&sig=ab",
            (FieldError("end", "end_before_start"),),
        ),
        t,
    ),
    "report_evaluations": lambda t: report_evaluations_card(
        EvaluationsListView(
            ORGS[0], date(2027, 1, 1), date(2027, 3, 31), (BOTH_EVALUATED, EVALUATED), more=3
        ),
        t,
    ),
    "report_evaluations_none": lambda t: report_evaluations_card(
        EvaluationsListView(ORGS[1], date(2027, 1, 1), date(2027, 3, 31), ()), t
    ),
    "announce_composer": lambda t: composer_card(
        ComposerView(AnnouncementDraft(), (CHANNEL,), ORGS, TODAY), t
    ),
    "announce_composer_errors": lambda t: composer_card(
        ComposerView(
            DRAFT,
            (),
            ORGS,
            TODAY,
            (
                FieldError("title", "required"),
                FieldError("link_url", "not_a_web_address"),
                FieldError("audience", "no_audience"),
            ),
        ),
        t,
    ),
    "announce_preview": lambda t: preview_card(
        PreviewView(DRAFT, ANNOUNCEMENT, (CHANNEL,), 37, TODAY, organisations=("Gemeente Ermelo",)), t
    ),
    "announce_preview_when_error": lambda t: preview_card(
        PreviewView(DRAFT, ANNOUNCEMENT, (), 2, TODAY, (FieldError("send_date", "send_in_past"),)), t
    ),
    "announcement": lambda t: announcement_card(ANNOUNCEMENT),
    "announcement_withdrawn": lambda t: announcement_card(
        AnnouncementView(**{**ANNOUNCEMENT.__dict__, "withdrawn": True})
    ),
    "announce_report_scheduled": lambda t: report_card(_report(AnnouncementStatus.SCHEDULED, {}), t),
    "announce_report_sending": lambda t: report_card(
        _report(AnnouncementStatus.SENDING, {"sent": 30, "unreachable": 2, "failed": 1, "pending": 4}), t
    ),
    "announce_report_withdrawn": lambda t: report_card(
        _report(AnnouncementStatus.WITHDRAWN, {"sent": 36, "cancelled": 1}, "announcement.withdrawn"), t
    ),
    "announce_published": lambda t: published_card(
        _report(AnnouncementStatus.SENDING, {}, "announcement.sent"), t
    ),
    "digest_personal": lambda t: digest_card(DigestView("Gemeente Ermelo", (OFFER,), personal=True), t),
    "digest_channel": lambda t: digest_card(
        DigestView("Gemeente Ermelo", (KlusOffer(KLUS, None),), personal=False), t
    ),
    "notice_declined": _notice("declined", name="Eva Smit"),
    "notice_expired": _notice("expired"),
    "notice_cancelled": _notice("cancelled"),
    "notice_closed": _notice("closed"),
    "notice_not_chosen": _notice("not_chosen", others=(OFFER,)),
    **TRACK_CARDS,
    "notice_shift_request": _notice("shift_request"),
    "notice_proposed": _notice("proposed", name="Bram Jansen", match=MATCH),
    "notice_proposal_declined": _notice("proposal_declined", name="Daan Visser"),
    **shift_cards(KLUS, MATCH, ORGS, SKILLS),
    "pool": lambda t: pool_card(
        PoolView(FLEX, FLEX_MEMBERS, (dataclasses.replace(FLEX, key="emmen", name="Expertisecentrum"),)), t
    ),
    "pool_added": lambda t: pool_card(
        PoolView(FLEX, FLEX_MEMBERS, banner="pools.member_added", detail="Fenna Mulder"), t
    ),
    "pool_error": lambda t: pool_card(
        PoolView(FLEX, FLEX_MEMBERS, error="pools.error.expires_before_obtained", detail="VOG"), t
    ),
    "pool_empty": lambda t: pool_card(PoolView(FLEX, ()), t),
    "pool_lacking": lambda t: lacking_card(
        LackingView(
            FLEX,
            (
                Lacking(
                    pool_klus(7, "Balie reisdocumenten", "Voorkomen ID-fraude"),
                    (("Fenna Mulder", ("Voorkomen ID-fraude",)),),
                ),
                Lacking(pool_klus(8, "Balie burgerzaken", "VOG"), ()),
            ),
        ),
        t,
    ),
    "pool_lacking_none": lambda t: lacking_card(LackingView(FLEX, ()), t),
    "my_pool": lambda t: my_pool_card(
        MyPoolView(
            (UnavailablePeriod(3, date(2027, 6, 3), date(2027, 6, 14), "tentamens", ("fri",)),),
            FLEX_MEMBERS[1].qualifications,
            ((FLEX, ("4 trainingsdagen",), ("2 weken inwerken bij Chantal Bakker",)),),
            TODAY,
            banner="pools.period_added",
        ),
        t,
    ),
    "my_pool_error": lambda t: my_pool_card(
        MyPoolView((), (), (), TODAY, error="pools.error.ends_before_start"), t
    ),
    "pool_expiry_reminder": lambda t: expiry_reminder_card(FLEX_MEMBERS[1].qualifications[0], t),
}
CASES = [(name, lang) for name in CARDS for lang in LANGUAGES]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft6Validator:
    schema = json.loads((files("adaptive_cards") / "schemas" / "schema-1.5.json").read_text(encoding="utf-8"))
    card_schema = {**schema, "$ref": "#/definitions/AdaptiveCard"}
    card_schema.pop("anyOf", None)
    # Teams' type-ahead lists, documented by Teams ("Typeahead search in Adaptive Cards") but not in
    # the published schema: the style `filtered`, and `choices.data`, a Data.Query the bot answers.
    definitions = card_schema["definitions"]
    definitions["ChoiceInputStyle"] = {"enum": ["compact", "expanded", "filtered"]}
    definitions["Input.ChoiceSet"]["properties"]["choices.data"] = {
        "type": "object",
        "properties": {
            "type": {"enum": ["Data.Query"]},
            "dataset": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 1},
            "skip": {"type": "integer", "minimum": 0},
            "associatedInputs": {"enum": ["auto", "none"]},
        },
        "required": ["type", "dataset"],
        "additionalProperties": False,
    }
    return jsonschema.Draft6Validator(card_schema)


def _without_teams_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_teams_keys(v) for k, v in value.items() if k != "msteams"}
    if isinstance(value, list):
        return [_without_teams_keys(v) for v in value]
    return value


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _walk(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child)


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_card_is_valid_adaptive_card_1_5(name: str, lang: str, validator: jsonschema.Draft6Validator) -> None:
    card = CARDS[name](Translator(lang))  # type: ignore[arg-type]
    errors = sorted(validator.iter_errors(_without_teams_keys(card)), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    ids = [element["id"] for element in _walk(card) if "id" in element and "type" in element]
    assert len(ids) == len(set(ids)), f"duplicate ids {ids}"


def test_the_schema_check_can_fail(validator: jsonschema.Draft6Validator) -> None:
    broken = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [{"type": "Input.Number", "id": "x", "min": "one"}],
    }
    assert list(validator.iter_errors(broken))


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_card_matches_golden_json(name: str, lang: str) -> None:
    card = CARDS[name](Translator(lang))  # type: ignore[arg-type]
    path = GOLDEN / f"{name}.{lang}.json"
    rendered = json.dumps(card, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert rendered == path.read_text(encoding="utf-8")


def test_every_verb_has_a_handler_and_every_card_verb_is_known() -> None:
    assert set(ROUTES.verbs) == set(Verb)
    emitted = {
        element["verb"]
        for name, lang in CASES
        for element in _walk(CARDS[name](Translator(lang)))  # type: ignore[arg-type]
        if element.get("type") == "Action.Execute"
    }
    assert emitted <= {verb.value for verb in ROUTES.verbs}


def test_a_full_list_of_evaluations_fits_in_a_teams_message() -> None:
    """Teams refuses messages over about 28 KB: a list with every text at its maximum stays under."""
    longest = "Wat goed ging, heel uitgebreid verteld. " * 25
    assert len(longest) >= MAX_EVALUATION_TEXT
    said = Evaluation(1, Role.EMPLOYEE, 5, longest[:MAX_EVALUATION_TEXT], longest[:MAX_EVALUATION_TEXT], True)
    match = dataclasses.replace(
        BOTH_EVALUATED,
        klus_title="K" * 120,
        employee=said,
        poster=dataclasses.replace(said, role=Role.POSTER),
    )
    for lang in ("nl", "en"):
        t = Translator.for_locale(lang)
        listed = report_evaluations_card(
            EvaluationsListView(ORGS[0], date(2027, 1, 1), date(2027, 3, 31), (match,) * EVALUATIONS_SHOWN), t
        )
        size = len(json.dumps(listed, ensure_ascii=False).encode())
        assert size < 28_000, size
        assert longest[:MAX_EVALUATION_TEXT] not in json.dumps(listed, ensure_ascii=False)  # cut short
        full = json.dumps(evaluations_card(EvaluationsView(match), t), ensure_ascii=False)
        assert longest[:MAX_EVALUATION_TEXT] in full  # "Read all": the whole text


def test_hr_who_is_a_side_goes_back_to_the_list_they_opened_the_match_from() -> None:
    """HR who posted the klus opens it with "Read all" from the report's list: the way back is to
    that list, not to their status card; their own side is still called theirs."""
    t = Translator("en")
    listed = ReportRequest("ermelo", date(2027, 1, 1), date(2027, 3, 31))
    from_list = evaluations_card(EvaluationsView(BOTH_EVALUATED, Role.POSTER), t, listed)
    from_status = evaluations_card(EvaluationsView(BOTH_EVALUATED, Role.POSTER), t, ReportRequest())

    def actions(card: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
        return [(a["title"], a["verb"], a["data"]) for a in card["actions"]]

    scope = {"report_organisation": "ermelo", "report_from": "2027-01-01", "report_to": "2027-03-31"}
    assert actions(from_list) == [("Back to the evaluations", Verb.REPORT_EVALUATIONS, scope)]
    assert actions(from_status) == [("Back", Verb.APPROVAL_SHOW, {"approval_id": 12})]
    assert "Your evaluation" in json.dumps(from_list)


def test_a_candidates_klus_cards_refresh_to_klus_show_for_their_reader_only() -> None:
    """The offer and the notices that show a candidate the klus ask Teams to refresh them with
    klus.show for the reader's own Teams user id; messages about a moment and the channel's
    digest (many readers) do not."""
    t = Translator("nl")
    refresh = {"type": "Action.Execute", "verb": Verb.KLUS_SHOW.value, "data": {"klus_id": KLUS.id}}
    offer = klus_card(KlusOffer(KLUS, MATCH, refresh_user_ids=("29:eva",)), t)
    assert offer["refresh"] == {"action": refresh, "userIds": ["29:eva"]}
    for kind in ("new_klus", "invited", "chosen"):
        notice = RENDER.render(KlusNotice(kind, KLUS, refresh_user_ids=("29:eva",)), "nl-NL")
        assert notice["refresh"] == {"action": refresh, "userIds": ["29:eva"]}, kind
    for kind in ("interest", "not_chosen", "approval_approved_candidate", "cancelled"):
        assert "refresh" not in RENDER.render(KlusNotice(kind, KLUS, refresh_user_ids=("29:eva",)), "nl-NL")
    channel = digest_card(DigestView("Gemeente Ermelo", (KlusOffer(KLUS, None),), personal=False), t)
    assert "refresh" not in channel and "userIds" not in json.dumps(channel)


def test_user_text_is_escaped_by_json_not_by_us() -> None:
    card = CARDS["profile_active"](Translator("nl"))
    intro = next(
        fact["value"] for e in _walk(card) for fact in e.get("facts", []) if "zwembad" in fact["value"]
    )
    assert intro == "Ik werk normaal in het zwembad & help graag <overal>."


RENDERER = Path(__file__).parents[2] / "node_modules" / "adaptivecards"


def _renderer_report(paths: list[Path]) -> dict[str, list[str]]:
    if not RENDERER.is_dir():
        if os.environ.get("CI"):
            pytest.fail("node_modules/adaptivecards is missing: run `npm ci` (make test does)")
        pytest.skip("node_modules/adaptivecards is missing: run `npm ci`")
    script = Path(__file__).with_name("parse_cards.cjs")
    result = subprocess.run(
        ["node", str(script), *map(str, paths)], capture_output=True, text=True, timeout=60, check=True
    )
    report: dict[str, list[str]] = json.loads(result.stdout)
    return report


def test_the_official_renderer_parses_every_card_without_complaint() -> None:
    paths = sorted(GOLDEN.glob("*.json"))
    assert len(paths) == len(CASES)
    report = _renderer_report(paths)
    assert {path: problems for path, problems in report.items() if problems} == {}


def test_the_renderer_check_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "type": "AdaptiveCard",
                "version": "1.5",
                "body": [{"type": "Input.Stars", "id": "a"}, {"type": "TextBlock", "id": "a", "text": "x"}],
            }
        )
    )
    problems = _renderer_report([broken])[str(broken)]
    assert any("Unknown element type" in problem for problem in problems)


def test_the_sides_of_a_match_get_a_teams_chat_and_the_e_mail() -> None:
    t = Translator("en")
    chosen = json.dumps(CARDS["klus_offer_chosen"](t))
    assert "https://teams.microsoft.com/l/chat/0/0?users=bram.jansen%40ermelo.example" in chosen
    assert "mailto:bram.jansen@ermelo.example" in chosen and "Chat with Bram Jansen" in chosen
    # Without an e-mail in the directory: the chat by Entra object id, and no e-mail button.
    candidates = json.dumps(CARDS["candidates"](t))
    assert "chat/0/0?users=6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01" in candidates
    assert "mailto:" not in candidates
    # Nobody without a place on the klus is shown as a contact.
    assert json.dumps(CARDS["klus_offer"](t)).count("teams.microsoft.com/l/chat") == 0


def test_a_full_klus_offers_no_more_invitations_and_the_suggestion_offers_interest_at_once() -> None:
    t = Translator("en")
    assert Verb.CANDIDATE_INVITE.value in json.dumps(CARDS["candidates"](t))
    full = json.dumps(CARDS["candidates_full"](t))
    assert Verb.CANDIDATE_INVITE.value not in full and Verb.CANDIDATE_CHOOSE.value not in full
    suggestion = CARDS["notice_new_klus"](t)
    assert [a["title"] for a in suggestion["actions"]][:2] == [t("action.interest"), t("action.klus_show")]
    assert Verb.INTEREST_ADD.value in json.dumps(suggestion)


def test_the_pool_rules_say_why_someone_is_left_out() -> None:
    t = Translator("nl")
    said = [
        exclusion_text(Exclusion(code, params), t)
        for code, params in (
            ("missing", {"names": "Voorkomen ID-fraude"}),
            ("onboarding", {"pool": "Flexpool", "steps": "2 weken inwerken"}),
            ("not_in_pool", {"pool": "Flexpool"}),
            ("unavailable", {"first": "2027-06-03", "last": "2027-06-14"}),
        )
    ]
    assert said[0] == "mist: Voorkomen ID-fraude"
    assert said[3] == f"niet beschikbaar {t.date(date(2027, 6, 3))} – {t.date(date(2027, 6, 14))}"
    assert "2 weken inwerken" in said[1] and "Flexpool" in said[2]
