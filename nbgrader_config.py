"""nbgrader configuration: the repository root is the course directory."""

from pathlib import Path

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "tf-c1"
# `autograder release` writes the stub module, visible tests and README; nbgrader must not copy
# the module template (it holds the solutions) or the student folder into release/.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "fashion_mnist.py",
    "student",
]
# Hidden test cells train real models (train_until, normalization_effect): allow them time.
c.Execute.timeout = 300
