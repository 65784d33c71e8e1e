"""The plain matcher: scores every input it is given and ranks it.

**Order.** `Matcher.rank_candidates` (the poster's view) spreads the work fairly: scores in the same
band of `NEAR_EQUAL` ((0.98, 1], (0.96, 0.98], ...) count as equal; within a band people with fewer
recent matches come first, then those passed over fewer times, then a stable hash of (klus id,
person id), so that another klus puts another person first. The score shown is never changed by
this. `Matcher.rank_klussen` (the person's view) orders by score, then a stable hash of (person id,
klus id). Both are deterministic and do not depend on the order of the input. Person ids are
expected to be unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date

from klussenbank.domain.klus import Klus
from klussenbank.domain.matching.profiles import _Klus, _Person, _Profiles
from klussenbank.domain.matching.scoring import _SCALE, _Fit, _fit, _match
from klussenbank.domain.matching.shapes import NEAR_EQUAL, Candidate, Match
from klussenbank.domain.pools import Exclusion, exclusions, unavailable_exclusion

_BAND = round(NEAR_EQUAL * _SCALE)


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


class Matcher(_Profiles):
    """Scores and ranks, looking at every input (for the whole pool, `CandidatePool` and `KlusIndex`
    give the same faster); holds only what it derives from the skills vocabulary."""

    def explain(self, klus: Klus, candidate: Candidate, *, today: date) -> Match | None:
        """How well the candidate fits the klus and why; None when a hard filter rules them out.

        `hidden` and whether the klus is open are the callers' business here.
        """
        klus_profile, person = self._klus(klus), self._person(candidate)
        fit = _fit(klus_profile, person, today.toordinal())
        return None if fit is None else _match(klus_profile, person, fit)

    def left_out(self, klus: Klus, candidate: Candidate) -> tuple[Exclusion, ...]:
        """Why the pool rules leave the candidate out of the klus: not in its pool, onboarding not
        done, qualifications missing, unavailable in its whole period (empty: they do not)."""
        found = exclusions(klus, candidate.side, self._pools.get(klus.pool_key))
        unavailable = unavailable_exclusion(klus, candidate.side)
        return (*found, unavailable) if unavailable else found

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
