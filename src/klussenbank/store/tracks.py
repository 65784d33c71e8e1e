"""Development tracks, their timeline and coaching wishes: the repository, and their part of a
person's export and erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from klussenbank.domain.track import Track, TrackEvent, TrackEventKind, TrackGoals, TrackKind, TrackStatus
from klussenbank.store.db import utc
from klussenbank.store.orm.people import OrganisationRow, PersonRow
from klussenbank.store.orm.privacy import AccessLogRow
from klussenbank.store.orm.tracks import CoachingWishRow, TrackEventRow, TrackRow


def _track(row: TrackRow, person_id: str) -> Track:
    return Track(
        id=row.id,
        person_id=person_id,
        organisation_key=row.organisation_key,
        adviser_id=row.adviser_id,
        kind=TrackKind(row.kind),
        goals=TrackGoals(tuple(row.skills), row.hours, row.until),
        status=TrackStatus(row.status),
        started_at=utc(row.started_at),
        ended_at=utc(row.ended_at),
    )


_WITH_PERSON = select(TrackRow, PersonRow.aad_object_id).join(PersonRow, PersonRow.id == TrackRow.person_id)


class SqlTracks:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _person_id(self, aad_object_id: str) -> int | None:
        return await self._session.scalar(
            select(PersonRow.id).where(PersonRow.aad_object_id == aad_object_id)
        )

    async def add(
        self,
        person_id: str,
        organisation_key: str,
        adviser_id: str,
        kind: TrackKind,
        goals: TrackGoals,
        *,
        now: datetime,
    ) -> Track:
        row = TrackRow(
            person_id=await self._person_id(person_id),
            organisation_key=organisation_key,
            adviser_id=adviser_id,
            kind=kind.value,
            skills=list(goals.skills),
            hours=goals.hours,
            until=goals.until,
            status=TrackStatus.ACTIVE.value,
            started_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return _track(row, person_id)

    async def get(self, track_id: int) -> Track | None:
        found = (await self._session.execute(_WITH_PERSON.where(TrackRow.id == track_id))).first()
        return _track(*found) if found else None

    async def of_person(self, person_id: str) -> list[Track]:
        """Theirs, the newest first."""
        rows = await self._session.execute(
            _WITH_PERSON.where(PersonRow.aad_object_id == person_id).order_by(TrackRow.id.desc())
        )
        return [_track(*row) for row in rows]

    async def advised_by(self, adviser_id: str) -> list[Track]:
        """The active tracks this HR adviser coaches, the oldest first."""
        rows = await self._session.execute(
            _WITH_PERSON.where(
                TrackRow.adviser_id == adviser_id, TrackRow.status == TrackStatus.ACTIVE.value
            ).order_by(TrackRow.id)
        )
        return [_track(*row) for row in rows]

    async def end(self, track_id: int, *, now: datetime) -> None:
        await self._session.execute(
            update(TrackRow)
            .where(TrackRow.id == track_id)
            .values(status=TrackStatus.ENDED.value, ended_at=now)
        )

    async def add_event(
        self, track_id: int, kind: TrackEventKind, *, now: datetime, klus_title: str = ""
    ) -> None:
        self._session.add(
            TrackEventRow(track_id=track_id, at=now, kind=kind.value, klus_title=klus_title[:200])
        )
        await self._session.flush()

    async def events(self, track_id: int) -> list[TrackEvent]:
        rows = await self._session.scalars(
            select(TrackEventRow).where(TrackEventRow.track_id == track_id).order_by(TrackEventRow.id)
        )
        return [TrackEvent(utc(r.at), TrackEventKind(r.kind), r.klus_title) for r in rows]

    async def goal_skills(self, person_id: str) -> tuple[str, ...]:
        """The skills the person's active tracks aim at."""
        skills: dict[str, None] = {}
        for track in await self.of_person(person_id):
            if track.active:
                skills.update(dict.fromkeys(track.goals.skills))
        return tuple(skills)

    async def wants_coaching(self, person_id: str) -> bool:
        found = await self._session.scalar(
            select(CoachingWishRow.person_id)
            .join(PersonRow, PersonRow.id == CoachingWishRow.person_id)
            .where(PersonRow.aad_object_id == person_id)
        )
        return found is not None

    async def set_coaching(self, person_id: str, wanted: bool, *, now: datetime) -> None:
        row_id = await self._person_id(person_id)
        if row_id is None:
            return
        existing = await self._session.get(CoachingWishRow, row_id)
        if wanted and existing is None:
            self._session.add(CoachingWishRow(person_id=row_id, since=now))
        elif not wanted and existing is not None:
            await self._session.delete(existing)
        await self._session.flush()

    async def people_in(self, organisation_key: str, *, coaching: bool = False) -> list[str]:
        """The people of an organisation (only those who asked for coaching, with `coaching`)."""
        query = (
            select(PersonRow.aad_object_id)
            .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            .where(OrganisationRow.key == organisation_key, PersonRow.name != "")
            .order_by(PersonRow.name)
        )
        if coaching:
            query = query.join(CoachingWishRow, CoachingWishRow.person_id == PersonRow.id)
        return list(await self._session.scalars(query))

    async def purge_ended(self, organisation_key: str, before: datetime) -> int:
        """Retention: tracks of this organisation ended before `before` go, timeline and all, and
        HR's looks at its people's tracks and coaching profiles from before then."""
        ended = list(
            await self._session.scalars(
                select(TrackRow.id).where(
                    TrackRow.organisation_key == organisation_key,
                    TrackRow.status == TrackStatus.ENDED.value,
                    TrackRow.ended_at < before,
                )
            )
        )
        if ended:
            await self._session.execute(delete(TrackEventRow).where(TrackEventRow.track_id.in_(ended)))
            await self._session.execute(delete(TrackRow).where(TrackRow.id.in_(ended)))
        # HR's looks at a track or a coaching profile (about no klus) go after the same period.
        people = (
            select(PersonRow.aad_object_id)
            .join(OrganisationRow, OrganisationRow.id == PersonRow.organisation_id)
            .where(OrganisationRow.key == organisation_key)
        )
        await self._session.execute(
            delete(AccessLogRow).where(
                AccessLogRow.klus_id.is_(None), AccessLogRow.at < before, AccessLogRow.subject_id.in_(people)
            )
        )
        return len(ended)


async def track_data(session: AsyncSession, person: PersonRow) -> dict[str, Any]:
    """Their part of `my data`: their tracks with the timeline, and whether they asked for coaching."""
    tracks = []
    for row in await session.scalars(
        select(TrackRow).where(TrackRow.person_id == person.id).order_by(TrackRow.id)
    ):
        events = await session.scalars(
            select(TrackEventRow).where(TrackEventRow.track_id == row.id).order_by(TrackEventRow.id)
        )
        tracks.append(
            {
                "kind": row.kind,
                "adviser": row.adviser_id,
                "skills_to_learn": list(row.skills),
                "hours": row.hours,
                "until": row.until.isoformat(),
                "status": row.status,
                "started_at": utc(row.started_at).isoformat(),
                "ended_at": row.ended_at and utc(row.ended_at).isoformat(),
                "timeline": [
                    {"at": utc(e.at).isoformat(), "what": e.kind, "klus": e.klus_title} for e in events
                ],
            }
        )
    wish = await session.get(CoachingWishRow, person.id)
    return {"tracks": tracks, "coaching_wanted_since": wish and utc(wish.since).isoformat()}


async def erase_tracks(session: AsyncSession, person: PersonRow, pseudonym: str) -> None:
    """Their tracks and coaching wish go; tracks they advised name nobody any more."""
    own = select(TrackRow.id).where(TrackRow.person_id == person.id)
    await session.execute(delete(TrackEventRow).where(TrackEventRow.track_id.in_(own)))
    await session.execute(delete(TrackRow).where(TrackRow.person_id == person.id))
    await session.execute(delete(CoachingWishRow).where(CoachingWishRow.person_id == person.id))
    await session.execute(
        update(TrackRow).where(TrackRow.adviser_id == person.aad_object_id).values(adviser_id=pseudonym)
    )
