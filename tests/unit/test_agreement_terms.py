"""An agreement's terms as stored at approval: read back, they are the same terms and make the
same PDF, byte for byte."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from klussenbank.documents import render_agreement
from klussenbank.domain.agreement import AgreementView
from klussenbank.store.agreement_terms import terms_json, terms_of
from tests.unit.test_agreement_pdf import OWN_WORDING, agreement

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    "view",
    [
        agreement(),
        agreement(language="en", template=OWN_WORDING, hourly_rate=Decimal("45.50")),
        agreement(
            generated_at=datetime(2027, 1, 3, 23, 59, 58, 123456, tzinfo=AMSTERDAM),
            employee_name='Zoë "Z" \\ Ağaoğlu',
            klus_description="Regel één\nRegel twee",
            hourly_rate=Decimal("0.10"),
        ),
    ],
)
def test_terms_read_back_are_the_same_and_make_the_same_pdf(view: AgreementView) -> None:
    stored = terms_json(view)

    assert terms_of(stored) == view
    assert terms_json(terms_of(stored)) == stored
    assert render_agreement(terms_of(stored)) == render_agreement(view)
