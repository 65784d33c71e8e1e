"""SignupService against a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.fields import MAX_OTHER_SKILLS_TEXT, FieldError
from klussenbank.domain.people import Availability, AvailabilityStatus, Organisation, Person, WorkMode
from klussenbank.domain.skills import SkillVocabulary
from klussenbank.graph.directory_file import FileDirectory
from klussenbank.services.ports.records import Actor, ConversationRef
from klussenbank.services.ports.repositories import UnitOfWorkFactory
from klussenbank.services.signup import DEFAULT_HOURS, SignupService, UnknownPerson
from klussenbank.services.views import FormView, PauseView, ProfileView, SkillChoice, WelcomeView
from tests.conftest import TODAY, FixedClock, good_draft, writes

TENANT = "tenant-1"
ANNA_ID = "aaaa-0001"
BRAM_ID = "bbbb-0002"
DIRECTORY = {
    "organisations": [
        {"key": "harderwijk", "name": "Gemeente Harderwijk"},
        {"key": "ermelo", "name": "Gemeente Ermelo"},
        {"key": "zeewolde", "name": "Gemeente Zeewolde"},
    ],
    "people": [
        {
            "aad_object_id": ANNA_ID,
            "name": "Anna de Vries",
            "email": "anna@harderwijk.example",
            "organisation": "harderwijk",
        },
        {
            "aad_object_id": BRAM_ID,
            "name": "Bram Jansen",
            "email": "bram@ermelo.example",
            "organisation": "ermelo",
        },
    ],
}
ANNA = Actor(ANNA_ID, TENANT, "Anna de Vries", "nl-NL")
BRAM = Actor(BRAM_ID, TENANT, "Bram Jansen", "en-US")
STRANGER = Actor("cccc-0003", TENANT, "Cees Onbekend", "nl-NL")


def conversation(person: str, conversation_id: str = "") -> ConversationRef:
    return ConversationRef(
        conversation_id=conversation_id or f"a:personal-{person}",
        conversation_type="personal",
        tenant_id=TENANT,
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/emea/",
        person_aad_object_id=person,
        reference={"bot": {"id": "28:bot"}, "user": {"id": f"29:{person}"}, "locale": "nl-NL"},
    )


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes, PostgreSQL aware ones; both are UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@pytest.fixture
def directory() -> FileDirectory:
    return FileDirectory(DIRECTORY)


@pytest.fixture
def service(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, vocabulary: SkillVocabulary, directory: FileDirectory
) -> SignupService:
    return SignupService(
        uow_factory, clock=clock, vocabulary=vocabulary, directory=directory, default_organisation="default"
    )


@pytest.fixture
async def met(service: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> SignupService:
    """Anna and Bram have been met, and all three organisations exist."""
    async with uow_factory() as uow:
        for org in DIRECTORY["organisations"]:
            await uow.organisations.add(Organisation(org["key"], org["name"]), now=clock.now())
        await uow.commit()
    await service.meet(ANNA, conversation(ANNA_ID))
    await service.meet(BRAM, conversation(BRAM_ID))
    return service


async def person(uow_factory: UnitOfWorkFactory, aad_object_id: str) -> Person | None:
    async with uow_factory() as uow:
        return await uow.people.get(aad_object_id)


async def stored(uow_factory: UnitOfWorkFactory, aad_object_id: str) -> Availability | None:
    async with uow_factory() as uow:
        return await uow.availability.get(aad_object_id)


# -- meet ---------------------------------------------------------------------------------------------


async def test_meet_creates_the_person_in_their_organisation_and_welcomes_once(
    service: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    first = await service.meet(ANNA, conversation(ANNA_ID))

    assert first == WelcomeView(name="Anna de Vries")
    anna = await person(uow_factory, ANNA_ID)
    assert anna is not None
    assert (
        anna.aad_object_id,
        anna.tenant_id,
        anna.name,
        anna.email,
        anna.organisation_key,
        anna.locale,
    ) == (
        ANNA_ID,
        TENANT,
        "Anna de Vries",
        "anna@harderwijk.example",
        "harderwijk",
        "nl-NL",
    )
    assert utc(anna.welcomed_at) == clock.now()
    async with uow_factory() as uow:
        assert await uow.organisations.get("harderwijk") == Organisation("harderwijk", "Gemeente Harderwijk")
        # Only the person's own organisation is brought in by meeting them.
        assert await uow.organisations.get("ermelo") is None

    first_seen = clock.now()
    clock.current = TODAY + timedelta(days=1)
    assert await service.meet(ANNA, conversation(ANNA_ID)) is None
    again = await person(uow_factory, ANNA_ID)
    assert again is not None
    assert utc(again.welcomed_at) == first_seen


async def test_meet_refreshes_name_and_locale(service: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    await service.meet(ANNA, None)

    await service.meet(dataclasses.replace(ANNA, name="Anna Visser-de Vries", locale="en-GB"), None)

    anna = await person(uow_factory, ANNA_ID)
    assert anna is not None
    assert anna.name == "Anna Visser-de Vries"
    assert anna.locale == "en-GB"
    assert anna.organisation_key == "harderwijk"


async def test_meet_uses_the_directory_name_when_teams_sends_none(
    service: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    welcome = await service.meet(dataclasses.replace(ANNA, name=""), None)

    assert welcome == WelcomeView(name="Anna de Vries")
    anna = await person(uow_factory, ANNA_ID)
    assert anna is not None
    assert anna.name == "Anna de Vries"


async def test_meet_stores_the_conversation(service: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    ref = conversation(ANNA_ID)

    await service.meet(ANNA, ref)

    async with uow_factory() as uow:
        assert await uow.conversations.for_person(ANNA_ID) == [ref]
        assert await uow.conversations.for_person(BRAM_ID) == []


async def test_meet_again_refreshes_the_conversation_instead_of_adding_one(
    service: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await service.meet(ANNA, conversation(ANNA_ID))
    clock.current = TODAY + timedelta(days=1)
    moved = dataclasses.replace(conversation(ANNA_ID), service_url="https://smba.trafficmanager.net/nl/")

    await service.meet(ANNA, moved)

    async with uow_factory() as uow:
        assert await uow.conversations.for_person(ANNA_ID) == [moved]


async def test_meeting_again_as_before_writes_nothing(
    service: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    ref = conversation(ANNA_ID)
    await service.meet(ANNA, ref)
    clock.current = TODAY + timedelta(days=1)
    # Every activity and request has its own id, and the reference built from it carries them along.
    next_turn = dataclasses.replace(
        ref, reference={**ref.reference, "activityId": "1:next", "requestId": "a-new-uuid"}
    )

    with writes(engine) as written:
        assert await service.meet(ANNA, next_turn) is None

    assert written == []
    async with uow_factory() as uow:
        assert await uow.conversations.for_person(ANNA_ID) == [ref]


async def test_meeting_in_an_older_conversation_makes_it_the_current_one_again(
    service: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock, engine: AsyncEngine
) -> None:
    first, second = conversation(ANNA_ID), conversation(ANNA_ID, "a:personal-reinstalled")
    await service.meet(ANNA, first)
    clock.current = TODAY + timedelta(days=1)
    await service.meet(ANNA, second)
    clock.current = TODAY + timedelta(days=2)

    with writes(engine) as written:
        await service.meet(ANNA, first)

    assert written  # unchanged, but no longer the latest: messages must go where she spoke last
    async with uow_factory() as uow:
        assert await uow.conversations.for_person(ANNA_ID) == [first, second]


async def test_meet_without_conversation_stores_none(
    service: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await service.meet(ANNA, None)

    async with uow_factory() as uow:
        assert await uow.conversations.for_person(ANNA_ID) == []


async def test_an_unknown_person_lands_in_the_default_organisation(
    service: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    welcome = await service.meet(STRANGER, conversation(STRANGER.aad_object_id))

    assert welcome == WelcomeView(name="Cees Onbekend")
    stranger = await person(uow_factory, STRANGER.aad_object_id)
    assert stranger is not None
    assert stranger.organisation_key == "default"
    assert stranger.email == ""
    async with uow_factory() as uow:
        assert await uow.organisations.get("default") is not None
    # Meeting them again does not add the organisation twice.
    assert await service.meet(STRANGER, None) is None


async def test_the_welcome_says_whether_there_is_a_profile(
    met: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    # Known from a directory import, never met in Teams, and yet with a profile.
    carla = Actor("dddd-0004", TENANT, "Carla Kok", "nl-NL")
    async with uow_factory() as uow:
        await uow.people.save(
            Person(carla.aad_object_id, TENANT, "Carla Kok", "carla@ermelo.example", "ermelo", "nl-NL"),
            now=clock.now(),
        )
        await uow.commit()
    assert isinstance(await met.save(carla, good_draft()), ProfileView)

    assert await met.meet(carla, None) == WelcomeView(name="Carla Kok")
    assert await met.meet(carla, None) is None


# -- form ---------------------------------------------------------------------------------------------


async def test_the_form_for_a_new_person_has_defaults(
    met: SignupService, vocabulary: SkillVocabulary
) -> None:
    form = await met.form(ANNA)

    assert form.values == AvailabilityDraft(
        hours_per_week=DEFAULT_HOURS,
        start_date=TODAY,
        organisations=("harderwijk",),
        work_mode=WorkMode.HYBRID,
    )
    assert DEFAULT_HOURS == 8
    assert form.is_update is False
    assert form.errors == ()
    assert form.today == TODAY
    assert {org.key for org in form.organisation_choices} == {"harderwijk", "ermelo", "zeewolde"}
    assert [choice.id for choice in form.skill_choices] == [skill.id for skill in vocabulary]

    bram = await met.form(BRAM)
    assert bram.values.organisations == ("ermelo",)


async def test_the_form_for_an_existing_profile_has_the_saved_values(met: SignupService) -> None:
    await met.save(ANNA, good_draft())

    form = await met.form(ANNA)

    assert form.is_update is True
    assert form.values == AvailabilityDraft(
        skills=("minute-taking", "data-entry"),
        skills_other="gebarentaal, imkeren",
        hours_per_week=12,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=120),
        weekdays=("mon", "thu"),
        organisations=("ermelo", "harderwijk"),
        work_mode=WorkMode.REMOTE,
        intro="Ik notuleer graag en ken gebarentaal.",
    )


async def test_the_form_moves_a_past_start_to_today(met: SignupService, clock: FixedClock) -> None:
    await met.save(ANNA, good_draft())
    clock.current = TODAY + timedelta(days=30)

    form = await met.form(ANNA)

    assert form.values.start_date == TODAY + timedelta(days=30)
    assert form.values.end_date == TODAY + timedelta(days=120)
    assert form.today == TODAY + timedelta(days=30)


async def test_the_saved_form_can_be_saved_again_unchanged(
    met: SignupService, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Opening the edit form and pressing save must not run into the rules."""
    await met.save(ANNA, good_draft())
    clock.current = TODAY + timedelta(days=30)
    values = (await met.form(ANNA)).values

    result = await met.save(ANNA, AvailabilityDraft(**dataclasses.asdict(values)))

    assert isinstance(result, ProfileView), result
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert availability.start_date == TODAY + timedelta(days=30)
    assert availability.skills == ("minute-taking", "data-entry")
    assert availability.free_skills == ("gebarentaal", "imkeren")


async def test_long_free_skills_typed_tightly_can_be_saved_again_from_the_form(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    """Ten free skills typed as "a;b;c" just under the limit: ", " between them would exceed it."""
    terms = [f"hobby{chr(ord('a') + n)}".ljust(29, "q") for n in range(10)]
    typed = ";".join(terms)
    assert len(typed) <= MAX_OTHER_SKILLS_TEXT < len(", ".join(terms))
    assert isinstance(await met.save(ANNA, good_draft(skills_other=typed)), ProfileView)

    values = (await met.form(ANNA)).values
    result = await met.save(ANNA, AvailabilityDraft(**dataclasses.asdict(values)))

    assert isinstance(result, ProfileView), result
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert availability.free_skills == tuple(terms)


async def test_form_and_save_refuse_a_person_who_was_never_met(met: SignupService) -> None:
    with pytest.raises(UnknownPerson):
        await met.form(STRANGER)
    with pytest.raises(UnknownPerson):
        await met.save(STRANGER, good_draft())


# -- save ---------------------------------------------------------------------------------------------


async def test_save_stores_everything(
    met: SignupService, uow_factory: UnitOfWorkFactory, vocabulary: SkillVocabulary
) -> None:
    view = await met.save(ANNA, good_draft())

    assert await stored(uow_factory, ANNA_ID) == Availability(
        skills=("minute-taking", "data-entry"),
        free_skills=("gebarentaal", "imkeren"),
        hours_per_week=12,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=120),
        weekdays=("mon", "thu"),
        organisations=("ermelo", "harderwijk"),  # read back in key order
        work_mode=WorkMode.REMOTE,
        intro="Ik notuleer graag en ken gebarentaal.",
        status=AvailabilityStatus.ACTIVE,
        paused_until=None,
    )
    assert view == ProfileView(
        name="Anna de Vries",
        skills=tuple(
            SkillChoice(skill.id, skill.label_nl, skill.label_en)
            for skill in (vocabulary.get("minute-taking"), vocabulary.get("data-entry"))
        ),
        free_skills=("gebarentaal", "imkeren"),
        hours_per_week=12,
        start_date=TODAY + timedelta(days=7),
        end_date=TODAY + timedelta(days=120),
        weekdays=("mon", "thu"),
        organisations=(
            Organisation("harderwijk", "Gemeente Harderwijk"),
            Organisation("ermelo", "Gemeente Ermelo"),
        ),
        work_mode=WorkMode.REMOTE,
        intro="Ik notuleer graag en ken gebarentaal.",
        status=AvailabilityStatus.ACTIVE,
        paused_until=None,
        today=TODAY,
    )
    # Read back later, the profile is the same (organisations in any order).
    profile = await met.profile(ANNA)
    assert profile is not None
    assert set(profile.organisations) == set(view.organisations)
    assert dataclasses.replace(profile, organisations=view.organisations) == view


async def test_save_replaces_the_previous_values(met: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    await met.save(ANNA, good_draft())

    await met.save(
        ANNA,
        good_draft(
            skills=("data-entry",),
            skills_other="origami",
            hours_per_week=4,
            end_date=None,
            weekdays=(),
            organisations=("zeewolde",),
            work_mode=WorkMode.ON_SITE,
            intro="",
        ),
    )

    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert availability.skills == ("data-entry",)
    assert availability.free_skills == ("origami",)
    assert availability.hours_per_week == 4
    assert availability.end_date is None
    assert availability.weekdays == ()
    assert availability.organisations == ("zeewolde",)
    assert availability.work_mode is WorkMode.ON_SITE
    assert availability.intro == ""


async def test_an_invalid_draft_is_shown_again_with_errors_and_nothing_is_saved(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    draft = good_draft(hours_per_week=41, start_date=TODAY - timedelta(days=1), organisations=("atlantis",))

    result = await met.save(ANNA, draft)

    assert isinstance(result, FormView)
    assert result.is_update is False
    assert {(error.field, error.code) for error in result.errors} == {
        ("hours_per_week", "hours_range"),
        ("start_date", "in_past"),
        ("organisations", "unknown_choice"),
    }
    assert result.values == AvailabilityDraft(
        skills=draft.skills,
        skills_other=draft.skills_other,
        hours_per_week=41,
        start_date=TODAY - timedelta(days=1),
        end_date=draft.end_date,
        weekdays=draft.weekdays,
        organisations=("atlantis",),
        work_mode=draft.work_mode,
        intro=draft.intro,
    )
    assert {org.key for org in result.organisation_choices} == {"harderwijk", "ermelo", "zeewolde"}
    assert await stored(uow_factory, ANNA_ID) is None
    assert await met.profile(ANNA) is None


async def test_an_invalid_change_leaves_the_saved_profile_alone(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await met.save(ANNA, good_draft())
    before = await stored(uow_factory, ANNA_ID)

    result = await met.save(
        ANNA, good_draft(hours_per_week=None, skills=(), skills_other="", unreadable=("skills",))
    )

    assert isinstance(result, FormView)
    assert result.is_update is True
    assert sorted((error.field, error.code) for error in result.errors) == [
        ("hours_per_week", "required"),
        ("skills", "unreadable"),
    ]
    assert await stored(uow_factory, ANNA_ID) == before


async def test_saving_while_paused_keeps_the_pause(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    until = TODAY + timedelta(days=21)
    await met.save(ANNA, good_draft())
    await met.pause(ANNA, until)

    view = await met.save(ANNA, good_draft(hours_per_week=20))

    assert isinstance(view, ProfileView)
    assert (view.status, view.paused_until, view.hours_per_week) == (AvailabilityStatus.PAUSED, until, 20)
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert (availability.status, availability.paused_until) == (AvailabilityStatus.PAUSED, until)
    assert availability.hours_per_week == 20


async def test_saving_after_a_pause_ended_is_active(
    met: SignupService, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    until = TODAY + timedelta(days=3)
    await met.save(ANNA, good_draft())
    await met.pause(ANNA, until)
    clock.current = until + timedelta(days=1)

    await met.save(ANNA, good_draft())

    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert (availability.status, availability.paused_until) == (AvailabilityStatus.ACTIVE, None)


# -- pause, resume, withdraw ----------------------------------------------------------------------------


async def test_pause(met: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    until = TODAY + timedelta(days=10)
    await met.save(ANNA, good_draft())
    before = await stored(uow_factory, ANNA_ID)
    assert before is not None
    assert await met.pause_form(ANNA) == PauseView(today=TODAY, paused_until=None)

    view = await met.pause(ANNA, until)

    assert isinstance(view, ProfileView)
    assert (view.status, view.paused_until) == (AvailabilityStatus.PAUSED, until)
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert (availability.status, availability.paused_until) == (AvailabilityStatus.PAUSED, until)
    # Pausing changes nothing else.
    assert availability == before.paused(until)
    assert await met.pause_form(ANNA) == PauseView(today=TODAY, paused_until=until)


@pytest.mark.parametrize(
    ("until", "code"),
    [
        (None, "required"),
        (TODAY, "pause_in_past"),
        (TODAY - timedelta(days=1), "pause_in_past"),
        (TODAY + timedelta(days=367), "pause_too_long"),
    ],
)
async def test_an_invalid_pause_changes_nothing(
    met: SignupService, uow_factory: UnitOfWorkFactory, until: date | None, code: str
) -> None:
    await met.save(ANNA, good_draft())
    before = await stored(uow_factory, ANNA_ID)

    view = await met.pause(ANNA, until)

    assert view == PauseView(today=TODAY, paused_until=until, errors=(FieldError("paused_until", code),))
    assert await stored(uow_factory, ANNA_ID) == before


async def test_resume(met: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    await met.save(ANNA, good_draft())
    await met.pause(ANNA, TODAY + timedelta(days=10))

    view = await met.resume(ANNA)

    assert view is not None
    assert (view.status, view.paused_until) == (AvailabilityStatus.ACTIVE, None)
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert (availability.status, availability.paused_until) == (AvailabilityStatus.ACTIVE, None)


async def test_withdraw_and_sign_up_again(met: SignupService, uow_factory: UnitOfWorkFactory) -> None:
    await met.save(ANNA, good_draft())
    await met.pause(ANNA, TODAY + timedelta(days=10))

    view = await met.withdraw(ANNA)

    assert view is not None
    assert (view.status, view.paused_until) == (AvailabilityStatus.WITHDRAWN, None)
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert availability.status is AvailabilityStatus.WITHDRAWN
    # The details are kept.
    assert availability.hours_per_week == 12
    assert (await met.form(ANNA)).is_update is True

    again = await met.save(ANNA, good_draft(hours_per_week=6))

    assert isinstance(again, ProfileView)
    assert again.status is AvailabilityStatus.ACTIVE
    availability = await stored(uow_factory, ANNA_ID)
    assert availability is not None
    assert (availability.status, availability.hours_per_week) == (AvailabilityStatus.ACTIVE, 6)


async def test_actions_without_a_profile_return_none(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    assert await met.profile(ANNA) is None
    assert await met.pause_form(ANNA) is None
    assert await met.pause(ANNA, TODAY + timedelta(days=5)) is None
    assert await met.pause(ANNA, None) is None
    assert await met.resume(ANNA) is None
    assert await met.withdraw(ANNA) is None
    assert await stored(uow_factory, ANNA_ID) is None


async def test_one_persons_changes_never_touch_another_profile(
    met: SignupService, uow_factory: UnitOfWorkFactory
) -> None:
    await met.save(ANNA, good_draft())
    await met.save(BRAM, good_draft(skills=("data-entry",), skills_other="", hours_per_week=30))
    bram_before = await stored(uow_factory, BRAM_ID)
    assert bram_before is not None
    assert bram_before.hours_per_week == 30

    await met.save(ANNA, good_draft(hours_per_week=2, organisations=("zeewolde",)))
    await met.pause(ANNA, TODAY + timedelta(days=3))
    await met.withdraw(ANNA)

    assert await stored(uow_factory, BRAM_ID) == bram_before
    anna = await stored(uow_factory, ANNA_ID)
    assert anna is not None
    assert (anna.hours_per_week, anna.organisations, anna.status) == (
        2,
        ("zeewolde",),
        AvailabilityStatus.WITHDRAWN,
    )
    bram_view = await met.profile(BRAM)
    assert bram_view is not None
    assert bram_view.name == "Bram Jansen"
    assert bram_view.status is AvailabilityStatus.ACTIVE


async def test_a_pause_ends_after_its_last_day(met: SignupService, clock: FixedClock) -> None:
    until = TODAY + timedelta(days=4)
    await met.save(ANNA, good_draft())
    await met.pause(ANNA, until)

    clock.current = until
    on_last_day = await met.profile(ANNA)
    clock.current = until + timedelta(days=1)
    day_after = await met.profile(ANNA)

    assert on_last_day is not None
    assert on_last_day.status is AvailabilityStatus.PAUSED
    assert day_after is not None
    assert day_after.status is AvailabilityStatus.ACTIVE
    assert day_after.today == until + timedelta(days=1)


async def test_a_unit_of_work_that_only_reads_sees_what_was_committed_and_cannot_commit(
    service: SignupService, uow_factory: UnitOfWorkFactory, engine: AsyncEngine
) -> None:
    await service.meet(ANNA, conversation(ANNA_ID))
    async with uow_factory(reads_only=True) as reading:
        found = await reading.people.get(ANNA_ID)
        with writes(engine) as written, pytest.raises(RuntimeError):
            await reading.commit()
    assert found is not None and found.name == ANNA.name
    assert written == []
