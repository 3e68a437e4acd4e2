"""``autograder lti push ASSIGNMENT DIR``: publish each student's final score in DIR to the
assignment's line item, sending only what the journal says the line item has not accepted yet.

A student the LMS does not know, or whose score the platform refuses, is reported and the
others go; a platform that cannot be reached or refuses the tool's key stops the push with one
line, the journal holding every score sent before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder.config import DEFAULT_COURSE_FILE, load_course
from autograder.errors import GraderError
from autograder.lti.journal import NAME as JOURNAL
from autograder.lti.journal import SentScore, needs_sending, read_journal, write_journal
from autograder.lti.platform import LineItemFound, Platform, ScoreRefused
from autograder.lti.roster import Roster, from_csv, from_members
from autograder.lti.scores import read_scores
from autograder.lti.settings import DEFAULT_FILE, PlatformSettings, load_settings


@dataclass
class Pushed:
    """What a push did: the line item, the scores sent, those the journal already had, and one
    line for each student whose score did not go."""

    lineitem: LineItemFound
    journal: Path
    score_maximum: float
    sent: dict[str, float] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """What the command prints, a line each (the failures are ``failures()``)."""
        made = "created" if self.lineitem.created else "found"
        lines = [f"line item '{self.lineitem.label}' ({made}): {self.lineitem.url}"]
        lines += [f"sent {s}: {v:g}/{self.score_maximum:g}" for s, v in self.sent.items()]
        lines.append(
            f"sent {len(self.sent)} score(s), {len(self.unchanged)} unchanged since the last "
            f"push, {len(self.failed)} failed; journal: {self.journal}"
        )
        return lines

    def failures(self) -> list[str]:
        """One line per student whose score did not go."""
        return [f"student '{s}': {why}" for s, why in self.failed.items()]


def _roster(platform: Platform, settings: PlatformSettings) -> Roster:
    if settings.roster_file is not None:
        return from_csv(settings.roster_file)
    return from_members(platform.members(), settings.roster_field)


def main(
    assignment_id: str,
    graded_dir: Path,
    platform_file: Path | None = None,
    course_file: Path = DEFAULT_COURSE_FILE,
) -> Pushed:
    """Push ``graded_dir``'s final scores for ``assignment_id``; user errors raise GraderError,
    a student's failure is in ``Pushed.failed``."""
    assignment = load_course(course_file).assignment(assignment_id)
    settings = load_settings(platform_file or course_file.parent / DEFAULT_FILE)
    scores = read_scores(graded_dir, assignment_id)
    journal = read_journal(graded_dir)
    platform = Platform(settings)
    item = settings.line_item
    lineitem = platform.line_item(
        tag=item.tag or assignment_id,
        label=item.label or assignment.title or assignment_id,
        resource_id=item.resource_id or assignment_id,
        score_maximum=assignment.total,
    )
    record = journal.lineitem(settings.issuer, lineitem.url)
    roster = _roster(platform, settings)
    pushed = Pushed(lineitem, graded_dir / JOURNAL, assignment.total)
    for student, final in scores.items():
        if abs(final.max_score - assignment.total) > 1e-9:
            raise GraderError(
                f"{graded_dir / student / 'results.json'} is out of {final.max_score:g}, "
                f"course.yaml's {assignment_id} total is {assignment.total:g}: grade again"
            )
        held = final.held_back()
        if held:
            pushed.failed[student] = f"not sent: {held}; regrade it, then push again"
            continue
        try:
            user_id = roster.user_id(student)
        except LookupError as exc:
            pushed.failed[student] = str(exc)
            continue
        if not needs_sending(record, student, user_id, final.score, final.max_score):
            pushed.unchanged.append(student)
            continue
        timestamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        try:
            platform.send(lineitem.url, user_id, final.score, final.max_score, timestamp)
        except ScoreRefused as exc:
            pushed.failed[student] = (
                f"the platform refused the score for LMS user {user_id} ({exc}): check that "
                "the student is enrolled, then push again"
            )
            continue
        except GraderError as exc:
            sent = f"{len(pushed.sent)} score(s) sent before it are in {pushed.journal}"
            raise GraderError(f"{exc} ({sent}; push again to send the rest)") from None
        record.students[student] = SentScore(
            user_id=user_id, score=final.score, max_score=final.max_score, sent_at=timestamp
        )
        write_journal(graded_dir, journal)
        pushed.sent[student] = final.score
    return pushed
