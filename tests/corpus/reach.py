"""Which exercises an edit of the solution module can change, read from the code.

Each probe calls only its own exercise's definition (``autograder.probe``: one ``lookup`` per
exercise), and that definition runs only the module-level definitions it names, transitively.
So an exercise whose definitions are all untouched by an edit runs exactly the solution's code
and gets the solution's verdict. The mistake corpus uses this to leave such exercises unwritten
(``prune``) and grade only what the mistake can reach.
"""

from __future__ import annotations

import ast


def definitions(source: str) -> dict[str, ast.FunctionDef | ast.ClassDef]:
    """The module's top-level functions and classes, by name."""
    return {
        node.name: node
        for node in ast.parse(source).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }


def _other_statements(source: str) -> list[str]:
    return [
        ast.dump(node)
        for node in ast.parse(source).body
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef))
    ]


def reach(defs: dict[str, ast.FunctionDef | ast.ClassDef], name: str) -> set[str]:
    """``name`` and every definition of ``defs`` it names, transitively."""
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in defs:
            continue
        seen.add(current)
        todo += [n.id for n in ast.walk(defs[current]) if isinstance(n, ast.Name)]
    return seen


def edited(solution: str, text: str) -> set[str] | None:
    """The top-level definitions ``text`` changes; None when it changes anything else (an
    import, a constant, which definitions exist), which can reach every exercise."""
    before, after = definitions(solution), definitions(text)
    if set(before) != set(after) or _other_statements(solution) != _other_statements(text):
        return None
    return {name for name in before if ast.dump(before[name]) != ast.dump(after[name])}


def affected(solution: str, text: str, exercises: list[str]) -> set[str]:
    """The exercises whose code reaches a definition that ``text`` edits."""
    changed = edited(solution, text)
    if changed is None:
        return set(exercises)
    defs = definitions(text)
    return {exercise for exercise in exercises if reach(defs, exercise) & changed}


def unwritten(source: str, names: set[str] | tuple[str, ...]) -> str:
    """``source`` with the body of each function in ``names`` (each method, for a class) left
    as the template leaves it: its docstring, then ``raise NotImplementedError()``."""
    lines = source.splitlines()
    bodies = []
    for name, node in definitions(source).items():
        if name not in names:
            continue
        functions = [node] if isinstance(node, ast.FunctionDef) else node.body
        bodies += [f for f in functions if isinstance(f, ast.FunctionDef)]
    for function in sorted(bodies, key=lambda f: f.lineno, reverse=True):
        first = function.body[1] if ast.get_docstring(function) else function.body[0]
        indent = " " * first.col_offset
        lines[first.lineno - 1 : function.end_lineno] = [f"{indent}raise NotImplementedError()"]
    return "\n".join(lines) + "\n"


def prune(solution: str, text: str, exercises: list[str]) -> tuple[str, set[str]]:
    """``text`` with every exercise it cannot change left unwritten, unless an exercise it
    changes runs that exercise's code; returns the new text and the exercises left unwritten."""
    hit = affected(solution, text, exercises)
    defs = definitions(text)
    needed = set().union(*(reach(defs, exercise) for exercise in hit))
    spared = {e for e in exercises if e not in hit and e not in needed}
    return (unwritten(text, spared) if spared else text), spared
