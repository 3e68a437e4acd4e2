"""double: probe.py runs in the sandbox, judge.py scores what it recorded."""
