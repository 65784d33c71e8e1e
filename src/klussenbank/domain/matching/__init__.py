"""Matching people and klussen: who may do a klus, how well they fit, why, and in which order.

Pure domain code: no I/O, no clock (``today`` is always given), no randomness.

- `shapes`: what matching takes and gives (`Candidate`, `Commitment`, `Match`, `Reason`) and the
  weights of a score's parts.
- `scoring`: the hard filters, the score and its reasons (documented there), on the profiles of
  `profiles` (which also tell when a text names a skill); `words` reads skill texts as Dutch words
  (lemmas and compounds).
- `ranker`: `Matcher`, which scores every input it is given and ranks (the order is documented there).

**Indexes.** `Matcher.rank_candidates` and `Matcher.rank_klussen` look at every input; for the whole
pool build an index once and ask it many times. They return exactly what the plain methods return.

- `CandidatePool` (people, `pool`): `CandidatePool.top_candidates` (a klus's best people) and
  `CandidatePool.digest` (every person's best open klussen, for the daily message; see `digest`).
- `KlusIndex` (klussen, `klus_index`): `KlusIndex.top_klussen` (one person's best klussen).

Both keep sets of people (or klussen) as bitsets in Python ints (`bitsets`, `people_index`): one per
skill, organisation, work mode, hours offered, start and end date, and so on. A query adds up per
person (or klus) the halves of the klus's skills they bring, as a bit-sliced counter, and then visits
them in order of the best score they could still reach, stopping as soon as nobody left could enter
the top (threshold algorithm). How the pool does that with cells of people is told in `pool`.
"""

from klussenbank.domain.matching.klus_index import KlusIndex
from klussenbank.domain.matching.pool import CandidatePool
from klussenbank.domain.matching.ranker import Matcher
from klussenbank.domain.matching.shapes import (
    HOURS_WEIGHT,
    MENTIONED_WEIGHT,
    NEAR_EQUAL,
    NICE_SKILLS_WEIGHT,
    PERIOD_WEIGHT,
    PLACE_WEIGHT,
    SKILLS_WEIGHT,
    WORK_MODE_FIT,
    WORK_MODE_WEIGHT,
    Candidate,
    Commitment,
    Match,
    Reason,
)

__all__ = [
    "HOURS_WEIGHT",
    "MENTIONED_WEIGHT",
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
