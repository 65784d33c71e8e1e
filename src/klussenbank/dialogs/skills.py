"""Finding a skill by typing: the search a type-ahead skills list asks the bot for (Teams sends it
as an `application/search` invoke while the person types)."""

from __future__ import annotations

from klussenbank.cards.skills import skill_result
from klussenbank.dialogs.router import Router
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Dataset

router = Router()


@router.search(Dataset.SKILLS)
async def on_skills_search(services: Services, _actor: Actor, turn: Turn) -> list[dict[str, str]]:
    query = turn.search
    if query is None:
        return []
    found = services.skills.search(query.text, turn.t.language, top=query.top, skip=query.skip)
    return [skill_result(skill, turn.t) for skill in found]
