"""Grading on a real Dask cluster (a ``dask scheduler`` and two ``dask worker`` processes on
loopback): the results equal a local run's; a worker killed mid-batch loses nothing; a
submission whose workers keep dying scores 0 with that reason and the batch completes; a
worker without isolation is refused; an unreachable scheduler is a one-line error."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from autograder import grade
from autograder.cli import cli
from autograder.config import load_course
from autograder.distribute import ClusterOptions
from autograder.distribute.client import Session, killed_reason, on_cluster
from autograder.errors import GraderError
from autograder.grade import resume
from autograder.grade.submissions import Submission
from tests.conftest import EXERCISES, SOLUTION_MODULE, without_training, write_class
from tests.distribute import local_cluster

pytestmark = pytest.mark.slow
KILLER_MARK = "# this submission's worker is killed by the test, every time"
KILLER = f"{KILLER_MARK}\ndef normalize(images):\n    while True:\n        pass\n"


def comparable(results: dict) -> dict:
    return {key: value for key, value in results.items() if key != "execution_time"}


@pytest.fixture(scope="module")
def class_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small class: one graded in full, one that does not load, one without a file."""
    root = write_class(
        tmp_path_factory.mktemp("class") / "class",
        {
            "a_solution": without_training(SOLUTION_MODULE.read_text()),  # 88 points, cheap
            "b_syntax": "def normalize(images:\n",
        },
    )
    (root / "c_no_file").mkdir()
    (root / "c_no_file" / "notes.txt").write_text("forgot to upload")
    return root


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    running = local_cluster.start(tmp_path_factory.mktemp("dask"), workers=2, allowed_failures=1)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def local_run(class_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("local") / "graded"
    graded = grade.main("c1w2", [class_root], out, jobs=2)
    return {g.submission.student: g.results for g in graded}


def test_a_cluster_run_equals_a_local_run(
    cluster, class_root: Path, local_run, tmp_path: Path
) -> None:
    root = class_root
    out = tmp_path / "graded"
    result = CliRunner().invoke(
        cli,
        ["grade", "c1w2", str(root), "--out", str(out), "--scheduler", cluster.address,
         "--shared-dir", str(root)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 submission(s) graded" in result.stdout
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == sorted(local_run)
    for student, expected in local_run.items():
        written = json.loads((out / student / "results.json").read_text())
        assert comparable(written) == comparable(expected), student
    assert local_run["a_solution"]["score"] == 88
    assert local_run["b_syntax"]["tests"][0]["output"].startswith(
        "fashion_mnist.py could not be imported: SyntaxError"
    )
    assert local_run["c_no_file"]["output"].startswith("no fashion_mnist.py or fashion_mnist.ipynb")
    # A second run resumes: nothing is sent again.
    again = grade.main(
        "c1w2", [root], out, backend=on_cluster(ClusterOptions(cluster.address, connect_timeout=30))
    )
    assert all(item.resumed for item in again)


def grade_while_killing(cluster, paths: list[Path], out: Path, limits: dict[str, int]):
    """Grade ``paths`` on the cluster, SIGKILLing the worker of each sandbox seen, up to
    ``limits[kind]`` times per kind of submission ("killer", marked, or "other")."""
    outcome: dict = {}

    def run() -> None:
        try:
            options = ClusterOptions(cluster.address, connect_timeout=30)
            outcome["graded"] = grade.main("c1w2", paths, out, backend=on_cluster(options))
        except BaseException as exc:  # raised again below
            outcome["error"] = exc

    batch = threading.Thread(target=run)
    batch.start()
    kills = dict.fromkeys(limits, 0)
    deadline = time.monotonic() + 300
    while batch.is_alive() and time.monotonic() < deadline:
        for sandbox, folder in cluster.sandboxes():
            try:
                kind = (
                    "killer"
                    if KILLER_MARK in (folder / "fashion_mnist.py").read_text()
                    else "other"
                )
                worker = cluster.worker_of(sandbox)
                if worker is not None and kills[kind] < limits[kind]:
                    worker.send_signal(signal.SIGKILL)
                    kills[kind] += 1
            except (OSError, local_cluster.psutil.Error):
                continue  # that sandbox is already gone
        time.sleep(0.1)
    batch.join(timeout=5)
    assert not batch.is_alive(), "the batch did not finish"
    if "error" in outcome:
        raise outcome["error"]
    return {g.submission.student: g.results for g in outcome["graded"]}, kills


def test_a_worker_killed_mid_batch_loses_nothing(
    cluster, class_root: Path, local_run, tmp_path: Path
) -> None:
    out = tmp_path / "graded"  # submissions travel by value
    results, kills = grade_while_killing(cluster, [class_root], out, {"killer": 0, "other": 1})
    assert kills["other"] == 1
    assert sorted(results) == sorted(local_run)
    for student, expected in local_run.items():
        assert comparable(results[student]) == comparable(expected), student
        written = json.loads((out / student / "results.json").read_text())
        assert comparable(written) == comparable(expected), student
    rows = (out / "grades.csv").read_text().splitlines()
    assert [row.split(",")[:2] for row in rows[1:]] == [
        [student, f"{local_run[student]['score']}"] for student in sorted(local_run)
    ]


def test_a_submission_that_keeps_killing_its_worker_scores_0(
    cluster, class_root: Path, local_run, tmp_path: Path
) -> None:
    killer = tmp_path / "e_kills_its_worker.py"
    killer.write_text(KILLER)
    out = tmp_path / "graded"
    paths = [killer, class_root / "b_syntax"]
    results, kills = grade_while_killing(cluster, paths, out, {"killer": 5, "other": 0})
    assert kills["killer"] == 2  # allowed_failures=1: tried on two workers, then given up
    failed = json.loads((out / "e_kills_its_worker" / "results.json").read_text())
    assert failed == results["e_kills_its_worker"]
    assert failed["score"] == 0 and len(failed["tests"]) == len(EXERCISES)
    assert failed["output"] == killed_reason(2)
    assert all(test["output"] == killed_reason(2) for test in failed["tests"])
    assert killed_reason(2).startswith("the grading worker died 2 times while grading")
    # The batch went on: the other submission was graded as usual.
    assert comparable(results["b_syntax"]) == comparable(local_run["b_syntax"])


class FakeClient:
    """Stands in for ``distributed.Client`` where only ``run``'s replies matter."""

    def __init__(self, replies: dict) -> None:
        self.replies = replies

    def run(self, function, *args, on_error: str) -> dict:
        return self.replies


def worker_reply(**changes) -> dict:
    assignment = load_course().assignment("c1w2")
    reply = {
        "describe": "isolation: bubblewrap (...)",
        "missing": [],
        "grader": resume.grader_digest(assignment),
        "threads": 2,
    }
    return {**reply, **changes}


def test_the_client_refuses_a_worker_without_isolation_or_of_another_version() -> None:
    assignment = load_course().assignment("c1w2")
    options = ClusterOptions("tcp://10.1.2.3:8786")
    no_bwrap = "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    replies = {
        "tcp://10.1.2.4:1": worker_reply(),
        "tcp://10.1.2.5:1": worker_reply(missing=[no_bwrap]),
    }
    with pytest.raises(GraderError) as error:
        Session(FakeClient(replies), options, assignment, False).check_workers()
    assert str(error.value) == (
        f"Dask worker tcp://10.1.2.5:1: {no_bwrap}; refusing to grade untrusted code without it "
        "(pass --unsafe-no-sandbox to grade trusted code anyway)"
    )
    unsafe = Session(FakeClient(replies), options, assignment, True)
    unsafe.check_workers()  # told to: graded, and every results.json says so
    assert unsafe.describe() == (
        "Dask scheduler tcp://10.1.2.3:8786: 2 worker(s), 4 thread(s); Graded WITHOUT "
        f"isolation (--unsafe-no-sandbox): {no_bwrap}."
    )
    other = {"tcp://10.1.2.4:1": worker_reply(grader="0" * 64)}
    with pytest.raises(GraderError, match="Dask worker tcp://10.1.2.4:1 runs a different version"):
        Session(FakeClient(other), options, assignment, False).check_workers()
    broken = {"tcp://10.1.2.4:1": ModuleNotFoundError("No module named 'autograder'")}
    with pytest.raises(GraderError) as error:
        Session(FakeClient(broken), options, assignment, False).check_workers()
    assert str(error.value) == (
        "Dask worker tcp://10.1.2.4:1 cannot run the grader (ModuleNotFoundError: No module "
        "named 'autograder'): install c1w2-autograder[dask] there"
    )


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    for address, reason in [
        ("tcp://127.0.0.1:9", "Timed out trying to connect to tcp://127.0.0.1:9 after 1 s"),
        ("127.0.0.1", "missing port number in address '127.0.0.1'"),
    ]:
        result = CliRunner().invoke(
            cli,
            ["grade", "c1w2", str(tmp_path / "a.py"), "--scheduler", address,
             "--scheduler-timeout", "1"],
        )  # fmt: skip
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: cannot reach the Dask scheduler at {address}: {reason}\n",
        )


def test_shared_dir_is_only_for_a_cluster(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("")
    result = CliRunner().invoke(
        cli, ["grade", "c1w2", str(tmp_path / "a.py"), "--shared-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--shared-dir is for grading on a cluster: add --scheduler" in result.stderr


def test_submissions_travel_by_value_unless_under_the_shared_dir(tmp_path: Path) -> None:
    assignment = load_course().assignment("c1w2")
    (tmp_path / "shared").mkdir()
    inside, outside = tmp_path / "shared" / "a.py", tmp_path / "b.ipynb"
    inside.write_text("x = 1\n")
    outside.write_text("{}")
    session = Session(None, ClusterOptions("tcp://x:1", tmp_path / "shared"), assignment, False)
    by_path = session._payload(Submission("a", inside))
    assert (by_path.path, by_path.content, by_path.name) == (str(inside), None, "a.py")
    by_value = session._payload(Submission("b", outside))
    assert (by_value.path, by_value.content, by_value.name) == (None, b"{}", "b.ipynb")
    no_shared = Session(None, ClusterOptions("tcp://x:1"), assignment, False)
    assert no_shared._payload(Submission("a", inside)).content == b"x = 1\n"
