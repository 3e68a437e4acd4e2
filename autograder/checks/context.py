"""What a judge gets besides the probe's data: where its files are and the references."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from autograder.checks.reference import References
from autograder.config import Assignment
from autograder.records import Saved
from autograder.untrusted_files import read_regular

MAX_ARRAY_BYTES = 64 * 1024 * 1024


class UnreadableOutput(Exception):
    """A file the probe should have written is missing, too large, a link, or not an array."""


@dataclass(frozen=True)
class JudgeContext:
    assignment: Assignment
    references: References
    files: Path

    def array(self, described: Any) -> np.ndarray:
        """Load an array the probe saved, without following links or unpickling anything."""
        if isinstance(described, Saved):
            described = described.model_dump()
        if not isinstance(described, dict) or described.get("kind") != "array":
            raise UnreadableOutput("not an array")
        return self.load(str(described.get("file")))

    def load(self, name: str) -> np.ndarray:
        """Load ``name`` from the probe's folder as a plain ``.npy`` array."""
        if os.sep in name or name.startswith(".") or not name.endswith(".npy"):
            raise UnreadableOutput(f"bad file name {name!r}")
        raw = read_regular(self.files / name, MAX_ARRAY_BYTES)
        if raw is None:
            raise UnreadableOutput(f"{name} is not a regular file of a sane size")
        try:
            return np.load(io.BytesIO(raw), allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise UnreadableOutput(f"{name}: {exc}") from None
