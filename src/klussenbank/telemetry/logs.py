"""The log set-up of every command: text or JSON lines (KLUSSENBANK_LOG_FORMAT), each with the
correlation id of the turn, chore run or delivery it was written in."""

from __future__ import annotations

import logging
import sys
from typing import Literal

from klussenbank.services import correlation

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s]: %(message)s"
# The fields of a JSON line (after `time`, in UTC), renamed to what log collectors expect; a traceback
# follows as `exc_info`.
JSON_FIELDS = "{levelname}{name}{message}{correlation_id}"
JSON_NAMES = {"levelname": "level", "name": "logger"}


class CorrelationFilter(logging.Filter):
    """Gives every record the current correlation id (None outside a turn, chore or delivery)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.correlation_id = correlation.current()
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = "-"
        return super().format(record)


def formatter(log_format: Literal["text", "json"]) -> logging.Formatter:
    if log_format == "text":
        return TextFormatter()
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        JSON_FIELDS, style="{", rename_fields=JSON_NAMES, timestamp="time", json_ensure_ascii=False
    )


def configure(level: str, log_format: Literal["text", "json"] = "text") -> None:
    """One handler on stderr for the whole process (unless one was set up before, as basicConfig)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(CorrelationFilter())
    handler.setFormatter(formatter(log_format))
    logging.basicConfig(level=level, handlers=[handler])
    # The SDK warns on every turn without an app id (local mode) and logs a traceback for every
    # malformed activity, which the host already answers with 400; neither helps an operator.
    logging.getLogger("microsoft_agents.hosting.core.connector.client.user_token_client").setLevel(
        logging.ERROR
    )
    logging.getLogger("microsoft_agents.activity.activity").setLevel(logging.CRITICAL)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
