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
from klussenbank.services.ports.records import Actor
from klussenbank.services.posting import PostingService
from klussenbank.services.signup import SignupService
from klussenbank.services.views import FormView, KlusFormView, Refusal

ANNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01"
BRAM = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e02"
DAAN = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e04"
EVA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e05"


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
