"""A small marketplace for the demo: a few colleagues signed up and two open klussen.

So that a newcomer's first look in the Agents Playground (`make run`) shows matching, candidates
and reasons, not an empty pool. Loaded once: people who already have a profile, and a poster who
already posted, are left alone. The demo klussen are posted quietly (suggestions go to real
people only when a klus is posted in a chat).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from klussenbank.domain.availability import AvailabilityDraft
from klussenbank.domain.klus import KlusDraft, Visibility
from klussenbank.domain.people import WorkMode
from klussenbank.services.clock import Clock
from klussenbank.services.pools import PoolService, QualificationDraft
from klussenbank.services.ports.records import Actor
from klussenbank.services.posting import PostingService
from klussenbank.services.shifts import ShiftDraft, ShiftFormView, ShiftService
from klussenbank.services.signup import SignupService
from klussenbank.services.views import FormView, KlusFormView, Refusal

ANNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01"
BRAM = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02"
DAAN = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e04"
EVA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05"
# The demo's flexpool (see demo_organisations.toml): Bram coordinates; Fenna is a student without a
# line manager, still to be onboarded; Gijs and Hanna are onboarded.
FENNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e06"
GIJS = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e07"
HANNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e08"
FLEXPOOL = "flexpool-burgerzaken"


@dataclass(frozen=True)
class DemoResult:
    profiles_added: int
    klussen_added: int


async def seed_demo_marketplace(
    signup: SignupService, posting: PostingService, clock: Clock, *, tenant_id: str
) -> DemoResult:
    today = clock.today()
    profiles = {
        ANNA: AvailabilityDraft(
            skills=("recruitment", "coaching", "minute-taking"),
            hours_per_week=4,
            organisations=("harderwijk", "ermelo"),
            work_mode=WorkMode.HYBRID,
            intro="HR-adviseur; ik help graag bij werving en trainingen.",
        ),
        DAAN: AvailabilityDraft(
            skills=("copywriting", "social-media", "plain-language-writing"),
            hours_per_week=8,
            organisations=("ermelo", "harderwijk", "zeewolde"),
            work_mode=WorkMode.REMOTE,
            intro="Communicatieadviseur; schrijft helder en snel.",
            findable=True,
            talent_text="Teksten in begrijpelijke taal, berichten voor sociale media.",
        ),
        EVA: AvailabilityDraft(
            skills=("policy-writing", "minute-taking", "resident-participation"),
            hours_per_week=12,
            organisations=("zeewolde", "ermelo"),
            work_mode=WorkMode.HYBRID,
            intro="Beleidsadviseur Ruimte; notuleren en bewonersavonden.",
            findable=True,
            talent_text="Bewonersavonden leiden en snel notuleren.",
        ),
    }
    added = 0
    for person, draft in profiles.items():
        actor = Actor(person, tenant_id, "", "nl-NL")
        if await signup.profile(actor) is None:
            saved = await signup.save(actor, replace(draft, start_date=today))
            assert not isinstance(saved, FormView), saved.errors  # the demo data keeps the rules
            added += 1
    posted = 0
    bram = Actor(BRAM, tenant_id, "", "nl-NL")
    if not await posting.mine(bram):
        for klus in (
            KlusDraft(
                title="Notuleren bij de bewonersavonden",
                description="Vier avonden over het nieuwe centrumplan. Jij maakt een kort, helder verslag.",
                organisation="ermelo",
                required_skills=("minute-taking",),
                nice_skills=("resident-participation",),
                hours_per_week=4,
                work_mode=WorkMode.ON_SITE,
                place="Gemeentehuis Ermelo",
                people_needed=1,
            ),
            KlusDraft(
                title="Nieuwsbrief in eenvoudige taal",
                description="Help de nieuwsbrief voor inwoners te herschrijven in taalniveau B1.",
                organisation="ermelo",
                required_skills=("plain-language-writing",),
                nice_skills=("copywriting",),
                hours_per_week=6,
                work_mode=WorkMode.REMOTE,
                people_needed=2,
            ),
        ):
            dated = replace(
                klus,
                start_date=today + timedelta(days=21),
                end_date=today + timedelta(days=90),
                interest_deadline=today + timedelta(days=14),
                visibility=Visibility.POOL,
            )
            result = await posting.post(bram, dated, suggest=False)
            assert not isinstance(result, KlusFormView | Refusal), result
            posted += 1
    return DemoResult(added, posted)


async def seed_demo_flexpool(
    pools: PoolService, signup: SignupService, posting: PostingService, clock: Clock, *, tenant_id: str
) -> bool:
    """The demo's flexpool: three flex workers with profiles, two onboarded with a qualification
    each, and a counter klus of the pool that requires "Voorkomen ID-fraude". False when it is
    there already."""
    bram = Actor(BRAM, tenant_id, "", "nl-NL")
    overview = await pools.overview(bram, FLEXPOOL)
    if isinstance(overview, Refusal) or overview.members:
        return False
    today = clock.today()
    for person, email in (
        (FENNA, "fenna.mulder@harderwijk.example"),
        (GIJS, "gijs.deboer@ermelo.example"),
        (HANNA, "hanna.kok@harderwijk.example"),
    ):
        actor = Actor(person, tenant_id, "", "nl-NL")
        await pools.add_member(bram, FLEXPOOL, email, None)
        draft = AvailabilityDraft(
            skills=("front-desk", "travel-documents", "population-register"),
            hours_per_week=16,
            start_date=today,
            organisations=("ermelo", "harderwijk"),
            work_mode=WorkMode.ON_SITE,
            intro="Flexmedewerker Burgerzaken: balie, reisdocumenten en BRP.",
        )
        if await signup.profile(actor) is None:
            saved = await signup.save(actor, draft)
            assert not isinstance(saved, FormView), saved.errors
    for person, qualification in ((GIJS, "Voorkomen ID-fraude"), (HANNA, "VOG")):
        for step in ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker"):
            await pools.tick_step(bram, FLEXPOOL, person, step, None)
        obtained = today - timedelta(days=60)
        await pools.record_qualification(
            bram, FLEXPOOL, QualificationDraft(person, qualification, obtained), None
        )
    counter = KlusDraft(
        title="Balie reisdocumenten",
        description="Paspoorten en ID-kaarten aanvragen en uitreiken aan de balie, met controle op echtheid.",
        organisation="ermelo",
        required_skills=("front-desk", "travel-documents"),
        hours_per_week=16,
        start_date=today + timedelta(days=14),
        end_date=today + timedelta(days=60),
        work_mode=WorkMode.ON_SITE,
        place="Gemeentehuis Ermelo",
        people_needed=1,
        interest_deadline=today + timedelta(days=7),
        visibility=Visibility.POOL,
        pool_key=FLEXPOOL,
        qualifications=("Voorkomen ID-fraude",),
    )
    result = await posting.post(bram, counter, suggest=False)
    assert not isinstance(result, KlusFormView | Refusal), result
    return True


async def seed_demo_shifts(shifts: ShiftService, clock: Clock, *, tenant_id: str) -> None:
    """One open request by shift in the flexpool, from its second municipality (Harderwijk, while
    Bram of Ermelo coordinates): two mornings a week, in the third and fourth week from now."""
    first, last = (clock.today() + timedelta(days=days) for days in (14, 21))
    year, week, _ = first.isocalendar()
    request = ShiftDraft(
        title="Balie Burgerzaken Harderwijk",
        description="Inwerkers en vaste collega's zijn op cursus: wie neemt de balie over?",
        organisation="harderwijk",
        required_skills=("front-desk", "travel-documents"),
        place="Stadhuis Harderwijk",
        shifts=f"di en do 9:00-13:00, week {week}-{last.isocalendar()[1]} {year}",
        people_needed=1,
        pool=FLEXPOOL,
    )
    result = await shifts.post(Actor(ANNA, tenant_id, "", "nl-NL"), request, quiet=True)
    assert not isinstance(result, ShiftFormView | Refusal), result
