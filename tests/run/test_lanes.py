"""Lanes: which exercises share a process, and how the lanes' results come together."""

from __future__ import annotations

import os
from pathlib import Path

from autograder.config import load_course
from autograder.run.lanes import lanes, merge, take_arrays
from autograder.run.supervisor import RunOutcome


def test_course_lanes_put_two_training_checks_beside_the_rest() -> None:
    groups = lanes(load_course().assignment("c1w2"))
    assert groups[1] == ["train_model", "train_until"]
    assert groups[0][:3] == ["normalize", "build_model", "compile_model"]
    assert sorted(sum(groups, [])) == sorted(load_course().assignment("c1w2").exercises)


def test_merge_keeps_every_lane_and_the_first_load_error() -> None:
    first = RunOutcome(data={"a": {"x": 1}}, notes={"b": "timed out"}, output="one\n")
    second = RunOutcome(data={"c": {"y": 2}}, load_error={"type": "E"}, output="two\n")
    merged = merge([first, second], 3.456, output_limit=4)
    assert merged.data == {"a": {"x": 1}, "c": {"y": 2}}
    assert merged.notes == {"b": "timed out"}
    assert merged.load_error == {"type": "E"}
    assert merged.output == "two\n"  # the last output_limit characters
    assert merged.seconds == 3.46


def test_take_arrays_moves_regular_arrays_and_keeps_what_is_there(tmp_path: Path) -> None:
    lane, target = tmp_path / "lane", tmp_path / "scratch"
    lane.mkdir()
    target.mkdir()
    (lane / "train_until_w0.npy").write_bytes(b"weights")
    (lane / "predicted.npy").write_bytes(b"planted")
    (target / "predicted.npy").write_bytes(b"probe's own")
    (tmp_path / "secret").write_text("host file")
    os.symlink(tmp_path / "secret", lane / "link.npy")
    (lane / "train_model.json").write_text("{}")
    take_arrays(lane, target)
    assert (target / "train_until_w0.npy").read_bytes() == b"weights"
    assert (target / "predicted.npy").read_bytes() == b"probe's own"
    assert not (target / "link.npy").exists() and not (target / "link.npy").is_symlink()
    assert not (target / "train_model.json").exists()
