"""The assignments this kit ships: one package each, named in course.yaml (`package:`).

An assignment package holds one folder per exercise (``record.py``, ``probe.py``, ``judge.py``)
and, in its ``__init__``, the table ``EXERCISES`` of exercise id -> folder. The ``__init__``
imports nothing: the sandbox imports the package on its way to a probe.
"""
