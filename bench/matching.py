"""Matching benchmark: a klus's top 20 out of 100,000 people, and every person's daily digest.

Run: ``.venv/bin/python -m bench.matching [--people 100000] [--klussen 2000] [--seed 7] [--sample 200]
[--repeat 3]``

A synthetic but realistic pool over the real skills vocabulary, always the same for the same seed:
people with 2-8 skills drawn mostly from one or two domains, some free-text skills, 4-32 hours a week,
periods (some open-ended), willing to work for 3-12 of 20 organisations, ~10 % paused and a few
withdrawn, some with hours already committed; open klussen with 1-5 required skills from a domain,
nice-to-have and free-text skills, 2-32 hours, all work modes, a fifth only for their own organisation,
titled after their main skill and half of them describing another.

Measured: building the indexes, a klus's top 20 people (``CandidatePool.top_candidates``) for 200
klussen, a person's top 20 klussen (``KlusIndex.top_klussen``) for 200 people, the full daily digest
(every person's top 5 open klussen, ``CandidatePool.digest``) in this process and split over two
forked processes (``part=``), each ``--repeat`` times (the median counts: the machine's speed varies
by some 20 %), and memory (also what making the first ``Matcher`` adds: the Dutch lemmatiser). Then, on a sample, the fast paths are compared with the
plain ``Matcher`` methods that score every input, and the two-process digest with the one-process
one: a difference makes the exit code 1. Timing is printed, never judged; the load average is
printed before and after, as other work on the machine slows everything down.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import multiprocessing
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
from klussenbank.domain.matching import Candidate, CandidatePool, Commitment, KlusIndex, Match, Matcher
from klussenbank.domain.people import Availability, AvailabilityStatus, WorkMode
from klussenbank.domain.skills import SkillVocabulary

TODAY = date(2026, 11, 23)
TOP_20_TARGET = 0.020  # seconds, p95
DIGEST_TARGET = 10.0  # seconds
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


def _timed_cpu(action: Callable[[], T]) -> tuple[T, float, float]:
    """The result, the wall time and the CPU time of this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _fingerprint(digest: dict[str, list[Match]]) -> int:
    """The same for the same suggestions however the digest was split into parts (a sum of hashes)."""
    total = 0
    for person_id, matches in digest.items():
        line = "\x1f".join(f"{m.klus_id}:{m.score}" for m in matches)
        total += int.from_bytes(hashlib.blake2b(f"{person_id}\x1e{line}".encode(), digest_size=16).digest())
    return total % 2**128


# What the forked digest workers work on (inherited, not pickled).
_SHARED: tuple[CandidatePool, list[Klus]] | None = None


def _digest_part(number: int, parts: int) -> tuple[int, int, float, float]:
    """One worker's part of the digest: its fingerprint and size; the Matches stay in the worker, as
    they would in a digest job that queues each part's messages itself."""
    assert _SHARED is not None
    pool, klussen = _SHARED
    digest, wall, cpu = _timed_cpu(
        partial(pool.digest, klussen, today=TODAY, limit_per_person=5, part=(number, parts))
    )
    return _fingerprint(digest), sum(len(matches) for matches in digest.values()), wall, cpu


def _digest_in_processes(pool: CandidatePool, klussen: list[Klus], parts: int) -> tuple[int, float, float]:
    """The digest in `parts` forked processes: the combined fingerprint, the wall time from start to
    the last result, and the slowest worker's CPU time."""
    global _SHARED
    _SHARED = (pool, klussen)
    try:
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(parts) as workers:
            results = workers.starmap(_digest_part, [(number, parts) for number in range(parts)])
        wall = time.perf_counter() - started
    finally:
        _SHARED = None
    return sum(fingerprint for fingerprint, *_ in results) % 2**128, wall, max(cpu for *_, cpu in results)


def run(people_count: int, klus_count: int, seed: int, sample: int, repeat: int = 3) -> int:
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
    index, index_build = _timed(lambda: KlusIndex(matcher, klussen))
    gc.collect()

    klus_sample = rng.sample(klussen, min(sample, len(klussen)))
    top_times: list[float] = []
    top_sizes: list[int] = []
    for klus in klus_sample:
        found, seconds = _timed(partial(pool.top_candidates, klus, today=TODAY, limit=20))
        top_times.append(seconds)
        top_sizes.append(len(found))
    person_sample = rng.sample(people, min(sample, len(people)))
    person_times: list[float] = []
    for person in person_sample:
        _, seconds = _timed(partial(index.top_klussen, person, today=TODAY, limit=20))
        person_times.append(seconds)
    rss_before_digest = _rss_mb()
    digest, digest_time, digest_cpu = _timed_cpu(
        lambda: pool.digest(klussen, today=TODAY, limit_per_person=5)
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    suggestions = sum(len(matches) for matches in digest.values())
    digest_times, digest_cpus = [digest_time], [digest_cpu]
    for _ in range(repeat - 1):
        _, seconds, cpu = _timed_cpu(lambda: pool.digest(klussen, today=TODAY, limit_per_person=5))
        digest_times.append(seconds)
        digest_cpus.append(cpu)
    splits = [_digest_in_processes(pool, klussen, 2) for _ in range(repeat)]
    split_same = all(fingerprint == _fingerprint(digest) for fingerprint, _, _ in splits)
    digest_time, digest_cpu = statistics.median(digest_times), statistics.median(digest_cpus)
    split_time = statistics.median(wall for _, wall, _ in splits)
    split_cpu = statistics.median(cpu for _, _, cpu in splits)

    print(f"\n  build CandidatePool         {pool_build:7.2f} s   ({people_count:,} people)")
    print(f"  build KlusIndex             {index_build:7.2f} s   ({klus_count:,} klussen)")
    p95 = _percentile(top_times, 0.95)
    print(
        f"  top 20 people for a klus    p50 {_ms(statistics.median(top_times))}   p95 {_ms(p95)}   "
        f"max {_ms(max(top_times))}   (p95 / target {TOP_20_TARGET * 1000:.0f} ms = "
        f"{p95 / TOP_20_TARGET:.2f}; {len(top_times)} klussen, mean {statistics.mean(top_sizes):.1f} found)"
    )
    print(
        f"  top 20 klussen for a person p50 {_ms(statistics.median(person_times))}   "
        f"p95 {_ms(_percentile(person_times, 0.95))}   max {_ms(max(person_times))}   "
        f"({len(person_times)} people)"
    )
    print(
        f"  daily digest (top 5 each)   {digest_time:7.2f} s   in 1 process (/ target {DIGEST_TARGET:.0f} s = "
        f"{digest_time / DIGEST_TARGET:.2f}; CPU {digest_cpu:.2f} s; {len(digest):,} people get "
        f"{suggestions:,} suggestions)"
    )
    same = "the same suggestions" if split_same else "!!! OTHER SUGGESTIONS"
    print(
        f"                              {split_time:7.2f} s   in 2 processes (/ target {DIGEST_TARGET:.0f} s = "
        f"{split_time / DIGEST_TARGET:.2f}; slowest part CPU {split_cpu:.2f} s; {same})"
    )
    if repeat > 1:
        print(
            f"                              (median of {repeat} runs each: 1 process "
            f"{' '.join(f'{seconds:.2f}' for seconds in digest_times)} s; 2 processes "
            f"{' '.join(f'{wall:.2f}' for _, wall, _ in splits)} s)"
        )
    print(
        f"  memory                      pool {pool_kept / 2**20:.0f} MB kept ({pool_peak / 2**20:.0f} MB while "
        f"building, traced); RSS {rss_before_digest:.0f} MB before the digest, peak {peak:.0f} MB "
        f"(people, klussen, indexes, digest)"
    )
    print(f"  load average (1/5/15 min) {_load()}")

    failures = _check(matcher, pool, index, people, klussen, digest, rng, sample)
    return 1 if failures or not split_same else 0


def _check(
    matcher: Matcher,
    pool: CandidatePool,
    index: KlusIndex,
    people: Sequence[Candidate],
    klussen: Sequence[Klus],
    digest: dict[str, list[Match]],
    rng: random.Random,
    sample: int,
) -> int:
    """The fast paths against the plain methods, which score every input."""
    print("\n  check: fast path == brute force")
    failures = 0
    klus_checks = max(3, sample // 20)
    brute_times: list[float] = []
    for klus in rng.sample(list(klussen), klus_checks):
        hidden = frozenset(p.person_id for p in rng.sample(list(people), 50))
        fast = pool.top_candidates(klus, today=TODAY, hidden=hidden, limit=20)
        slow, seconds = _timed(
            partial(matcher.rank_candidates, klus, people, today=TODAY, hidden=hidden, limit=20)
        )
        brute_times.append(seconds)
        if fast != slow:
            failures += 1
            print(f"    !!! klus {klus.id}: top_candidates differs from rank_candidates")
    print(
        f"    top_candidates == rank_candidates  {klus_checks - failures}/{klus_checks} klussen "
        f"(brute force takes {statistics.mean(brute_times):.2f} s a klus)"
    )
    person_failures = 0
    for person in rng.sample(list(people), sample):
        hidden_posters = frozenset(k.poster_id for k in rng.sample(list(klussen), 20))
        slow = matcher.rank_klussen(person, klussen, today=TODAY, hidden_posters=hidden_posters, limit=20)
        fast = index.top_klussen(person, today=TODAY, hidden_posters=hidden_posters, limit=20)
        plain = matcher.rank_klussen(person, klussen, today=TODAY, limit=5)
        if fast != slow or digest.get(person.person_id, []) != plain:
            person_failures += 1
            print(f"    !!! person {person.person_id}: top_klussen or digest differs from rank_klussen")
    print(f"    top_klussen and digest == rank_klussen  {sample - person_failures}/{sample} people")
    failures += person_failures
    if failures:
        print("\n!!! CORRECTNESS FAILURE: the indexes do not return what the plain methods return")
    return failures


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--klussen", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=200, help="klussen and people timed and checked")
    parser.add_argument("--repeat", type=int, default=3, help="digest runs; the median is printed")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run(args.people, args.klussen, args.seed, args.sample, max(args.repeat, 1))


if __name__ == "__main__":
    sys.exit(main())
