"""Grade one folder of hostile submissions in a process of its own (started by test_hostile.py).

    python tests/run/hostile_batch.py SUBMISSIONS OUT COURSE_FILE SUMMARY JOBS

A grader that hangs or crashes on a submission must not take the test session with it, so the
batch runs here, watched from outside. SUMMARY gets what the batch returned: whether
``grade.main`` came back, the traceback if it raised, every student's results as returned, the
wall-clock seconds and this process's peak memory (kB).
"""

from __future__ import annotations

import json
import resource
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str]) -> int:
    submissions, out, course, summary = (Path(arg) for arg in argv[1:5])
    jobs = int(argv[5])
    sys.path.insert(0, str(ROOT))
    from autograder import grade

    started = time.monotonic()
    record: dict = {"returned": False, "error": None, "results": {}}
    try:
        graded = grade.main("c1w2", [submissions], out, jobs=jobs, course_file=course)
        record["returned"] = True
        record["results"] = {g.submission.student: g.results for g in graded}
    except BaseException as exc:  # noqa: BLE001 - the point is to report how the grader died
        record["error"] = "".join(traceback.format_exception(exc))[-6000:]
    record["seconds"] = round(time.monotonic() - started, 1)
    record["max_rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    summary.write_text(json.dumps(record))
    return 0 if record["returned"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
