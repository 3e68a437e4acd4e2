"""A notebook saved as a script, as Jupyter's "Download as Python" saves it."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters import ScriptExporter

# What a Python kernel (ipykernel) records in a notebook Jupyter saved: its nbconvert_exporter
# sends ScriptExporter to the Python exporter, which writes `# In[ ]:` markers and turns each
# IPython line into a get_ipython() call. A notebook that never met a kernel lacks it, and
# ScriptExporter would copy its cells' text as it is.
PYTHON_KERNEL_LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}


def exported_script(notebook_path: Path) -> str:
    """The Python script nbconvert's ScriptExporter makes of ``notebook_path`` once Jupyter
    has saved it from a Python kernel (``jupyter nbconvert --to script``, "Download as
    Python"): markdown as comments, IPython lines as ``get_ipython()`` calls."""
    notebook = nbformat.read(notebook_path, as_version=4)
    language = notebook.metadata.get("language_info", {})
    notebook.metadata["language_info"] = {**PYTHON_KERNEL_LANGUAGE_INFO, **language}
    script, _ = ScriptExporter().from_notebook_node(notebook)
    return script
