"""``autograder lti push``: each student's final score into the LMS over LTI 1.3 Assignment and
Grade Services, with the tool's own service credentials, through pylti1p3 (its maintained fork,
``pylti1p3next``).

Small modules: ``settings`` (the platform file), ``scores`` (what ``autograder grade`` wrote),
``roster`` (student -> LMS user id, from Names and Role Provisioning Services or a CSV file),
``journal`` (what was sent, so that a second push sends nothing), ``platform`` (the library's
services behind one error each) and ``push`` (the verb).
"""
