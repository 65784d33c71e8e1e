"""How well one person fits one klus: the hard filters, the score and the reasons it is made of.

**Hard filters.** A person is never matched to a klus when

- their availability is not active on ``today`` (paused or withdrawn; a pause ends by itself),
- they have no hours left: their hours per week minus the hours of their commitments that overlap
  the klus period is zero or less,
- they are not willing to work for the klus's organisation,
- the klus is only for its own organisation and they belong to another one,
- they posted the klus themselves,
- their availability period (open-ended when it has no end) does not overlap the klus period,
- the place of work does not fit at all (`WORK_MODE_FIT` 0): they chose to work only from home and
  the klus is on site, or only on site and the klus is remote. That is a hard preference, not a
  lower score: an on-site klus never tops the list of someone who works from home only,
- the caller hides them (``hidden``: e.g. the poster's reporting line that did not allow it), or
  hides the poster from them (``hidden_posters``),
- the klus belongs to a pool run by a coordinator and they are not a member, or their onboarding
  programme is not done; or the klus requires qualifications they do not hold on its first day
  (see `domain.pools.exclusions`, which also says why),
- their unavailable periods (but the weekdays they named) block every day of the klus period
  they are available in; days they block count as days not available in the period reason,
- they have nothing the klus asks for: not one required or free-text skill, not even a related one
  (when a klus names only nice-to-have skills, one of those is enough; a klus naming no skill at all
  is open to everyone). Showing people a klus they share no skill with helps nobody. On a *leerklus*
  (shadowing, learning on the job) someone who wants to learn one of its learnable skills (see
  `profiles`: required, nice-to-have and offered) passes this filter too: that is what it is for.

Only klussen that are open on ``today`` (``Klus.open_on``) are offered to people.

**Score.** Each part of the fit is a `Reason` with a value in [0, 1] and a weight; the score is
``round(sum(value * weight) / sum(weight), 4)`` over the reasons, in this order:

=============  ==========================  ==============================================================
code           weight                      value and params
=============  ==========================  ==============================================================
skills         0.45 * R / (R + F)          required skills: own skill 1, a related skill (either
                                           direction) 1/2. ``{"matched", "related", "total"}``;
                                           ``Reason.skills`` and ``Reason.related`` name them
free_skills    0.45 * F / (R + F)          the klus's free-text skills, matched by words against the
                                           person's own free-text skills and the labels and synonyms of
                                           their skills: every word 1, at least half the words 1/2.
                                           ``{"matched", "partial", "total"}``; named as
                                           the klus wrote them
nice_skills    0.10                        nice-to-have skills, as for skills. ``{"matched", "related",
                                           "total"}``
mentioned      0.10                        only for someone who owns a skill the klus's title or
                                           description names (see `profiles`): 1. Weak evidence, never
                                           against anyone, and never enough for a match on its own.
                                           ``{"words": those words, as written there}``;
                                           ``Reason.skills``: those words, of the skills
                                           the klus does not list (the others are said)
learning       0.10                        only for someone who wants to learn one of the klus's learnable
                                           skills: 1. ``{"count"}``; ``Reason.skills``: those skills
confirmed      0.05                        only for someone with a skill the klus asks (required or
                                           nice-to-have) that an earlier poster confirmed: 1. So a confirmed
                                           skill counts more than a self-declared one. ``{"count"}``;
                                           ``Reason.skills``: those skills
hours          0.15                        min(hours left, hours needed) / hours needed.
                                           ``{"offered": that minimum, "needed"}`` ("16 van 16 uur")
period         0.15                        share of the klus period the person is available.
                                           ``{"fit": "full"|"partial", "days": overlap, "total": klus days}``
work_mode      0.10                        see `WORK_MODE_FIT`. ``{"fit": "full"|"partial", "klus",
                                           "person"}`` (work modes as their values)
place          0.05                        1 when the person belongs to the klus's organisation or the klus
                                           is remote, else 0. ``{"fit": "near"|"far"|"remote",
                                           "organisation"}``
=============  ==========================  ==============================================================

R, F and N are the numbers of required, free-text and nice-to-have skills; a part the klus does not
ask for (R, F or N is 0) has no reason. The mentioned, learning and confirmed reasons (the *lifts*)
only ever lift a score towards 1: a person without them keeps the score they would have without them. The skill
reasons name what the person brings, so a card can say "Je kunt: Notuleren · 4 uur per week past"
straight from the reasons (see `cards/why.py`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from operator import mul
from types import MappingProxyType
from typing import NamedTuple

from klussenbank.domain.matching.profiles import _MODES, _Counts, _Klus, _Person
from klussenbank.domain.matching.shapes import (
    CONFIRMED_WEIGHT,
    HOURS_WEIGHT,
    LEARNING_WEIGHT,
    MENTIONED_WEIGHT,
    NICE_SKILLS_WEIGHT,
    PERIOD_WEIGHT,
    PLACE_WEIGHT,
    SKILLS_WEIGHT,
    WORK_MODE_WEIGHT,
    Match,
    Reason,
)
from klussenbank.domain.matching.words import _Term
from klussenbank.domain.pools import blocked_days, exclusions

_FIT_WORDS = {1.0: "full", 0.5: "partial"}  # (a fit of 0 is a hard filter)
_SCALE = 10_000  # a score in units of its last decimal

_new_fit = tuple.__new__  # (skips NamedTuple's Python-level __new__: this runs for every pair scored)


class _Fit(NamedTuple):
    """How one person fits one klus, as numbers; `_match` turns it into a `Match`."""

    score: float
    units: int  # the score in units of its last decimal
    counts: _Counts
    hours_left: int
    overlap: int
    mentioned: int  # the skills the person owns that the klus's title or description names
    learning: int  # the klus's learnable skills the person wants to learn
    confirmed: int  # the skills the klus asks that posters confirmed of the person


def _part(full: int, half: int, total: int) -> float:
    """A skills value: an own skill (a term with every word) counts 1, a related one (half the words) 1/2."""
    return (2 * full + half) / (2 * total)


def _hours_value(hours: int, needed: int) -> float:
    return min(hours, needed) / needed if needed > 0 else 1.0


def _term_credit(term: _Term, person: _Person, talent: bool) -> int:
    """2 when the person has every word of the term (or the term itself), 1 for at least half; in a
    talent search (`talent`) the words of their own findable text count too."""
    if term.key in person.free_keys:
        return 2
    covered = 0
    for word, skills in term.words:
        if skills & person.own or word in person.free_words or (talent and word in person.talent_words):
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


def _unavailable_days(person: _Person, first: int, last: int) -> int:
    """How many of the days first .. last the person's unavailable periods block."""
    return len(blocked_days(person.unavailable, date.fromordinal(first), date.fromordinal(last)))


def _fit(klus: _Klus, person: _Person, today: int) -> _Fit | None:
    """The fit of a person for a klus, or None when a hard filter rules it out."""
    if today <= person.active_after or person.id == klus.poster or not klus.organisation_bit & person.willing:
        return None
    if not klus.mode_fit[person.mode_code]:  # a hard preference: only from home, or only on site
        return None
    near = person.organisation == klus.organisation
    if klus.organisation_only and not near:
        return None
    if klus.limited and exclusions(klus.klus, person.side, klus.pool):
        return None
    first, last = klus.start, klus.end
    overlap = min(person.end, last) - max(person.start, first) + 1
    if overlap > 0 and person.unavailable:
        overlap -= _unavailable_days(person, max(person.start, first), min(person.end, last))
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
            credit = _term_credit(term, person, klus.talent)
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
    learning = klus.learnable & person.learning
    if not (klus.leerklus and learning):
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
    mentioned = klus.text_skills & own_skills
    confirmed = klus.asked & person.confirmed
    lifts = (1 if mentioned else 0) | (2 if learning else 0) | (4 if confirmed else 0)
    values += (1.0,) * lifts.bit_count()
    values += (
        _hours_value(hours_left, klus.hours),
        overlap / klus.days,
        klus.mode_fit[person.mode_code],
        1.0 if near or klus.remote else 0.0,
    )
    # The documented formula, literally, so that the score is exactly what the reasons give.
    score = round(sum(map(mul, values, klus.weights_by_lift[lifts])) / klus.weight_sums[lifts], 4)
    counts = (own, related, full, half, nice, nice_related)
    fit: _Fit = _new_fit(
        _Fit, (score, round(score * _SCALE), counts, hours_left, overlap, mentioned, learning, confirmed)
    )
    return fit


# -- bounds: the best score someone could still reach, for the indexes' threshold algorithm ------------------

_ROUNDING_SLACK = 0.5 + 1e-6  # rounding to 4 decimals, and float error in summing another way


def _bound_units(bound: float) -> int:
    """The highest score (in units) a person with this upper bound, before rounding, can get."""
    return math.floor(bound * _SCALE + _ROUNDING_SLACK)


def _bound(
    total: int,
    nice_total: int,
    level: int,
    work_mode: float,
    place: float,
    hours: float,
    lifts: float,
    nice_level: int | None = None,
) -> float:
    """The best score a person can reach for a klus with `total` required and free-text skills and
    `nice_total` nice-to-have ones, given their skill level, the fits of work mode, place and hours, and
    the weights of the lifts (mentioned, learning, confirmed) they may have.

    The level counts halves of the required and free-text skills; when the klus has none of those it
    counts halves of the nice-to-have skills. `nice_level` counts halves of the nice-to-have skills
    beside a level of required ones (as `_part` does). Parts not known yet are taken as perfect. (With
    nice-to-have skills taken as perfect, the bound is also one for the same klus without them; a lift
    only lifts a score below 1, so a bound with it is also one without it.)
    """
    weight_sum = HOURS_WEIGHT + PERIOD_WEIGHT + WORK_MODE_WEIGHT + PLACE_WEIGHT
    rest = HOURS_WEIGHT * hours + PERIOD_WEIGHT + WORK_MODE_WEIGHT * work_mode + PLACE_WEIGHT * place
    weight_sum += lifts
    rest += lifts
    if total:
        weight_sum += SKILLS_WEIGHT
        rest += SKILLS_WEIGHT * level / (2 * total)
        if nice_total:
            weight_sum += NICE_SKILLS_WEIGHT
            rest += NICE_SKILLS_WEIGHT * (1.0 if nice_level is None else nice_level / (2 * nice_total))
    elif nice_total:
        weight_sum += NICE_SKILLS_WEIGHT
        rest += NICE_SKILLS_WEIGHT * level / (2 * nice_total)
    return rest / weight_sum


# -- explanations: a fit's reasons, made from its numbers ---------------------------------------------------


def _match(klus: _Klus, person: _Person, fit: _Fit) -> Match:
    """The match with its reasons."""
    return Match(klus_id=klus.id, person_id=person.id, score=fit.score, reasons=_reasons(klus, person, fit))


def _reasons(klus: _Klus, person: _Person, fit: _Fit) -> tuple[Reason, ...]:
    """The reasons; those made from the klus's numbers alone are made once (reasons are immutable): the
    skill reasons, the mentioned reason and work mode with place, on the klus profile."""
    skills_made, rest_made, mentioned_made = klus.reasons
    own, related = person.own, person.related
    credits = tuple(_term_credit(term, person, klus.talent) for term in klus.terms) if klus.terms else ()
    brings = (klus.required & own, klus.required & related, klus.nice & own, klus.nice & related, credits)
    skills = skills_made.get(brings)
    if skills is None:
        skills = skills_made[brings] = _skill_reasons(klus, *brings)
    if fit.mentioned:
        mentioned = mentioned_made.get(fit.mentioned)
        if mentioned is None:
            words = ", ".join(
                dict.fromkeys(text for bit, text in klus.mentioned.items() if bit & fit.mentioned)
            )
            said: Mapping[str, int | str] = MappingProxyType({"words": words})
            listed = klus.required | klus.nice  # (said by the skill reasons already)
            news = tuple(
                dict.fromkeys(text for bit, text in klus.mentioned.items() if bit & fit.mentioned & ~listed)
            )
            mentioned = mentioned_made[fit.mentioned] = Reason("mentioned", said, 1.0, MENTIONED_WEIGHT, news)
        skills = (*skills, mentioned)
    for code, found, weight in (
        ("learning", fit.learning, LEARNING_WEIGHT),
        ("confirmed", fit.confirmed, CONFIRMED_WEIGHT),
    ):
        if found:
            named = tuple(skill for bit, skill in klus.skill_ids if bit & found)
            skills = (*skills, Reason(code, MappingProxyType({"count": len(named)}), 1.0, weight, named))
    needed = klus.hours
    offered = min(fit.hours_left, needed)
    offer = MappingProxyType({"offered": offered, "needed": needed})
    hours = Reason("hours", offer, _hours_value(offered, needed), HOURS_WEIGHT)
    overlap, days = fit.overlap, klus.days
    fit_word = "full" if overlap >= days else "partial"
    span: Mapping[str, int | str] = MappingProxyType({"fit": fit_word, "days": overlap, "total": days})
    period = Reason("period", span, overlap / days, PERIOD_WEIGHT)
    near = person.organisation == klus.organisation
    key = person.mode_code << 1 | near
    rest = rest_made.get(key)
    if rest is None:
        rest = rest_made[key] = _work_mode_and_place(klus, person.mode_code, near)
    return (*skills, hours, period, *rest)


def _skill_reasons(
    klus: _Klus, own: int, related: int, nice: int, nice_related: int, credits: tuple[int, ...]
) -> tuple[Reason, ...]:
    """The skill reasons, naming what the person brings of what the klus asks (in the klus's order)."""
    ids = klus.skill_ids
    terms = tuple(zip(klus.terms, credits, strict=True))
    parts = (
        ("skills", klus.required_total, [s for b, s in ids if b & own], [s for b, s in ids if b & related]),
        (
            "free_skills",
            len(terms),
            [t.text for t, c in terms if c == 2],
            [t.text for t, c in terms if c == 1],
        ),
        (
            "nice_skills",
            klus.nice_total,
            [s for b, s in ids if b & nice],
            [s for b, s in ids if b & nice_related],
        ),
    )
    weights = iter(klus.weights)  # (the skill reasons' weights come first)
    reasons: list[Reason] = []
    for code, total, has, close in parts:
        if total:
            params = {
                "matched": len(has),
                "partial" if code == "free_skills" else "related": len(close),
                "total": total,
            }
            value = _part(len(has), len(close), total)
            reasons.append(
                Reason(code, MappingProxyType(params), value, next(weights), tuple(has), tuple(close))
            )
    return tuple(reasons)


def _work_mode_and_place(klus: _Klus, mode_code: int, near: bool) -> tuple[Reason, Reason]:
    mode_fit = klus.mode_fit[mode_code]
    modes = {"fit": _FIT_WORDS[mode_fit], "klus": klus.mode.value, "person": _MODES[mode_code].value}
    place = {"fit": "remote" if klus.remote else "near" if near else "far", "organisation": klus.organisation}
    return (
        Reason("work_mode", MappingProxyType(modes), mode_fit, WORK_MODE_WEIGHT),
        Reason("place", MappingProxyType(place), 1.0 if near or klus.remote else 0.0, PLACE_WEIGHT),
    )
