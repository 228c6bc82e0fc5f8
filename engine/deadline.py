"""A time budget for one evaluation, checked by the passes every few thousand gates."""

from __future__ import annotations

import time

from engine import errors


class Deadline:
    """`seconds` from now; `check` raises `errors.DeadlineError` once they have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise self.error()

    def error(self) -> errors.DeadlineError:
        """What the client is told when the work is stopped past the budget."""
        return errors.DeadlineError(
            f"the evaluation took longer than its time budget of {self.seconds:g} s "
            "and was stopped; try a smaller circuit",
            loc=("nodes",),
        )
