"""Nothing earns nothing (docs/INTERFACE.md section 6), exercise by exercise.

The released stub, and the stub with every body replaced by one that returns its input, returns
None or does nothing, are graded (in the session's ``corpus_batch``): every exercise scores 0
and no sub-check passes. What the template already gives (a class that subclasses Callback, the
signatures) is kept in all of them, so it is proven to earn nothing alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import EXERCISES, STUB_MODULE

BODIES = {
    "returns_input": "return {first}",
    "returns_none": "return None",
    "does_nothing": "pass",
}


def stub_with(body: str, stub: str) -> str:
    """The stub with each `raise NotImplementedError()` replaced by ``body`` (``{first}``: the
    function's first argument); ``__init__`` only calls ``super().__init__()``."""
    lines = stub.splitlines()
    functions = [node for node in ast.walk(ast.parse(stub)) if isinstance(node, ast.FunctionDef)]
    for node in functions:
        raises = [s for s in node.body if isinstance(s, ast.Raise)]
        if not raises:
            continue
        line = raises[0].lineno - 1
        indent = lines[line][: len(lines[line]) - len(lines[line].lstrip())]
        names = [a.arg for a in node.args.args if a.arg != "self"]
        code = "super().__init__()" if node.name == "__init__" else body.format(first=names[0])
        lines[line] = indent + code
    changed = "\n".join(lines) + "\n"
    assert "raise NotImplementedError()" not in changed, "a stub body was left unreplaced"
    return changed


CORPUS_GROUP = "nothing"


def corpus_members(tmp: Path) -> dict[str, str | Path]:
    """What this module adds to the session's ``corpus_batch``: the stub and its three
    trivial rewrites."""
    stub = STUB_MODULE.read_text()
    members: dict[str, str | Path] = {"stub": STUB_MODULE}
    members.update({kind: stub_with(body, stub) for kind, body in BODIES.items()})
    return members


@pytest.fixture(scope="module")
def graded(corpus_batch: dict[str, dict[str, dict]]) -> dict[str, dict]:
    return corpus_batch[CORPUS_GROUP]


@pytest.mark.parametrize("kind", ["stub", *BODIES])
def test_nothing_earns_nothing(graded: dict[str, dict], kind: str) -> None:
    earned = {t["name"]: t["score"] for t in graded[kind]["tests"] if t["score"] != 0}
    passed = [
        f"{t['name']}: {line}"
        for t in graded[kind]["tests"]
        for line in t["output"].splitlines()
        if line.startswith("PASS")
    ]
    assert not earned and not passed, f"{kind} earned {earned}: {passed}"
    assert len(graded[kind]["tests"]) == len(EXERCISES)


def test_bodies_are_what_they_claim() -> None:
    """The generated bodies really are trivial: the two kinds differ only in their bodies."""
    returns_input = stub_with(BODIES["returns_input"], STUB_MODULE.read_text())
    assert "def normalize(images):" in returns_input
    assert "    return images\n" in returns_input
    assert "        return epoch\n" in returns_input
    assert "        super().__init__()\n" in returns_input
