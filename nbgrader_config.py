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
# course.yaml's values (points, thresholds) are filled into the notebook before nbgrader makes
# the student version and records the graded cells' points: `nbgrader generate_assignment` and
# `autograder release` give the same notebook (see autograder/release/course_values.py).
from nbgrader.converters import GenerateAssignment  # noqa: E402

c.GenerateAssignment.preprocessors = [
    "autograder.release.course_values.FillCourseValues",
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]

# Late penalties: `nbgrader autograde` asks course.yaml's late policy (assignments.<id>.deadline),
# as `autograder grade` and `autograder gradebook` do (see autograder/gradebook/late.py).
c.AssignLatePenalties.plugin_class = "autograder.gradebook.late.CourseLatePenalty"
c.CourseLatePenalty.course_file = str(Path(__file__).resolve().parent / "course.yaml")
