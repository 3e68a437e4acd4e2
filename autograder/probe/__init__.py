"""Probes: the only grader code that runs next to student code, inside the sandbox.

A probe calls the student's functions on inputs chosen by the grader and writes down what came
back as plain data (JSON-able values and ``.npy`` files). It decides nothing: the judges in
``autograder.checks`` score that data in a process that never imported student code. Probes hold
no solution and no expected answer.

This package is what every probe shares (calling student code, describing what it returns);
each exercise's own probe is ``probe.py`` in its folder of the assignment package (see
``autograder.registry``).
"""
