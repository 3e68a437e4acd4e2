"""Figures for the feedback page and the class report: PNG data URIs drawn with matplotlib.

Figures are drawn from plain numbers only (a judge's artifacts, scores from results.json) with
matplotlib's object API and its Agg canvas: no pyplot, so no global state shared between the
batch's threads, and nothing a submission produced is loaded beyond numbers.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from autograder.data import CLASS_NAMES
from autograder.report.tables import class_name

DPI = 110
# Okabe and Ito's colour-blind-safe palette: blue, vermillion, bluish green, black; every line
# also differs by its style and is named in a legend, so no colour is needed to read it.
OKABE_ITO = {"blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "black": "#000000"}
ACCENT, WARN, OK = OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["green"]
CONFUSION_COLORMAP = "cividis"  # perceptually uniform and readable with any colour vision


def data_uri(figure: Figure) -> str:
    """The figure as an inline ``data:image/png;base64,...`` URI."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _epochs(values: Sequence[float | None]) -> tuple[list[int], list[float]]:
    kept = [(i + 1, v) for i, v in enumerate(values) if v is not None]
    return [e for e, _ in kept], [v for _, v in kept]


def training_curve(history: dict[str, Any]) -> str:
    """Loss and accuracy per epoch, the threshold line and the epoch training stopped at."""
    return data_uri(training_curve_figure(history))


def training_curve_figure(history: dict[str, Any]) -> Figure:
    """The figure of ``training_curve``."""
    curves = history.get("curves") or {}
    figure = Figure(figsize=(6.0, 5.6))  # stacked: still readable on a phone
    loss_axes, accuracy_axes = figure.subplots(2, 1, sharex=True)
    stopped = history.get("stopped_epoch")
    for axes, metric in ((loss_axes, "loss"), (accuracy_axes, "accuracy")):
        for name, style in ((metric, "-o"), (f"val_{metric}", "--s")):
            if curves.get(name):
                epochs, values = _epochs(curves[name])
                axes.plot(epochs, values, style, label=name, color=ACCENT if style == "-o" else OK)
        if stopped:
            axes.axvline(
                stopped,
                color=OKABE_ITO["black"],
                linestyle=":",
                label=f"stopped at epoch {stopped}",
            )
        axes.set_title(metric)
        axes.xaxis.get_major_locator().set_params(integer=True)
    accuracy_axes.set_xlabel("epoch")
    threshold = history.get("threshold")
    if threshold is not None:
        accuracy_axes.axhline(threshold, color=WARN, linestyle="--", label=f"threshold {threshold}")
    for axes in (loss_axes, accuracy_axes):
        if axes.get_legend_handles_labels()[0]:
            axes.legend(fontsize=8)
    figure.tight_layout()
    return figure


def confusion_matrix(confusion: list[list[int]]) -> str:
    """Counts of true class (rows) against predicted class (columns), with class names."""
    return data_uri(confusion_figure(confusion))


def confusion_figure(confusion: list[list[int]]) -> Figure:
    """The figure of ``confusion_matrix``."""
    counts = np.asarray(confusion, dtype=int)
    figure = Figure(figsize=(6.4, 5.6))
    axes = figure.subplots()
    axes.imshow(counts, cmap=CONFUSION_COLORMAP)
    ticks = range(len(CLASS_NAMES))
    axes.set_xticks(ticks, CLASS_NAMES, rotation=45, ha="right", fontsize=8)
    axes.set_yticks(ticks, CLASS_NAMES, fontsize=8)
    axes.set_xlabel("predicted class")
    axes.set_ylabel("true class")
    high = counts.max() / 2 if counts.size else 0
    for (row, column), count in np.ndenumerate(counts):
        if count:  # cividis is dark for few, light for many
            color = "black" if count > high else "white"
            axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=color)
    figure.tight_layout()
    return figure


def misclassified_grid(images: np.ndarray, true: Sequence[int], predicted: Sequence[int]) -> str:
    """Held-out images the model got wrong, each titled with its true and predicted class."""
    columns = 3
    rows = max(1, -(-len(images) // columns))
    figure = Figure(figsize=(columns * 2.0, rows * 2.3))
    # Fixed margins and plain text for the titles: laying out nine titled axes cost a second.
    figure.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.88, wspace=0.1, hspace=0.5)
    for index, axes in enumerate(figure.subplots(rows, columns, squeeze=False).ravel()):
        axes.axis("off")
        if index < len(images):
            axes.imshow(images[index], cmap="gray_r")
            axes.text(
                0.5,
                1.03,
                f"true: {class_name(true[index])}\npredicted: {class_name(predicted[index])}",
                transform=axes.transAxes,
                ha="center",
                va="bottom",
                fontsize=10,
            )
    return data_uri(figure)


def score_histogram(scores: Sequence[float], total: float) -> str:
    """How many students got each band of scores (bands of a tenth of the total)."""
    return data_uri(score_histogram_figure(scores, total))


def score_histogram_figure(scores: Sequence[float], total: float) -> Figure:
    """The figure of ``score_histogram``."""
    figure = Figure(figsize=(6.4, 3.0))
    axes = figure.subplots()
    bins = list(np.linspace(0, total, 11)) if total > 0 else 10
    axes.hist(list(scores), bins=bins, color=ACCENT, edgecolor="white")
    axes.set_xlabel("score")
    axes.set_ylabel("students")
    axes.yaxis.get_major_locator().set_params(integer=True)  # type: ignore[call-arg]  # MaxNLocator
    figure.tight_layout()
    return figure
