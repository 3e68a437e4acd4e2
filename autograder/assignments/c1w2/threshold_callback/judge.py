"""Judge of ThresholdCallback."""

from __future__ import annotations

import re
from collections.abc import Iterable

from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import callback_scenarios
from autograder.checks.result import ExerciseResult
from autograder.records import ErrorInfo

from .record import RealFit, Record, ScenarioRun

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {
    "is a Callback": 2,
    "stops at the threshold": 4,
    "honours threshold": 3,
    "loss goes down": 3,
    "named metric": 2,
    "missing logs": 3,
    "message": 2,
    "real training": 1,
}

MESSAGE = re.compile(r"Reached (\S+) (\S+) so cancelling training!")


def _stop_epoch(run: ScenarioRun) -> tuple[int | None, list[ErrorInfo]]:
    """The epoch the callback stopped at (None: never), and the errors it raised."""
    errors = [epoch.error for epoch in run.epochs if epoch.error]
    for index, epoch in enumerate(run.epochs):
        if epoch.stopped:
            return index, errors
    return None, errors


def _scenario_ok(run: ScenarioRun, scenario: dict) -> tuple[bool, str]:
    if run.error:
        return False, explain_error("ThresholdCallback(...)", run.error)
    stopped, errors = _stop_epoch(run)
    if errors:
        return False, explain_error("on_epoch_end", errors[0])
    expect = scenario["expect"]
    if stopped == expect:
        return True, ""
    kwargs = scenario["kwargs"] or {}
    metric = kwargs.get("metric", "accuracy")
    logs = scenario["logs"]
    values = [log.get(metric) if isinstance(log, dict) else None for log in logs]
    arguments = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
    shown = ", ".join("missing" if value is None else f"{value:g}" for value in values)
    told = f"with ThresholdCallback({arguments}), {metric} per epoch {shown}"
    if expect is None:
        if scenario["name"] in ("logs=None", "missing key"):
            return False, (
                f"stopped at epoch {stopped} although logs had no '{metric}': only "
                "stop once the metric is there and has reached the threshold."
            )
        return False, f"{told}: stopped at epoch {stopped}, but the threshold was never reached."
    if stopped is None:
        return False, (
            f"{told}: never stopped although epoch {expect} reached the threshold: read "
            f"logs['{metric}'] (the metric given, via self.metric) and once it reaches "
            "self.threshold set self.model.stop_training = True."
        )
    if stopped == expect + 1:
        return False, (
            f"{told}: stopped one epoch late, at {stopped}; epoch {expect} equals the "
            "threshold, which counts as reached (>=, or <= for a loss)."
        )
    return False, (
        f"{told}: stopped at epoch {stopped}, expected {expect}; compare "
        f"logs['{metric}'] (>= threshold, or <= for a loss) with self.threshold."
    )


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """Stops exactly when the threshold is reached, both directions, at the boundary."""
    if record.error:
        return result.fail_all(explain_error("ThresholdCallback", record.error))
    if not record.is_class:
        return result.fail_all(
            "ThresholdCallback must be a class: `class ThresholdCallback"
            "(tf.keras.callbacks.Callback):`."
        )
    built = [run for run in record.scenarios if not run.error]
    if not built:
        first = record.scenarios[0].error if record.scenarios else None
        return result.fail_all(explain_error("ThresholdCallback(...)", first))
    scenarios = callback_scenarios(ctx.assignment.checks.callback_threshold)
    names = [s["name"] for s in scenarios]
    runs = dict(zip(names, record.scenarios, strict=False))
    verdicts = {s["name"]: _scenario_ok(runs.get(s["name"], ScenarioRun()), s) for s in scenarios}
    # A callback that never stops (the template, or one that forgets stop_training) passes
    # "is a Callback", "missing logs", "message" (printed where it should have stopped) and, on
    # a run that never reaches 0.7, "real training": those count only once a correct stop is
    # seen somewhere. Every other sub-check needs a correct stop of its own.
    stops = _stops_when_it_should(verdicts, scenarios)
    gate = _why_not_counted(runs.values())  # shown only where `stops` is what fails a check
    result.check(
        "is a Callback",
        record.is_callback and stops,
        "subclasses tf.keras.callbacks.Callback",
        "ThresholdCallback does not subclass tf.keras.callbacks.Callback, so fit cannot use it."
        if not record.is_callback
        else gate,
    )

    def group(name: str, names: list[str], ok: str) -> None:
        failures = [verdicts[n][1] for n in names if not verdicts[n][0]]
        result.check(name, not failures, ok, failures[0] if failures else "")

    threshold = ctx.assignment.checks.callback_threshold
    group(
        "stops at the threshold",
        ["default"],
        f"with the defaults, stops at the epoch accuracy reaches {threshold} (the boundary "
        "counts), not before",
    )
    group(
        "honours threshold",
        ["lower threshold", "never reached"],
        "uses the threshold it was given and never stops early",
    )
    group(
        "loss goes down",
        ["loss goes down", "val_loss goes down"],
        "for a metric ending in 'loss' stops once it is at or below the threshold",
    )
    group("named metric", ["named metric"], "reads the metric it was given from logs")
    missing = [verdicts[n][1] for n in ("logs=None", "missing key") if not verdicts[n][0]]
    result.check(
        "missing logs",
        not missing and stops,
        "logs=None or a missing key neither raises nor stops",
        missing[0] if missing else gate,
    )
    default = runs["default"]  # there: `built` is not empty, and "default" comes first
    message_ok, message_pass, message_fix = _message_verdict(default, scenarios[0])
    result.check(
        "message", message_ok and stops, message_pass, message_fix if not message_ok else gate
    )
    fit_ok, fit_pass, fit_fix = _real_fit_verdict(record.real_fit or RealFit())
    result.check("real training", fit_ok and stops, fit_pass, fit_fix if not fit_ok else gate)
    return result


def _stops_when_it_should(verdicts: dict[str, tuple[bool, str]], scenarios: list[dict]) -> bool:
    """Whether the callback stopped training at the right epoch in a scenario that asks it to."""
    return any(verdicts[s["name"]][0] for s in scenarios if s["expect"] is not None)


def _why_not_counted(runs: Iterable[ScenarioRun]) -> str:
    """Why the checks a callback that never stops would pass are not counted, in plain words."""
    epochs = [epoch for run in runs for epoch in run.epochs]
    if not any(epoch.stopped or epoch.output.strip() for epoch in epochs):
        return (
            "not counted: it never stopped training nor printed anything, so it does what the "
            "template does, and the template alone earns nothing."
        )
    if not any(epoch.stopped for epoch in epochs):
        return (
            "not counted: it never set self.model.stop_training = True, and a callback that "
            "never stops passes this check too. It counts once the callback stops training "
            "at the epoch its metric reaches the threshold."
        )
    return (
        "not counted: it stopped training, but never at the epoch its metric reached the "
        "threshold, and a callback that never stops passes this check too. It counts once "
        "the callback stops training when it should."
    )


def _message_verdict(run: ScenarioRun, scenario: dict) -> tuple[bool, str, str]:
    """The message, where the callback stopped (or, if it never did, where it should have)."""
    ok = "prints 'Reached accuracy <value> so cancelling training!' once, when it stops"
    epochs = run.epochs
    stopped, _ = _stop_epoch(run)
    at = stopped if stopped is not None else scenario["expect"]
    if at is None or at >= len(epochs):
        return False, ok, "no message can be checked: the callback did not get that far."
    early = [e.output for e in epochs[:at] if "Reached" in e.output]
    if early:
        return False, ok, "printed 'Reached ...' before the threshold was reached."
    said = epochs[at].output
    match = MESSAGE.search(said)
    if not match:
        shown = f'"{said.strip()[:80]}"' if said.strip() else "nothing"
        return (
            False,
            ok,
            (
                f'printed {shown}; print exactly f"Reached {{metric}} {{value}} so '
                'cancelling training!"'
            ),
        )
    reached = scenario["logs"][at]["accuracy"]
    try:
        value_ok = match.group(1) == "accuracy" and abs(float(match.group(2)) - reached) < 0.01
    except ValueError:
        value_ok = False
    return (
        value_ok,
        ok,
        (
            f'the message says "{match.group(0)}": name the metric and the value '
            f"it reached, e.g. 'Reached accuracy {reached} so cancelling training!'."
        ),
    )


def _real_fit_verdict(fit: RealFit) -> tuple[bool, str, str]:
    ok = "stops a real model.fit at the first epoch that reaches its threshold"
    if fit.error:
        return False, ok, explain_error("model.fit with ThresholdCallback", fit.error)
    accuracy = (fit.history or {}).get("accuracy") or []
    reached = [i for i, value in enumerate(accuracy) if value >= 0.7]
    expected_len = reached[0] + 1 if reached else 6
    if accuracy and len(accuracy) == expected_len:
        return True, ok, ""
    return (
        False,
        ok,
        (
            f"in a real fit with threshold 0.7, accuracy went {accuracy}: training "
            "must stop at the end of the first epoch that reaches it."
        ),
    )
