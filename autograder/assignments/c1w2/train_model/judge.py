"""Judge of train_model: a History of the asked epochs, the callbacks used, the defaults kept."""

from __future__ import annotations

from autograder.checks.context import JudgeContext
from autograder.checks.explain import explain_error
from autograder.checks.inputs import TRAIN_MODEL_DEFAULT_EPOCHS, TRAIN_MODEL_EPOCHS
from autograder.checks.result import ExerciseResult
from autograder.records import History

from .record import Record

# Each sub-check's share of the exercise's points (course.yaml sets the points).
SUBCHECKS = {
    "returns History": 3,
    "asked epochs": 3,
    "uses callbacks": 2,
    "trains the given model": 1,
    "callbacks=None": 1,
}


def _epochs_in(returned: History | None) -> int | None:
    """How many epochs a returned History logged, or None if it logged none."""
    if returned is None or not returned.history:
        return None
    return max(len(values) for values in returned.history.values())


def judge(record: Record, ctx: JudgeContext, result: ExerciseResult) -> ExerciseResult:
    """A History back, the asked number of epochs, the callbacks used, callbacks=None works."""
    if record.error:
        return result.fail_all(explain_error("train_model", record.error))
    if len(record.runs) != 2:
        return result.fail_all("train_model could not be run by the grader.")
    asked, plain = record.runs
    if asked.error:
        return result.fail_all(explain_error("train_model", asked.error))
    returned = asked.returned
    is_history = returned is not None and returned.is_history
    trained = asked.weights_changed is True
    result.check(
        "returns History",
        is_history and bool(_epochs_in(returned)),
        "returns the History that fit gives back",
        f"train_model returned {returned.type if returned else 'nothing'}: return what "
        "model.fit(...) "
        "returns, a History (it holds the per-epoch loss and accuracy).",
    )
    ran = asked.callback_epochs
    epochs = _epochs_in(returned) if is_history else None
    if epochs is None and ran is not None:
        epochs = len(ran)
    result.check(
        "asked epochs",
        epochs == TRAIN_MODEL_EPOCHS,
        f"trains for the {TRAIN_MODEL_EPOCHS} epochs asked",
        f"asked for {TRAIN_MODEL_EPOCHS} epochs, trained {epochs}: pass epochs=epochs to fit.",
    )
    result.check(
        "uses callbacks",
        ran is not None
        and bool(ran)
        and ran == list(range(len(ran)))
        and (epochs is None or len(ran) == epochs),
        "the callbacks given are called at every epoch",
        "the callbacks given were never called: pass callbacks=callbacks to model.fit."
        if not ran
        else f"the callbacks given ran at epochs {ran}: pass callbacks=callbacks to one fit.",
    )
    result.check(
        "trains the given model",
        trained,
        "the model passed in is the one trained",
        "the model passed in was not trained: call fit on `model`, not on a new one.",
    )
    plain_trained = not plain.error and plain.weights_changed is True
    default_epochs = sum(plain.fits) if plain.fits is not None else None
    if plain.error:
        defaults_fix = (
            explain_error("train_model(model, images, labels)", plain.error)
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
    result.check(
        "callbacks=None",
        plain_trained and default_epochs == TRAIN_MODEL_DEFAULT_EPOCHS,
        f"with its defaults it trains {TRAIN_MODEL_DEFAULT_EPOCHS} epochs, callbacks=None",
        defaults_fix,
    )
    return result
