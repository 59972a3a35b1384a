"""A plain progress bar on standard error, for long runs; silent where nobody watches.

The bar is drawn only when stderr is a terminal, ``CI`` is not set and ``--quiet`` was
not given. It redraws at most ten times a second and uses no dependency::

    validating  [##########------------]  4210/10000  42%  0:12

>>> bar = ProgressBar("loading", enabled=False)
>>> bar(5, 10)  # draws nothing when disabled
>>> bar.close()
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

__all__ = ["ProgressBar", "progress_enabled"]


def progress_enabled(quiet: bool = False, stream: TextIO | None = None) -> bool:
    """Whether to draw: a terminal, not CI, not quiet."""
    stream = stream or sys.stderr
    if quiet or os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class ProgressBar:
    """A callable ``(done, total)`` that redraws a one-line bar."""

    def __init__(
        self,
        label: str,
        *,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        width: int = 30,
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = progress_enabled(stream=self.stream) if enabled is None else enabled
        self.width = width
        self.started = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        share = done / total if total else 1.0
        filled = int(self.width * share)
        elapsed = int(now - self.started)
        line = (
            f"\r{self.label:12} [{'#' * filled}{'-' * (self.width - filled)}] "
            f"{done}/{total} {share:4.0%} {elapsed // 60}:{elapsed % 60:02d}"
        )
        self.stream.write(line)
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the line the bar was drawn on."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
