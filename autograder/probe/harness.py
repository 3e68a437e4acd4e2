"""Calling student code safely from a probe: capture output, record errors as plain data."""

from __future__ import annotations

import contextlib
import inspect
import io
import json
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from autograder.probe import captured
from autograder.probe.captured import restore
from autograder.records import ErrorInfo, Saved

OUTPUT_LIMIT = 4000  # characters of a call's printed output kept for feedback
NOT_A_CAUSE = ("[[", "File ", "Detected at node", "Traceback", "^", "~")


@dataclass
class ProbeContext:
    """What a probe gets: the student's names, the grader's inputs and a place to write."""

    namespace: dict[str, Any]
    inputs_dir: Path
    out_dir: Path
    settings: dict[str, Any]
    student_files: tuple[str, ...] = field(default=())

    def save_array(self, name: str, value: Any) -> Saved:
        """Save ``value`` as ``name.npy`` (no pickle) and describe it; never raises."""
        kind = type(value).__name__
        try:
            array = np.asarray(value)
            if array.dtype == object:
                return Saved(kind="object", type=kind)
            np.save(self.out_dir / f"{name}.npy", array, allow_pickle=False)
            return Saved(kind="array", file=f"{name}.npy", type=kind)
        except Exception as exc:  # noqa: BLE001 - any student value may fail to convert
            return Saved(kind="unconvertible", type=kind, error=str(exc)[:200])


class _LimitedBuffer(io.StringIO):
    def write(self, text: str) -> int:
        if self.tell() < OUTPUT_LIMIT:
            super().write(text[: OUTPUT_LIMIT - self.tell()])
        return len(text)


def describe_error(exc: BaseException, student_files: tuple[str, ...]) -> dict[str, Any]:
    """The exception as plain data, with the innermost line of student code it came from."""
    where = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in student_files or frame.filename.startswith("<cell"):
            where = {
                "file": Path(frame.filename).name,
                "line": frame.lineno,
                "function": frame.name,
            }
    if isinstance(exc, SyntaxError):
        where = {"file": Path(exc.filename or "?").name, "line": exc.lineno, "function": None}
        lines = [exc.msg or "invalid syntax"]
    else:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else ""
    if message.endswith(":"):  # e.g. TensorFlow: the cause comes after its stack of frames
        causes = [line for line in lines[1:] if not line.startswith(NOT_A_CAUSE)]
        if causes:
            message = f"{message} {causes[-1]}"
    return {"type": type(exc).__name__, "message": message[:300], "where": where}


def call(ctx: ProbeContext, function: Callable[..., Any], *args: Any, **kwargs: Any) -> dict:
    """Call student code; return ``{"ok", "value", "error", "output"}`` and never raise."""
    buffer = _LimitedBuffer()
    result: dict[str, Any] = {"ok": False, "value": None, "error": None}
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
            result["value"] = function(*args, **kwargs)
        result["ok"] = True
    except Exception as exc:  # noqa: BLE001 - a student error is data, not a grader failure
        result["error"] = describe_error(exc, ctx.student_files)
    finally:
        restore()
    result["output"] = buffer.getvalue()
    return result


@contextlib.contextmanager
def student_code() -> Iterator[None]:
    """Around any other place where student code may run (a method of what it returned):
    what it patched is undone on the way out."""
    try:
        yield
    finally:
        restore()


@contextlib.contextmanager
def observed_fits() -> Iterator[list[int]]:
    """While student code runs inside, every Model.fit it calls is the real one, and the epochs
    each ran are listed (the probe's own wrapper; undone by the next ``restore``)."""
    ran: list[int] = []

    def fit(model: Any, *args: Any, **kwargs: Any) -> Any:
        history = captured.fit(model, *args, **kwargs)
        ran.append(len(getattr(history, "epoch", None) or []))
        return history

    captured.Model.fit = fit
    try:
        yield ran
    finally:
        restore()


def defaults(function: Any) -> dict[str, Any]:
    """The default of each parameter of ``function`` that has a plain one (for the judges)."""
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return {}
    return {
        p.name: plain(p.default) for p in parameters if p.default is not inspect.Parameter.empty
    }


def lookup(ctx: ProbeContext, name: str) -> tuple[Any, ErrorInfo | None]:
    """The student's ``name``, or an error record saying it is missing.

    Every probe starts here: what the submission patched when it was loaded is undone first."""
    restore()
    value = ctx.namespace.get(name)
    if value is None:
        return None, ErrorInfo(type="Missing", message=f"no '{name}' is defined")
    return value, None


def plain(value: Any) -> Any:
    """A JSON-able copy of simple values (numbers, strings, tuples, lists, None, numpy scalars)."""
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"int": int(value)}
    if isinstance(value, (float, np.floating)):
        return {"float": float(value)}
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return {type(value).__name__: [plain(item) for item in value]}
    return {"other": type(value).__name__, "repr": repr(value)[:120]}


def write_json(path: Path, data: dict) -> None:
    """Write ``data`` atomically, so the grader never reads half a file."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, allow_nan=True))
    partial.replace(path)


def call_each(ctx: ProbeContext, name: str, inputs: list[Any]) -> dict[str, Any]:
    """Call the student's ``name`` on each input; its answers as plain values."""
    function, missing = lookup(ctx, name)
    if missing:
        return {"error": missing}
    answers = []
    for argument in inputs:
        result = call(ctx, function, argument)
        answers.append({"error": result["error"], "value": plain(result["value"])})
    return {"error": None, "answers": answers}
