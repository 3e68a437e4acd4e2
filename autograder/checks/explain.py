"""Turn a student error, recorded by a probe, into feedback that says what to do."""

from __future__ import annotations

from typing import Any

from autograder.outcome import UNREADABLE_DATA, Outcome, Reason
from autograder.records import ErrorInfo


def explain_error(function: str, error: ErrorInfo | dict[str, Any] | None) -> str:
    """One or two sentences on why ``function`` failed and how to fix it, as a ``Reason``
    that carries the kind (not written, not defined, raised and which exception)."""
    if isinstance(error, ErrorInfo):
        error = error.model_dump()
    if not isinstance(error, dict):
        return Reason(
            f"{function} failed in a way the grader could not read.",
            Outcome.UNTRUSTED,
            UNREADABLE_DATA,
        )
    kind = str(error.get("type", "Error"))
    message = str(error.get("message", ""))[:300]
    where = error.get("where")
    place = ""
    if isinstance(where, dict):
        function_name = where.get("function")
        inside = f", in {function_name}" if function_name else ""
        place = f" ({where.get('file')} line {where.get('line')}{inside})"
    if kind == "Missing":
        return Reason(
            f"{message}: keep the name {function} exactly as in the template.",
            Outcome.NOT_DEFINED,
        )
    if kind == "NotImplementedError":
        return Reason(
            f"{function} is not written yet{place}: replace `raise NotImplementedError()` "
            "with your code.",
            Outcome.NOT_WRITTEN,
        )
    if kind == "UFuncTypeError" and "uint8" in message:
        return Reason(
            f"{function} raised {kind}: {message}{place}. An in-place operation such as "
            "`images /= 255.0` cannot store fractions in a uint8 array: return a new array, "
            "`images / 255.0`.",
            Outcome.RAISED,
            kind,
        )
    if kind == "LoadError":
        return Reason(f"{function} could not be graded: {message}", Outcome.NOT_IMPORTED, kind)
    return Reason(f"{function} raised {kind}: {message}{place}.", Outcome.RAISED, kind)
