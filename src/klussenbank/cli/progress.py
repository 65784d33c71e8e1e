"""What a command tells its operator: progress lines on stderr while it works, a summary on stdout when
it is done, and nothing of either with --quiet (cron mails whatever a job prints)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Per-item progress at most this often: a line a second is readable in a terminal and in a log file.
EVERY_SECONDS = 1.0


@dataclass
class Progress:
    quiet: bool = False
    clock: Callable[[], float] = time.monotonic
    _started: float = field(init=False)
    _last: float = field(init=False, default=float("-inf"))

    def __post_init__(self) -> None:
        self._started = self.clock()

    def step(self, text: str) -> None:
        """A stage of the work begins."""
        self._say(f"{text} …")

    def count(self, done: int, total: int | None, what: str) -> None:
        """How far a long stage is; shown at most once a second, and always at its end."""
        now = self.clock()
        if now - self._last < EVERY_SECONDS and done != total:
            return
        self._last = now
        self._say(f"  {done}/{total} {what}" if total is not None else f"  {done} {what}")

    def summary(self, *lines: str) -> None:
        """What the command did (stdout, for a script to read), and how long it took (stderr)."""
        if not self.quiet:
            print(*lines, sep="\n")
        self._say(f"Done in {self.clock() - self._started:.1f} s.")

    def _say(self, line: str) -> None:
        if not self.quiet:
            print(line, file=sys.stderr, flush=True)
