"""Judge of train_model."""

from __future__ import annotations

from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import (
    TRAIN_MODEL_DEFAULT_EPOCHS,
    TRAIN_MODEL_EPOCHS,
)
from autograder.checks.result import ExerciseResult


def _epochs_in(returned: dict) -> int | None:
    history = returned.get("history") if isinstance(returned, dict) else None
    if not isinstance(history, dict) or not history:
        return None
    return max(len(values) for values in history.values())


def judge(data: dict, ctx: JudgeContext) -> ExerciseResult:
    """A History back, the asked number of epochs, the callbacks used, callbacks=None works."""
    result = ExerciseResult("train_model", 10)
    if data.get("error"):
        return result.fail_all(explain_error("train_model", data["error"]))
    runs = data.get("runs")
    if not (isinstance(runs, list) and len(runs) == 2 and all(isinstance(r, dict) for r in runs)):
        return result.fail_all("train_model could not be run by the grader.")
    asked, plain = runs
    if asked.get("error"):
        return result.fail_all(explain_error("train_model", asked["error"]))
    returned = asked.get("returned") or {}
    trained = asked.get("weights_changed") is True
    result.add(
        "returns History",
        3,
        returned.get("is_history") is True and bool(_epochs_in(returned)),
        "returns the History that fit gives back",
        f"train_model returned {returned.get('type', 'nothing')}: return what model.fit(...) "
        "returns, a History (it holds the per-epoch loss and accuracy).",
    )
    ran = asked.get("callback_epochs")
    epochs = _epochs_in(returned) if returned.get("is_history") else None
    if epochs is None and isinstance(ran, list):
        epochs = len(ran)
    result.add(
        "asked epochs",
        3,
        epochs == TRAIN_MODEL_EPOCHS,
        f"trains for the {TRAIN_MODEL_EPOCHS} epochs asked",
        f"asked for {TRAIN_MODEL_EPOCHS} epochs, trained {epochs}: pass epochs=epochs to fit.",
    )
    result.add(
        "uses callbacks",
        2,
        bool(ran) and ran == list(range(len(ran))) and (epochs is None or len(ran) == epochs),
        "the callbacks given are called at every epoch",
        "the callbacks given were never called: pass callbacks=callbacks to model.fit."
        if not ran
        else f"the callbacks given ran at epochs {ran}: pass callbacks=callbacks to one fit.",
    )
    result.add(
        "trains the given model",
        1,
        trained,
        "the model passed in is the one trained",
        "the model passed in was not trained: call fit on `model`, not on a new one.",
    )
    plain_trained = not plain.get("error") and plain.get("weights_changed") is True
    fits = plain.get("fits")
    default_epochs = (
        sum(fits) if isinstance(fits, list) and all(isinstance(f, int) for f in fits) else None
    )
    if plain.get("error"):
        defaults_fix = (
            explain_error("train_model(model, images, labels)", plain.get("error"))
            + " Pass callbacks straight to fit: it accepts None."
        )
    elif not plain_trained:
        defaults_fix = (
            "with the default callbacks=None the model was not trained: call model.fit(...) "
            "whatever the callbacks are, and pass them straight to fit (it accepts None)."
        )
    else:
        defaults_fix = (
            f"called without epochs, it trained {default_epochs} epochs: keep the default "
            f"epochs={TRAIN_MODEL_DEFAULT_EPOCHS} of the template."
        )
    result.add(
        "callbacks=None",
        1,
        plain_trained and default_epochs == TRAIN_MODEL_DEFAULT_EPOCHS,
        f"with its defaults it trains {TRAIN_MODEL_DEFAULT_EPOCHS} epochs, callbacks=None",
        defaults_fix,
    )
    return result
