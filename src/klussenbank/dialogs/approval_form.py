"""Reading the approval card's inputs: which approval, and a reason or a delegate."""

from __future__ import annotations

from klussenbank.dialogs.inputs import Inputs
from klussenbank.verbs import ApprovalInput as A


def parse_approval_id(data: object) -> int | None:
    """The approval an action is about; None when the card sent no usable id."""
    inputs = Inputs(data)
    approval_id = inputs.number(A.APPROVAL_ID)
    return (
        approval_id if approval_id is not None and not inputs.unreadable and 0 < approval_id < 2**31 else None
    )


def parse_reason(data: object) -> str:
    # Not cut short here: the service refuses an over-long reason with a message.
    return Inputs(data).text(A.REASON)


def parse_delegate(data: object) -> str:
    return Inputs(data).text(A.DELEGATE)[:320]
