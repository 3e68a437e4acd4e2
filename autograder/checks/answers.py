"""Reading a student's answers out of a probe's record: values, errors, nothing returned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error
from autograder.records import AnswersRecord, ErrorInfo, Saved


def returned_nothing(name: str, described: Saved | None) -> str:
    """Why a returned value is not the array of numbers asked for."""
    kind = described.type if described is not None else "something unreadable"
    if kind == "NoneType":
        return f"{name} returned None: did you forget `return`?"
    return f"{name} returned a {kind}, which is not an array of numbers."


class Returns(Protocol):
    """One call's part of a record: the error it raised, or the array it returned."""

    error: ErrorInfo | None
    returned: Saved | None


class CallsRecord(Protocol):
    """A record of calls on several inputs: the probe's own error, then one entry each."""

    error: ErrorInfo | None

    @property
    def inputs(self) -> Sequence[Returns]: ...


def why_no_main_answer(name: str, record: CallsRecord, count: int, ctx: JudgeContext) -> str:
    """Why the exercise earns nothing as a whole: no array back for the main (first) input of
    the ``count`` the probe tried, or ""."""
    if record.error:
        return explain_error(name, record.error)
    entries = record.inputs
    if len(entries) != count:
        return f"{name} could not be called on every input."
    main = entries[0]
    if main.error:
        return explain_error(name, main.error)
    try:
        ctx.array(main.returned)
    except UnreadableOutput:
        return returned_nothing(name, main.returned)
    return ""


def unplain(value: Any) -> Any:
    """Undo probe.harness.plain: ``{"int": 3}`` -> 3, ``{"tuple": [...]}`` -> tuple."""
    if not isinstance(value, dict):
        return value
    if "int" in value:
        return int(value["int"])
    if "float" in value:
        return float(value["float"])
    if "bool" in value:
        return bool(value["bool"])
    if "tuple" in value or "list" in value:
        items = value.get("tuple", value.get("list"))
        return [unplain(item) for item in items] if isinstance(items, list) else None
    return f"<{value.get('other', 'value')}>"


def read_answers(record: AnswersRecord, name: str, count: int) -> tuple[list[Any] | None, str]:
    """The plain answers to each of ``count`` inputs, or None and why there are none."""
    if record.error:
        return None, explain_error(name, record.error)
    if len(record.answers) != count:
        return None, f"{name} could not be called on every input."
    for answer in record.answers:
        if answer.error:
            return None, explain_error(name, answer.error)
    return [unplain(answer.value) for answer in record.answers], ""
