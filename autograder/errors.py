"""The one exception type for user errors; the CLI turns it into ``Error: ...`` and exit 1."""


class GraderError(Exception):
    """A problem the user can fix (bad file, unknown assignment, bad course.yaml)."""
