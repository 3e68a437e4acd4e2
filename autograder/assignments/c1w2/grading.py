"""What grading c1w2 prepares once per batch, on the grader's side: the probes' settings and
the reference models and data (see ``autograder.checks.prepare``)."""

from __future__ import annotations

from autograder.checks.inputs import probe_settings as settings
from autograder.checks.reference import make_references as references

__all__ = ["references", "settings"]
