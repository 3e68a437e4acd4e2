"""Every figure's numbers in words: a one-sentence alt text that states what the figure shows,
and a table that holds each number it draws (WCAG 2.1 1.1.1: a student who cannot see the
picture, or tell its colours apart, reads the same outcome as one who can).

Made from the same plain numbers as the figures (``autograder.checks.artifacts``, the scores of
results.json); the templates render a ``Table`` as a ``<table>`` with ``<th scope>`` headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from autograder.data import CLASS_NAMES

NOT_FINITE = "not a number"


@dataclass
class Table:
    """A table with a header row and one header cell per row (``corner`` heads that column)."""

    caption: str
    corner: str
    columns: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


def class_name(label: int) -> str:
    """A Fashion-MNIST class name, or ``class <label>`` for a label outside the ten."""
    return CLASS_NAMES[label] if 0 <= label < len(CLASS_NAMES) else f"class {label}"


def _value(value: float | None) -> str:
    return NOT_FINITE if value is None else f"{value:.4f}"


def _near(value: float, threshold: float) -> str:
    """``value`` with two decimals, more where two would round it onto the threshold."""
    digits = 2
    while digits < 6 and value != threshold and round(value, digits) == round(threshold, digits):
        digits += 1
    return f"{value:.{digits}f}"


def _epochs(history: dict[str, Any]) -> int:
    return max((len(values) for values in (history.get("curves") or {}).values()), default=0)


def _reached(accuracy: Sequence[float | None], threshold: float) -> int | None:
    """The first (1-based) epoch whose accuracy reached the threshold, or None."""
    for epoch, value in enumerate(accuracy, start=1):
        if value is not None and value >= threshold:
            return epoch
    return None


def training_alt(history: dict[str, Any]) -> str:
    """One sentence: how accuracy moved, over how many epochs, and whether it reached the
    threshold (and where training stopped)."""
    curves = history.get("curves") or {}
    epochs = _epochs(history)
    accuracy = list(curves.get("accuracy") or [])
    finite = [value for value in accuracy if value is not None]
    plural = "s" if epochs != 1 else ""
    if not finite:
        return f"Training curve of {epochs} epoch{plural}; no accuracy was recorded."
    threshold = history.get("threshold")
    first, last = finite[0], finite[-1]
    if len(finite) == 1 or first == last:
        trend = f"accuracy was {_near(last, threshold if threshold is not None else -1)}"
    else:
        verb = "rose" if last > first else "fell"
        near = threshold if threshold is not None else -1.0
        trend = f"accuracy {verb} from {_near(first, near)} to {_near(last, near)}"
    sentence = f"Training curve: {trend} over {epochs} epoch{plural}"
    if threshold is None:
        return sentence + "."
    reached = _reached(accuracy, threshold)
    stopped = history.get("stopped_epoch")
    if reached is None:
        return f"{sentence} and never reached the {threshold:g} threshold."
    outcome = f"{sentence} and reached the {threshold:g} threshold at epoch {reached}"
    if stopped == reached:
        return f"{outcome}, where training stopped."
    if stopped:
        return f"{outcome}, but training stopped at epoch {stopped}."
    return f"{outcome}, but training went on to epoch {epochs}."


def training_table(history: dict[str, Any]) -> Table:
    """Each epoch's loss and accuracy (and validation ones), whether it reached the threshold,
    and the epoch training stopped at."""
    curves = history.get("curves") or {}
    names = [name for name in ("loss", "accuracy", "val_loss", "val_accuracy") if name in curves]
    threshold = history.get("threshold")
    stopped = history.get("stopped_epoch")
    columns = list(names)
    if threshold is not None and "accuracy" in curves:
        columns.append(f"accuracy reached {threshold:g}")
    stop = (
        f"training stopped at the end of epoch {stopped}, before max_epochs="
        f"{history.get('max_epochs')}"
        if stopped
        else f"training did not stop before max_epochs={history.get('max_epochs')}"
    )
    table = Table(
        f"Loss and accuracy after each epoch; the threshold is {threshold:g} accuracy, and {stop}."
        if threshold is not None
        else f"Loss and accuracy after each epoch; {stop}.",
        "epoch",
        columns,
    )
    for index in range(_epochs(history)):
        values = [curves[name][index] if index < len(curves[name]) else None for name in names]
        cells = [_value(value) for value in values]
        if len(columns) > len(names):
            accuracy = curves["accuracy"][index] if index < len(curves["accuracy"]) else None
            cells.append("yes" if accuracy is not None and accuracy >= threshold else "no")
        epoch = index + 1
        table.rows.append((f"{epoch} (stopped)" if epoch == stopped else str(epoch), cells))
    return table


def _worst(counts: np.ndarray) -> tuple[int, int, int] | None:
    """(true, predicted, count) of the most frequent wrong prediction, or None."""
    wrong = counts.copy()
    np.fill_diagonal(wrong, 0)
    if not wrong.size or wrong.max() <= 0:
        return None
    true, predicted = np.unravel_index(int(np.argmax(wrong)), wrong.shape)
    return int(true), int(predicted), int(wrong[true, predicted])


def confusion_alt(heldout: dict[str, Any]) -> str:
    """One sentence: how many held-out images, how many right, the most common confusion."""
    counts = np.asarray(heldout["confusion"], dtype=int)
    images = int(heldout.get("images", counts.sum()))
    sentence = (
        f"Confusion matrix of {images} held-out images: "
        f"{float(heldout.get('accuracy', 0)):.1%} classified right"
    )
    worst = _worst(counts)
    if worst is None:
        return sentence + "."
    true, predicted, count = worst
    return (
        f"{sentence}; the most common mistake was {class_name(true)} predicted as "
        f"{class_name(predicted)} ({count} image{'s' if count != 1 else ''})."
    )


def confusion_table(heldout: dict[str, Any]) -> Table:
    """How many held-out images of each true class (rows) got each predicted class (columns)."""
    counts = np.asarray(heldout["confusion"], dtype=int)
    classes = [class_name(label) for label in range(counts.shape[1])]
    caption = (
        "Held-out images by true class (rows) and predicted class (columns); "
        "the diagonal counts the right answers."
    )
    outside = int(heldout.get("outside_classes") or 0)
    if outside:
        caption += f" {outside} prediction(s) named no class 0-9 and are not counted."
    table = Table(caption, "true class", classes)
    for label, row in enumerate(counts):
        table.rows.append((class_name(label), [str(int(count)) for count in row]))
    return table


def misclassified_alt(shown: Sequence[dict[str, Any]]) -> str:
    """One sentence naming what the shown misclassified images are."""
    count = len(shown)
    pairs = "; ".join(
        f"{class_name(wrong['true'])} predicted as {class_name(wrong['predicted'])}"
        for wrong in shown[:3]
    )
    more = "; and more, listed in the table" if count > 3 else ""
    return f"{count} held-out image{'s' if count != 1 else ''} the model got wrong: {pairs}{more}."


def misclassified_table(shown: Sequence[dict[str, Any]]) -> Table:
    """Each shown image: its place in the test set, its true class and the predicted one."""
    table = Table(
        "The held-out images shown above, in the same order (left to right, top to bottom).",
        "image",
        ["test set index", "true class", "predicted class"],
    )
    for number, wrong in enumerate(shown, start=1):
        table.rows.append(
            (
                str(number),
                [str(wrong["index"]), class_name(wrong["true"]), class_name(wrong["predicted"])],
            )
        )
    return table


def score_bands(scores: Sequence[float], total: float) -> tuple[list[str], list[int]]:
    """Ten bands of a tenth of the total and how many scores fall in each: the histogram's
    bins (each band holds its lower bound; the last one holds the total too)."""
    edges = np.linspace(0, total, 11) if total > 0 else np.linspace(0, 1, 11)
    counts, _ = np.histogram(list(scores), bins=edges)
    labels = [
        f"{low:g} to {high:g}" if index == len(edges) - 2 else f"{low:g} to under {high:g}"
        for index, (low, high) in enumerate(zip(edges[:-1], edges[1:], strict=True))
    ]
    return labels, [int(count) for count in counts]


def histogram_alt(scores: Sequence[float], total: float) -> str:
    """One sentence: how many scores, their mean and median, and the fullest band."""
    if not scores:
        return "Histogram of scores: no submission was graded."
    labels, counts = score_bands(scores, total)
    most = max(counts)
    fullest = [label for label, count in zip(labels, counts, strict=True) if count == most]
    each = " each" if len(fullest) > 1 else ""
    return (
        f"Histogram of {len(scores)} score{'s' if len(scores) != 1 else ''} out of {total:g}: "
        f"mean {float(np.mean(scores)):.1f}, median {float(np.median(scores)):g}; the most "
        f"students ({most}{each}) scored {' and '.join(fullest)}."
    )


def histogram_table(scores: Sequence[float], total: float) -> Table:
    """How many students scored in each tenth of the total."""
    labels, counts = score_bands(scores, total)
    table = Table("Students per tenth of the total score.", "score", ["students"])
    table.rows.extend((label, [str(count)]) for label, count in zip(labels, counts, strict=True))
    return table
