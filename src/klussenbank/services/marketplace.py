"""What the klus use cases share: the klus as cards show it, the pool as the matcher sees it, moving
someone's interest along, and closing a klus kindly for everyone still in the running.

Every message to someone other than the actor goes into the outbox in the same transaction as
the change that causes it; the delivery worker sends it later, never inside the actor's turn.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from klussenbank.domain.klus import (
    HOLDS_HOURS,
    IN_THE_RUNNING,
    Interest,
    InterestStatus,
    Klus,
    Visibility,
)
from klussenbank.domain.matching import Candidate, Match, Matcher
from klussenbank.domain.people import Person
from klussenbank.domain.pools import Pool, PoolMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.domain.track import favour_track
from klussenbank.services.clock import Clock
from klussenbank.services.contacts import ChatAllowed, everyone_may_chat
from klussenbank.services.klus_views import klus_view, teams_user_ids_of
from klussenbank.services.pool_index import PoolIndex, candidates_of, history_since
from klussenbank.services.ports.records import Actor, PoolMember, Recipient
from klussenbank.services.ports.renderers import NoticeRenderer
from klussenbank.services.ports.repositories import UnitOfWork
from klussenbank.services.views import KlusNotice, KlusOffer, KlusView, Refusal


@dataclass(frozen=True)
class KlusSettings:
    suggestions_per_week: int = 3  # "new klus for you" cards per person per week, at most
    suggestions_per_klus: int = 25  # people told about one new klus, at most
    min_suggestion_score: float = 0.5  # how well someone must fit to be told
    candidates_shown: int = 10  # suggestions on the poster's candidates card, besides the interested
    others_in_notice: int = 3  # other klussen in a kind "not chosen" message


class Marketplace:
    """The klus services' shared part: each use case works in its own unit of work and hands it in."""

    def __init__(
        self,
        *,
        clock: Clock,
        vocabulary: SkillVocabulary,
        renderer: NoticeRenderer,
        settings: KlusSettings | None = None,
        pools: Mapping[str, Pool] | None = None,
        chat_allowed: ChatAllowed = everyone_may_chat,
    ) -> None:
        self.clock = clock
        self.chat_allowed = chat_allowed
        self.vocabulary = vocabulary
        self.pools: Mapping[str, Pool] = pools or {}  # the pools run by a coordinator, by key
        self.matcher = Matcher(vocabulary, self.pools)
        self.pool = PoolIndex(self.matcher, clock)  # the whole pool, indexed, in this process
        self.settings = settings or KlusSettings()
        self._renderer = renderer

    def offered_openly(self, klus: Klus) -> bool:
        """Whether people find the klus themselves (`klussen`, digests): not when its pool's
        coordinator gives the work out (requests by shift, a pool's counter klus)."""
        pool = self.pools.get(klus.pool_key)
        return pool is None or pool.mode is not PoolMode.COORDINATOR_ASSIGNS

    async def view(self, uow: UnitOfWork, klus: Klus) -> KlusView:
        return await klus_view(uow, klus, self.vocabulary)

    async def notify(self, uow: UnitOfWork, person: Person, notice: KlusNotice, reason: str) -> None:
        await self.notify_all(uow, [(person, notice)], reason)

    async def notify_all(
        self, uow: UnitOfWork, notices: Sequence[tuple[Person, KlusNotice]], reason: str
    ) -> None:
        """A card to each person, in a few statements however many (posting tells up to 25)."""
        user_ids = await teams_user_ids_of(uow, [person.aad_object_id for person, _ in notices])
        await uow.outbox.enqueue_all(
            [
                (
                    {
                        "card": self._renderer.render(
                            replace(notice, refresh_user_ids=user_ids.get(person.aad_object_id, ())),
                            person.locale,
                        )
                    },
                    [Recipient(person_aad_object_id=person.aad_object_id)],
                )
                for person, notice in notices
            ],
            reason=reason,
            now=self.clock.now(),
        )

    async def move(self, uow: UnitOfWork, klus: Klus, interest: Interest, status: InterestStatus) -> None:
        await uow.interests.save(
            replace(interest, status=status), hours_per_week=klus.hours_per_week, now=self.clock.now()
        )

    async def candidate(self, uow: UnitOfWork, person_id: str) -> Candidate | None:
        """One person as the matcher sees them (also when withdrawn), reading only their own history
        and hours."""
        person = await uow.people.get(person_id)
        availability = await uow.availability.get(person_id)
        if person is None or availability is None:
            return None
        confirmed = tuple(c.skill for c in await uow.growth.confirmed(person_id) if not c.hidden)
        side = await uow.pool_people.side(person_id)
        candidates = await candidates_of(
            uow, [PoolMember(person, availability, confirmed, side)], history_since(self.clock), [person_id]
        )
        return candidates[0]

    async def candidates(self, uow: UnitOfWork, person_ids: Collection[str]) -> list[Candidate]:
        """These people (those with a profile that is not withdrawn) as the matcher sees them."""
        members = await uow.pool.some(person_ids)
        return await candidates_of(uow, members, history_since(self.clock), person_ids)

    async def offers_for(
        self, uow: UnitOfWork, person_id: str, klussen: list[Klus], *, limit: int
    ) -> list[KlusOffer]:
        """These klussen ranked for the person, best fit first (as they come without a profile)."""
        today = self.clock.today()
        candidate = await self.candidate(uow, person_id)
        mine = {i.klus_id: i for i in await uow.interests.for_person(person_id)}
        if candidate is None:
            # No profile to rank by: the open klussen as they come, without reasons.
            others = (k for k in klussen if k.poster_id != person_id)
            ranked: list[tuple[Klus, Match | None]] = [(k, None) for k in islice(others, limit)]
        else:
            by_id = {k.id: k for k in klussen}
            # On a development track, klussen that serve its goals move up a little, saying so to
            # them alone (only here: never in a poster's candidates).
            goals = await uow.tracks.goal_skills(person_id)
            matches = self.matcher.rank_klussen(
                candidate, klussen, today=today, limit=limit * 2 if goals else limit
            )
            if goals:
                matches = favour_track(matches, by_id, goals)[:limit]
            ranked = [(by_id[m.klus_id], m) for m in matches]
        return [
            KlusOffer(
                await self.view(uow, k),
                match,
                mine[k.id].status if k.id in mine else None,
                mine[k.id].motivation if k.id in mine else "",
            )
            for k, match in ranked
        ]

    async def close(self, uow: UnitOfWork, klus: Klus, kind: str) -> None:
        """Everyone still in the running is not chosen: tell them kindly, with klussen that fit them."""
        view = await self.view(uow, klus)
        open_klussen = [k for k in await uow.klussen.open(self.clock.today()) if k.id != klus.id]
        # A cancelled klus also ends the matches made for it.
        ending = IN_THE_RUNNING + (HOLDS_HOURS if kind == "cancelled" else ())
        for interest in await uow.interests.for_klus(klus.id):
            if interest.status not in ending:
                continue
            await self.move(uow, klus, interest, InterestStatus.NOT_CHOSEN)
            person = await uow.people.get(interest.person_id)
            if person is None:
                continue
            others = await self.offers_for(
                uow, person.aad_object_id, open_klussen, limit=self.settings.others_in_notice
            )
            await self.notify(uow, person, KlusNotice(kind, view, others=tuple(others)), f"klus.{kind}")


async def person_of(uow: UnitOfWork, actor: Actor) -> Person:
    person = await uow.people.get(actor.aad_object_id)
    if person is None:
        raise LookupError(f"unknown person {actor.aad_object_id}")  # every turn meets the actor first
    return person


def may_see(klus: Klus, person: Person) -> bool:
    """The poster, and whoever the klus's visibility includes."""
    if klus.poster_id == person.aad_object_id:
        return True
    return klus.visibility is Visibility.POOL or klus.organisation_key == person.organisation_key


def may_manage(klus: Klus | None, actor: Actor) -> Refusal | None:
    """Only the poster manages a klus; to anyone else it does not exist."""
    if klus is None or klus.poster_id != actor.aad_object_id:
        return Refusal("klus_not_found")
    return None
