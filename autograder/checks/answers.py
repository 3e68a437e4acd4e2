"""Reading a student's answers out of a probe's record: values, errors, nothing returned."""

from __future__ import annotations

from typing import Any

from autograder.checks.context import JudgeContext, UnreadableOutput
from autograder.checks.explain import explain_error


def returned_nothing(name: str, described: Any) -> str:
    """Why a returned value is not the array of numbers asked for."""
    kind = described.get("type") if isinstance(described, dict) else "something unreadable"
    if kind == "NoneType":
        return f"{name} returned None: did you forget `return`?"
    return f"{name} returned a {kind}, which is not an array of numbers."


def why_no_main_answer(name: str, data: dict, count: int, ctx: JudgeContext) -> str:
    """Why the exercise earns nothing as a whole: no array back for the main (first) input of
    the ``count`` the probe tried, or ""."""
    if data.get("error"):
        return explain_error(name, data["error"])
    entries = data.get("inputs")
    if not isinstance(entries, list) or len(entries) != count:
        return f"{name} could not be called on every input."
    main = entries[0] if isinstance(entries[0], dict) else {}
    if main.get("error"):
        return explain_error(name, main["error"])
    try:
        ctx.array(main.get("returned"))
    except UnreadableOutput:
        return returned_nothing(name, main.get("returned"))
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


def read_answers(data: dict, name: str, count: int) -> tuple[list[Any] | None, str]:
    """The plain answers to each of ``count`` inputs, or None and why there are none."""
    if data.get("error"):
        return None, explain_error(name, data["error"])
    answers = data.get("answers") or []
    if len(answers) != count:
        return None, f"{name} could not be called on every input."
    for answer in answers:
        if answer.get("error"):
            return None, explain_error(name, answer["error"])
    return [unplain(answer.get("value")) for answer in answers], ""
