"""Keep the notebook and the module from drifting apart: each solution cell must equal the
module's code for the same name, solution markers included."""

from __future__ import annotations

import ast

import nbformat


def module_segments(text: str) -> dict[str, str]:
    """Top-level functions, classes and assignments of ``text`` by name, with their trailing
    indented comment lines (the ``### END SOLUTION`` marker ends a function but is no
    statement)."""
    lines = text.splitlines()
    segments = {}
    for node in ast.parse(text).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            name = node.name
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
        else:
            continue
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))]) - 1
        end = node.end_lineno or node.lineno
        while end < len(lines) and lines[end].startswith((" ", "\t")):
            end += 1
        segments[name] = "\n".join(lines[start:end])
    return segments


def drift(notebook: nbformat.NotebookNode, module_text: str) -> list[str]:
    """Names whose solution cell differs from the module (empty when in sync)."""
    segments = module_segments(module_text)
    problems = []
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution"):
            continue
        name = meta.get("grade_id", "")
        if segments.get(name, "").strip() != cell.source.strip():
            problems.append(name)
    return problems
