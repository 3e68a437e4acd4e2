"""The progress bar of a batch: counts and an ETA on a terminal, silent otherwise."""

from __future__ import annotations

import sys
from typing import IO, Any

from tqdm import tqdm


class Progress:
    """Counts the submissions graded in this run (kept results from an earlier run do not
    move the bar, so the ETA is not fooled by them). ``disable=None`` is tqdm's "only on a
    terminal": redirected to a file or a pipe, stderr stays clean."""

    def __init__(self, file: IO[str] | None = None) -> None:
        self.file = file
        self.bar: Any = None

    def start(self, total: int) -> None:
        """Open the bar for ``total`` submissions to grade."""
        self.bar = tqdm(
            total=total,
            desc="grading",
            unit="submission",
            file=self.file or sys.stderr,
            disable=None,
            dynamic_ncols=True,
        )

    def advance(self, resumed: bool = False) -> None:
        """One more submission finished."""
        if self.bar is not None and not resumed:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
