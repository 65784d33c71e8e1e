"""A klus as cards show it, and who sees a card: shared by the marketplace and the approvals."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from klussenbank.domain.klus import Klus
from klussenbank.domain.people import Organisation
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.services.ports.repositories import UnitOfWork
from klussenbank.services.views import KlusView, SkillChoice


async def teams_user_ids(uow: UnitOfWork, person_id: str) -> tuple[str, ...]:
    """The person's Teams user ids, from their stored conversations: a card sent to them lists
    these in `refresh.userIds`, so Teams asks the bot for the current view whenever they see it."""
    return (await teams_user_ids_of(uow, [person_id])).get(person_id, ())


async def teams_user_ids_of(uow: UnitOfWork, person_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """`teams_user_ids` of many people, in one read."""
    return {
        person: tuple(
            dict.fromkeys(
                str(user["id"])
                for c in conversations
                if isinstance(user := c.reference.get("user"), dict) and user.get("id")
            )
        )
        for person, conversations in (await uow.conversations.for_people(person_ids)).items()
    }


async def klus_view(uow: UnitOfWork, klus: Klus, vocabulary: SkillVocabulary) -> KlusView:
    organisation = await uow.organisations.get(klus.organisation_key) or Organisation(
        klus.organisation_key, klus.organisation_key
    )
    poster = await uow.people.get(klus.poster_id)
    return KlusView(
        **vars(klus),
        organisation=organisation,
        poster_name=poster.name if poster else "",
        required_skill_choices=skill_choices(vocabulary, klus.required_skills),
        nice_skill_choices=skill_choices(vocabulary, klus.nice_skills),
    )


def skill_choices(vocabulary: SkillVocabulary, skill_ids: Iterable[str]) -> tuple[SkillChoice, ...]:
    return tuple(
        SkillChoice(s.id, s.label_nl, s.label_en)
        for s in (vocabulary.get(i) for i in skill_ids if i in vocabulary)
    )
