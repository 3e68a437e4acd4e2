"""predict_labels: probe.py runs in the sandbox, judge.py scores what it recorded."""
