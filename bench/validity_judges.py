"""Mutation analysis of the judges' own new verdict code: would a broken verdict be noticed?

    python bench/validity_judges.py [--base REV] [--out DIR]

``bench/validity.py`` mutates the solution and asks whether the grader notices; this asks the
converse of the verdict code issue 20 added (the ThresholdCallback gate, the compile_model loss on
probabilities, train_until's empty History). mutmut's operators make mutants of each judge module
in ``JUDGES``, kept when every line they change is one ``git diff BASE`` adds there. Each mutant
replaces its judge in ``sys.modules`` (the grader's own ``checks.judge`` then loads it) and
judges the cases: records the real probes made, in this process, of realistic wrong and correct
answers (tests/assignments/c1w2/: every ThresholdCallback mistake of the corpus and every
callback spelling of the equivalence corpus; loss spellings, from_logits=True on a small trained
model; train_until returning an empty History), and a few records edited to reach each branch.
A mutant is *killed* when a case's score or the feedback a test pins changes; a survivor whose
only change is inside a feedback string's wording is *wording* (the score cannot change); any
other survivor is *equivalent* if bench/validity_judges_equivalent.yaml gives its reason, else a
*gap*. Writes DIR/validity_judges.md and .json (default bench/).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.validity import mutant_sources  # noqa: E402

PACKAGE = "autograder.assignments.c1w2"
JUDGES = {  # judge module -> exercise id
    "threshold_callback": "ThresholdCallback",
    "compile_model": "compile_model",
    "train_until": "train_until",
}
EQUIVALENT = ROOT / "bench" / "validity_judges_equivalent.yaml"
BASE = "9b34240"  # the commit before issue 20's verdicts: the lines added since are mutated


@dataclass
class Case:
    """A record the probe made (or one edited from it) and what the tests pin about its verdict."""

    name: str
    exercise: str
    data: dict[str, Any]
    ctx: Any  # the JudgeContext it is judged in
    holds: Callable[[Any], bool]  # the verdict (an ExerciseResult) is as the tests want


def added_lines(path: Path, base: str) -> set[int]:
    """Line numbers of ``path`` that ``git diff base`` shows as added."""
    diff = subprocess.run(
        ["git", "diff", "-U0", base, "--", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines: set[int] = set()
    for line in diff.splitlines():
        if line.startswith("@@"):
            new = line.split("+", 1)[1].split(" ", 1)[0]
            start, _, count = new.partition(",")
            lines.update(range(int(start), int(start) + int(count or 1)))
    return lines


def changed_lines(source: str, mutated: str) -> tuple[set[int], list[str], list[str]]:
    """Lines of ``source`` a mutant changes, and the removed and added text."""
    import difflib

    old, new = source.splitlines(), mutated.splitlines()
    touched: set[int] = set()
    removed: list[str] = []
    added: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            touched.update(range(i1 + 1, max(i2, i1 + 1) + 1))
            removed += old[i1:i2]
            added += new[j1:j2]
    return touched, removed, added


def only_wording(source: str, mutated: str) -> bool:
    """Whether the mutant changes nothing but feedback text: string literals that are sentences
    (or empty), not keys or names."""

    def shape(text: str) -> str:
        tree = ast.parse(text)
        for node in ast.walk(tree):
            sentence = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if sentence and (" " in node.value or not node.value):  # not a key or a name
                node.value = ""
        return ast.dump(tree)

    return shape(source) == shape(mutated)


def load_as(name: str, source: str, folder: Path) -> Any:
    """``source`` imported as the module ``name`` (relative imports resolve in its package)."""
    import importlib.util

    path = folder / f"{name.rsplit('.', 1)[-1]}_{abs(hash(source))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def threshold_cases(tmp: Path) -> list[Case]:
    from itertools import product

    from tests.assignments.c1w2.callbacks import (
        SOLUTION,
        DoesNothing,
        SpeaksNeverStops,
        context,
        load_module,
        record_of,
    )
    from tests.corpus.equivalence import AXES, render
    from tests.corpus.sample_class import mistake_source

    ctx = context(tmp)
    mistakes = yaml.safe_load((ROOT / "tests" / "corpus" / "mistakes.yaml").read_text())
    cases = []
    for name, entry in mistakes.items():
        want = (entry.get("expect") or {}).get("ThresholdCallback")
        if not want:
            continue
        source = mistake_source(name, entry, SOLUTION.read_text())
        cls = load_module(tmp / f"{name}.py", source).ThresholdCallback
        texts = want["feedback"] if isinstance(want["feedback"], list) else [want["feedback"]]
        cases.append(
            Case(
                name,
                "ThresholdCallback",
                record_of(cls, tmp).model_dump(mode="json"),
                ctx,
                lambda r, s=want["score"], t=texts: (
                    r.score == s and all(x in r.feedback() for x in t)
                ),
            )
        )
    for callback, message in product(AXES["callback"], AXES["message"]):
        choices = {"imports": "tf.keras", "callback": callback, "message": message}
        source = "import tensorflow as tf\n\n" + render(choices, "ThresholdCallback") + "\n"
        cls = load_module(tmp / f"{callback}_{message}.py", source).ThresholdCallback
        data = record_of(cls, tmp).model_dump(mode="json")
        cases.append(Case(f"{callback}/{message}", "ThresholdCallback", data, ctx, _full))
    for cls, why, alone in (
        (DoesNothing, "it never stopped training nor printed anything", 2),
        (SpeaksNeverStops, "it never set self.model.stop_training = True", 3),
    ):
        cases.append(
            Case(
                cls.__name__,
                "ThresholdCallback",
                record_of(cls, tmp).model_dump(mode="json"),
                ctx,
                lambda r, w=why, n=alone: (
                    r.score == 0
                    and sum(
                        c.message.startswith("not counted: ") and w in c.message for c in r.checks
                    )
                    == n
                ),
            )
        )
    data = record_of(SpeaksNeverStops, tmp).model_dump(mode="json")
    data["real_fit"] = {"type": "History", "is_history": True, "history": {"accuracy": [0.6] * 6}}
    cases.append(
        Case(
            "never stops, real fit below 0.7",
            "ThresholdCallback",
            data,
            ctx,
            lambda r: (
                r.score == 0 and sum(c.message.startswith("not counted: ") for c in r.checks) == 4
            ),
        )
    )
    return cases


def _full(result: Any) -> bool:
    return bool(result.score == result.max_score)


def compile_cases(tmp: Path) -> list[Case]:
    from autograder.assignments.c1w2.compile_model.judge import _sparse_crossentropy
    from autograder.checks import activations
    from tests.assignments.c1w2.callbacks import context
    from tests.assignments.c1w2.compiled import probed, write_reference

    ctx = context(tmp)
    inputs = write_reference(tmp)
    correct = [
        '"sparse_categorical_crossentropy"',
        "tf.keras.losses.SparseCategoricalCrossentropy()",
        "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=False)",
        "tf.keras.losses.sparse_categorical_crossentropy",
        "tf.losses.SparseCategoricalCrossentropy()",
    ]
    cases = [Case(loss, "compile_model", probed(loss, inputs, tmp), ctx, _full) for loss in correct]

    def from_logits(result: Any) -> bool:
        fix = next(c.message for c in result.checks if c.name == "loss")
        return bool(
            result.score == 6
            and "the model already outputs probabilities" in fix
            and "from_logits must be False" in fix
            and "where their cross-entropy is" in fix
        )

    wrong = [
        "tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        "lambda y, p: tf.keras.losses.sparse_categorical_crossentropy(y, p, from_logits=True)",
    ]
    cases += [
        Case(loss, "compile_model", probed(loss, inputs, tmp), ctx, from_logits) for loss in wrong
    ]
    base = cases[0].data
    evaluated = base["evaluated"]
    outputs = np.asarray(evaluated["outputs"])
    labels = np.asarray(evaluated["labels"])
    expected = _sparse_crossentropy(outputs, labels)
    as_if_logits = _sparse_crossentropy(activations.KNOWN["softmax"](outputs), labels)

    def edited(name: str, holds: Callable[[Any], bool], **changes: Any) -> Case:
        data = {**base, "evaluated": {**evaluated, **changes}}
        return Case(name, "compile_model", data, ctx, holds)

    def loses_loss(text: str) -> Callable[[Any], bool]:
        return lambda r: r.score == 6 and text in r.feedback()

    error = {"type": "ValueError", "message": "no", "where": None}
    cases += [
        edited(
            "loss raised on probabilities",
            loses_loss("the compiled loss on the model's probabilities raised ValueError"),
            on_probabilities={"error": error, "value": None},
        ),
        edited(
            "no loss on probabilities",
            loses_loss("could not be computed"),
            on_probabilities={"error": None, "value": None},
        ),
        edited(
            "another loss on probabilities",
            loses_loss(f"is {expected + 0.5:.3f}, where"),
            on_probabilities={"error": None, "value": expected + 0.5},
        ),
        edited(
            "just within tolerance",
            _full,
            on_probabilities={"error": None, "value": expected * 1.0009},
        ),
        edited(
            "just outside tolerance",
            loses_loss("where their sparse categorical"),
            on_probabilities={"error": None, "value": expected + 0.0011 * max(1, expected)},
        ),
        edited(
            "from_logits seen in an eager evaluate",
            loses_loss("from_logits=True"),
            logs={**evaluated["logs"], "loss": as_if_logits},
        ),
    ]
    return cases


def train_until_cases(tmp: Path) -> list[Case]:
    from autograder.assignments.c1w2.train_until.probe import probe
    from autograder.checks.inputs import SHORT_RUN, probe_settings
    from autograder.probe.harness import ProbeContext
    from tests.assignments.c1w2.callbacks import ASSIGNMENT, SOLUTION, load_module
    from tests.assignments.c1w2.test_train_until_judge import EMPTY_HISTORY, context

    module = load_module(tmp / "empty_history.py", SOLUTION.read_text() + EMPTY_HISTORY)
    namespace = {"train_until": module.train_until}
    probe_ctx = ProbeContext(namespace, tmp, tmp, probe_settings(ASSIGNMENT), (module.__file__,))
    record = probe(probe_ctx).model_dump(mode="json", by_alias=True)
    ctx = context(tmp)
    checks = ASSIGNMENT.checks

    def history(**columns: list[float]) -> dict[str, Any]:
        return {**record, "history": {**record["history"], "history": columns}}

    def passes(*names: str, fails: tuple[str, ...] = ()) -> Callable[[Any], bool]:
        def holds(result: Any) -> bool:
            passed = {c.name for c in result.checks if c.passed}
            return set(names) <= passed and not set(fails) & passed

        return holds

    honest = {**record, "short_run": {"error": None, "fits": [SHORT_RUN["max_epochs"]]}}
    below = checks.train_until_threshold - 0.1
    reached = [below, checks.train_until_threshold]
    every = (
        "returns (model, history)",
        "reaches threshold",
        "stops at first epoch reaching it",
        "halts before max_epochs",
    )
    return [
        Case(
            "reaches it at the second epoch",
            "train_until",
            {**honest, "history": history(accuracy=reached, loss=[0.6, 0.4])["history"]},
            ctx,
            passes(*every),
        ),
        Case(
            "empty History",
            "train_until",
            record,
            ctx,
            lambda r: r.score == 0 and "a History with no epochs in it" in r.feedback(),
        ),
        Case(
            "empty columns",
            "train_until",
            history(accuracy=[], loss=[]),
            ctx,
            lambda r: r.score == 0 and "a History with no epochs in it" in r.feedback(),
        ),
        Case(
            "one epoch",
            "train_until",
            history(accuracy=[below]),
            ctx,
            passes("returns (model, history)"),
        ),
        Case(
            "ran max_epochs",
            "train_until",
            {
                **honest,
                "history": history(accuracy=[below] * checks.train_until_max_epochs)["history"],
            },
            ctx,
            passes("returns (model, history)", fails=("halts before max_epochs",)),
        ),
    ]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base",
        default=BASE,
        help="git revision the new lines are diffed from (default: before issue 20's verdicts)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args(argv)
    from autograder import checks

    started = time.monotonic()
    equivalent = yaml.safe_load(EQUIVALENT.read_text()) if EQUIVALENT.exists() else {}
    report: dict[str, Any] = {"base": args.base, "judges": {}}
    with tempfile.TemporaryDirectory(prefix="validity-judges-") as scratch:
        tmp = Path(scratch)
        cases = threshold_cases(tmp) + compile_cases(tmp) + train_until_cases(tmp)
        for folder, exercise in JUDGES.items():
            name = f"{PACKAGE}.{folder}.judge"
            path = ROOT / "autograder" / "assignments" / "c1w2" / folder / "judge.py"
            source = path.read_text()
            original = (
                sys.modules[name] if name in sys.modules else __import__(name, fromlist=["x"])
            )
            mine = [case for case in cases if case.exercise == exercise]
            wrong = [c.name for c in mine if not _holds(c, checks, exercise)]
            if wrong:
                raise SystemExit(f"{folder}: the unmutated judge fails its cases: {wrong}")
            new = added_lines(path, args.base)
            verdicts: dict[str, dict[str, Any]] = {}
            for mutated in mutant_sources(source):
                touched, removed, added = changed_lines(source, mutated)
                if not touched or not touched <= new:
                    continue
                digest = hashlib.sha1(("\n".join(removed) + "\n->\n" + "\n".join(added)).encode())
                key = f"{folder}-{digest.hexdigest()[:8]}"
                try:
                    sys.modules[name] = load_as(name, mutated, tmp)
                    killed_by = next(
                        (c.name for c in mine if not _holds(c, checks, exercise)), None
                    )
                except Exception as exc:  # noqa: BLE001 - a mutant that cannot load is killed
                    killed_by = f"{type(exc).__name__} on loading"
                finally:
                    sys.modules[name] = original
                if killed_by:
                    status = "killed"
                elif only_wording(source, mutated):
                    status = "wording"
                elif key in equivalent:
                    status = "equivalent"
                else:
                    status = "gap"
                verdicts[key] = {
                    "line": min(touched),
                    "diff": " / ".join(
                        [f"- {x.strip()}" for x in removed] + [f"+ {x.strip()}" for x in added]
                    ),
                    "status": status,
                    "killed_by": killed_by,
                    "reason": equivalent.get(key),
                }
            report["judges"][folder] = {
                "cases": len(mine),
                "new_lines": len(new),
                "mutants": verdicts,
            }
    report["seconds"] = round(time.monotonic() - started, 1)
    write(report, args.out)
    return report


def _holds(case: Case, checks: Any, exercise: str) -> bool:
    try:
        result = checks.judge(exercise, case.data, case.ctx)
    except Exception:  # noqa: BLE001 - a judge that crashes is noticed
        return False
    return says_something(result) and bool(case.holds(result))


def says_something(result: Any) -> bool:
    """Every sub-check's feedback is text (a None would show as "None")."""
    return all(isinstance(c.message, str) and c.message for c in result.checks)


def write(report: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "validity_judges.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Mutation analysis of the judges' new verdict code",
        "",
        f"Written by `python bench/validity_judges.py` ({report['seconds']:.0f} s): mutmut's "
        f"operators on the lines `git diff {report['base']}` adds to each judge; every mutant "
        "judged the cases the probes recorded in process (see the module docstring).",
        "",
        "| judge | new lines | cases | mutants | killed | wording only | equivalent | gaps |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for folder, data in report["judges"].items():
        statuses = [v["status"] for v in data["mutants"].values()]
        lines.append(
            f"| {folder} | {data['new_lines']} | {data['cases']} | {len(statuses)} | "
            f"{statuses.count('killed')} | {statuses.count('wording')} | "
            f"{statuses.count('equivalent')} | {statuses.count('gap')} |"
        )
    for status, title in (
        ("gap", "Gaps"),
        ("equivalent", "Equivalent"),
        ("wording", "Wording only"),
    ):
        chosen = [
            (key, v)
            for data in report["judges"].values()
            for key, v in data["mutants"].items()
            if v["status"] == status
        ]
        lines += ["", f"## {title} ({len(chosen)})", ""]
        lines += [
            f"- `{key}` (line {v['line']}): `{v['diff']}`"
            + (f" — {v['reason']}" if v["reason"] else "")
            for key, v in chosen
        ] or ["None."]
    (out / "validity_judges.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
