"""Matching people and klussen: who may do a klus, how well they fit, why, and in which order.

Pure domain code: no I/O, no clock (``today`` is always given), no randomness.

**Hard filters.** A person is never matched to a klus when

- their availability is not active on ``today`` (paused or withdrawn; a pause ends by itself),
- they have no hours left: their hours per week minus the hours of their commitments that overlap
  the klus period is zero or less,
- they are not willing to work for the klus's organisation,
- the klus is only for its own organisation and they belong to another one,
- they posted the klus themselves,
- their availability period (open-ended when it has no end) does not overlap the klus period,
- the caller hides them (``hidden``: e.g. the poster's reporting line that did not allow it), or
  hides the poster from them (``hidden_posters``),
- they have nothing the klus asks for: not one required or free-text skill, not even a related one
  (when a klus names only nice-to-have skills, one of those is enough; a klus naming no skill at all
  is open to everyone). Showing people a klus they share no skill with helps nobody.

Only klussen that are open on ``today`` (``Klus.open_on``) are offered to people.

**Score.** Each part of the fit is a `Reason` with a value in [0, 1] and a weight; the score is
``round(sum(value * weight) / sum(weight), 4)`` over the reasons, in this order:

=============  ==========================  ==============================================================
code           weight                      value and params
=============  ==========================  ==============================================================
skills         0.45 * R / (R + F)          required skills: own skill 1, a related skill (either
                                           direction) 1/2. ``{"matched", "related", "total"}``
free_skills    0.45 * F / (R + F)          the klus's free-text skills, matched by words against the
                                           person's own free-text skills and the labels and synonyms of
                                           their skills: every word 1, at least half the words 1/2.
                                           ``{"matched", "partial", "total"}``
nice_skills    0.10                        nice-to-have skills, as for skills. ``{"matched", "related",
                                           "total"}``
hours          0.15                        min(hours left, hours needed) / hours needed.
                                           ``{"offered": that minimum, "needed"}`` ("16 van 16 uur")
period         0.15                        share of the klus period the person is available.
                                           ``{"fit": "full"|"partial", "days": overlap, "total": klus days}``
work_mode      0.10                        see `WORK_MODE_FIT`. ``{"fit": "full"|"partial"|"none", "klus",
                                           "person"}`` (work modes as their values)
place          0.05                        1 when the person belongs to the klus's organisation or the klus
                                           is remote, else 0. ``{"fit": "near"|"far"|"remote",
                                           "organisation"}``
=============  ==========================  ==============================================================

R, F and N are the numbers of required, free-text and nice-to-have skills; a part the klus does not
ask for (R, F or N is 0) has no reason. So a card can say "3 van 4 vaardigheden · 16 van 16 uur ·
periode past" straight from the params.

**Order.** `Matcher.rank_candidates` (the poster's view) spreads the work fairly: scores in the same
band of `NEAR_EQUAL` ((0.98, 1], (0.96, 0.98], ...) count as equal; within a band people with fewer
recent matches come first, then those passed over fewer times, then a stable hash of (klus id,
person id), so that another klus puts another person first. The score shown is never changed by
this. `Matcher.rank_klussen` (the person's view) orders by score, then a stable hash of (person id,
klus id). Both are deterministic and do not depend on the order of the input. Person ids are
expected to be unique.

**Indexes.** `Matcher.rank_candidates` and `Matcher.rank_klussen` look at every input; for the whole
pool build an index once and ask it many times. They return exactly what the plain methods return.

- `CandidatePool` (people): `CandidatePool.top_candidates` (a klus's best people) and
  `CandidatePool.digest` (every person's best open klussen, for the daily message).
- `KlusIndex` (klussen): `KlusIndex.top_klussen` (one person's best klussen).

Both keep sets of people (or klussen) as bitsets in Python ints: one per skill, organisation, work
mode, hours offered, start and end date, and so on. A query adds up per person (or klus) the halves
of the klus's skills they bring, as a bit-sliced counter, and then visits them in order of the best
score they could still reach, stopping as soon as nobody left could enter the top (threshold
algorithm). For a klus the pool hands out *cells*: eligible people (people whose commitment alone
takes all their hours in the klus period are left out by bitsets too) at one skill level whose
nice-to-have level, work mode fit and place fit are the same. In a cell's exact part everyone has
the hours (and no commitments) and the whole period, so they all get the cell's score without being
scored one by one; the others are bound by that score, and scored one by one from the cell's values
with their own hours left and period (fully for a klus with free-text skills). The digest runs all
klussen at once against a slice of the pool (its bitsets for every klus in memory): one queue of
every klus's levels and cells, best first; a person is done as soon as they have their klussen and nothing
left can beat them. Its `part` lets several processes each compute a share of the people.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import math
import re
import threading
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from operator import mul
from types import MappingProxyType
from typing import NamedTuple, TypeVar

from klussenbank.domain.klus import Klus, KlusStatus, Visibility
from klussenbank.domain.people import Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary, normalise_term

__all__ = [
    "HOURS_WEIGHT",
    "NEAR_EQUAL",
    "NICE_SKILLS_WEIGHT",
    "PERIOD_WEIGHT",
    "PLACE_WEIGHT",
    "SKILLS_WEIGHT",
    "WORK_MODE_FIT",
    "WORK_MODE_WEIGHT",
    "Candidate",
    "CandidatePool",
    "Commitment",
    "KlusIndex",
    "Match",
    "Matcher",
    "Reason",
]

SKILLS_WEIGHT = 0.45  # required and free-text skills together, shared by their numbers
NICE_SKILLS_WEIGHT = 0.10
HOURS_WEIGHT = 0.15
PERIOD_WEIGHT = 0.15
WORK_MODE_WEIGHT = 0.10
PLACE_WEIGHT = 0.05
NEAR_EQUAL = 0.02  # scores in the same band of this width count as equal when ranking people

# (klus work mode, person work mode) -> fit. A hybrid person does either; a hybrid klus half suits
# someone who only wants one of the two.
WORK_MODE_FIT: Mapping[tuple[WorkMode, WorkMode], float] = MappingProxyType(
    {
        (WorkMode.ON_SITE, WorkMode.ON_SITE): 1.0,
        (WorkMode.ON_SITE, WorkMode.HYBRID): 1.0,
        (WorkMode.ON_SITE, WorkMode.REMOTE): 0.0,
        (WorkMode.REMOTE, WorkMode.REMOTE): 1.0,
        (WorkMode.REMOTE, WorkMode.HYBRID): 1.0,
        (WorkMode.REMOTE, WorkMode.ON_SITE): 0.0,
        (WorkMode.HYBRID, WorkMode.HYBRID): 1.0,
        (WorkMode.HYBRID, WorkMode.ON_SITE): 0.5,
        (WorkMode.HYBRID, WorkMode.REMOTE): 0.5,
    }
)
_FIT_WORDS = {1.0: "full", 0.5: "partial", 0.0: "none"}
_MODES = tuple(WorkMode)  # a work mode's position here is its code

_SCALE = 10_000  # a score in units of its last decimal
_BAND = round(NEAR_EQUAL * _SCALE)
_NEVER = 10**9  # an ordinal after every date


@dataclass(frozen=True)
class Commitment:
    """Hours a person already committed to (confirmed or approved matches)."""

    start_date: date
    end_date: date
    hours_per_week: int


@dataclass(frozen=True)
class Candidate:
    """A person as the matcher sees them."""

    person_id: str
    organisation_key: str
    availability: Availability
    commitments: tuple[Commitment, ...] = ()
    recent_matches: int = 0  # klussen they got in the last 90 days
    times_passed_over: int = 0  # suggested or interested recently, but not chosen


@dataclass(frozen=True)
class Reason:
    """One part of a match's explanation; the cards render it from the message catalogs."""

    code: str
    params: Mapping[str, int | str]
    value: float  # in [0, 1]
    weight: float


@dataclass(frozen=True)
class Match:
    """A person for a klus, with the score and the reasons it is made of."""

    klus_id: int
    person_id: str
    score: float  # round(sum(value * weight) / sum(weight), 4) over the reasons
    reasons: tuple[Reason, ...]


# -- words ----------------------------------------------------------------------------------------------

_WORD_BREAK = re.compile(r"[\W_]+")
# Words that say nothing about a skill on their own.
_STOPWORDS = frozenset((
    "de", "het", "een", "en", "of", "van", "voor", "met", "in", "op", "aan", "bij", "naar", "over", "te",
    "tot", "om", "als", "door", "uit", "maken", "doen",
    "the", "and", "or", "for", "with", "to", "an", "on", "at", "by", "from",
))  # fmt: skip


def _stem(word: str) -> str:
    """A crude plural fold so "evenementen"/"evenement" and "events"/"event" meet."""
    if len(word) > 5 and word.endswith("en"):
        return word[:-2]
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words(text: str) -> frozenset[str]:
    """The meaningful words of a text, normalised like skill look-ups and plural-folded."""
    keys = [key for key in (normalise_term(piece) for piece in _WORD_BREAK.split(text)) if key]
    meaningful = {_stem(key) for key in keys if len(key) > 1 and key not in _STOPWORDS}
    return frozenset(meaningful or {_stem(key) for key in keys})


@dataclass(frozen=True, slots=True)
class _Term:
    """A free-text skill of a klus, ready to be compared with people."""

    key: str
    key_skill: int  # the bit of the vocabulary skill this whole term names, or 0
    words: tuple[tuple[str, int], ...]  # each word with the bits of the skills that use it


# -- profiles: what the matcher needs of a person or a klus, precomputed ---------------------------------


class _Person:
    __slots__ = (
        "active_after",
        "commitments",
        "end",
        "free_keys",
        "free_words",
        "hours",
        "id",
        "mode_code",
        "organisation",
        "own",
        "passed_over",
        "recent",
        "related",
        "start",
        "willing",
    )

    def __init__(self, matcher: Matcher, candidate: Candidate) -> None:
        availability = candidate.availability
        self.id = candidate.person_id
        self.organisation = candidate.organisation_key
        self.willing = matcher._organisation_mask(availability.organisations)
        self.mode_code = _MODES.index(availability.work_mode)
        self.hours = availability.hours_per_week
        self.start = availability.start_date.toordinal()
        self.end = _NEVER if availability.end_date is None else availability.end_date.toordinal()
        self.active_after = _active_after(availability)
        self.commitments = tuple(
            (c.start_date.toordinal(), c.end_date.toordinal(), c.hours_per_week)
            for c in candidate.commitments
        )
        self.recent = candidate.recent_matches
        self.passed_over = candidate.times_passed_over
        own = matcher._skill_mask(availability.skills)
        related = 0
        for bit in _bits(own):
            related |= matcher._related.get(bit, 0)
        self.own = own
        self.related = related ^ (related & own)
        free = availability.free_skills
        self.free_keys = frozenset(filter(None, map(normalise_term, free))) if free else _NOTHING
        self.free_words = frozenset().union(*map(_words, free)) if free else _NOTHING


_NOTHING: frozenset[str] = frozenset()


def _active_after(availability: Availability) -> int:
    """The person is active on every day whose ordinal is greater than this (see `status_on`)."""
    if availability.status is AvailabilityStatus.ACTIVE:
        return 0
    if availability.status is AvailabilityStatus.PAUSED and availability.paused_until is not None:
        return availability.paused_until.toordinal()
    return _NEVER


class _Klus:
    __slots__ = (
        "days",
        "end",
        "hours",
        "id",
        "klus",
        "mode",
        "mode_fit",
        "nice",
        "nice_total",
        "nice_unit",
        "organisation",
        "organisation_bit",
        "organisation_only",
        "poster",
        "reasons",
        "remote",
        "required",
        "required_total",
        "start",
        "terms",
        "total",
        "unit",
        "weight_sum",
        "weights",
    )

    def __init__(self, matcher: Matcher, klus: Klus) -> None:
        self.klus = klus
        self.id = klus.id
        self.poster = klus.poster_id
        self.organisation = klus.organisation_key
        self.organisation_bit = matcher._organisation_mask((klus.organisation_key,))
        self.organisation_only = klus.visibility is Visibility.ORGANISATION
        self.mode = klus.work_mode
        self.mode_fit = tuple(WORK_MODE_FIT[self.mode, mode] for mode in _MODES)
        self.remote = self.mode is WorkMode.REMOTE
        self.hours = klus.hours_per_week
        self.start = klus.start_date.toordinal()
        self.end = klus.end_date.toordinal()
        self.days = self.end - self.start + 1
        self.required = matcher._skill_mask(klus.required_skills)
        self.nice = matcher._skill_mask(klus.nice_skills)
        self.required_total = self.required.bit_count()
        self.nice_total = self.nice.bit_count()
        terms: dict[str, _Term] = {}
        for text in klus.free_skills:
            key = normalise_term(text)
            if key and key not in terms:
                terms[key] = matcher._term(key, text)
        self.terms = tuple(terms.values())
        self.total = self.required_total + len(self.terms)
        weights: list[float] = []  # in the order of the reasons (see the module docstring)
        if self.required_total:
            weights.append(SKILLS_WEIGHT * self.required_total / self.total)
        if self.terms:
            weights.append(SKILLS_WEIGHT * len(self.terms) / self.total)
        if self.nice_total:
            weights.append(NICE_SKILLS_WEIGHT)
        weights += [HOURS_WEIGHT, PERIOD_WEIGHT, WORK_MODE_WEIGHT, PLACE_WEIGHT]
        self.weights = tuple(weights)
        # Reasons made so far, to share (see `_reasons`): the skill reasons by the fit's counts, and
        # work mode with place by the person's work mode and whether they are near.
        self.reasons: tuple[dict[_Counts, tuple[Reason, ...]], dict[int, tuple[Reason, ...]]] = ({}, {})
        self.weight_sum = sum(weights)
        # For the threshold algorithm: the weight of half a skill of the kind that sets the level
        # (see `_bound`), and of half a nice-to-have skill besides.
        if self.total:
            self.unit = SKILLS_WEIGHT / (2 * self.total)
            self.nice_unit = NICE_SKILLS_WEIGHT / (2 * self.nice_total) if self.nice_total else 0.0
        else:
            self.unit = NICE_SKILLS_WEIGHT / (2 * self.nice_total) if self.nice_total else 0.0
            self.nice_unit = 0.0


_new_fit = tuple.__new__  # (skips NamedTuple's Python-level __new__: this runs for every pair scored)


# Of a person for a klus: required skills own and related, free-text skills with every word and with
# at least half the words, nice-to-have skills own and related.
_Counts = tuple[int, int, int, int, int, int]


class _Fit(NamedTuple):
    """How one person fits one klus, as numbers; `_match` turns it into a `Match`."""

    score: float
    units: int  # the score in units of its last decimal
    counts: _Counts
    hours_left: int
    overlap: int


def _part(full: int, half: int, total: int) -> float:
    """A skills value: an own skill (a term with every word) counts 1, a related one (half the words) 1/2."""
    return (2 * full + half) / (2 * total)


def _hours_value(hours: int, needed: int) -> float:
    return min(hours, needed) / needed if needed > 0 else 1.0


def _term_credit(term: _Term, person: _Person) -> int:
    """2 when the person has every word of the term (or the term itself), 1 for at least half."""
    if term.key in person.free_keys or term.key_skill & person.own:
        return 2
    covered = 0
    for word, skills in term.words:
        if skills & person.own or word in person.free_words:
            covered += 1
    if covered == len(term.words):
        return 2
    return 1 if len(term.words) > 1 and 2 * covered >= len(term.words) else 0


def _hours_left(person: _Person, first: int, last: int) -> int:
    """The person's hours a week minus those of their commitments that overlap days first .. last."""
    hours_left = person.hours
    for start, end, hours in person.commitments:
        if start <= last and end >= first:
            hours_left -= hours
    return hours_left


def _fit(klus: _Klus, person: _Person, today: int) -> _Fit | None:
    """The fit of a person for a klus, or None when a hard filter rules it out."""
    if today <= person.active_after or person.id == klus.poster or not klus.organisation_bit & person.willing:
        return None
    near = person.organisation == klus.organisation
    if klus.organisation_only and not near:
        return None
    first, last = klus.start, klus.end
    overlap = min(person.end, last) - max(person.start, first) + 1
    if overlap <= 0:
        return None
    hours_left = _hours_left(person, first, last) if person.commitments else person.hours
    if hours_left <= 0:
        return None

    own_skills, related_skills = person.own, person.related
    required = klus.required
    own = (required & own_skills).bit_count()
    related = (required & related_skills).bit_count()
    full = half = 0
    if klus.terms:
        for term in klus.terms:
            credit = _term_credit(term, person)
            if credit == 2:
                full += 1
            elif credit:
                half += 1
    nice_skills = klus.nice
    if nice_skills:
        nice = (nice_skills & own_skills).bit_count()
        nice_related = (nice_skills & related_skills).bit_count()
    else:
        nice = nice_related = 0
    if klus.total:
        if not (own or related or full or half):
            return None
    elif klus.nice_total and not (nice or nice_related):
        return None

    values: list[float] = []
    if klus.required_total:
        values.append(_part(own, related, klus.required_total))
    if klus.terms:
        values.append(_part(full, half, len(klus.terms)))
    if klus.nice_total:
        values.append(_part(nice, nice_related, klus.nice_total))
    values += (
        _hours_value(hours_left, klus.hours),
        overlap / klus.days,
        klus.mode_fit[person.mode_code],
        1.0 if near or klus.remote else 0.0,
    )
    # The documented formula, literally, so that the score is exactly what the reasons give.
    score = round(sum(map(mul, values, klus.weights)) / klus.weight_sum, 4)
    counts = (own, related, full, half, nice, nice_related)
    fit: _Fit = _new_fit(_Fit, (score, round(score * _SCALE), counts, hours_left, overlap))
    return fit


def _stable_hash(first: object, second: object) -> bytes:
    """The same for the same pair in every process (unlike `hash`), different for another pair."""
    return hashlib.blake2b(f"{first}\x1f{second}".encode(), digest_size=8).digest()


_CandidateKey = tuple[int, int, int, bytes]
_KlusKey = tuple[int, bytes]


def _band(units: int) -> int:
    """Scores in the same band count as equal: (0.98, 1], (0.96, 0.98], ... (for NEAR_EQUAL 0.02)."""
    return -(-units // _BAND)


def _candidate_key(klus: _Klus, person: _Person, fit: _Fit) -> _CandidateKey:
    return (-_band(fit.units), person.recent, person.passed_over, _stable_hash(klus.id, person.id))


def _klus_key(klus: _Klus, person: _Person, fit: _Fit) -> _KlusKey:
    return (-fit.units, _stable_hash(person.id, klus.id))


_ROUNDING_SLACK = 0.5 + 1e-6  # rounding to 4 decimals, and float error in summing another way


def _bound_units(bound: float) -> int:
    """The highest score (in units) a person with this upper bound, before rounding, can get."""
    return math.floor(bound * _SCALE + _ROUNDING_SLACK)


# -- explanations: a fit's reasons, made from its numbers ---------------------------------------------------


class _Shared:
    """Hours and period reasons made so far, to share between the matches of many klussen."""

    __slots__ = ("hours", "period")

    def __init__(self) -> None:
        self.hours: dict[int, Reason] = {}
        self.period: dict[int, Reason] = {}


def _match(klus: _Klus, person: _Person, fit: _Fit, shared: _Shared | None = None) -> Match:
    """The match with its reasons; with `shared` (the digest), more matches share their reasons."""
    # (a frozen dataclass's __init__ sets each field through object.__setattr__: this runs for every
    # suggestion in the digest)
    match: Match = object.__new__(Match)
    match.__dict__.update(
        klus_id=klus.id,
        person_id=person.id,
        score=fit.score,
        reasons=_reasons(klus, person, fit, shared or _Shared()),
    )
    return match


def _reasons(klus: _Klus, person: _Person, fit: _Fit, shared: _Shared) -> tuple[Reason, ...]:
    """The reasons, each made once from the numbers it shows (reasons are immutable): the skill
    reasons and work mode with place on the klus profile, hours and period in `shared`."""
    skills_made, rest_made = klus.reasons
    skills = skills_made.get(fit.counts)
    if skills is None:
        skills = skills_made[fit.counts] = _skill_reasons(klus, *fit.counts)
    needed = klus.hours
    offered = min(fit.hours_left, needed)
    key = offered << 32 | needed
    hours = shared.hours.get(key)
    if hours is None:
        offer = MappingProxyType({"offered": offered, "needed": needed})
        hours = shared.hours[key] = Reason("hours", offer, _hours_value(offered, needed), HOURS_WEIGHT)
    overlap, days = fit.overlap, klus.days
    key = overlap << 32 | days
    period = shared.period.get(key)
    if period is None:
        fit_word = "full" if overlap >= days else "partial"
        span: Mapping[str, int | str] = MappingProxyType({"fit": fit_word, "days": overlap, "total": days})
        period = shared.period[key] = Reason("period", span, overlap / days, PERIOD_WEIGHT)
    near = person.organisation == klus.organisation
    key = person.mode_code << 1 | near
    rest = rest_made.get(key)
    if rest is None:
        rest = rest_made[key] = _work_mode_and_place(klus, person.mode_code, near)
    return (*skills, hours, period, *rest)


def _skill_reasons(
    klus: _Klus, own: int, related: int, full: int, half: int, nice: int, nice_related: int
) -> tuple[Reason, ...]:
    parts = (
        ("skills", {"matched": own, "related": related, "total": klus.required_total}),
        ("free_skills", {"matched": full, "partial": half, "total": len(klus.terms)}),
        ("nice_skills", {"matched": nice, "related": nice_related, "total": klus.nice_total}),
    )
    weights = iter(klus.weights)  # (the skill reasons' weights come first)
    return tuple(
        Reason(code, MappingProxyType(params), _part(*params.values()), next(weights))
        for code, params in parts
        if params["total"]
    )


def _work_mode_and_place(klus: _Klus, mode_code: int, near: bool) -> tuple[Reason, Reason]:
    mode_fit = klus.mode_fit[mode_code]
    modes = {"fit": _FIT_WORDS[mode_fit], "klus": klus.mode.value, "person": _MODES[mode_code].value}
    place = {"fit": "remote" if klus.remote else "near" if near else "far", "organisation": klus.organisation}
    return (
        Reason("work_mode", MappingProxyType(modes), mode_fit, WORK_MODE_WEIGHT),
        Reason("place", MappingProxyType(place), 1.0 if near or klus.remote else 0.0, PLACE_WEIGHT),
    )


# -- the matcher --------------------------------------------------------------------------------------------


class Matcher:
    """Scores and ranks; holds only what it derives from the skills vocabulary."""

    def __init__(self, vocabulary: SkillVocabulary) -> None:
        self._vocabulary = vocabulary
        self._bit: dict[str, int] = {skill.id: n for n, skill in enumerate(vocabulary)}
        self._organisation_bit: dict[str, int] = {}
        self._new_bit = threading.Lock()
        self._related: dict[int, int] = defaultdict(int)
        self._word_skills: dict[str, int] = defaultdict(int)
        for skill in vocabulary:
            bit = self._bit[skill.id]
            for other in skill.related:  # related works in both directions
                self._related[bit] |= 1 << self._bit[other]
                self._related[self._bit[other]] |= 1 << bit
            for text in (skill.id, skill.label_nl, skill.label_en, *skill.synonyms):
                for word in _words(text):
                    self._word_skills[word] |= 1 << bit
        self._related = dict(self._related)
        self._word_skills = dict(self._word_skills)

    # profiles

    def _skill_mask(self, skill_ids: Iterable[str]) -> int:
        """Skills as bits; a skill not (or no longer) in the vocabulary gets a bit of its own."""
        return self._mask(self._bit, skill_ids)

    def _organisation_mask(self, keys: Iterable[str]) -> int:
        return self._mask(self._organisation_bit, keys)

    def _mask(self, bits: dict[str, int], keys: Iterable[str]) -> int:
        mask = 0
        for key in keys:
            bit = bits.get(key)
            if bit is None:
                with self._new_bit:  # (two threads must not give two keys the same bit)
                    bit = bits.setdefault(key, len(bits))
            mask |= 1 << bit
        return mask

    def _term(self, key: str, text: str) -> _Term:
        skill = self._vocabulary.find(text)
        words = sorted(_words(text))
        return _Term(
            key=key,
            key_skill=0 if skill is None else 1 << self._bit[skill.id],
            words=tuple((word, self._word_skills.get(word, 0)) for word in words),
        )

    def _person(self, candidate: Candidate) -> _Person:
        return _Person(self, candidate)

    def _klus(self, klus: Klus) -> _Klus:
        return _Klus(self, klus)

    # the plain methods: every input is looked at

    def explain(self, klus: Klus, candidate: Candidate, *, today: date) -> Match | None:
        """How well the candidate fits the klus and why; None when a hard filter rules them out.

        `hidden` and whether the klus is open are the callers' business here.
        """
        klus_profile, person = self._klus(klus), self._person(candidate)
        fit = _fit(klus_profile, person, today.toordinal())
        return None if fit is None else _match(klus_profile, person, fit)

    def rank_candidates(
        self,
        klus: Klus,
        candidates: Iterable[Candidate],
        *,
        today: date,
        hidden: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """The best people for a klus, in fair order (see the module docstring)."""
        klus_profile = self._klus(klus)
        day = today.toordinal()
        ranked: list[tuple[_CandidateKey, _Person, _Fit]] = []
        for candidate in candidates:
            if candidate.person_id in hidden:
                continue
            person = self._person(candidate)
            fit = _fit(klus_profile, person, day)
            if fit is not None:
                ranked.append((_candidate_key(klus_profile, person, fit), person, fit))
        ranked.sort(key=lambda entry: entry[0])
        return [_match(klus_profile, person, fit) for _, person, fit in ranked[: max(limit, 0)]]

    def rank_klussen(
        self,
        candidate: Candidate,
        klussen: Iterable[Klus],
        *,
        today: date,
        hidden_posters: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """The best open klussen for a person: highest score first."""
        person = self._person(candidate)
        day = today.toordinal()
        ranked: list[tuple[_KlusKey, _Klus, _Fit]] = []
        for klus in klussen:
            if not klus.open_on(today) or klus.poster_id in hidden_posters:
                continue
            klus_profile = self._klus(klus)
            fit = _fit(klus_profile, person, day)
            if fit is not None:
                ranked.append((_klus_key(klus_profile, person, fit), klus_profile, fit))
        ranked.sort(key=lambda entry: entry[0])
        return [_match(klus_profile, person, fit) for _, klus_profile, fit in ranked[: max(limit, 0)]]


# -- bitsets: sets of people or klussen as Python ints, counters as bit slices --------------------------------

_NONZERO_BYTE = re.compile(rb"[^\x00]")
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


def _bits(mask: int) -> list[int]:
    """The positions of the set bits, ascending."""
    if mask.bit_count() <= 256:  # few: take the highest one by one
        found: list[int] = []
        while mask:
            highest = mask.bit_length() - 1
            found.append(highest)
            mask ^= 1 << highest
        found.reverse()
        return found
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    found = []
    for hit in _NONZERO_BYTE.finditer(data):
        at = hit.start()
        base = at * 8
        found.extend(base + bit for bit in _BYTE_BITS[data[at]])
    return found


def _mask_of(positions: Iterable[int], size: int) -> int:
    data = bytearray((size + 7) // 8)
    for position in positions:
        data[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(data, "little")


def _add(counter: list[int], mask: int, amount: int) -> None:
    """Add `amount` (1 or 2) for every member of `mask` to a bit-sliced counter."""
    level = amount - 1
    carry = mask
    while carry:
        if level >= len(counter):
            counter.extend([0] * (level - len(counter)))
            counter.append(carry)
            return
        current = counter[level]
        counter[level] = current ^ carry
        carry &= current
        level += 1


def _any(counter: Sequence[int]) -> int:
    """The members with a count above zero."""
    mask = 0
    for bits in counter:
        mask |= bits
    return mask


def _highest(counter: Sequence[int], mask: int) -> tuple[int, int]:
    """The highest count among the members of `mask` (not 0), and the members that have it."""
    count = 0
    for level in range(len(counter) - 1, -1, -1):
        with_bit = mask & counter[level]
        if with_bit:
            mask = with_bit
            count |= 1 << level
    return count, mask


def _at_least(counter: Sequence[int], threshold: int, universe: int) -> int:
    """The members of `universe` whose count is at least `threshold`."""
    greater, equal = 0, universe
    for level in range(max(len(counter), threshold.bit_length()) - 1, -1, -1):
        bits = counter[level] if level < len(counter) else 0
        if threshold >> level & 1:
            equal &= bits
        else:
            greater |= equal & bits
            equal ^= equal & bits
    return greater | equal


def _bound(total: int, nice_total: int, level: int, work_mode: float, place: float, hours: float) -> float:
    """The best score a person can reach for a klus with `total` required and free-text skills and
    `nice_total` nice-to-have ones, given their skill level and the fits of work mode, place and hours.

    The level counts halves of the required and free-text skills; when the klus has none of those it
    counts halves of the nice-to-have skills. Parts not known yet are taken as perfect. (With
    nice-to-have skills taken as perfect, the bound is also one for the same klus without them.)
    """
    weight_sum = HOURS_WEIGHT + PERIOD_WEIGHT + WORK_MODE_WEIGHT + PLACE_WEIGHT
    rest = HOURS_WEIGHT * hours + PERIOD_WEIGHT + WORK_MODE_WEIGHT * work_mode + PLACE_WEIGHT * place
    if total:
        weight_sum += SKILLS_WEIGHT
        rest += SKILLS_WEIGHT * level / (2 * total)
        if nice_total:
            weight_sum += NICE_SKILLS_WEIGHT
            rest += NICE_SKILLS_WEIGHT
    elif nice_total:
        weight_sum += NICE_SKILLS_WEIGHT
        rest += NICE_SKILLS_WEIGHT * level / (2 * nice_total)
    return rest / weight_sum


# The digest works on slices of the pool of at most this many people: for each slice it holds a few
# bitsets per klus (2,000 klussen x 8 bitsets of 4 kB = 64 MB).
_DIGEST_SLICE = 32_768


class CandidatePool:
    """Every candidate, indexed for ranking people for a klus and for the daily digest."""

    def __init__(self, matcher: Matcher, candidates: Iterable[Candidate]) -> None:
        self._matcher = matcher
        self._people = [matcher._person(candidate) for candidate in candidates]
        self._index()

    def _slice(self, first: int, size: int) -> CandidatePool:
        """The pool of people first .. first + size - 1, its bitsets cut from this pool's."""
        part = CandidatePool.__new__(CandidatePool)
        part._matcher = self._matcher
        part._people = self._people[first : first + size]
        part._size = len(part._people)
        keep = (1 << part._size) - 1

        def cut(masks: Mapping[_K, int]) -> dict[_K, int]:
            return {key: mask >> first & keep for key, mask in masks.items() if mask >> first & keep}

        part._own = cut(self._own)
        part._related = cut(self._related)
        part._willing = cut(self._willing)
        part._home = cut(self._home)
        part._free_word = cut(self._free_word)
        part._free_key = cut(self._free_key)
        part._ids, part._more_ids, part._first = self._ids, self._more_ids, self._first + first
        part._modes = [mask >> first & keep for mask in self._modes]
        part._fairness = [(key, mask >> first & keep) for key, mask in self._fairness if mask >> first & keep]
        part._committed = self._committed >> first & keep
        part._always_active = self._always_active >> first & keep
        paused = [
            (until, index - first)
            for until, index in zip(self._paused_until, self._paused_people, strict=True)
            if first <= index < first + size
        ]
        part._paused_until = [until for until, _ in paused]
        part._paused_people = [index for _, index in paused]
        part._active_cache = (-1, 0)
        part._hour_values = self._hour_values
        part._hours_from = [mask >> first & keep for mask in self._hours_from]
        part._start_values = self._start_values
        part._starts_by = [mask >> first & keep for mask in self._starts_by]
        part._end_values = self._end_values
        part._ends_from = [mask >> first & keep for mask in self._ends_from]
        part._blocking = [
            (
                starts,
                [mask >> first & keep for mask in by_start],
                ends,
                [mask >> first & keep for mask in by_end],
            )
            for starts, by_start, ends, by_end in self._blocking
        ]
        return part

    def _index(self) -> None:
        people = self._people
        size = self._size = len(people)
        by_skill: dict[int, list[int]] = defaultdict(list)
        by_willing: dict[int, list[int]] = defaultdict(list)
        by_home: dict[str, list[int]] = defaultdict(list)
        by_mode: list[list[int]] = [[] for _ in _MODES]
        by_word: dict[str, list[int]] = defaultdict(list)
        by_key: dict[str, list[int]] = defaultdict(list)
        self._ids: dict[str, int] = {}  # person id -> index (the first, if an id comes more often)
        self._more_ids: dict[str, list[int]] = defaultdict(list)  # the other indexes of such an id
        self._first = 0  # the index of this pool's first person in the whole pool (see `_slice`)
        by_hours: dict[int, list[int]] = defaultdict(list)
        by_start: dict[int, list[int]] = defaultdict(list)
        by_end: dict[int, list[int]] = defaultdict(list)
        by_fairness: dict[tuple[int, int], list[int]] = defaultdict(list)
        always: list[int] = []
        paused: list[tuple[int, int]] = []
        committed: list[int] = []
        for index, person in enumerate(people):
            for bit in _bits(person.own):
                by_skill[bit].append(index)
            for bit in _bits(person.willing):
                by_willing[bit].append(index)
            by_home[person.organisation].append(index)
            by_mode[person.mode_code].append(index)
            for word in person.free_words:
                by_word[word].append(index)
            for key in person.free_keys:
                by_key[key].append(index)
            if self._ids.setdefault(person.id, index) != index:
                self._more_ids[person.id].append(index)
            by_hours[person.hours].append(index)
            by_start[person.start].append(index)
            by_end[person.end].append(index)
            by_fairness[person.recent, person.passed_over].append(index)
            if person.commitments:
                committed.append(index)
            if person.active_after == 0:
                always.append(index)
            elif person.active_after < _NEVER:
                paused.append((person.active_after, index))
        self._own = {bit: _mask_of(found, size) for bit, found in by_skill.items()}
        self._related: dict[int, int] = {}
        for bit, related_bits in self._matcher._related.items():
            related = 0
            for other in _bits(related_bits):
                related |= self._own.get(other, 0)
            related ^= related & self._own.get(bit, 0)
            if related:
                self._related[bit] = related
        self._willing = {bit: _mask_of(found, size) for bit, found in by_willing.items()}
        self._home = {key: _mask_of(found, size) for key, found in by_home.items()}
        self._modes = [_mask_of(found, size) for found in by_mode]
        self._free_word = {word: _mask_of(found, size) for word, found in by_word.items()}
        self._free_key = {key: _mask_of(found, size) for key, found in by_key.items()}
        self._more_ids = dict(self._more_ids)
        self._fairness = sorted((key, _mask_of(found, size)) for key, found in by_fairness.items())
        self._committed = _mask_of(committed, size)
        self._always_active = _mask_of(always, size)
        paused.sort()
        self._paused_until = [until for until, _ in paused]
        self._paused_people = [index for _, index in paused]
        self._active_cache: tuple[int, int] = (-1, 0)
        # Hours offered, start and end days: the distinct values ascending, and cumulative sets.
        self._hour_values, self._hours_from = _cumulative(by_hours, size, upwards=False)
        # Commitments that alone take all of someone's hours: the first of each person's, the second,
        # and so on, by start and by end day; see `_blocked`.
        blocking: list[tuple[dict[int, list[int]], dict[int, list[int]]]] = []
        for index, person in enumerate(people):
            rank = 0
            for start, end, hours in person.commitments:
                if hours >= person.hours:
                    if rank == len(blocking):
                        blocking.append((defaultdict(list), defaultdict(list)))
                    blocking[rank][0][start].append(index)
                    blocking[rank][1][end].append(index)
                    rank += 1
        self._blocking = [
            (*_cumulative(by_start, size, upwards=True), *_cumulative(by_end, size, upwards=False))
            for by_start, by_end in blocking
        ]
        self._start_values, self._starts_by = _cumulative(by_start, size, upwards=True)
        self._end_values, self._ends_from = _cumulative(by_end, size, upwards=False)

    def __len__(self) -> int:
        return self._size

    def _active(self, today: int) -> int:
        """Everyone active on this day: always active, or paused until before it."""
        cached_day, cached = self._active_cache
        if cached_day == today:
            return cached
        ended = bisect_left(self._paused_until, today)
        mask = self._always_active | _mask_of(self._paused_people[:ended], self._size)
        self._active_cache = (today, mask)
        return mask

    def _indexes(self, person_id: str) -> list[int]:
        """Where this person is in this pool (normally once or not at all)."""
        first = self._ids.get(person_id)
        if first is None:
            return []
        found = [first, *self._more_ids.get(person_id, ())]
        return [index - self._first for index in found if 0 <= index - self._first < self._size]

    def _offering(self, hours: int) -> int:
        """Everyone offering at least this many hours a week."""
        return self._hours_from[bisect_left(self._hour_values, hours)]

    def _starting_by(self, day: int) -> int:
        """Everyone available from this day or earlier."""
        return self._starts_by[bisect_right(self._start_values, day)]

    def _blocked(self, first: int, last: int) -> int:
        """Everyone with a commitment in this period that takes all their hours: they have none left.
        (Commitments that only together take all the hours are left to `_fit`.)"""
        blocked = 0
        for starts, starts_by, ends, ends_from in self._blocking:
            blocked |= starts_by[bisect_right(starts, last)] & ends_from[bisect_left(ends, first)]
        return blocked

    def _ending_from(self, day: int) -> int:
        """Everyone available until this day or later (or without an end)."""
        return self._ends_from[bisect_left(self._end_values, day)]

    def _word_mask(self, word: str, skills: int) -> int:
        mask = self._free_word.get(word, 0)
        for bit in _bits(skills):
            mask |= self._own.get(bit, 0)
        return mask

    def _levels(self, skills: int, terms: Sequence[_Term]) -> list[int]:
        """Per person, the halves of these skills (and free-text terms) they bring, bit-sliced."""
        counter: list[int] = []
        for bit in _bits(skills):
            _add(counter, self._own.get(bit, 0), 2)
            _add(counter, self._related.get(bit, 0), 1)
        for term in terms:
            full = self._free_key.get(term.key, 0)
            if term.key_skill:
                full |= self._own.get(term.key_skill.bit_length() - 1, 0)
            words: list[int] = []
            every = -1
            for word, word_skills in term.words:
                mask = self._word_mask(word, word_skills)
                every &= mask
                _add(words, mask, 1)
            full |= max(every, 0)
            _add(counter, full, 2)
            if len(term.words) > 1:
                half = _at_least(words, (len(term.words) + 1) // 2, _any(words))
                _add(counter, half ^ (half & full), 1)
        return counter

    def top_candidates(
        self,
        klus: Klus,
        *,
        today: date,
        hidden: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """What `Matcher.rank_candidates` gives for this klus and every candidate in the pool."""
        if limit <= 0:
            return []
        profile = self._matcher._klus(klus)
        day = today.toordinal()
        people = self._people
        queue: list[_Entry] = []
        cells = _Cells(self, profile, day, queue)
        best: list[tuple[_CandidateKey, int]] = []
        kth: _CandidateKey | None = None  # the limit-th best key so far
        while queue:
            if kth is not None and _band(-queue[0][0]) < -kth[0]:
                break
            cell = cells.step(heapq.heappop(queue), 0)
            if cell is None:
                continue
            units, members, values, _, exact = cell
            if not exact:  # score one by one
                scratch = None if values is None else values.copy()
                for index in _bits(members):
                    person = people[index]
                    if person.id in hidden:
                        continue
                    if scratch is not None:
                        hours_left = _hours_left(person, profile.start, profile.end)
                        if hours_left <= 0:
                            continue
                        score, _ = _cell_score(profile, person, hours_left, scratch)
                        own_units = round(score * _SCALE)
                    else:
                        fit = _fit(profile, person, day)
                        if fit is None:
                            continue
                        own_units = fit.units
                    band = -_band(own_units)
                    key = (band, person.recent, person.passed_over, _stable_hash(profile.id, person.id))
                    best.append((key, index))
            else:  # one score for all; who comes first only depends on fairness
                band = -_band(units)
                for (recent, passed_over), fair in self._fairness:
                    if kth is not None and kth < (band, recent, passed_over):
                        break
                    for index in _bits(members & fair):
                        person = people[index]
                        if person.id not in hidden:
                            key = (band, recent, passed_over, _stable_hash(profile.id, person.id))
                            best.append((key, index))
                    if len(best) >= limit:
                        best.sort()
                        del best[limit:]
                        kth = best[-1][0]
            best.sort()
            del best[limit:]
            if len(best) >= limit:
                kth = best[-1][0]
        matches: list[Match] = []
        for _, index in best:
            fit = _fit(profile, people[index], day)
            assert fit is not None
            matches.append(_match(profile, people[index], fit))
        return matches

    def digest(
        self,
        klussen: Iterable[Klus],
        *,
        today: date,
        limit_per_person: int = 5,
        hidden_posters: Mapping[str, frozenset[str]] | None = None,
        part: tuple[int, int] = (0, 1),
    ) -> dict[str, list[Match]]:
        """Every person's best open klussen (as `Matcher.rank_klussen`), for people with at least one.

        `hidden_posters` maps a person id to the posters whose klussen that person must not see.
        `part` (n, of) computes only the n-th (from 0) of `of` equal parts of the pool, so that
        several processes can share the work; together the parts give the whole digest.
        """
        number, parts = part
        if not 0 <= number < parts:
            raise ValueError(f"no part {number} of {parts}")
        if limit_per_person <= 0:
            return {}
        day = today.toordinal()
        open_klussen = [self._matcher._klus(klus) for klus in klussen if klus.open_on(today)]
        digest: dict[str, list[Match]] = {}
        shared = _Shared()
        first, last = self._size * number // parts, self._size * (number + 1) // parts
        slices = -(-(last - first) // _DIGEST_SLICE)
        size = -(-(last - first) // slices) if slices else 1
        # Millions of short-lived tuples and not one reference cycle: the cyclic garbage collector
        # would only rescan them, over and over (it doubles the time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            for start in range(first, last, size):
                piece = self._slice(start, min(size, last - start))
                piece._digest(open_klussen, day, limit_per_person, hidden_posters or {}, shared, digest)
        finally:
            if collecting:
                gc.enable()
        return digest

    def _digest(
        self,
        klussen: list[_Klus],
        day: int,
        limit: int,
        hidden_posters: Mapping[str, frozenset[str]],
        shared: _Shared,
        digest: dict[str, list[Match]],
    ) -> None:
        """The digest for the people of this pool: all klussen's cells in one queue, best first."""
        people = self._people
        queue: list[_Entry] = []
        all_cells = [_Cells(self, klus, day, queue, number) for number, klus in enumerate(klussen)]
        # Per person: the klussen found so far, best first, as (-units, klus number, the fit or (score,
        # overlap) from a cell); and the limit-th best units among them (-1 while there are fewer).
        found: list[list[_Found] | None] = [None] * self._size
        settled = [-1] * self._size
        waiting: list[tuple[int, int]] = []  # (-settled, person): done once nothing left can reach it
        done = 0
        pop, push, fit_of, bits = heapq.heappop, heapq.heappush, _fit, _bits
        while queue:
            top = pop(queue)
            negative_bound, number = top[0], top[1]
            if waiting and waiting[0][0] < negative_bound:
                # All at once: each `done |= 1 << index` would copy the whole bitset.
                settled_now: list[int] = []
                while waiting and waiting[0][0] < negative_bound:
                    settled_now.append(pop(waiting)[1])
                done |= _mask_of(settled_now, self._size)
            cell = all_cells[number].step(top, done)
            if cell is None:
                continue
            units, members, values, score, exact = cell
            fresh = members ^ (members & done)
            if not fresh:
                continue
            klus = klussen[number]
            scratch = None if exact or values is None else values.copy()
            for index in bits(fresh):
                person = people[index]
                if hidden_posters and klus.poster in hidden_posters.get(person.id, ()):
                    continue
                least = settled[index]
                entry: _Found
                if exact:  # (not done, so the limit-th best is no better than this)
                    entry = (-units, number, (score, person.hours, klus.days))
                elif scratch is not None:
                    # Only hours and period differ from the cell's values: score those here.
                    hours_left = person.hours
                    if person.commitments:
                        hours_left = _hours_left(person, klus.start, klus.end)
                    if hours_left <= 0:
                        continue
                    own_score, overlap = _cell_score(klus, person, hours_left, scratch)
                    own_units = round(own_score * _SCALE)
                    if own_units < least:
                        continue
                    entry = (-own_units, number, (own_score, hours_left, overlap))
                else:
                    if least >= 0:
                        # Cheaper than scoring the free-text skills: the cell's bound with this
                        # person's own hours and period (commitments aside) may already fall short. (klus.hours > 0 when
                        # person.hours is less: anyone eligible offers at least an hour.)
                        hours = 1.0 if person.hours >= klus.hours else person.hours / klus.hours
                        overlap = min(person.end, klus.end) - max(person.start, klus.start) + 1
                        short = HOURS_WEIGHT * (1.0 - hours) + PERIOD_WEIGHT * (1.0 - overlap / klus.days)
                        if _bound_units((score - short) / klus.weight_sum) < least:
                            continue
                    fit = fit_of(klus, person, day)
                    if fit is None or fit.units < least:
                        continue
                    entry = (-fit.units, number, fit)
                mine = found[index]
                if mine is None:
                    mine = found[index] = [entry]
                else:  # sorted by -units, then klus number: one entry per klus, never a tie
                    insort(mine, entry)
                if len(mine) >= limit:
                    least = -mine[limit - 1][0]
                    while -mine[-1][0] < least:
                        mine.pop()
                    if least > settled[index]:
                        settled[index] = least
                        push(waiting, (-least, index))
        for index, mine in enumerate(found):
            if not mine:
                continue
            person = people[index]
            if len({entry[0] for entry in mine}) < len(mine):  # equal scores: take turns
                mine.sort(key=lambda entry: (entry[0], _stable_hash(person.id, klussen[entry[1]].id)))
            matches: list[Match] = []
            for negative_units, number, payload in mine[:limit]:
                klus = klussen[number]
                if not isinstance(payload, _Fit):
                    payload = _cell_fit(klus, person, -negative_units, *payload)
                matches.append(_match(klus, person, payload, shared))
            digest[person.id] = matches


# The fit, or (score, hours left, overlap) from a cell.
_Found = tuple[int, int, "_Fit | tuple[float, int, int]"]


def _cell_score(klus: _Klus, person: _Person, hours_left: int, values: list[float]) -> tuple[float, int]:
    """The score of someone in a cell with these hours left (more than 0), as `_fit` computes it, and
    the days of the klus period they are available. `values` are the cell's (with all the hours and
    the whole period): a copy, as this puts the person's own hours and period in."""
    overlap = min(person.end, klus.end) - max(person.start, klus.start) + 1
    at = len(values) - 4
    values[at] = _hours_value(hours_left, klus.hours)
    values[at + 1] = overlap / klus.days
    return round(sum(map(mul, values, klus.weights)) / klus.weight_sum, 4), overlap


def _cell_fit(klus: _Klus, person: _Person, units: int, score: float, hours_left: int, overlap: int) -> _Fit:
    """The fit of someone scored from a cell (a klus without free-text skills)."""
    own, related = person.own, person.related
    counts = (
        (klus.required & own).bit_count(),
        (klus.required & related).bit_count(),
        0,
        0,
        (klus.nice & own).bit_count(),
        (klus.nice & related).bit_count(),
    )
    fit: _Fit = _new_fit(_Fit, (score, units, counts, hours_left, overlap))
    return fit


def _cumulative(
    by_value: Mapping[int, list[int]], size: int, *, upwards: bool
) -> tuple[list[int], list[int]]:
    """The distinct values ascending, and per position the set of everyone with a value up to and
    including it (`upwards`: masks[n] holds the first n values) or from it on (masks[n] holds the
    values from position n)."""
    values = sorted(by_value)
    masks = [0] * (len(values) + 1)
    mask = 0
    if upwards:
        for position, value in enumerate(values, start=1):
            mask |= _mask_of(by_value[value], size)
            masks[position] = mask
    else:
        for position in range(len(values) - 1, -1, -1):
            mask |= _mask_of(by_value[values[position]], size)
            masks[position] = mask
    return values, masks


_K = TypeVar("_K")
_COARSE = 0
_CELL = 1
# In a queue of cells: (-bound, klus number, order, kind, level (coarse) or bound, members, the rest of
# the level (coarse) or whether exact (cell), the cell's values, its score (exact) or the bound's
# weighted sum).
_Entry = tuple[int, int, int, int, int, int, int, list[float] | None, float]
# A cell: its bound (in units), members, values and score (or weighted sum), and whether it is exact:
# then everyone in it has that score. Otherwise the values are what they would be with all the
# hours and the whole period (None for a klus with free-text skills), the bound's.
_Cell = tuple[int, int, list[float] | None, float, bool]


class _Cells:
    """A klus's eligible people, handed out in cells, best bound first (see the module docstring).

    The queue holds whole skill levels (coarse, bound as if all else fits), split into cells when
    they come up: by nice-to-have level, work mode fit and place fit, then into the exact part
    (everyone has that score) and the rest (bound by it). The digest shares one queue between all
    its klussen; `number` tells whose an entry is.
    """

    __slots__ = ("counter", "exact", "klus", "modes", "near", "nice", "number", "order", "queue")

    def __init__(
        self, pool: CandidatePool, klus: _Klus, day: int, queue: list[_Entry], number: int = 0
    ) -> None:
        self.klus = klus
        self.queue = queue
        self.number = number
        eligible = pool._active(day)
        eligible &= pool._willing.get(klus.organisation_bit.bit_length() - 1, 0)
        if klus.organisation_only:
            eligible &= pool._home.get(klus.organisation, 0)
        eligible &= pool._starting_by(klus.end) & pool._ending_from(klus.start)
        eligible ^= eligible & pool._blocked(klus.start, klus.end)
        for index in pool._indexes(klus.poster):
            eligible ^= eligible & (1 << index)
        if klus.total:
            counter = pool._levels(klus.required, klus.terms)
        elif klus.nice_total:
            counter = pool._levels(klus.nice, ())
        else:  # a klus without skills: everyone eligible is on the same level
            counter = [eligible]
        self.counter = counter
        self.nice = pool._levels(klus.nice, ()) if klus.total and klus.nice_total else None
        exact = 0
        if not klus.terms:  # (with free-text skills the level alone does not give the score)
            exact = pool._offering(max(klus.hours, 1)) & pool._starting_by(klus.start)
            exact &= pool._ending_from(klus.end)
            exact ^= exact & pool._committed
        self.exact = exact
        self.near = 0 if klus.remote else pool._home.get(klus.organisation, 0)
        # People by how well their work mode fits (not by work mode: fewer cells).
        by_fit: dict[float, int] = {}
        for code, people in enumerate(pool._modes):
            by_fit[klus.mode_fit[code]] = by_fit.get(klus.mode_fit[code], 0) | people
        self.modes = [(mode_fit, people) for mode_fit, people in by_fit.items() if people]
        self.order = 0
        rest = eligible & _any(counter)
        if rest:
            self._push_level(rest)

    def step(self, entry: _Entry, done: int) -> _Cell | None:
        """The cell of this entry (popped from the queue), or None after splitting a level into cells;
        people in `done` are left out from here on."""
        _, _, _, kind, level, members, rest, values, score = entry
        if kind == _CELL:
            return level, members, values, score, rest == 1
        rest ^= members
        rest ^= rest & done
        if rest:
            self._push_level(rest)
        members ^= members & done
        for mode_fit, people in self.modes:
            in_mode = members & people
            if not in_mode:
                continue
            places: tuple[tuple[float, int], ...]
            if self.klus.remote:
                places = ((1.0, in_mode),)
            else:
                near = in_mode & self.near
                places = ((1.0, near), (0.0, in_mode ^ near))
            for place, same in places:
                if self.nice is None:
                    if same:
                        self._push_cells(level, 0, mode_fit, place, same)
                    continue
                while same:
                    nice_level, with_level = _highest(self.nice, same)
                    same ^= with_level
                    self._push_cells(level, nice_level, mode_fit, place, with_level)
        return None

    def _push(
        self,
        bound: int,
        kind: int,
        level: int,
        members: int,
        rest: int,
        values: list[float] | None,
        score: float,
    ) -> None:
        heapq.heappush(
            self.queue, (-bound, self.number, self.order, kind, level, members, rest, values, score)
        )
        self.order += 1

    def _push_level(self, rest: int) -> None:
        klus = self.klus
        level, members = _highest(self.counter, rest)
        bound = _bound_units(_bound(klus.total, klus.nice_total, level, 1.0, 1.0, 1.0))
        self._push(bound, _COARSE, level, members, rest, None, 0.0)

    def _push_cells(self, level: int, nice_level: int, mode_fit: float, place: float, people: int) -> None:
        klus = self.klus
        if klus.terms:  # only a bound: the level does not say how it splits over skills and terms
            parts = SKILLS_WEIGHT * level / (2 * klus.total)
            if klus.nice_total:
                parts += NICE_SKILLS_WEIGHT * nice_level / (2 * klus.nice_total)
            parts += HOURS_WEIGHT + PERIOD_WEIGHT + WORK_MODE_WEIGHT * mode_fit + PLACE_WEIGHT * place
            self._push(_bound_units(parts / klus.weight_sum), _CELL, 0, people, 0, None, parts)
            return
        # The values everyone here has with all the hours and the whole period, scored exactly as
        # `_fit` does; nobody here can score more.
        values: list[float] = []
        if klus.required_total:
            values.append(level / (2 * klus.required_total))
            if klus.nice_total:
                values.append(nice_level / (2 * klus.nice_total))
        elif klus.nice_total:
            values.append(level / (2 * klus.nice_total))
        values += [1.0, 1.0, mode_fit, place]
        parts = sum(map(mul, values, klus.weights))
        score = round(parts / klus.weight_sum, 4)
        units = round(score * _SCALE)
        exact = people & self.exact
        if exact:
            self._push(units, _CELL, units, exact, 1, values, score)
        if people ^ exact:
            self._push(units, _CELL, units, people ^ exact, 0, values, parts)


class KlusIndex:
    """Many klussen, indexed by skill, organisation, poster, period and work mode."""

    def __init__(self, matcher: Matcher, klussen: Iterable[Klus]) -> None:
        self._matcher = matcher
        self._klussen = [matcher._klus(klus) for klus in klussen]
        size = len(self._klussen)
        self._size = size
        self._all = (1 << size) - 1
        by_required: dict[int, list[int]] = defaultdict(list)
        by_nice: dict[int, list[int]] = defaultdict(list)
        by_organisation: dict[str, list[int]] = defaultdict(list)
        organisation_only: dict[str, list[int]] = defaultdict(list)
        by_poster: dict[str, list[int]] = defaultdict(list)
        by_mode: dict[WorkMode, list[int]] = defaultdict(list)
        by_group: dict[tuple[int, int], list[int]] = defaultdict(list)
        self._terms: dict[str, tuple[_Term, list[int]]] = {}
        for index, klus in enumerate(self._klussen):
            for bit in _bits(klus.required):
                by_required[bit].append(index)
            for bit in _bits(klus.nice):
                by_nice[bit].append(index)
            by_organisation[klus.organisation].append(index)
            if klus.organisation_only:
                organisation_only[klus.organisation].append(index)
            by_poster[klus.poster].append(index)
            by_mode[klus.mode].append(index)
            # Klussen with required or free-text skills are grouped by their number; the others by
            # their number of nice-to-have skills (their skill level counts those).
            by_group[klus.total, 0 if klus.total else klus.nice_total].append(index)
            for term in klus.terms:
                self._terms.setdefault(term.key, (term, []))[1].append(index)
        self._required = {bit: _mask_of(ks, size) for bit, ks in by_required.items()}
        self._nice = {bit: _mask_of(ks, size) for bit, ks in by_nice.items()}
        self._organisation = {key: _mask_of(ks, size) for key, ks in by_organisation.items()}
        self._by_organisation_bit = {
            matcher._organisation_mask((key,)).bit_length() - 1: mask
            for key, mask in self._organisation.items()
        }
        self._organisation_only = {key: _mask_of(ks, size) for key, ks in organisation_only.items()}
        self._any_organisation_only = _any(list(self._organisation_only.values()))
        self._poster = {key: _mask_of(ks, size) for key, ks in by_poster.items()}
        self._mode = {mode: _mask_of(ks, size) for mode, ks in by_mode.items()}
        # Per group, the best score (in units) at each skill level when all else fits.
        self._groups = [
            (
                total,
                nice,
                _mask_of(ks, size),
                [
                    # (with skills, nice-to-have ones are taken as there and perfect: a bound either
                    # way; without any skills, everyone is on level 1)
                    _bound_units(_bound(total, 1 if total else nice, level, 1.0, 1.0, 1.0))
                    for level in range(2 * (total or nice or 1) + 1)
                ],
            )
            for (total, nice), ks in by_group.items()
        ]
        self._term_masks = {key: _mask_of(ks, size) for key, (_, ks) in self._terms.items()}
        # Which free-text terms a person could match, by a word of their skills or their own words.
        self._terms_by_skill: dict[int, set[str]] = defaultdict(set)
        self._terms_by_word: dict[str, set[str]] = defaultdict(set)
        for key, (term, _) in self._terms.items():
            self._terms_by_word[key].add(key)
            for bit in _bits(term.key_skill):
                self._terms_by_skill[bit].add(key)
            for word, skills in term.words:
                self._terms_by_word[word].add(key)
                for bit in _bits(skills):
                    self._terms_by_skill[bit].add(key)
        # Periods: klussen by start (a prefix starts on or before a day) and by end (a suffix ends on
        # or after it); open klussen by interest deadline.
        self._starts, self._started = self._by_day(lambda k: k.start, prefix=True)
        self._ends, self._ending = self._by_day(lambda k: k.end, prefix=False)
        open_klussen = [i for i, k in enumerate(self._klussen) if k.klus.status is KlusStatus.OPEN]
        open_klussen.sort(key=lambda i: self._klussen[i].klus.interest_deadline)
        self._deadlines = [self._klussen[i].klus.interest_deadline.toordinal() for i in open_klussen]
        self._open_after: list[int] = [0] * (len(open_klussen) + 1)
        mask = 0
        for position in range(len(open_klussen) - 1, -1, -1):
            mask |= 1 << open_klussen[position]
            self._open_after[position] = mask

    def __len__(self) -> int:
        return self._size

    def _by_day(self, day_of: Callable[[_Klus], int], *, prefix: bool) -> tuple[list[int], list[int]]:
        order = sorted(range(self._size), key=lambda i: day_of(self._klussen[i]))
        days = [day_of(self._klussen[i]) for i in order]
        masks = [0] * (self._size + 1)
        mask = 0
        if prefix:  # masks[n]: the first n klussen by day
            for n, index in enumerate(order, start=1):
                mask |= 1 << index
                masks[n] = mask
        else:  # masks[n]: the klussen from position n on
            for n in range(self._size - 1, -1, -1):
                mask |= 1 << order[n]
                masks[n] = mask
        return days, masks

    def _open(self, today: int) -> int:
        return self._open_after[bisect_left(self._deadlines, today)]

    def top_klussen(
        self,
        candidate: Candidate,
        *,
        today: date,
        hidden_posters: frozenset[str] = frozenset(),
        limit: int = 20,
    ) -> list[Match]:
        """What `Matcher.rank_klussen` gives for this person and every klus in the index."""
        person = self._matcher._person(candidate)
        best = self._top(person, today.toordinal(), hidden_posters, limit)
        return [_match(klus, person, fit) for klus, fit in best]

    def _top(
        self, person: _Person, day: int, hidden_posters: Iterable[str], limit: int
    ) -> list[tuple[_Klus, _Fit]]:
        if limit <= 0 or day <= person.active_after or person.hours <= 0:
            return []
        allowed = self._open(day)
        if not allowed:
            return []
        willing = 0
        for bit in _bits(person.willing):
            willing |= self._by_organisation_bit.get(bit, 0)
        allowed &= willing
        closed = self._any_organisation_only ^ self._organisation_only.get(person.organisation, 0)
        allowed ^= allowed & closed
        allowed &= self._started[bisect_right(self._starts, person.end)]
        allowed &= self._ending[bisect_left(self._ends, person.start)]
        for poster in (person.id, *hidden_posters):
            mask = self._poster.get(poster, 0)
            allowed ^= allowed & mask
        if not allowed:
            return []

        # Per klus, the halves of its required and free-text skills this person brings (bit-sliced).
        own_bits, related_bits = _bits(person.own), _bits(person.related)
        skills: list[int] = []
        for bit in own_bits:
            _add(skills, self._required.get(bit, 0), 2)
        for bit in related_bits:
            _add(skills, self._required.get(bit, 0), 1)
        if self._terms:
            keys: set[str] = set()
            for bit in own_bits:
                keys.update(self._terms_by_skill.get(bit, ()))
            for word in (*person.free_words, *person.free_keys):
                keys.update(self._terms_by_word.get(word, ()))
            for key in sorted(keys):
                credit = _term_credit(self._terms[key][0], person)
                if credit:
                    _add(skills, self._term_masks[key], credit)

        # Threshold algorithm. Groups of klussen with as many skills come up at their best skill level,
        # bound as if all else fits. Each of their klussen at that level is then bound by all that is
        # known without scoring (everything but commitments), and scored when that bound comes up.
        # The limit-th best score so far (`kth`) cuts off both.
        relevant = allowed & _any(skills)
        queue: list[tuple[int, int, int, int, int, list[int], list[int]]] = []
        order = 0
        for total, nice_total, group, bounds in self._groups:
            if total:
                counter, rest = skills, relevant & group
            elif nice_total:
                counter = []
                for bit in own_bits:
                    _add(counter, self._nice.get(bit, 0), 2)
                for bit in related_bits:
                    _add(counter, self._nice.get(bit, 0), 1)
                rest = allowed & group & _any(counter)
            else:
                counter, rest = [self._all], allowed & group
            if rest:
                level, members = _highest(counter, rest)
                queue.append((-bounds[level], order, level, members, rest, counter, bounds))
                order += 1
        heapq.heapify(queue)

        klussen = self._klussen
        own, related, hours, start, end = person.own, person.related, person.hours, person.start, person.end
        organisation, mode = person.organisation, person.mode_code
        best: list[tuple[int, int, _Fit]] = []  # (-units, index, fit); ties with the limit-th are kept
        kth = -1
        while queue:
            negative_bound, _, level, members, rest, counter, bounds = heapq.heappop(queue)
            if -negative_bound < kth:
                break
            if level < 0:  # one klus, `members` is its index: score it
                fit = _fit(klussen[members], person, day)
                if fit is not None and fit.units >= kth:
                    best.append((-fit.units, members, fit))
                    if len(best) >= limit:
                        best.sort()
                        kth = -best[limit - 1][0]
                        while -best[-1][0] < kth:
                            best.pop()
                continue
            for index in _bits(members):
                klus = klussen[index]
                bound_sum = (
                    klus.unit * level
                    + HOURS_WEIGHT * (1.0 if klus.hours <= hours else hours / klus.hours)
                    + PERIOD_WEIGHT * (min(end, klus.end) - max(start, klus.start) + 1) / klus.days
                    + WORK_MODE_WEIGHT * klus.mode_fit[mode]
                    + (PLACE_WEIGHT if klus.remote or klus.organisation == organisation else 0.0)
                )
                if klus.nice_unit:
                    nice = klus.nice
                    bound_sum += klus.nice_unit * (
                        2 * (nice & own).bit_count() + (nice & related).bit_count()
                    )
                bound = math.floor(bound_sum / klus.weight_sum * _SCALE + _ROUNDING_SLACK)
                if bound >= kth:
                    heapq.heappush(queue, (-bound, order, -1, index, 0, counter, bounds))
                    order += 1
            rest ^= members
            if rest:
                level, members = _highest(counter, rest)
                heapq.heappush(queue, (-bounds[level], order, level, members, rest, counter, bounds))
                order += 1
        ranked = sorted(
            (units, _stable_hash(person.id, klussen[index].id), index, fit) for units, index, fit in best
        )
        return [(klussen[index], fit) for _, _, index, fit in ranked[:limit]]
