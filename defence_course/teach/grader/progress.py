"""The grader's progress bar: one line on a terminal, a line every 10 % otherwise."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from typing import TextIO


class Progress:
    """A one-line progress bar on a terminal, a line every 10 % otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.counts: Counter[str] = Counter()
        self.start = time.monotonic()
        self.lock = threading.Lock()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_decile = -1

    def update(self, status: str) -> None:
        with self.lock:
            self.done += 1
            self.counts[status] += 1
            if not self.enabled:
                return
            width = 30
            filled = int(width * self.done / self.total)
            elapsed = time.monotonic() - self.start
            summary = ", ".join(f"{n} {s}" for s, n in sorted(self.counts.items()))
            line = (
                f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                f"in {elapsed:.0f} s: {summary}"
            )
            decile = self.done * 10 // self.total
            if self.tty:
                self.stream.write("\r" + line + ("\n" if self.done == self.total else ""))
                self.stream.flush()
            elif decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(line + "\n")
                self.stream.flush()
