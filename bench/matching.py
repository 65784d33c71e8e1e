"""Matching benchmark: a klus's top 20 out of 100,000 people with the pool index.

Run: ``.venv/bin/python -m bench.matching [--people 100000] [--klussen 2000] [--seed 7] [--sample 200]``

A synthetic but realistic pool over the real skills vocabulary, always the same for the same seed:
people with 2-8 skills drawn mostly from one or two domains, some free-text skills, 4-32 hours a week,
periods (some open-ended), willing to work for 3-12 of 20 organisations, ~10 % paused and a few
withdrawn, some with hours already committed; open klussen with 1-5 required skills from a domain,
nice-to-have and free-text skills, 2-32 hours, all work modes, a fifth only for their own organisation,
titled after their main skill and half of them describing another.

Measured: building the pool index, a klus's top 20 people (``CandidatePool.top_candidates``) for
``--sample`` klussen, the same after 1,000 people changed (``update``, scored one by one until
``compacted``), and memory (also what making the first ``Matcher`` adds: the Dutch lemmatiser). Then, on a
sample, the index is compared with the plain ``Matcher.rank_candidates`` that scores every person: a
difference makes the exit code 1. Timing is printed, never judged; the load average is printed before
and after, as other work on the machine slows everything down. The product's own path (the database,
the services) is measured by ``bench.product_matching``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import TypeVar

from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.klus import Klus, Visibility
from klussenbank.domain.matching import Candidate, CandidatePool, Commitment, Matcher
from klussenbank.domain.people import Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

TODAY = date(2026, 11, 23)
TOP_20_TARGET = 0.020  # seconds, p95
ORGANISATIONS = (
    "apeldoorn", "amersfoort", "ede", "zwolle", "almere", "lelystad", "barneveld", "nijkerk", "harderwijk",
    "kampen", "dronten", "epe", "putten", "ermelo", "nunspeet", "elburg", "oldebroek", "zeewolde", "heerde",
    "hattem",
)  # fmt: skip
# Bigger municipalities have more people and post more klussen.
ORGANISATION_WEIGHTS = (16, 15, 12, 13, 20, 8, 6, 5, 5, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1)
FREE_TERMS = (
    "gebarentaal", "drone vliegen", "heftruckcertificaat", "Arabisch", "Turks", "Pools", "Oekraïens",
    "imkeren", "podcast opnemen", "Excel macro's", "rijbewijs C", "klimmen", "schilderen", "koken voor groepen",
    "timmeren", "naaien", "Power BI dashboards", "3D-printen", "fotografie evenementen", "tolken Arabisch",
    "vrijwilligers coördineren", "bijen houden", "stadslandbouw", "sociale media video", "kinderopvang",
)  # fmt: skip
KLUS_HOURS = (2, 4, 4, 8, 8, 8, 12, 16, 16, 20, 24, 32)
T = TypeVar("T")


# -- the synthetic pool ----------------------------------------------------------------------------------


def _free_terms(vocabulary: SkillVocabulary) -> list[str]:
    terms = [term for term in FREE_TERMS if vocabulary.find(term) is None]
    assert len(terms) >= 15, "the free terms should mostly not be vocabulary skills"
    return terms


def _skills(rng: random.Random, by_domain: dict[str, list[str]], domains: list[str], count: int) -> list[str]:
    """`count` different skills: mostly from the first domain, some from the second, a few anywhere."""
    every = [skill for skills in by_domain.values() for skill in skills]
    chosen: list[str] = []
    while len(chosen) < count:
        roll = rng.random()
        pool = by_domain[domains[0]] if roll < 0.7 else by_domain[domains[-1]] if roll < 0.9 else every
        skill = rng.choice(pool)
        if skill not in chosen:
            chosen.append(skill)
    return chosen


def make_people(rng: random.Random, vocabulary: SkillVocabulary, count: int) -> list[Candidate]:
    by_domain: dict[str, list[str]] = {}
    for skill in vocabulary:
        by_domain.setdefault(skill.domain, []).append(skill.id)
    domains = list(by_domain)
    domain_weights = [len(by_domain[domain]) for domain in domains]
    free = _free_terms(vocabulary)
    people: list[Candidate] = []
    for _ in range(count):
        home = rng.choices(ORGANISATIONS, ORGANISATION_WEIGHTS)[0]
        willing = [home, *rng.sample([o for o in ORGANISATIONS if o != home], rng.randint(2, 11))]
        picked = rng.choices(domains, domain_weights, k=2)
        start = TODAY + timedelta(days=rng.randint(-90, 60))
        end = None if rng.random() < 0.25 else start + timedelta(days=rng.randint(30, 365))
        roll = rng.random()
        status, paused_until = AvailabilityStatus.ACTIVE, None
        if roll < 0.10:
            status, paused_until = AvailabilityStatus.PAUSED, TODAY + timedelta(days=rng.randint(-5, 60))
        elif roll < 0.12:
            status = AvailabilityStatus.WITHDRAWN
        commitments: list[Commitment] = []
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 2)):
                begin = TODAY + timedelta(days=rng.randint(-30, 60))
                commitments.append(
                    Commitment(begin, begin + timedelta(days=rng.randint(14, 120)), rng.randint(4, 16))
                )
        availability = Availability(
            skills=tuple(_skills(rng, by_domain, picked, rng.randint(2, 8))),
            free_skills=tuple(rng.sample(free, rng.randint(1, 2))) if rng.random() < 0.15 else (),
            hours_per_week=rng.randint(4, 32),
            start_date=start,
            end_date=end,
            weekdays=("mon", "tue", "wed", "thu", "fri"),
            organisations=tuple(willing),
            work_mode=rng.choices((WorkMode.HYBRID, WorkMode.ON_SITE, WorkMode.REMOTE), (45, 30, 25))[0],
            intro="",
            status=status,
            paused_until=paused_until,
        )
        people.append(
            Candidate(
                person_id=str(uuid.UUID(int=rng.getrandbits(128))),
                organisation_key=home,
                availability=availability,
                commitments=tuple(commitments),
                recent_matches=rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3)),
                times_passed_over=rng.randint(0, 4),
            )
        )
    return people


def make_klussen(
    rng: random.Random, vocabulary: SkillVocabulary, people: Sequence[Candidate], count: int
) -> list[Klus]:
    by_domain: dict[str, list[str]] = {}
    for skill in vocabulary:
        by_domain.setdefault(skill.domain, []).append(skill.id)
    domains = list(by_domain)
    free = _free_terms(vocabulary)
    klussen: list[Klus] = []
    for number in range(1, count + 1):
        poster = rng.choice(people)
        domain = rng.choice(domains)
        skills = _skills(rng, by_domain, [domain, rng.choice(domains)], rng.randint(2, 8))
        required_count = rng.choices((1, 2, 3, 4, 5), (3, 4, 3, 2, 1))[0]
        nice_count = rng.choices((0, 1, 2, 3), (5, 2, 2, 1))[0]
        required = skills[:required_count]
        nice = [skill for skill in skills[required_count:] if skill not in required][:nice_count]
        start = TODAY + timedelta(days=rng.randint(3, 60))
        end = start + timedelta(days=rng.randint(7, 180))
        mode = rng.choices((WorkMode.ON_SITE, WorkMode.HYBRID, WorkMode.REMOTE), (35, 40, 25))[0]
        klussen.append(
            Klus(
                id=number,
                poster_id=poster.person_id,
                organisation_key=poster.organisation_key,
                # The title names the main skill; the description sometimes another (weak evidence).
                title=f"{vocabulary.get(required[0]).label_nl} ({number})",
                description=(
                    f"Ervaring met {vocabulary.get(skills[-1]).label_nl.lower()} is fijn."
                    if rng.random() < 0.5
                    else ""
                ),
                required_skills=tuple(required),
                nice_skills=tuple(nice),
                free_skills=tuple(rng.sample(free, rng.randint(1, 2))) if rng.random() < 0.2 else (),
                hours_per_week=rng.choice(KLUS_HOURS),
                start_date=start,
                end_date=end,
                work_mode=mode,
                place="" if mode is WorkMode.REMOTE else poster.organisation_key.title(),
                people_needed=rng.randint(1, 3),
                interest_deadline=TODAY + timedelta(days=rng.randint(0, (start - TODAY).days)),
                visibility=Visibility.ORGANISATION if rng.random() < 0.2 else Visibility.POOL,
                internal_first_until=TODAY + timedelta(days=14),
            )
        )
    return klussen


# -- measuring -------------------------------------------------------------------------------------------


def _timed(action: Callable[[], T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def _rss_mb() -> float:
    """The resident set size now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def run(people_count: int, klus_count: int, seed: int, sample: int) -> int:
    print(f"matching benchmark: {people_count:,} people, {klus_count:,} klussen, seed {seed}")
    print(f"  load average (1/5/15 min) {_load()}")
    rng = random.Random(seed)
    vocabulary = load_skill_vocabulary()
    started = time.perf_counter()
    people = make_people(rng, vocabulary, people_count)
    klussen = make_klussen(rng, vocabulary, people, klus_count)
    generated = time.perf_counter() - started
    rss_before_matcher = _rss_mb()
    matcher, matcher_made = _timed(lambda: Matcher(vocabulary))
    paused = sum(p.availability.status_on(TODAY) is not AvailabilityStatus.ACTIVE for p in people)
    print(f"  generated in {generated:.1f} s; not active today: {paused:,} ({paused / people_count:.1%})")
    print(
        f"  first Matcher made in {matcher_made:.2f} s, +{_rss_mb() - rss_before_matcher:.0f} MB RSS "
        "(loading the Dutch lemmatiser's dictionary)"
    )

    gc.collect()
    tracemalloc.start()
    pool, pool_build = _timed(lambda: CandidatePool(matcher, people))
    pool_kept, pool_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pool, pool_build = _timed(lambda: CandidatePool(matcher, people))  # again, timed without tracing
    gc.collect()

    klus_sample = rng.sample(klussen, min(sample, len(klussen)))
    top_times, top_sizes = _top_times(pool, klus_sample)
    changed = [
        dataclasses.replace(person, times_passed_over=person.times_passed_over + 1)
        for person in rng.sample(people, min(1_000, len(people)))
    ]
    pool.update(changed)
    changed_times, _ = _top_times(pool, klus_sample)
    compacted, compact_time = _timed(pool.compacted)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"\n  build CandidatePool         {pool_build:7.2f} s   ({people_count:,} people)")
    p95 = _percentile(top_times, 0.95)
    print(
        f"  top 20 people for a klus    p50 {_ms(statistics.median(top_times))}   p95 {_ms(p95)}   "
        f"max {_ms(max(top_times))}   (p95 / target {TOP_20_TARGET * 1000:.0f} ms = "
        f"{p95 / TOP_20_TARGET:.2f}; {len(top_times)} klussen, mean {statistics.mean(top_sizes):.1f} found)"
    )
    print(
        f"  after {len(changed):,} changes        p50 {_ms(statistics.median(changed_times))}   "
        f"p95 {_ms(_percentile(changed_times, 0.95))}   (compacting them in: {compact_time:.2f} s)"
    )
    print(
        f"  memory                      pool {pool_kept / 2**20:.0f} MB kept ({pool_peak / 2**20:.0f} MB while "
        f"building, traced); peak RSS {peak:.0f} MB (people, klussen, indexes)"
    )
    print(f"  load average (1/5/15 min) {_load()}")

    now = {person.person_id: person for person in people}
    now.update((person.person_id, person) for person in changed)
    failures = _check(matcher, pool, compacted, list(now.values()), klussen, rng, sample)
    return 1 if failures else 0


def _top_times(pool: CandidatePool, klussen: Sequence[Klus]) -> tuple[list[float], list[int]]:
    times: list[float] = []
    sizes: list[int] = []
    for klus in klussen:
        found, seconds = _timed(partial(pool.top_candidates, klus, today=TODAY, limit=20))
        times.append(seconds)
        sizes.append(len(found))
    return times, sizes


def _check(
    matcher: Matcher,
    pool: CandidatePool,
    compacted: CandidatePool,
    people: Sequence[Candidate],
    klussen: Sequence[Klus],
    rng: random.Random,
    sample: int,
) -> int:
    """The index (with changes, and compacted) against the plain method, which scores everyone."""
    print("\n  check: index == brute force")
    failures = 0
    checks = max(3, sample // 20)
    brute_times: list[float] = []
    for klus in rng.sample(list(klussen), checks):
        hidden = frozenset(p.person_id for p in rng.sample(list(people), 50))
        slow, seconds = _timed(
            partial(matcher.rank_candidates, klus, people, today=TODAY, hidden=hidden, limit=20)
        )
        brute_times.append(seconds)
        for which in (pool, compacted):
            if which.top_candidates(klus, today=TODAY, hidden=hidden, limit=20) != slow:
                failures += 1
                print(f"    !!! klus {klus.id}: top_candidates differs from rank_candidates")
    print(
        f"    top_candidates == rank_candidates  {2 * checks - failures}/{2 * checks} "
        f"(with changes and compacted; brute force takes {statistics.mean(brute_times):.2f} s a klus)"
    )
    if failures:
        print("\n!!! CORRECTNESS FAILURE: the index does not return what the plain method returns")
    return failures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--klussen", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=200, help="klussen and people timed and checked")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run(args.people, args.klussen, args.seed, args.sample)


if __name__ == "__main__":
    sys.exit(main())
