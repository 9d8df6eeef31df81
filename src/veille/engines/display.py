"""Progress of a long ingest on the terminal: a rich bar on a TTY, plain lines otherwise.

Used by the CLI as the ``on_progress`` callback of :func:`veille.engines.run`. On a
terminal: documents/s, events/s, rejected, and an ETA from the share of input bytes
read. In a log file or a pipe: one plain line every ``interval`` seconds, so batch-job
logs stay readable (the command prints its own summary at the end).
"""

from __future__ import annotations

import shutil
import sys
import time
from types import TracebackType
from typing import Self, TextIO

from veille.engines.driver import Progress


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def summary(p: Progress) -> str:
    """One line: counts, rates, share of input and ETA."""
    s = p.stats
    secs = s.seconds or 1e-9
    share = f"{p.fraction:.0%} of input, ETA {_duration(p.eta())}" if p.fraction is not None else "input size unknown"
    return (f"{s.seen} read, {s.stored} new, {s.duplicates} already stored, {s.rejected} rejected, "
            f"{s.events} events; {s.seen / secs:.1f} docs/s, {s.events / secs:.1f} events/s, "
            f"{p.words / secs:,.0f} words/s; {share}")


class ProgressDisplay:
    """Context manager and callback: ``with ProgressDisplay(quiet) as show: run(..., on_progress=show)``."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.interval = interval
        self.rich = not quiet and self.stream.isatty()
        self._bar = None
        self._task = None
        self._last_line = 0.0
        self._latest: Progress | None = None

    def __enter__(self) -> Self:
        if self.rich:
            from rich.console import Console
            from rich.progress import BarColumn, TextColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("ingest"), BarColumn(),
                TextColumn("{task.fields[docs]:.1f} docs/s  {task.fields[events]:.1f} events/s  "
                           "{task.fields[seen]} read  {task.fields[rejected]} rejected  ETA {task.fields[eta]}"),
                console=Console(file=self.stream), transient=False)
            self._bar.__enter__()
            self._task = self._bar.add_task("ingest", total=1.0, docs=0.0, events=0.0, seen=0, rejected=0, eta="?")
        self._last_line = time.monotonic()
        return self

    def __call__(self, progress: Progress) -> None:
        self._latest = progress
        if self.quiet:
            return
        if self._bar is not None:
            s = progress.stats
            secs = s.seconds or 1e-9
            self._bar.update(self._task, completed=progress.fraction or 0.0, docs=s.seen / secs,
                             events=s.events / secs, seen=s.seen, rejected=s.rejected,
                             eta=_duration(progress.eta()))
        elif time.monotonic() - self._last_line >= self.interval:
            self._last_line = time.monotonic()
            print(summary(progress), file=self.stream, flush=True)

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
        # No closing progress line in plain mode: the command's own summary line follows at once.


class StatusLine:
    """One live status line on a terminal (``veille watch``), rewritten in place; silent when the
    stream is not a terminal or with ``quiet`` (the per-poll summary lines are printed anyway)."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = not quiet and self.stream.isatty()
        self._shown = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()

    def show(self, text: str) -> None:
        if self.live:
            width = shutil.get_terminal_size((100, 20)).columns - 1
            self.stream.write("\r\x1b[K" + time.strftime("%H:%M:%S ") + text[:max(width - 9, 10)])
            self.stream.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False
