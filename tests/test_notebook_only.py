"""autograder.notebook_only: what only a notebook runs is left out of a module, line for line."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from autograder.notebook_only import (
    CELL,
    IPYTHON,
    NotPython,
    module_bytes,
    notebook_only,
    released_cells_of,
    summary,
)
from tests.conftest import RELEASED_NOTEBOOK, SOLUTION_NOTEBOOK


def run(source: str, **names: object) -> dict:
    """The namespace ``source`` leaves once run by plain Python (in this test process: the
    sources here are the tests' own)."""
    namespace: dict = dict(names)
    exec(compile(source, "<test>", "exec"), namespace)  # noqa: S102 - the test's own source
    return namespace


def left(source: str, **kwargs: object) -> list[tuple[int, str, str]]:
    """(line, kind, what) of each thing ``notebook_only`` left out of ``source``."""
    return [(r.line, r.kind, r.what) for r in notebook_only(source, **kwargs).left_out]


def same_lines(before: str, after: str) -> None:
    assert len(before.split("\n")) == len(after.split("\n"))


EXPORTED = textwrap.dedent(
    """\
    #!/usr/bin/env python
    # coding: utf-8

    # In[1]:


    get_ipython().run_line_magic('matplotlib', 'inline')
    get_ipython().system('pip install -q tensorflow')
    import math


    # In[2]:


    def area(r):
        return math.pi * r * r

    print(area(1))
    """
)


def test_line_magics_and_shell_lines_become_pass_and_the_rest_runs():
    result = notebook_only(EXPORTED)
    same_lines(EXPORTED, result.source)
    assert [(r.line, r.kind, r.what) for r in result.left_out] == [
        (7, IPYTHON, "%matplotlib inline"),
        (8, IPYTHON, "!pip install -q tensorflow"),
    ]
    assert result.source.split("\n")[6:8] == ["pass", "pass"]
    assert run(result.source)["area"](2) == pytest.approx(4 * 3.14159, rel=1e-4)


def test_without_it_the_export_does_not_run():
    with pytest.raises(NameError, match="get_ipython"):
        run(EXPORTED)


def test_every_line_keeps_its_number_so_tracebacks_point_into_the_file():
    source = EXPORTED + "area(None)\n"
    result = notebook_only(source)
    with pytest.raises(TypeError) as raised:
        run(result.source)
    frames = [f for f in __import__("traceback").extract_tb(raised.value.__traceback__)]
    lines = source.split("\n")
    assert [lines[f.lineno - 1].strip() for f in frames if f.filename == "<test>"] == [
        "area(None)",
        "return math.pi * r * r",
    ]


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("get_ipython().run_line_magic('load_ext', 'autoreload')", "%load_ext autoreload"),
        ("get_ipython().run_line_magic('pinfo', 'math.sqrt')", "%pinfo math.sqrt"),
        ("files = get_ipython().getoutput('ls')", "!ls"),
        ("elapsed = get_ipython().run_line_magic('timeit', '-o 1 + 1')", "%timeit -o 1 + 1"),
        ("get_ipython().system('nvidia-smi')", "!nvidia-smi"),
        ("get_ipython().run_cell_magic('writefile', 'a.py', 'x = 1\\n')", "%%writefile a.py cell"),
        ("get_ipython().run_cell_magic('bash', '', 'ls\\n')", "%%bash cell"),
        ("get_ipython().magic('matplotlib inline')", "get_ipython().magic('matplotlib inline')"),
    ],
)
def test_each_kind_of_exported_ipython_line_is_left_out(line, what):
    source = f"import math\n{line}\nkept = 1\n"
    result = notebook_only(source)
    assert [(r.line, r.what) for r in result.left_out] == [(2, what)]
    assert run(result.source)["kept"] == 1


def test_a_statement_on_several_lines_leaves_blank_lines_behind():
    source = "get_ipython().system(\n    'pip install'\n    ' x'\n)\nkept = 4\n"
    result = notebook_only(source)
    assert result.source == "pass\n\n\n\nkept = 4\n"
    assert [(r.line, r.end_line) for r in result.left_out] == [(1, 4)]


def test_beside_other_statements_on_the_line_only_the_ipython_one_goes():
    source = 'a = "é"; get_ipython().run_line_magic("load_ext", "x"); b = 2\n'
    result = notebook_only(source)
    assert run(result.source)["b"] == 2
    assert run(result.source)["a"] == "é"


def test_inside_a_function_only_the_line_goes_and_the_function_still_works():
    source = textwrap.dedent(
        """\
        def trained():
            get_ipython().run_line_magic('time', 'x = 1')
            return 3
        """
    )
    result = notebook_only(source)
    assert left(source) == [(2, IPYTHON, "%time x = 1")]
    assert run(result.source)["trained"]() == 3


def test_a_compound_statement_whose_header_asks_ipython_goes_whole():
    source = textwrap.dedent(
        """\
        if 'google.colab' in str(get_ipython()):
            from google.colab import drive
        else:
            where = 'local'
        kept = 1
        """
    )
    result = notebook_only(source)
    assert [(r.line, r.end_line) for r in result.left_out] == [(1, 4)]
    assert "where" not in run(result.source)
    same_lines(source, result.source)


def test_inside_if_and_try_blocks_the_block_stays_valid():
    source = textwrap.dedent(
        """\
        try:
            get_ipython().run_line_magic('matplotlib', 'inline')
        except NameError:
            fell_back = True
        if True:
            get_ipython().system('ls')
        kept = 1
        """
    )
    namespace = run(notebook_only(source).source)
    assert namespace["kept"] == 1 and "fell_back" not in namespace


def test_a_decorated_definition_goes_with_its_decorators():
    source = "@register(get_ipython())\ndef f():\n    pass\nkept = 1\n"
    assert left(source) == [(1, IPYTHON, "@register(get_ipython())")]
    assert run(notebook_only(source).source)["kept"] == 1


def test_a_name_that_is_not_called_or_a_method_of_the_same_name_is_kept():
    source = "shell = get_ipython\nclass A:\n    def get_ipython(self):\n        return 1\n"
    source += "kept = A().get_ipython()\n"
    result = notebook_only(source)
    assert result.left_out == () and result.source == source


def test_time_and_capture_cells_run_their_code_in_place():
    magic = 'get_ipython().run_line_magic("matplotlib", "inline")'
    body = f"def trained():\\n    return 5\\n\\n{magic}\\n"
    source = f"import math\n\n\n# In[2]:\n\n\nget_ipython().run_cell_magic('time', '', '{body}')\n"
    source += "\n\n# In[3]:\n\n\nkept = trained()\n"
    result = notebook_only(source)
    assert run(result.source)["kept"] == 5
    assert left(source) == [(7, IPYTHON, "%%time"), (10, IPYTHON, "%matplotlib inline")]
    same_lines(source, result.source)
    assert result.source.split("\n")[12] == "kept = trained()"  # the next cell did not move


def test_a_time_cell_longer_than_the_room_after_it_moves_later_lines_down():
    body = "\\n".join(f"v{i} = {i}" for i in range(6))
    source = f"get_ipython().run_cell_magic('capture', 'out', '{body}')\nkept = v5\n"
    result = notebook_only(source)
    assert run(result.source)["kept"] == 5
    assert left(source) == [(1, IPYTHON, "%%capture out")]


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("%matplotlib inline\nkept = 1\n", "%matplotlib inline"),
        ("!pip install tensorflow\nkept = 1\n", "!pip install tensorflow"),
        ("%%time\nkept = 1\n", "%%time"),
        ("def f():\n    %time g()\n    return 1\nkept = f()\n", "%time g()"),
    ],
)
def test_ipython_syntax_pasted_into_a_module_is_left_out_as_in_a_notebook(source, what):
    result = notebook_only(source)
    assert [r.what for r in result.left_out] == [what]
    assert run(result.source)["kept"] == 1
    same_lines(source, result.source)


@pytest.mark.parametrize(
    ("source", "line", "shown"),
    [
        ("x = 1\ny = = 2\n", 2, "y = = 2"),
        ("x = !ls\n", 1, "x = !ls"),
        ("import os\n  !ls\n", 2, "!ls"),  # IPython syntax, but pass does not fit there
        ("def f(:\n    pass\n", 1, "def f(:"),
    ],
)
def test_what_is_not_python_is_reported_with_its_line(source, line, shown):
    with pytest.raises(NotPython) as raised:
        notebook_only(source)
    assert raised.value.line == line
    assert str(raised.value).startswith(f"line {line}: ")
    assert str(raised.value).endswith(shown)
    assert "Traceback" not in str(raised.value) and "\n" not in str(raised.value)


# --- the released notebook's demonstration and check cells --------------------------------


def released() -> dict[str, str]:
    return released_cells_of(RELEASED_NOTEBOOK)


def test_the_released_cells_are_read_without_nbformat():
    cells = released()
    assert {"setup", "given_data", "demo_train", "check_normalize"} <= set(cells)
    assert "load_data()" in cells["demo_load"]
    assert released_cells_of(RELEASED_NOTEBOOK.parent / "missing.ipynb") == {}


def test_demo_and_check_cells_are_left_out_even_reformatted_and_the_given_cells_kept():
    cells = released()

    def commented(text: str) -> str:
        lines = text.split("\n")
        return "\n".join(line + ("  # mine" if "print(" in line else "") for line in lines)

    reformatted = "\n\n".join(
        commented(cells[grade_id]) for grade_id in ("given_data", "demo_load", "check_normalize")
    )
    result = notebook_only(reformatted, released_cells=cells)
    assert [(r.kind, r.what) for r in result.left_out] == [
        (CELL, "cell demo_load"),
        (CELL, "cell check_normalize"),
    ]
    tree = ast.parse(result.source)
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert names == {"load_data"}
    same_lines(reformatted, result.source)


def test_an_edited_check_cell_or_a_part_of_one_is_kept():
    cells = released()
    edited = cells["check_normalize"].replace("[[0, 51, 255]]", "[[0, 51, 254]]")
    part = cells["demo_train"].split("\n\n")[0]
    for text in (edited, part):
        assert notebook_only(text, released_cells=cells).left_out == ()


def test_the_solution_notebook_saved_as_a_script_leaves_out_every_demo_and_check_cell():
    from tests.corpus.export import exported_script

    script = exported_script(SOLUTION_NOTEBOOK)
    result = notebook_only(script, released_cells=released())
    cells = {r.what.removeprefix("cell ") for r in result.left_out if r.kind == CELL}
    expected = {g for g in released() if g.startswith(("demo_", "check_"))}
    assert cells == expected
    same_lines(script, result.source)


# --- the file's bytes, and the sentence ---------------------------------------------------


def test_module_bytes_keeps_the_encoding_and_leaves_what_it_cannot_read_unchanged():
    latin = "# -*- coding: latin-1 -*-\nname = 'café'\nget_ipython().system('ls')\n"
    data, left_out = module_bytes(latin.encode("latin-1"))
    assert data.decode("latin-1") == latin.replace("get_ipython().system('ls')", "pass")
    assert [r.what for r in left_out] == ["!ls"]
    for untouched in (b"x = = 1\n", b"kept = 1\n", b"\xff\xfe bad", b"x = 1\r\n"):
        assert module_bytes(untouched) == (untouched, ())


def test_summary_is_one_short_sentence():
    result = notebook_only(EXPORTED)
    assert summary(result.left_out) == (
        "Not run, as in a notebook: %matplotlib inline (line 7) and "
        "!pip install -q tensorflow (line 8)."
    )
    many = notebook_only("\n".join("get_ipython().system('ls')" for _ in range(8)))
    assert summary(many.left_out).endswith("!ls (line 5) and 3 more IPython line(s).")
    cells = released()
    both = cells["demo_load"] + "\nget_ipython().system('ls')\n" + cells["check_normalize"]
    left_out = notebook_only(both, released_cells=cells).left_out
    assert summary(left_out) == (
        "Not run, as in a notebook: !ls (line 7) and the notebook's 2 demo and check cells."
    )
    one = notebook_only(cells["demo_load"], released_cells=cells).left_out
    assert summary(one) == "Not run, as in a notebook: the notebook's cell demo_load (lines 1-6)."
    assert summary(()) == ""


def test_it_needs_only_the_standard_library_and_runs_nothing():
    """The release copies it beside the visible tests, for the student's environment."""
    path = Path(__file__).resolve().parent.parent / "autograder" / "notebook_only.py"
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
    probe = "import notebook_only; print(notebook_only.notebook_only('exec(1)').left_out)"
    done = subprocess.run(
        [sys.executable, "-S", "-c", probe], cwd=path.parent, capture_output=True, text=True
    )
    assert done.stdout.strip() == "()", done.stderr
    source = "open('/nonexistent/touched', 'w')\nget_ipython().system('ls')\n"
    assert notebook_only(source).source == "open('/nonexistent/touched', 'w')\npass\n"
