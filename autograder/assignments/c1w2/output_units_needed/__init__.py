"""output_units_needed: probe.py runs in the sandbox, judge.py scores what it recorded."""
