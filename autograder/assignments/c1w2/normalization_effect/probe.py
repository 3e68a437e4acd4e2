"""Probe of normalization_effect."""

from __future__ import annotations

from autograder.probe.harness import ProbeContext, call, defaults, lookup, observed_fits, plain
from autograder.samples import train_slice

from .record import Record


def probe(ctx: ProbeContext) -> Record:
    """normalization_effect on a fixed slice of real data, seeded by the grader."""
    settings = ctx.settings["normalization_effect"]
    function, missing = lookup(ctx, "normalization_effect")
    if missing:
        return Record(error=missing)
    images, labels = train_slice(settings["images"])
    with observed_fits() as ran:
        result = call(ctx, function, images.copy(), labels.copy(), epochs=1, seed=settings["seed"])
    return Record(
        error=result["error"],
        value=plain(result["value"]),
        fits=list(ran),
        defaults=defaults(function),
    )
