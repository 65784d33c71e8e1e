"""Matching quality on a graded Dutch evaluation set: nDCG@3 and forbidden proposals.

Run: ``.venv/bin/python -m bench.matching_quality [--explain] [--set bench/dutch_matching/eval.toml]``

The set (``bench/dutch_matching/eval.toml``) holds municipal klussen and people who wrote their skills
in their own words, with a relevance of 0, 1 or 2 per pair as an HR adviser judged it, and hard-rule
traps. People and klussen go through the product's own forms (``validate_availability`` and
``validate_klus``: what people type is read by the skills vocabulary), then the poster's view ranks
the whole pool per klus (``Matcher.rank_candidates``, the fair order).

Printed: per klus its nDCG@3 (gain 2^rel - 1, the ideal order taken over the people the hard rules
allow) and its top three with their relevance and why; the mean nDCG@3 over the klussen, both as the
poster sees it and as expected over the order of ties (the fair order counts scores in the same band
of `NEAR_EQUAL` as equal and lets a stable hash take turns, so a tie could go either way); the number
of forbidden proposals anywhere in the rankings (people named under `never`, or breaking a hard rule
as written out here: not active, no hours left, not willing, the klus only for another organisation,
the poster, no overlap in time, only from home for an on-site klus or only on site for a remote one);
whether the pool index gives what the plain matcher gives; and what
loading the matcher costs (the Dutch lemmatiser is loaded when the first `Matcher` is made). The
exit code is 1 when a proposal is forbidden or an index disagrees.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.availability import AvailabilityDraft, validate_availability
from klussenbank.domain.klus import Klus, KlusDraft, Visibility, validate_klus
from klussenbank.domain.matching import (
    NEAR_EQUAL,
    Candidate,
    CandidatePool,
    Commitment,
    Match,
    Matcher,
)
from klussenbank.domain.people import AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

EVAL_SET = Path(__file__).parent / "dutch_matching" / "eval.toml"
CUTOFF = 3
KLUS_START, KLUS_END, KLUS_DEADLINE = date(2026, 12, 7), date(2027, 2, 26), date(2026, 12, 4)


@dataclass(frozen=True)
class Case:
    """One klus of the set with its judgments."""

    klus: Klus
    relevance: Mapping[str, int]
    never: frozenset[str]


@dataclass(frozen=True)
class Outcome:
    """How the matcher did on one klus."""

    case: Case
    ranked: list[Match]
    ndcg: float
    expected_ndcg: float  # over the orders of people in the same band
    forbidden: list[str]


@dataclass(frozen=True)
class EvalSet:
    today: date
    people: list[Candidate]
    cases: list[Case]


def load(path: Path, vocabulary: SkillVocabulary) -> EvalSet:
    """The set, its people and klussen made through the product's own forms."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    today: date = data["today"]
    organisations: list[str] = data["organisations"]
    people = [_person(raw, today, organisations, vocabulary) for raw in data["person"]]
    ids = {person.person_id for person in people}
    cases: list[Case] = []
    for raw in data["klus"]:
        case = Case(
            klus=_klus(raw, today, organisations, vocabulary),
            relevance=dict(raw.get("relevance", {})),
            never=frozenset(raw.get("never", ())),
        )
        unknown = (set(case.relevance) | case.never) - ids
        assert not unknown, f"klus {case.klus.id} judges unknown people {sorted(unknown)}"
        cases.append(case)
    return EvalSet(today, people, cases)


def _person(
    raw: Mapping[str, Any], today: date, organisations: list[str], vocabulary: SkillVocabulary
) -> Candidate:
    draft = AvailabilityDraft(
        skills=tuple(raw.get("picked", ())),
        skills_other=raw.get("typed", ""),
        hours_per_week=raw.get("hours", 16),
        start_date=raw.get("start", today),
        end_date=raw.get("end"),
        weekdays=("mon", "tue", "wed", "thu", "fri"),
        organisations=tuple(raw.get("willing", organisations)),
        work_mode=WorkMode(raw.get("work_mode", "hybrid")),
    )
    availability, errors = validate_availability(
        draft, today=today, vocabulary=vocabulary, organisations=organisations
    )
    assert availability is not None, f"person {raw['id']}: {errors}"
    availability = replace(
        availability,
        status=AvailabilityStatus(raw.get("status", "active")),
        paused_until=raw.get("paused_until"),
    )
    commitments = tuple(Commitment(c["start"], c["end"], c["hours"]) for c in raw.get("commitments", ()))
    return Candidate(raw["id"], raw["organisation"], availability, commitments)


def _klus(raw: Mapping[str, Any], today: date, organisations: list[str], vocabulary: SkillVocabulary) -> Klus:
    draft = KlusDraft(
        title=raw["title"],
        description=raw.get("description", ""),
        organisation=raw["organisation"],
        required_skills=tuple(raw.get("picked", ())),
        nice_skills=tuple(raw.get("nice", ())),
        skills_other=raw.get("typed", ""),
        hours_per_week=raw.get("hours", 16),
        start_date=raw.get("start", KLUS_START),
        end_date=raw.get("end", KLUS_END),
        work_mode=WorkMode(raw.get("work_mode", "hybrid")),
        place=raw["organisation"].capitalize(),
        people_needed=1,
        interest_deadline=raw.get("deadline", KLUS_DEADLINE),
        visibility=Visibility(raw.get("visibility", "pool")),
    )
    poster = raw.get("poster", f"poster-{raw['organisation']}")
    klus, errors = validate_klus(
        draft,
        today=today,
        vocabulary=vocabulary,
        organisations=organisations,
        klus_id=raw["id"],
        poster_id=poster,
    )
    assert klus is not None, f"klus {raw['id']}: {errors}"
    return klus


def breaks_a_hard_rule(klus: Klus, person: Candidate, today: date) -> bool:
    """The hard rules on time, hours, organisations, the poster and the place of work, written out from
    their description."""
    availability = person.availability
    if availability.status_on(today) is not AvailabilityStatus.ACTIVE:
        return True
    committed = sum(
        c.hours_per_week
        for c in person.commitments
        if c.start_date <= klus.end_date and c.end_date >= klus.start_date
    )
    if availability.hours_per_week - committed <= 0:
        return True
    if klus.organisation_key not in availability.organisations or person.person_id == klus.poster_id:
        return True
    if klus.visibility is Visibility.ORGANISATION and person.organisation_key != klus.organisation_key:
        return True
    if {klus.work_mode, availability.work_mode} == {WorkMode.ON_SITE, WorkMode.REMOTE}:
        return True  # only from home and an on-site klus, or only on site and a remote one
    ends = availability.end_date
    return availability.start_date > klus.end_date or (ends is not None and ends < klus.start_date)


def _gain(relevance: float) -> float:
    return 2**relevance - 1


def _discount(rank: int) -> float:
    return 1 / math.log2(rank + 2)


def _ideal(ideal: Sequence[int], cutoff: int) -> float:
    return sum(_gain(rel) * _discount(rank) for rank, rel in enumerate(sorted(ideal, reverse=True)[:cutoff]))


def ndcg(relevances: Sequence[int], ideal: Sequence[int], cutoff: int = CUTOFF) -> float:
    """nDCG at the cutoff for graded relevance (gain 2^rel - 1); 1.0 when nobody is relevant at all."""
    best = _ideal(ideal, cutoff)
    found = sum(_gain(rel) * _discount(rank) for rank, rel in enumerate(relevances[:cutoff]))
    return found / best if best else 1.0


def expected_ndcg(ranked: Sequence[Match], relevance: Mapping[str, int], ideal: Sequence[int]) -> float:
    """nDCG at the cutoff averaged over every order of the people in the same band: each place a
    band takes gets the mean gain of its people."""
    best = _ideal(ideal, CUTOFF)
    if not best:
        return 1.0
    width = round(NEAR_EQUAL * 10_000)
    found, rank = 0.0, 0
    while rank < min(CUTOFF, len(ranked)):
        band = -(-round(ranked[rank].score * 10_000) // width)
        end = rank
        while end < len(ranked) and -(-round(ranked[end].score * 10_000) // width) == band:
            end += 1
        mean = sum(_gain(relevance.get(m.person_id, 0)) for m in ranked[rank:end]) / (end - rank)
        found += mean * sum(_discount(place) for place in range(rank, min(end, CUTOFF)))
        rank = end
    return found / best


def evaluate(matcher: Matcher, evaluation: EvalSet) -> list[Outcome]:
    """Every klus ranked over the whole pool, judged."""
    by_id = {person.person_id: person for person in evaluation.people}
    outcomes: list[Outcome] = []
    for case in evaluation.cases:
        ranked = matcher.rank_candidates(
            case.klus, evaluation.people, today=evaluation.today, limit=len(evaluation.people)
        )
        forbidden = [
            m.person_id
            for m in ranked
            if m.person_id in case.never
            or breaks_a_hard_rule(case.klus, by_id[m.person_id], evaluation.today)
        ]
        allowed = [
            rel
            for person_id, rel in case.relevance.items()
            if person_id not in case.never
            and not breaks_a_hard_rule(case.klus, by_id[person_id], evaluation.today)
        ]
        relevances = [case.relevance.get(m.person_id, 0) for m in ranked]
        outcomes.append(
            Outcome(
                case,
                ranked,
                ndcg(relevances, allowed),
                expected_ndcg(ranked, case.relevance, allowed),
                forbidden,
            )
        )
    return outcomes


def pool_agrees(matcher: Matcher, evaluation: EvalSet) -> bool:
    """Whether `CandidatePool` gives exactly what the plain matcher gives on this set."""
    today, people = evaluation.today, evaluation.people
    pool = CandidatePool(matcher, people)
    return all(
        pool.top_candidates(case.klus, today=today, limit=10)
        == matcher.rank_candidates(case.klus, people, today=today, limit=10)
        for case in evaluation.cases
    )


_LOAD_COST = """
import json, time
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
from klussenbank.data import load_skill_vocabulary
vocabulary = load_skill_vocabulary()
before, start = rss(), time.perf_counter()
import klussenbank.domain.matching as matching
imported, import_end = rss(), time.perf_counter()
matching.Matcher(vocabulary)
print(json.dumps({"import_ms": (import_end - start) * 1000, "import_mb": imported - before,
                  "matcher_ms": (time.perf_counter() - import_end) * 1000, "matcher_mb": rss() - imported}))
"""


def load_cost() -> dict[str, float]:
    """Time and memory of importing the matching package and making the first `Matcher`, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _LOAD_COST], capture_output=True, text=True, check=True)
    cost: dict[str, float] = json.loads(done.stdout)
    return cost


def _why(match: Match) -> str:
    parts = []
    for reason in match.reasons:
        shown = ",".join(f"{key}={value}" for key, value in reason.params.items())
        parts.append(f"{reason.code}({shown})")
    return " ".join(parts)


def report(outcomes: list[Outcome], *, explain: bool) -> tuple[float, float, int]:
    """Print the outcomes; the mean nDCG@3 (as shown and expected over ties) and the number of
    forbidden proposals."""
    for outcome in outcomes:
        klus = outcome.case.klus
        top = " ".join(
            f"{m.person_id}:{outcome.case.relevance.get(m.person_id, 0)}" for m in outcome.ranked[:CUTOFF]
        )
        flag = f"  FORBIDDEN {outcome.forbidden}" if outcome.forbidden else ""
        print(f"{klus.id:>3}  {outcome.ndcg:5.3f} {outcome.expected_ndcg:5.3f}  {top:<16} {klus.title}{flag}")
        if explain:
            for m in outcome.ranked[: CUTOFF + 2]:
                print(
                    f"       {m.person_id} rel {outcome.case.relevance.get(m.person_id, 0)} {m.score:.4f} {_why(m)}"
                )
    mean = sum(outcome.ndcg for outcome in outcomes) / len(outcomes)
    expected = sum(outcome.expected_ndcg for outcome in outcomes) / len(outcomes)
    forbidden = sum(len(outcome.forbidden) for outcome in outcomes)
    return mean, expected, forbidden


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=EVAL_SET, help="the evaluation set (TOML)")
    parser.add_argument("--explain", action="store_true", help="print the reasons of each klus's best people")
    args = parser.parse_args(argv)

    cost = load_cost()
    vocabulary = load_skill_vocabulary()
    evaluation = load(args.set, vocabulary)
    matcher = Matcher(vocabulary)
    outcomes = evaluate(matcher, evaluation)
    judged = sum(len(case.relevance) for case in evaluation.cases)
    traps = sum(len(case.never) for case in evaluation.cases)
    print(
        f"{len(evaluation.cases)} klussen, {len(evaluation.people)} people, {judged} relevant pairs, {traps} traps"
    )
    print("klus ndcg@3 over-ties top 3 (person:relevance)")
    mean, expected, forbidden = report(outcomes, explain=args.explain)
    agree = pool_agrees(matcher, evaluation)
    print(
        f"nDCG@{CUTOFF} (mean over klussen): {mean:.3f} as shown, {expected:.3f} expected over the order of ties"
    )
    print(f"forbidden proposals: {forbidden}")
    print(f"the pool agrees with the plain matcher: {'yes' if agree else 'NO'}")
    print(
        f"loading: import of the matching package {cost['import_ms']:.0f} ms, +{cost['import_mb']:.1f} MB RSS; "
        f"first Matcher {cost['matcher_ms']:.0f} ms, +{cost['matcher_mb']:.1f} MB RSS"
    )
    return 0 if forbidden == 0 and agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
