"""Issue 17 end to end (the people side of a flexpool): the demo's organisations file defines
"Flexpool Burgerzaken" (Ermelo and Harderwijk) with Bram Jansen as its coordinator. In his own
chat Bram opens the pool, ticks off Fenna Mulder's onboarding step by step (a student without a
line manager: her approvals go to him) until she is ready, and asks who lacks what: the demo's
counter klus of the pool requires "Voorkomen ID-fraude", and the card says who misses it.

`klussenbank demo load` (the e2e template database) put Fenna, Gijs and Hanna in the pool and
posted the counter klus; everything here is done on the rendered cards. The Playground sends
locale "en-US", so the bot answers in English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from klussenbank.i18n import Translator
from tests.e2e.flows import welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Chat

pytestmark = pytest.mark.e2e

T = Translator.for_locale(PLAYGROUND_LOCALE)

BRAM = "Bram Jansen"
STEPS = ("4 trainingsdagen", "2 weken inwerken bij Chantal Bakker")  # as in demo_organisations.toml
ID_FRAUD = "Voorkomen ID-fraude"


def test_a_coordinator_onboards_a_flex_worker_step_by_step_and_sees_who_lacks_a_qualification(
    chat_as: Callable[..., Sequence[Chat]],
) -> None:
    [bram] = chat_as(BRAM)
    welcomed(bram)

    before = bram.card_count()
    bram.send(T("command.pool"))
    pool = bram.wait_for_card("Flexpool Burgerzaken", "Fenna Mulder", after=before)
    assert T("pools.onboarding_progress", done=0, total=2) in pool.text()
    assert pool.text().count(T("pools.ready")) == 2  # Gijs and Hanna

    for done, step in enumerate(STEPS, start=1):
        pool.click(T("action.pool_step", step=step))
        pool = bram.wait_for_card(T("pools.step_done", detail=step), after=pool.index)
        if done < len(STEPS):
            assert T("pools.onboarding_progress", done=done, total=2) in pool.text()
    assert pool.text().count(T("pools.ready")) == 3  # Fenna too, now
    assert T("action.pool_step", step=STEPS[0]) not in pool.text()

    pool.click(T("action.pool_lacking"))
    lacking = bram.wait_for_card(T("pools.lacking_title", pool="Flexpool Burgerzaken"), after=pool.index)
    assert "Balie reisdocumenten" in lacking.text()
    assert T("pools.lacking_member", name="Fenna Mulder", names=ID_FRAUD) in lacking.text()
    assert T("pools.lacking_member", name="Hanna Kok", names=ID_FRAUD) in lacking.text()
    assert "Gijs de Boer" not in lacking.text()  # he has it
