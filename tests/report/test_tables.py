"""Every figure's numbers in words: the alt texts state the outcome, the tables hold each
number the figure draws, with a header for every row and column."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks.artifacts import heldout_results, training_history
from autograder.report import figures, tables


def history(accuracy: list[float], threshold: float = 0.82, max_epochs: int = 10) -> dict:
    loss = [2.0 - a for a in accuracy]
    return training_history({"loss": loss, "accuracy": accuracy}, threshold, max_epochs)


@pytest.mark.parametrize(
    ("accuracy", "threshold", "max_epochs", "alt"),
    [
        (
            [0.27, 0.35, 0.44, 0.5, 0.54, 0.57],
            0.82,
            10,
            "Training curve: accuracy rose from 0.27 to 0.57 over 6 epochs and never reached "
            "the 0.82 threshold.",
        ),
        (
            [0.8, 0.86],
            0.85,
            3,
            "Training curve: accuracy rose from 0.80 to 0.86 over 2 epochs and reached the "
            "0.85 threshold at epoch 2, where training stopped.",
        ),
        (
            [0.8, 0.86, 0.87],
            0.85,
            3,
            "Training curve: accuracy rose from 0.80 to 0.87 over 3 epochs and reached the "
            "0.85 threshold at epoch 2, but training went on to epoch 3.",
        ),
        (
            [0.8, 0.86, 0.87],
            0.85,
            5,
            "Training curve: accuracy rose from 0.80 to 0.87 over 3 epochs and reached the "
            "0.85 threshold at epoch 2, but training stopped at epoch 3.",
        ),
        (
            [0.7, 0.6],
            0.85,
            2,
            "Training curve: accuracy fell from 0.70 to 0.60 over 2 epochs and never reached "
            "the 0.85 threshold.",
        ),
        (  # two decimals would round 0.849 onto the threshold it missed
            [0.8, 0.849],
            0.85,
            2,
            "Training curve: accuracy rose from 0.80 to 0.849 over 2 epochs and never reached "
            "the 0.85 threshold.",
        ),
    ],
)
def test_the_training_alt_text_states_the_outcome(accuracy, threshold, max_epochs, alt) -> None:
    assert tables.training_alt(history(accuracy, threshold, max_epochs)) == alt


def test_a_history_without_accuracy_says_so() -> None:
    made = training_history({"loss": [1.0, float("nan")]}, 0.85, 5)
    assert tables.training_alt(made) == "Training curve of 2 epochs; no accuracy was recorded."


def test_the_training_table_has_every_epoch_the_threshold_and_the_stop() -> None:
    made = history([0.8, 0.86], 0.85, 3)
    made["curves"]["val_loss"] = [0.5, None]
    table = tables.training_table(made)
    assert table.corner == "epoch"
    assert table.columns == ["loss", "accuracy", "val_loss", "accuracy reached 0.85"]
    assert table.rows == [
        ("1", ["1.2000", "0.8000", "0.5000", "no"]),
        ("2 (stopped)", ["1.1400", "0.8600", "not a number", "yes"]),
    ]
    assert table.caption == (
        "Loss and accuracy after each epoch; the threshold is 0.85 accuracy, and training "
        "stopped at the end of epoch 2, before max_epochs=3."
    )


def heldout() -> dict:
    labels = np.array([0, 0, 6, 6, 6, 1, 9])
    predicted = np.array([0, 6, 0, 0, 6, 1, 12])  # 12: outside the ten classes
    return heldout_results(predicted, labels)


def test_the_confusion_table_has_a_header_for_every_row_and_column() -> None:
    table = tables.confusion_table(heldout())
    assert table.corner == "true class"
    assert table.columns[0] == "T-shirt/top" and table.columns[-1] == "Ankle boot"
    assert [header for header, _ in table.rows] == table.columns
    rows = dict(table.rows)
    assert rows["T-shirt/top"][:7] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows["Shirt"][0] == "2" and rows["Shirt"][6] == "1"
    assert rows["Ankle boot"] == ["0"] * 10
    assert "1 prediction(s) named no class 0-9" in table.caption


def test_the_confusion_alt_text_names_the_commonest_mistake() -> None:
    assert tables.confusion_alt(heldout()) == (
        "Confusion matrix of 7 held-out images: 42.9% classified right; the most common "
        "mistake was Shirt predicted as T-shirt/top (2 images)."
    )
    perfect = heldout_results(np.array([1, 2]), np.array([1, 2]))
    assert tables.confusion_alt(perfect) == (
        "Confusion matrix of 2 held-out images: 100.0% classified right."
    )


def test_the_misclassified_images_are_listed_with_their_classes() -> None:
    shown = heldout()["misclassified"]
    table = tables.misclassified_table(shown)
    assert table.columns == ["test set index", "true class", "predicted class"]
    assert table.rows == [
        ("1", ["1", "T-shirt/top", "Shirt"]),
        ("2", ["2", "Shirt", "T-shirt/top"]),
        ("3", ["3", "Shirt", "T-shirt/top"]),
        ("4", ["6", "Ankle boot", "class 12"]),
    ]
    assert tables.misclassified_alt(shown) == (
        "4 held-out images the model got wrong: T-shirt/top predicted as Shirt; Shirt "
        "predicted as T-shirt/top; Shirt predicted as T-shirt/top; and more, listed in the table."
    )


def test_score_bands_are_the_histograms_bins() -> None:
    scores = [0, 9.99, 10, 55, 100, 100]
    labels, counts = tables.score_bands(scores, 100)
    assert labels[0] == "0 to under 10" and labels[-1] == "90 to 100"
    assert counts == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    drawn = figures.score_histogram_figure(scores, 100).axes[0].patches
    assert [int(bar.get_height()) for bar in drawn] == counts
    assert tables.histogram_alt(scores, 100) == (
        "Histogram of 6 scores out of 100: mean 45.8, median 32.5; the most students (2 each) "
        "scored 0 to under 10 and 90 to 100."
    )
    assert tables.histogram_alt([50, 55, 100], 100).endswith(
        "the most students (2) scored 50 to under 60."
    )
    assert tables.histogram_alt([], 100) == "Histogram of scores: no submission was graded."
    table = tables.histogram_table(scores, 100)
    assert (table.corner, table.columns, table.rows[-1]) == (
        "score",
        ["students"],
        ("90 to 100", ["2"]),
    )


def test_figures_use_colour_blind_safe_colours() -> None:
    """Okabe-Ito lines (each also its own style, named in a legend) and cividis counts."""
    curve = figures.training_curve_figure(history([0.8, 0.86], 0.85, 3))
    colours = {line.get_color().lower() for axes in curve.axes for line in axes.get_lines()}
    assert colours and colours <= {c.lower() for c in figures.OKABE_ITO.values()}
    for axes in curve.axes:  # within a panel, each line has a style of its own
        lines = axes.get_lines()
        assert len({(line.get_linestyle(), line.get_marker()) for line in lines}) == len(lines)
    matrix = figures.confusion_figure(heldout()["confusion"])
    assert matrix.axes[0].images[0].get_cmap().name == "cividis"
