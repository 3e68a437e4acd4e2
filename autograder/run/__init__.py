"""Running a submission: the sandboxed worker (child side) and its supervisor (grader side)."""
