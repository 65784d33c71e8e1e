"""What the matcher needs of a person or a klus, precomputed once: their profiles, and what making
them derives from the skills vocabulary.

**Skills named in words.** A text *names* a vocabulary skill when it has every lemma of one of the
skill's names (id, labels, synonyms; see `words`): "begrotingen opstellen" names budgeting (synonym
"begroting"), "juridische adviezen" legal advice (label "Juridisch advies"). A person owns the skills
their free-text skills name, as if they had picked them. A klus's free-text skill that is a name of a
skill, lemma for lemma ("juridische adviezen"), is that skill required, as the form reads a name
written as the vocabulary spells it; one that says more ("Arabisch tolken" is more than "tolken")
stays a free-text skill, compared word by word. A klus's title and description are weak evidence: the skills they
name (one-word names of three letters or fewer left out: in running text "rot" or "bag" are
ordinary words) give a person who owns one of them the `mentioned` reason (see `scoring`).

**Learning and confirmed skills.** A person's learning wishes (`Availability.learning_skills`) meet a
klus's *learnable* skills: its nice-to-have skills, the skills it offers to learn and, on a leerklus,
its required skills too. Skills a poster confirmed (`Candidate.confirmed_skills`) are owned, as if
picked, and give the `confirmed` reason where the klus asks them.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping

from klussenbank.domain.klus import Klus, Visibility
from klussenbank.domain.matching.bitsets import _bits
from klussenbank.domain.matching.shapes import (
    HOURS_WEIGHT,
    LIFT_WEIGHTS,
    NICE_SKILLS_WEIGHT,
    PERIOD_WEIGHT,
    PLACE_WEIGHT,
    SKILLS_WEIGHT,
    WORK_MODE_FIT,
    WORK_MODE_WEIGHT,
    Candidate,
    Reason,
)
from klussenbank.domain.matching.words import _Lexicon, _Term
from klussenbank.domain.people import Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.pools import Pool
from klussenbank.domain.skills import SkillVocabulary, normalise_term

_MODES = tuple(WorkMode)  # a work mode's position here is its code
_NEVER = 10**9  # an ordinal after every date

# Of a person for a klus: required skills own and related, free-text skills with every word and with
# at least half the words, nice-to-have skills own and related.
_Counts = tuple[int, int, int, int, int, int]


class _Person:
    __slots__ = (
        "active_after",
        "commitments",
        "confirmed",
        "end",
        "free_keys",
        "free_words",
        "hours",
        "id",
        "learning",
        "mode_code",
        "organisation",
        "own",
        "passed_over",
        "recent",
        "related",
        "side",
        "start",
        "talent_words",
        "unavailable",
        "willing",
    )

    def __init__(self, matcher: _Profiles, candidate: Candidate) -> None:
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
        self.side = candidate.side  # pools, qualifications and unavailable periods
        self.unavailable = candidate.side.unavailable
        free = availability.free_skills
        own = matcher._skill_mask(availability.skills)
        for text in free:
            own |= matcher._named(text)
        self.confirmed = matcher._skill_mask(candidate.confirmed_skills)
        own |= self.confirmed
        self.learning = matcher._skill_mask(availability.learning_skills)
        related = 0
        for bit in _bits(own):
            related |= matcher._related.get(bit, 0)
        self.own = own
        self.related = related ^ (related & own)
        self.free_keys = frozenset(filter(None, map(normalise_term, free))) if free else _NOTHING
        self.free_words = frozenset().union(*map(matcher._lexicon.words, free)) if free else _NOTHING
        # Their own text, for a talent search only, and only when they let colleagues find them.
        talent = availability.talent_text if availability.findable else ""
        self.talent_words = matcher._lexicon.words(talent) if talent else _NOTHING


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
        "asked",
        "days",
        "end",
        "hours",
        "id",
        "klus",
        "learnable",
        "leerklus",
        "limited",
        "mentioned",
        "mode",
        "mode_fit",
        "nice",
        "nice_total",
        "nice_unit",
        "organisation",
        "organisation_bit",
        "organisation_only",
        "pool",
        "poster",
        "reasons",
        "remote",
        "required",
        "required_total",
        "skill_ids",
        "start",
        "talent",
        "terms",
        "text_skills",
        "total",
        "unit",
        "weight_sum",
        "weight_sums",
        "weights",
        "weights_by_lift",
    )

    def __init__(self, matcher: _Profiles, klus: Klus) -> None:
        self.klus = klus
        self.id = klus.id
        self.talent = klus.talent_search
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
        # A pool's klus, or one that requires qualifications: only for people the pool rules allow.
        self.pool = matcher._pools.get(klus.pool_key)
        self.limited = bool(klus.pool_key or klus.qualifications)
        required = matcher._skill_mask(klus.required_skills)
        terms: dict[str, _Term] = {}
        for text in klus.free_skills:
            named = matcher._named(text, exactly=True)
            key = normalise_term(text)
            if named:
                required |= named
            elif key and key not in terms:
                terms[key] = matcher._term(key, text)
        self.terms = tuple(terms.values())
        self.required = required
        self.nice = matcher._skill_mask(klus.nice_skills) & ~required
        # Each skill's bit with its id, in the klus's order, to name in the reasons what someone brings.
        ids = {
            matcher._skill_mask((skill,)): skill
            for skill in (*klus.required_skills, *klus.nice_skills, *klus.learning_skills)
        }
        for bit in _bits(required):
            if 1 << bit not in ids:
                ids[1 << bit] = matcher._skill_id[bit]
        self.skill_ids = tuple(ids.items())
        self.required_total = self.required.bit_count()
        self.nice_total = self.nice.bit_count()
        self.asked = required | self.nice
        self.leerklus = klus.leerklus
        self.learnable = matcher._skill_mask((*klus.nice_skills, *klus.learning_skills)) | (
            required if klus.leerklus else 0
        )
        self.total = self.required_total + len(self.terms)
        weights: list[float] = []  # in the order of the reasons (see `scoring`)
        if self.required_total:
            weights.append(SKILLS_WEIGHT * self.required_total / self.total)
        if self.terms:
            weights.append(SKILLS_WEIGHT * len(self.terms) / self.total)
        if self.nice_total:
            weights.append(NICE_SKILLS_WEIGHT)
        rest = (HOURS_WEIGHT, PERIOD_WEIGHT, WORK_MODE_WEIGHT, PLACE_WEIGHT)
        self.weights = (*weights, *rest)
        self.weight_sum = sum(self.weights)
        # The skills the title and description name, with the words that name them there.
        self.mentioned = matcher._mentioned(f"{klus.title}\n{klus.description}")
        self.text_skills = sum(self.mentioned)
        # The weights by the reasons that only lift (bit n: the n-th of `LIFT_WEIGHTS` is there), which
        # come after the skill reasons'.
        self.weights_by_lift = tuple(
            (*weights, *(w for n, w in enumerate(LIFT_WEIGHTS) if flags >> n & 1), *rest)
            for flags in range(1 << len(LIFT_WEIGHTS))
        )
        self.weight_sums = tuple(map(sum, self.weights_by_lift))
        # Reasons made so far, to share (see `scoring._reasons`): the skill reasons by what the person brings,
        # work mode with place by the person's work mode and whether they are near, and the mentioned
        # reason by the skills it is about.
        self.reasons: tuple[
            dict[tuple[int, int, int, int, tuple[int, ...]], tuple[Reason, ...]],
            dict[int, tuple[Reason, ...]],
            dict[int, Reason],
        ] = ({}, {}, {})
        # For the threshold algorithm: the weight of half a skill of the kind that sets the level
        # (see `scoring._bound`), and of half a nice-to-have skill besides.
        if self.total:
            self.unit = SKILLS_WEIGHT / (2 * self.total)
            self.nice_unit = NICE_SKILLS_WEIGHT / (2 * self.nice_total) if self.nice_total else 0.0
        else:
            self.unit = NICE_SKILLS_WEIGHT / (2 * self.nice_total) if self.nice_total else 0.0
            self.nice_unit = 0.0


class _Profiles:
    """Makes the profiles of people and klussen; holds only what it derives from the skills vocabulary
    (and the pools of the organisations file, for their onboarding programmes)."""

    def __init__(self, vocabulary: SkillVocabulary, pools: Mapping[str, Pool] | None = None) -> None:
        self._vocabulary = vocabulary
        self._pools: Mapping[str, Pool] = pools or {}  # the pools run by a coordinator, by key
        self._bit: dict[str, int] = {skill.id: n for n, skill in enumerate(vocabulary)}
        self._skill_id = [skill.id for skill in vocabulary]  # (a skill named in a text is in the vocabulary)
        self._organisation_bit: dict[str, int] = {}
        # Pure all the same: the lock only keeps threads that share a matcher from giving two new
        # skill or organisation keys the same bit; no result depends on it.
        self._new_bit = threading.Lock()
        self._related: dict[int, int] = defaultdict(int)
        self._word_skills: dict[str, int] = defaultdict(int)
        names = [
            (skill, text)
            for skill in vocabulary
            for text in (skill.id, skill.label_nl, skill.label_en, *skill.synonyms)
        ]
        self._lexicon = _Lexicon(text for _, text in names)
        # Per lemma, the names that have it: (their lemmas, the skill's bit, whether text may name it).
        self._names: dict[str, list[tuple[frozenset[str], int, bool]]] = defaultdict(list)
        for skill in vocabulary:
            bit = self._bit[skill.id]
            for other in skill.related:  # related works in both directions
                self._related[bit] |= 1 << self._bit[other]
                self._related[self._bit[other]] |= 1 << bit
        for skill, text in names:
            bit = 1 << self._bit[skill.id]
            for word in self._lexicon.words(text):
                self._word_skills[word] |= bit
            lemmas = self._lexicon.lemmas(text)
            in_text = len(lemmas) > 1 or len(min(lemmas, default="")) > 3
            for lemma in lemmas:
                self._names[lemma].append((lemmas, bit, in_text))
        self._related = dict(self._related)
        self._word_skills = dict(self._word_skills)
        self._names = dict(self._names)

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

    def _named(self, text: str, *, exactly: bool = False) -> int:
        """The skills a text names (see the module docstring), or `exactly` is a name of, as bits."""
        lemmas = self._lexicon.lemmas(text)
        named = 0
        for lemma in lemmas:
            for name, bit, _ in self._names.get(lemma, ()):
                if name == lemmas if exactly else name <= lemmas:
                    named |= bit
        return named

    def _mentioned(self, text: str) -> dict[int, str]:
        """The skills a klus's title and description name (one bit each), with the words that name them."""
        tokens = self._lexicon.tokens(text)
        lemmas = frozenset(token.lemma for token in tokens)
        named: dict[int, frozenset[str]] = {}  # (all the names of a skill the text has, for the words)
        for lemma in lemmas:
            for name, bit, in_text in self._names.get(lemma, ()):
                if in_text and name <= lemmas:
                    named[bit] = named.get(bit, frozenset()) | name
        return {
            bit: " ".join(dict.fromkeys(token.surface for token in tokens if token.lemma in name))
            for bit, name in sorted(named.items())
        }

    def _term(self, key: str, text: str) -> _Term:
        words = sorted(self._lexicon.words(text))
        return _Term(
            key=key,
            words=tuple((word, self._word_skills.get(word, 0)) for word in words),
            text=text,
        )

    def _person(self, candidate: Candidate) -> _Person:
        return _Person(self, candidate)

    def _klus(self, klus: Klus) -> _Klus:
        return _Klus(self, klus)
