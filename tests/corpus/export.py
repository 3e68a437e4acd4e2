"""A notebook saved as a script, as Jupyter's "Download as Python" saves it."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters import ScriptExporter


def exported_script(notebook_path: Path) -> str:
    """The Python script nbconvert's ScriptExporter makes of ``notebook_path``
    (``jupyter nbconvert --to script``): markdown as comments, IPython lines as
    ``get_ipython()`` calls."""
    notebook = nbformat.read(notebook_path, as_version=4)
    script, _ = ScriptExporter().from_notebook_node(notebook)
    return script
