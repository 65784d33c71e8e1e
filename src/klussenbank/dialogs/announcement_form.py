"""Reading the announcement composer's inputs (also when preview and send carry them as data)."""

from __future__ import annotations

from dataclasses import replace

from klussenbank.dialogs.inputs import Inputs
from klussenbank.domain.announcement import AnnouncementDraft
from klussenbank.verbs import AnnounceInput as A


def parse_announcement(data: object) -> AnnouncementDraft:
    inputs = Inputs(data)
    draft = AnnouncementDraft(
        title=inputs.text(A.TITLE),
        text=inputs.text(A.TEXT),
        link_title=inputs.text(A.LINK_TITLE),
        link_url=inputs.text(A.LINK_URL),
        channels=inputs.choices(A.CHANNELS),
        organisations=inputs.choices(A.ORGANISATIONS),
        send_date=inputs.day(A.SEND_DATE),
        send_time=inputs.clock(A.SEND_TIME),
    )
    return replace(draft, unreadable=inputs.unreadable)


def parse_announcement_id(data: object) -> int | None:
    inputs = Inputs(data)
    value = inputs.number(A.ANNOUNCEMENT_ID)
    return value if value is not None and not inputs.unreadable and 0 < value < 2**31 else None
