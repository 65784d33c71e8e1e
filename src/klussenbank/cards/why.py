"""Why a klus fits someone, in plain sentences that name what matches: "Je kunt Notuleren · 4 uur per
week past · Thuis werken kan".

Made from a match's reasons (`domain/matching`, where the scorer names the skills a person brings).
Said to the person themselves ("you": `jobs`, a klus, suggestions, the digest) or to the poster about a
candidate ("they"). What fits is said; what does not fit is said only where it matters and kindly (part
of the hours or of the period, a klus partly at a place the person likes less). Missing skills are not
listed: the matcher never proposes someone without one of them, and the score already orders them.
A place of work that does not fit at all never reaches a card: the matcher leaves such klussen out.
"""

from __future__ import annotations

from typing import Literal

from klussenbank.cards.elements import Element, text
from klussenbank.data import load_skill_vocabulary
from klussenbank.domain.matching import Match, Reason
from klussenbank.i18n import Translator

Reader = Literal["you", "they"]


def why_block(match: Match, t: Translator) -> list[Element]:
    """On a klus card for the person themselves: a heading and the sentences."""
    return [text(t("klus.why"), weight="Bolder", spacing="Medium"), text(why(match, t, "you"))]


def why(match: Match, t: Translator, reader: Reader) -> str:
    """The reasons as short sentences joined by " · "."""
    return " · ".join(sentence for reason in match.reasons for sentence in _sentences(reason, t, reader))


def _sentences(reason: Reason, t: Translator, reader: Reader) -> list[str]:
    key, params = f"why.{reader}", reason.params
    if reason.code in ("skills", "free_skills"):
        named = [_name(reason.code, skill, t) for skill in reason.skills]
        close = [_name(reason.code, skill, t) for skill in reason.related]
        return [
            *([t(f"{key}.skills", skills=_join(named, t))] if named else []),
            *([t(f"{key}.related", skills=_join(close, t))] if close else []),
        ]
    if reason.code in ("nice_skills", "learning", "confirmed"):  # learning: what they want to learn here
        named = [_name(reason.code, skill, t) for skill in reason.skills]
        word = "nice" if reason.code == "nice_skills" else reason.code
        return [t(f"{key}.{word}", skills=_join(named, t))] if named else []
    if reason.code == "track":  # said to the person alone: a poster never learns of a track
        return [t("why.you.track")] if reader == "you" else []
    if reason.code == "mentioned":  # (only the skills the klus does not list: the others are said)
        return [t(f"{key}.mentioned", words=_join(list(reason.skills), t))] if reason.skills else []
    if reason.code == "hours":
        needed = int(params["needed"])
        offered = min(int(params["offered"]), needed)
        return [
            t(f"{key}.hours.{'full' if offered >= needed else 'partial'}", offered=offered, needed=needed)
        ]
    if reason.code == "period" and params["fit"] == "partial":
        return [t(f"{key}.period.partial", days=params["days"], total=params["total"])]
    if reason.code == "work_mode":
        return _work_mode(str(params["klus"]), str(params["person"]), t, key)
    return []  # the whole period, and the place (the card names the organisation)


def _work_mode(klus: str, person: str, t: Translator, key: str) -> list[str]:
    if klus == "hybrid" and person != "hybrid":  # fits partly: they like one of the two better
        return [t(f"{key}.work_mode.hybrid.{person}")]
    if klus in ("remote", "hybrid") and key == "why.you":
        return [t(f"{key}.work_mode.{klus}")]
    return []


def _name(code: str, skill: str, t: Translator) -> str:
    """A skill's label in the reader's language; a free-text skill as the klus wrote it."""
    vocabulary = load_skill_vocabulary()
    if code == "free_skills" or skill not in vocabulary:
        return skill
    return vocabulary.get(skill).label(t.language)


def _join(items: list[str], t: Translator) -> str:
    """ "A", "A en B", "A, B en C"."""
    if len(items) == 1:
        return items[0]
    return t("list.and", first=", ".join(items[:-1]), last=items[-1])
