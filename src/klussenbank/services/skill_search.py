"""Finding skills by typing: the one home of skill look-ups for a picker (the sign-up card, the klus
form, and later the talent search)."""

from __future__ import annotations

from dataclasses import dataclass

from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.views import SkillChoice

# Teams shows at most 15 options in a type-ahead list.
MAX_RESULTS = 15


@dataclass(frozen=True)
class SkillFound:
    """A skill a search offers, and the word it was found by when that is not its name."""

    choice: SkillChoice
    via: str | None


class SkillSearch:
    def __init__(self, vocabulary: SkillVocabulary) -> None:
        self._vocabulary = vocabulary

    def search(self, text: str, language: str, *, top: int = MAX_RESULTS, skip: int = 0) -> list[SkillFound]:
        """The skills `text` may mean, best first (synonyms and domains count); `skip` and `top`
        page through them, at most MAX_RESULTS at a time."""
        top = max(0, min(top, MAX_RESULTS))
        hits = self._vocabulary.search(text, language)[max(0, skip) :][:top]
        return [
            SkillFound(SkillChoice(hit.skill.id, hit.skill.label_nl, hit.skill.label_en), hit.via)
            for hit in hits
        ]
