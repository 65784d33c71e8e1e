"""Talents colleagues can find, and "dates": reading a search ("wie kan Power BI?") as skills and
words, the search as a klus for the matcher, and the rules of a short request for help."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from klussenbank.domain.fields import MAX_PERIOD, Checks, FieldError
from klussenbank.domain.klus import Klus, Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.domain.skills import SkillVocabulary

PAGE_SIZE = 10  # results on one page of a talent search
MAX_QUERY = 200
MAX_SKILLS = 5  # skills one search asks for
MAX_TERMS = 3  # free words one search asks for
HITS_PER_PHRASE = 3
STRONG_HIT = 4  # a skill's own label (any kind of hit) or a synonym that is, or begins with, the text
SEARCH_PERIOD = timedelta(days=90)  # a date is soon: people available in the coming three months
MAX_DATE_TEXT = 500
MIN_DATE_HOURS, MAX_DATE_HOURS = 1, 40

# Words of a question that name no skill: "wie kan Power BI?", "who is good at Excel".
_FILLERS = frozenset(
    [
        "wie",
        "kan",
        "kunnen",
        "is",
        "zijn",
        "goed",
        "in",
        "met",
        "iemand",
        "die",
        "wat",
        "weet",
        "weten",
        "van",
        "heeft",
        "hebben",
        "ervaring",
        "zoek",
        "zoeken",
        "ik",
        "een",
        "de",
        "het",
        "er",
        "op",
        "ook",
        "graag",
        "helpen",
        "hulp",
        "bij",
        "voor",
        "en",
        "of",
        "who",
        "can",
        "could",
        "is",
        "are",
        "good",
        "at",
        "with",
        "someone",
        "somebody",
        "knows",
        "know",
        "has",
        "have",
        "experience",
        "in",
        "a",
        "an",
        "the",
        "looking",
        "for",
        "i",
        "me",
        "help",
        "and",
        "or",
    ]
)
_PIECES = re.compile(r"[,;\r\n]+|\s(?:en|and|of|or)\s")
_WORDS = re.compile(r"[^\w+#.-]+")


@dataclass(frozen=True)
class TalentQuery:
    """A search as the matcher reads it: skills from the vocabulary, and words it does not know."""

    text: str
    skills: tuple[str, ...]
    terms: tuple[str, ...]

    @property
    def empty(self) -> bool:
        return not self.skills and not self.terms


def read_query(text: str, vocabulary: SkillVocabulary, language: str) -> TalentQuery:
    """The skills a search names (a skill, a synonym or the start of one: "power bi", "notulist",
    "dashboards"), and the words left that name no skill, as free words."""
    text = " ".join(text.split())[:MAX_QUERY]
    skills: list[str] = []
    terms: list[str] = []
    for piece in _PIECES.split(f" {text} "):
        words = [w.strip(".-") for w in _WORDS.split(piece) if w.strip(".-").casefold() not in _FILLERS]
        phrase = " ".join(w for w in words if w)
        if not phrase:
            continue
        known = vocabulary.find(phrase)
        hits = (
            [known.id]
            if known
            else [h.skill.id for h in vocabulary.search(phrase, language) if h.rank <= STRONG_HIT]
        )
        if hits:
            skills += [s for s in hits[:HITS_PER_PHRASE] if s not in skills]
        elif phrase.casefold() not in (t.casefold() for t in terms):
            terms.append(phrase)
    return TalentQuery(text, tuple(skills[:MAX_SKILLS]), tuple(terms[:MAX_TERMS]))


def search_klus(query: TalentQuery, *, searcher_id: str, organisation_key: str, today: date) -> Klus:
    """The search as a klus of the searcher's, so that the matcher's hard filters, score and reasons
    hold for talent search too: an hour of help soon, either on site or remote, for the searcher's
    organisation (so people who are willing to work for it), never the searcher themself."""
    return Klus(
        id=0,
        poster_id=searcher_id,
        organisation_key=organisation_key,
        title="",
        description="",
        required_skills=query.skills,
        nice_skills=(),
        free_skills=query.terms,
        hours_per_week=MIN_DATE_HOURS,
        start_date=today,
        end_date=today + SEARCH_PERIOD,
        work_mode=WorkMode.HYBRID,
        place="",
        people_needed=1,
        interest_deadline=today,
        visibility=Visibility.POOL,
        internal_first_until=today,
        talent_search=True,
    )


class DateStatus(StrEnum):
    """requested -> accepted / declined."""

    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass(frozen=True)
class DateDraft:
    """A date request as the searcher sent it; None where a value is missing or unreadable."""

    text: str = ""
    hours: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    unreadable: tuple[str, ...] = ()


@dataclass(frozen=True)
class TalentDate:
    """One colleague's short request for help to another (a findable talent)."""

    id: int
    requester_id: str
    talent_id: str
    text: str
    hours: int
    start_date: date | None
    end_date: date | None
    status: DateStatus = DateStatus.REQUESTED
    created_at: datetime | None = None

    def needs_approval(self, max_hours: int) -> bool:
        """A small date is between colleagues; a larger one is a klus, with the normal approval."""
        return self.hours > max_hours


def validate_date(
    draft: DateDraft, *, today: date
) -> tuple[tuple[str, int, date | None, date | None] | None, list[FieldError]]:
    """The request's text, hours and optional dates, or the errors by field; never both."""
    check = Checks(draft.unreadable)
    text = check.text("date_text", draft.text, MAX_DATE_TEXT, required=True)
    if draft.hours is None:
        check.missing("date_hours")
    elif not MIN_DATE_HOURS <= draft.hours <= MAX_DATE_HOURS:
        check.add("date_hours", "hours_range", min=MIN_DATE_HOURS, max=MAX_DATE_HOURS)
    start, end = draft.start_date, draft.end_date
    if start is not None and start < today:
        check.add("date_start", "in_past")
    if end is not None:
        if end < today:
            check.add("date_end", "in_past")
        elif start is not None and end < start:
            check.add("date_end", "end_before_start")
        elif end - (start or today) > MAX_PERIOD:
            check.add("date_end", "period_too_long")
    if check.errors:
        return None, check.errors
    assert draft.hours is not None
    return (text, draft.hours, start, end), []
