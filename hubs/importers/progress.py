"""A one-line progress display on stderr: share of the file read, rate and ETA.

Shown only on a terminal; piped or under tests the import is quiet and the summary is all
that is printed.
"""

import sys
import time

# Redraw at most this often: drawing is cheap, but not on every record.
REDRAW_SECONDS = 0.2


class Progress:
    """Tracks the current file (bytes read of its size) and the records handled."""

    def __init__(self, stream=None):
        self.stream = stream
        self.label = ""
        self.size = 0
        self.position = 0
        self.records = 0
        self.started = self.drawn = time.monotonic()

    @classmethod
    def for_terminal(cls) -> "Progress":
        return cls(sys.stderr if sys.stderr.isatty() else None)

    def start(self, label: str, size: int) -> None:
        self.finish()
        self.label, self.size, self.position, self.records = label, size, 0, 0
        self.started = self.drawn = time.monotonic()

    def tick(self, records: int = 1) -> None:
        self.records += records
        if self.stream is None:
            return
        now = time.monotonic()
        if now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._draw(now)

    def finish(self) -> None:
        if self.stream is not None and self.label:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()
        self.label = ""

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-9)
        rate = self.records / elapsed
        share = min(self.position / self.size, 1.0) if self.size else 0.0
        eta = elapsed * (1 - share) / share if share else 0.0
        minutes, seconds = divmod(int(eta), 60)
        self.stream.write(
            f"\r{self.label}: {share:6.1%}  {self.records:,} records  "
            f"{rate:,.0f}/s  ETA {minutes}:{seconds:02d}  "
        )
        self.stream.flush()
