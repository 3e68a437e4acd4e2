"""Each student's ``feedback.html``: per exercise the score, what passed, what to fix, and for
train_until the training curve, the confusion matrix and misclassified held-out images.

``write_feedback`` is the one entry point: every path that records a results.json calls it.
The page is self-contained (figures inline as PNG data URIs) and made for a phone too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.data import test_images
from autograder.report import FEEDBACK_FILE, figures, tables, write_atomically
from autograder.report.parse import exercises, submission
from autograder.report.tables import Table
from autograder.report.templating import render

log = logging.getLogger(__name__)


@dataclass
class Figure:
    """One picture on the page (``uri`` empty when it could not be drawn), its caption, its
    outcome in one sentence (the alt text) and its numbers as a table."""

    kind: str
    uri: str
    alt: str
    caption: str
    table: Table | None = None


def _history_figure(history: dict[str, Any]) -> Figure:
    stopped = history.get("stopped_epoch")
    caption = (
        f"Loss and accuracy after each epoch. The dashed horizontal line is the threshold "
        f"({history.get('threshold')}); "
        + (
            f"training stopped at the end of epoch {stopped}, before "
            f"max_epochs={history.get('max_epochs')} (the dotted vertical line)."
            if stopped
            else f"training did not stop before max_epochs={history.get('max_epochs')}."
        )
    )
    return Figure(
        "training-curve",
        figures.training_curve(history),
        tables.training_alt(history),
        caption,
        tables.training_table(history),
    )


def _heldout_figures(heldout: dict[str, Any]) -> list[Figure]:
    count = heldout.get("images", 0)
    shown = [wrong for wrong in heldout.get("misclassified") or [] if isinstance(wrong, dict)]
    made = [
        Figure(
            "confusion-matrix",
            figures.confusion_matrix(heldout["confusion"]),
            tables.confusion_alt(heldout),
            f"Your returned model on {count} held-out test images it never trained on "
            f"({heldout.get('accuracy', 0):.1%} right): each row is the true class, each "
            "column the class predicted; the diagonal is what it got right.",
            tables.confusion_table(heldout),
        )
    ]
    if not shown:
        return made
    images = test_images()
    indices = [w.get("index") for w in shown]
    listed = tables.misclassified_table(shown)
    if images is None or not all(isinstance(i, int) and 0 <= i < len(images) for i in indices):
        made.append(
            Figure("misclassified", "", "", "The held-out images are not available.", listed)
        )
        return made
    made.append(
        Figure(
            "misclassified",
            figures.misclassified_grid(
                images[[i for i in indices if isinstance(i, int)]],
                [w["true"] for w in shown],
                [w["predicted"] for w in shown],
            ),
            tables.misclassified_alt(shown),
            f"The first {len(shown)} held-out images your model got wrong, with their true "
            "class and the class it predicted.",
            listed,
        )
    )
    return made


def exercise_figures(artifacts: Mapping[str, Any]) -> list[Figure]:
    """The figures one exercise's artifacts call for; a figure that fails is named, not fatal."""
    made: list[Figure] = []
    for key, draw in (("history", _history_figure), ("heldout", _heldout_figures)):
        if key not in artifacts:
            continue
        try:
            drawn = draw(artifacts[key])
        except Exception:  # noqa: BLE001 - a figure must never cost a student their feedback
            log.exception("figure %s could not be drawn", key)
            drawn = Figure(key, "", "", "This figure could not be drawn.")
        made.extend(drawn if isinstance(drawn, list) else [drawn])
    return made


def feedback_page(
    student: str,
    results: dict[str, Any],
    artifacts: Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
    assignment: str = "",
) -> str:
    """The HTML of one student's feedback, from their results.json document and artifacts."""
    artifacts, titles = artifacts or {}, titles or {}
    items = [
        {
            "exercise": exercise,
            "title": titles.get(exercise.name, exercise.name),
            "figures": exercise_figures(artifacts.get(exercise.name) or {}),
        }
        for exercise in exercises(results)
    ]
    return render(
        "feedback.html.j2",
        assignment=assignment,
        student=student,
        score=results.get("score", 0),
        max_score=results.get("max_score", 0),
        overall=results.get("output", ""),
        items=items,
        lateness=submission(results).lateness,
    )


def write_feedback(
    student_dir: Path,
    results: dict[str, Any],
    artifacts: Mapping[str, Any] | None = None,
    titles: Mapping[str, str] | None = None,
    assignment: str = "",
) -> Path:
    """Write ``student_dir/feedback.html`` (atomically) and return its path."""
    student_dir.mkdir(parents=True, exist_ok=True)
    path = student_dir / FEEDBACK_FILE
    write_atomically(path, feedback_page(student_dir.name, results, artifacts, titles, assignment))
    return path
