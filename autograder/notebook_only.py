"""What a notebook runs only in Jupyter, left out of a module as the notebook route leaves it out.

A notebook saved as a script (``jupyter nbconvert --to script``, Jupyter's "Download as
Python") turns each IPython line into a call of ``get_ipython()``, which plain Python does not
define: ``%matplotlib inline`` becomes ``get_ipython().run_line_magic('matplotlib', 'inline')``
and ``!pip install x`` becomes ``get_ipython().system('pip install x')``. It also keeps the
released notebook's read-only demonstration and check cells (``demo_*``, ``check_*``), which a
notebook submission's grading never runs. ``notebook_only`` finds both in a module's source
with the ``ast`` module and replaces each statement with ``pass``, keeping every other line
where it was, so that line numbers in tracebacks still point into the student's file. A line
that is IPython syntax itself (``%matplotlib inline`` pasted into a .py file) is left out the
same way, where the parser stops at it.

Nothing here runs the code it reads. This file depends on the standard library only: the
release copies it beside the visible tests, which import it in the student's environment.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

# Grade id prefixes of the released notebook's cells a notebook submission's grading skips.
SKIPPED_CELL_PREFIXES = ("demo_", "check_")
IPYTHON = "ipython"  # kind of a statement that calls get_ipython(), or a line of IPython syntax
CELL = "cell"  # kind of a released demonstration or check cell
SHORT = 60  # characters of a left-out line quoted in its description
# Cell magics that run their cell's code as Python in the notebook's namespace: the notebook
# route runs that code without the magic line, and so does a module exported from it.
PYTHON_CELL_MAGICS = ("time", "capture")


@dataclass(frozen=True)
class LeftOut:
    """One thing left out: its first and last line (1-based), its kind (``IPYTHON`` or
    ``CELL``), and what it was, briefly (``%matplotlib inline``, ``cell demo_train``)."""

    line: int
    end_line: int
    kind: str
    what: str

    def describe(self) -> str:
        """``%matplotlib inline (line 12)``, ``cell demo_train (lines 80-91)``."""
        single = self.end_line == self.line
        where = f"line {self.line}" if single else f"lines {self.line}-{self.end_line}"
        return f"{self.what} ({where})"


@dataclass(frozen=True)
class NotebookOnly:
    """A module's source with its notebook-only statements replaced by ``pass`` (same number
    of lines), and what was left out, in line order."""

    source: str
    left_out: tuple[LeftOut, ...]


class NotPython(ValueError):
    """The source is not Python even with its IPython lines left out: ``line`` and the
    parser's ``reason`` (its str says both in one line)."""

    def __init__(self, line: int, reason: str, text: str = "") -> None:
        self.line, self.reason, self.text = line, reason, text
        quoted = f": {text.strip().splitlines()[0][:SHORT]}" if text.strip() else ""
        super().__init__(f"line {line}: {reason}{quoted}")


def notebook_only(source: str, released_cells: Mapping[str, str] | None = None) -> NotebookOnly:
    """``source`` without what only a notebook runs: statements calling ``get_ipython()`` (at
    any depth: a compound statement whose own header calls it goes as a whole), lines of
    IPython syntax, and runs of top-level statements equal to one of ``released_cells``
    (grade id -> source) whose grade id starts with a ``SKIPPED_CELL_PREFIXES`` prefix.
    Raises ``NotPython`` if the rest does not parse."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines, left_out = _without_ipython_syntax(lines)
    tree = _parse("\n".join(lines))
    replaced: list[ast.stmt] = []
    for grade_id, statements in _cell_runs(tree.body, released_cells or {}):
        replaced += statements
        first, last = _start(statements[0])[0], _end_line(statements[-1])
        left_out.append(LeftOut(first, last, CELL, f"cell {grade_id}"))
    inlined: dict[int, tuple[list[str], int]] = {}  # id -> (cell magic's code, its room)
    for statement in _ipython_statements(tree.body, {id(s) for s in replaced}):
        replaced.append(statement)
        first, last = _start(statement)[0], _end_line(statement)
        body = _python_cell(statement, lines)
        if body is None:
            what = _describe_call(statement, lines)
            left_out.append(LeftOut(first, last, IPYTHON, what))
            continue
        magic, code = body
        left_out.append(LeftOut(first, first, IPYTHON, magic))
        left_out += [
            LeftOut(r.line + first - 1, r.end_line + first - 1, r.kind, r.what)
            for r in code.left_out
        ]
        inlined[id(statement)] = (code.source.rstrip("\n").split("\n"), _room(statement, tree))
    for statement in sorted(replaced, key=_start, reverse=True):
        if id(statement) in inlined:
            _replace_with_code(lines, statement, *inlined[id(statement)])
        else:
            _replace_with_pass(lines, statement)
    return NotebookOnly("\n".join(lines), tuple(sorted(left_out, key=lambda r: r.line)))


def module_bytes(
    data: bytes, released_cells: Mapping[str, str] | None = None
) -> tuple[bytes, tuple[LeftOut, ...]]:
    """A module file's bytes ``data`` through ``notebook_only``, kept in the file's own
    encoding; ``data`` itself, and nothing left out, when nothing is to be left out or when it
    is not Python (importing it then says why, as it would have without this)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        result = notebook_only(data.decode(encoding), released_cells)
        if not result.left_out:
            return data, ()
        return result.source.encode(encoding), result.left_out
    except (SyntaxError, ValueError, LookupError):  # NotPython and UnicodeError are ValueErrors
        return data, ()


def released_cells_of(notebook: Path) -> dict[str, str]:
    """Grade id -> source of each code cell of the notebook file ``notebook`` that has one
    (read as JSON: no nbformat needed); empty if it cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return {}
    found = {}
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict):
            continue
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        text = cell.get("source", "")
        if cell.get("cell_type") == "code" and meta.get("grade_id"):
            found[str(meta["grade_id"])] = "".join(text) if isinstance(text, list) else str(text)
    return found


def summary(left_out: tuple[LeftOut, ...] | list[LeftOut], most: int = 5) -> str:
    """The one sentence a student reads, e.g. ``Not run, as in a notebook: %matplotlib inline
    (line 12), !pip install x (line 13), and the notebook's 11 demo and check cells.``; empty
    when nothing was left out. At most ``most`` IPython lines are named; cells are counted."""
    lines = [record for record in left_out if record.kind != CELL]
    cells = [record for record in left_out if record.kind == CELL]
    parts = [record.describe() for record in lines[:most]]
    if len(lines) > most:
        parts.append(f"{len(lines) - most} more IPython line(s)")
    if len(cells) == 1:
        parts.append(f"the notebook's {cells[0].describe()}")
    elif cells:
        parts.append(f"the notebook's {len(cells)} demo and check cells")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"Not run, as in a notebook: {listed}."


def _parse(text: str) -> ast.Module:
    try:
        return ast.parse(text)
    except SyntaxError as exc:
        raise NotPython(exc.lineno or 0, exc.msg, exc.text or "") from None


def _without_ipython_syntax(lines: list[str]) -> tuple[list[str], list[LeftOut]]:
    """``lines`` with each line the parser stops at that starts with ``%`` or ``!`` (IPython
    syntax: no Python line starts so) replaced by ``pass`` at its indentation."""
    lines, left_out = list(lines), list[LeftOut]()
    for _ in range(len(lines)):
        try:
            ast.parse("\n".join(lines))
        except SyntaxError as exc:
            index = (exc.lineno or 0) - 1
            replaced = [record.what for record in left_out if record.line == index + 1]
            if replaced:  # pass does not fit where that IPython line was
                raise NotPython(index + 1, exc.msg, replaced[0]) from None
            text = lines[index] if 0 <= index < len(lines) else ""
            stripped = text.lstrip()
            if stripped[:1] not in ("%", "!") or stripped.startswith("!="):
                break  # not IPython syntax: _parse reports it
            lines[index] = text[: len(text) - len(stripped)] + "pass"
            left_out.append(LeftOut(index + 1, index + 1, IPYTHON, stripped[:SHORT]))
        else:
            break
    return lines, left_out


def _cell_runs(
    body: list[ast.stmt], released: Mapping[str, str]
) -> Iterator[tuple[str, list[ast.stmt]]]:
    """(grade id, the statements) of each run of top-level statements that is, statement for
    statement, a released demonstration or check cell; longer cells are matched first."""
    cells = []
    for grade_id, text in released.items():
        if not grade_id.startswith(SKIPPED_CELL_PREFIXES):
            continue
        try:
            statements = ast.parse(text).body
        except SyntaxError:
            continue
        if statements:
            cells.append((grade_id, [ast.dump(s) for s in statements]))
    dumps = [ast.dump(s) for s in body]
    used = [False] * len(body)
    for grade_id, cell in sorted(cells, key=lambda item: -len(item[1])):
        size = len(cell)
        for start in range(len(body) - size + 1):
            if any(used[start : start + size]) or dumps[start : start + size] != cell:
                continue
            used[start : start + size] = [True] * size
            yield grade_id, body[start : start + size]


def _is_get_ipython_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
    )


def _header_nodes(statement: ast.stmt) -> Iterator[ast.AST]:
    """The parts of ``statement`` that run when it starts: everything but its nested blocks."""
    for _, value in ast.iter_fields(statement):
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, ast.AST) and not isinstance(
                item, (ast.stmt, ast.excepthandler, ast.match_case)
            ):
                yield item


def _calls_ipython(statement: ast.stmt) -> bool:
    return any(
        _is_get_ipython_call(node) for part in _header_nodes(statement) for node in ast.walk(part)
    )


def _blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists nested in ``statement``: bodies, else, finally, handlers, cases."""
    for _, value in ast.iter_fields(statement):
        if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                    yield item.body


def _ipython_statements(body: list[ast.stmt], taken: set[int]) -> Iterator[ast.stmt]:
    """Each statement of ``body`` (at any depth) that calls ``get_ipython()`` itself, outside
    the statements in ``taken`` (left out already)."""
    for statement in body:
        if id(statement) in taken:
            continue
        if _calls_ipython(statement):
            yield statement
            continue
        for block in _blocks(statement):
            yield from _ipython_statements(block, taken)


def _describe_call(statement: ast.stmt, lines: list[str]) -> str:
    """What an IPython statement was, as it was typed in the notebook when the export says
    (``%matplotlib inline``, ``!pip install x``, ``%%time cell``), else its first line."""
    for node in ast.walk(statement):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and _is_get_ipython_call(node.func.value)
        ):
            continue
        words = _strings(node.args)
        method = node.func.attr
        if method == "run_line_magic" and words:
            return f"%{' '.join(words[:2]).strip()}"[:SHORT]
        if method == "run_cell_magic" and words:
            return f"%%{' '.join(words[:2]).strip()} cell"[:SHORT]
        if method in ("system", "getoutput") and words:
            return f"!{words[0]}"[:SHORT]
        break
    return lines[_start(statement)[0] - 1].strip()[:SHORT]


def _strings(arguments: list[ast.expr]) -> list[str]:
    """The arguments that are string constants, in order."""
    return [a.value for a in arguments if isinstance(a, ast.Constant) and isinstance(a.value, str)]


def _start(statement: ast.stmt) -> tuple[int, int]:
    """Line and column where ``statement`` starts, its decorators included."""
    decorators = getattr(statement, "decorator_list", None) or []
    line = min([statement.lineno, *(d.lineno for d in decorators)])
    return line, statement.col_offset


def _end_line(statement: ast.stmt) -> int:
    return statement.end_lineno or statement.lineno


def _replace_with_pass(lines: list[str], statement: ast.stmt) -> None:
    """Replace ``statement``'s text with ``pass``; its other lines become empty, so every line
    after it keeps its number (what followed it on its last line moves up beside ``pass``)."""
    first, column = _start(statement)
    last, end_column = _end_line(statement), statement.end_col_offset or 0
    head = lines[first - 1].encode("utf-8")[:column].decode("utf-8")  # offsets count bytes
    tail = lines[last - 1].encode("utf-8")[end_column:].decode("utf-8")
    lines[first - 1 : last] = [head + "pass" + tail] + [""] * (last - first)


def _python_cell(statement: ast.stmt, lines: list[str]) -> tuple[str, NotebookOnly] | None:
    """For ``get_ipython().run_cell_magic('time', '', code)`` alone on its top-level lines
    (as nbconvert writes a ``%%time`` cell): the magic (``%%time``) and ``code`` through
    ``notebook_only``; else None (the statement is left out whole)."""
    if not (isinstance(statement, ast.Expr) and statement.col_offset == 0):
        return None
    call = statement.value
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "run_cell_magic"
        and _is_get_ipython_call(call.func.value)
        and len(_strings(call.args)) == len(call.args) == 3
    ):
        return None
    name, line, code = _strings(call.args)
    tail = lines[_end_line(statement) - 1].encode("utf-8")[statement.end_col_offset or 0 :]
    if name not in PYTHON_CELL_MAGICS or tail.strip()[:1] not in (b"", b"#"):
        return None
    try:
        inner = notebook_only(code)
    except NotPython:
        return None
    return f"%%{name} {line}".strip()[:SHORT], inner


def _room(statement: ast.stmt, tree: ast.Module) -> int:
    """How many lines a top-level ``statement`` may fill without moving the next statement:
    its own and the blank or comment lines after it."""
    later = [s for s in tree.body if _start(s)[0] > _end_line(statement)]
    following = min((_start(s)[0] for s in later), default=None)
    if following is None:
        return 10**9  # the last statement: whatever follows is blank or a comment
    return following - _start(statement)[0]


def _replace_with_code(lines: list[str], statement: ast.stmt, code: list[str], room: int) -> None:
    """Replace a top-level ``statement`` with ``code``, over the blank and comment lines after
    it where they suffice, so that later lines keep their numbers; else they move down."""
    first, last = _start(statement)[0], _end_line(statement)
    span = max(last - first + 1, min(len(code), room, len(lines) - first + 1))
    lines[first - 1 : first - 1 + span] = code + [""] * (span - len(code))
