"""Matching people and klussen: who may do a klus, how well they fit, why, and in which order.

Pure domain code: no I/O, no clock (``today`` is always given), no randomness.

- `shapes`: what matching takes and gives (`Candidate`, `Commitment`, `Match`, `Reason`) and the
  weights of a score's parts.
- `scoring`: the hard filters, the score and its reasons (documented there), on the profiles of
  `profiles` (which also tell when a text names a skill); `words` reads skill texts as Dutch words
  (lemmas and compounds).
- `ranker`: `Matcher`, which scores every input it is given and ranks (the order is documented there).

**Index.** `Matcher.rank_candidates` scores every candidate it is given; `CandidatePool` indexes a
whole pool once (`people_index`, bitsets in `bitsets`), finds a klus's best people visiting only those
who can still enter the top, and scores them with the same scorer: it returns exactly what the plain
method returns (see `pool`). A person's best klussen are ranked by the plain `Matcher.rank_klussen`:
that work grows with the open klussen, not with the pool.
"""

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
    "Match",
    "Matcher",
    "Reason",
]
