"""``lti-journal.json`` in the graded folder: every score the platform accepted, written after
each one (atomically), so that a second push sends nothing, a regrade sends only the scores that
changed, and a push stopped half-way says exactly what was sent."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from autograder.errors import GraderError
from autograder.report import write_atomically

NAME = "lti-journal.json"


class SentScore(BaseModel):
    """One score the platform accepted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user_id: str
    score: float
    max_score: float
    sent_at: str  # ISO 8601, UTC: the timestamp the score carried


class LineItemJournal(BaseModel):
    """What was sent to one line item (a platform's column), by student."""

    model_config = ConfigDict(extra="forbid")

    issuer: str
    lineitem: str
    students: dict[str, SentScore] = {}


class Journal(BaseModel):
    """Every line item this graded folder was pushed to, by key (issuer and line item URL)."""

    model_config = ConfigDict(extra="forbid")

    version: int = 1
    lineitems: dict[str, LineItemJournal] = Field(default_factory=dict)

    def lineitem(self, issuer: str, lineitem_url: str) -> LineItemJournal:
        """The record of one line item, made empty the first time."""
        key = f"{issuer} {lineitem_url}"
        if key not in self.lineitems:
            self.lineitems[key] = LineItemJournal(issuer=issuer, lineitem=lineitem_url)
        return self.lineitems[key]


def needs_sending(
    record: LineItemJournal, student: str, user_id: str, score: float, max_score: float
) -> bool:
    """Whether ``student``'s score differs from what the line item last accepted."""
    sent = record.students.get(student)
    return sent is None or (sent.user_id, sent.score, sent.max_score) != (user_id, score, max_score)


def read_journal(graded_dir: Path) -> Journal:
    """The journal of ``graded_dir``, empty if there is none yet."""
    path = graded_dir / NAME
    try:
        text = path.read_text()
    except FileNotFoundError:
        return Journal()
    except OSError as exc:
        raise GraderError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return Journal.model_validate(json.loads(text))
    except (ValueError, ValidationError):
        raise GraderError(
            f"{path} is not a journal this grader wrote: move it away to send every score again"
        ) from None


def write_journal(graded_dir: Path, journal: Journal) -> None:
    """Write the journal so that a reader never sees half of it."""
    write_atomically(graded_dir / NAME, journal.model_dump(mode="json"))
