"""The progress bar: counts and an ETA on a terminal, nothing at all on a pipe or a file."""

from __future__ import annotations

import io
import re

from autograder.report import duration
from autograder.report.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(stream: io.StringIO) -> str:
    progress = Progress(stream)
    progress.start(3)
    progress.advance(resumed=True)  # kept from an earlier run: does not move the bar
    progress.advance()
    progress.advance()
    progress.close()
    return stream.getvalue()


def test_a_terminal_sees_counts_and_an_eta() -> None:
    shown = run(Terminal())
    assert "grading" in shown
    assert "2/3" in shown and "3/3" not in shown
    assert re.search(r"\[\d\d:\d\d<\d\d:\d\d", shown), shown  # elapsed<remaining


def test_a_pipe_sees_nothing() -> None:
    assert run(io.StringIO()) == ""


def test_duration() -> None:
    assert [duration(s) for s in (4.4, 59.6, 192, 3725)] == ["4s", "1m00s", "3m12s", "1h02m"]
