"""Mutation analysis of the hidden checks: does each exercise's grading notice a broken body?

    python bench/validity.py [--jobs 2] [--limit N] [--exercise ID ...] [--keep DIR]

Makes mutants of the solution module (solutions/c1w2/fashion_mnist.py) with mutmut's operators
(numbers, strings, names, arguments removed or set to None, comparison and arithmetic swaps,
...), one mutation per mutant and only inside the graded exercises (a function's signature and
body, a class's methods; docstrings and the given code are left alone). Each mutant becomes one
student's fashion_mnist.py in a class folder, and the whole class is graded in one batch with
``autograder grade c1w2 CLASS --out OUT --jobs N`` (warm workers, both cores). A mutant outside
the two exercises that train on real data is graded with those two left unwritten, as
tests/conftest.py's ``without_training`` does: its own exercise is probed with reference parts
only, so that costs it nothing and saves most of the time.

A mutant is *killed* when the exercise it is in loses points; otherwise it *survived*. A survivor
is *equivalent* when bench/validity_equivalent.yaml lists its id with the reason no correct grader
could tell it from the solution by behaviour the contract fixes; any other survivor is a *check
gap*. Writes bench/validity.md and bench/validity.json.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import libcst as cst
import yaml
from libcst.metadata import MetadataWrapper
from mutmut.mutation.file_mutation import MutationVisitor, deep_replace
from mutmut.mutation.mutators import mutation_operators
from mutmut.mutation.pragma_handling import IgnoredCode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder.config import load_course  # noqa: E402
from bench.grading import ASSIGNMENT, grade_folder  # noqa: E402
from tests.conftest import TRAINING_EXERCISES, without_training  # noqa: E402

SOLUTION = ROOT / "solutions" / ASSIGNMENT / "fashion_mnist.py"
EQUIVALENT = ROOT / "bench" / "validity_equivalent.yaml"
OUT = ROOT / "bench"
BASELINE = "baseline"


@dataclass
class Mutant:
    """One mutation of the solution: a stable id, the exercise it is in, its diff and source."""

    id: str
    exercise: str
    removed: list[str]
    added: list[str]
    line: int
    source: str = field(repr=False)

    @property
    def diff(self) -> str:
        return " / ".join(
            [f"- {line.strip()}" for line in self.removed]
            + [f"+ {line.strip()}" for line in self.added]
        )

    @property
    def trains(self) -> bool:
        return self.exercise in TRAINING_EXERCISES


def exercise_lines(source: str, exercises: set[str]) -> dict[int, str]:
    """Line number -> exercise id, for every line of a graded function or class but its
    docstrings."""
    tree = ast.parse(source)
    lines: dict[int, str] = {}
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name not in exercises:
            continue
        for line in range(node.lineno, node.end_lineno + 1):
            lines[line] = node.name
        for inner in ast.walk(node):
            if isinstance(inner, (ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(inner):
                docstring = inner.body[0]
                for line in range(docstring.lineno, docstring.end_lineno + 1):
                    lines.pop(line, None)
    return lines


def mutant_sources(source: str) -> list[str]:
    """Every single-mutation variant of ``source`` that mutmut's operators make, in order."""
    wrapper = MetadataWrapper(cst.parse_module(source))
    visitor = MutationVisitor(mutation_operators, IgnoredCode(set(), set(), set()))
    module = wrapper.visit(visitor)
    return [deep_replace(module, m.original_node, m.mutated_node).code for m in visitor.mutations]


def make_mutants(source: str, exercises: set[str]) -> list[Mutant]:
    """The mutants of ``source`` whose changed lines all lie in one graded exercise."""
    where = exercise_lines(source, exercises)
    original = source.splitlines()
    mutants: list[Mutant] = []
    seen: set[str] = set()
    for mutated in mutant_sources(source):
        if mutated in seen or mutated == source:
            continue
        seen.add(mutated)
        changed = mutated.splitlines()
        removed, added, touched = [], [], set()
        matcher = difflib.SequenceMatcher(a=original, b=changed, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            removed += original[i1:i2]
            added += changed[j1:j2]
            touched.update(range(i1 + 1, max(i2, i1 + 1) + 1))
        owners = {where.get(line) for line in touched}
        if len(owners) != 1 or None in owners:
            continue
        exercise = owners.pop()
        digest = hashlib.sha1(
            ("\n".join(removed) + "\n->\n" + "\n".join(added)).encode()
        ).hexdigest()[:8]
        key = f"{exercise}-{digest}"
        taken = {m.id for m in mutants}
        key = (
            next(f"{key}-{n}" for n in range(1, 99) if f"{key}-{n}" not in taken)
            if key in taken
            else key
        )
        mutants.append(Mutant(key, exercise, removed, added, min(touched), mutated))
    return mutants


def graded_source(mutant: Mutant) -> str:
    """What the student folder holds: training exercises left out unless the mutant is in one."""
    return mutant.source if mutant.trains else without_training(mutant.source)


def grade_class(members: dict[str, str], out: Path, jobs: int) -> dict[str, dict]:
    """Grade ``members`` (student -> fashion_mnist.py text) in one ``autograder grade`` batch."""
    root = out / "class"
    for student, text in members.items():
        (root / student).mkdir(parents=True)
        (root / student / "fashion_mnist.py").write_text(text)
    grade_folder(root, out / "graded", jobs)
    return read_results(members, out / "graded")


def read_results(members: dict[str, str], graded: Path) -> dict[str, dict]:
    """Student -> results.json document, for every student of ``members``."""
    missing = [student for student in members if not (graded / student / "results.json").exists()]
    if missing:
        raise SystemExit(f"{graded}: no results.json for {len(missing)} mutants, e.g. {missing[0]}")
    return {
        student: json.loads((graded / student / "results.json").read_text()) for student in members
    }


def scores_of(results: dict) -> dict[str, tuple[float, float, str]]:
    return {t["name"]: (t["score"], t["max_score"], t["output"]) for t in results["tests"]}


def analyse(
    mutants: list[Mutant], results: dict[str, dict], equivalent: dict[str, str]
) -> dict[str, dict]:
    """Mutant id -> its verdict: killed, equivalent or gap, with the points it lost."""
    verdicts = {}
    for mutant in mutants:
        scores = scores_of(results[mutant.id])
        score, maximum, feedback = scores[mutant.exercise]
        lost = {
            name: f"{s:g}/{m:g}"
            for name, (s, m, _) in scores.items()
            if s < m and (mutant.trains or name not in TRAINING_EXERCISES)
        }
        if score < maximum:
            status = "killed"
        elif mutant.id in equivalent:
            status = "equivalent"
        else:
            status = "gap"
        verdicts[mutant.id] = {
            "exercise": mutant.exercise,
            "line": mutant.line,
            "diff": mutant.diff,
            "status": status,
            "score": f"{score:g}/{maximum:g}",
            "lost": lost,
            "reason": equivalent.get(mutant.id),
            "feedback": feedback.strip()[:400] if status == "killed" else None,
        }
    return verdicts


def table(verdicts: dict[str, dict], exercises: list[str]) -> list[dict]:
    """Per exercise: mutants made, killed, survived, equivalent, gaps."""
    rows = []
    for exercise in [*exercises, "total"]:
        mine = [v for v in verdicts.values() if exercise in ("total", v["exercise"])]
        count = Counter(v["status"] for v in mine)
        rows.append(
            {
                "exercise": exercise,
                "made": len(mine),
                "killed": count["killed"],
                "survived": count["equivalent"] + count["gap"],
                "equivalent": count["equivalent"],
                "gaps": count["gap"],
            }
        )
    return rows


def write_reports(report: dict, out: Path) -> None:
    (out / "validity.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Mutation analysis of the hidden checks",
        "",
        f"Written by `make validity` (`python bench/validity.py`) on {report['date']}: "
        f"{report['mutants']} mutants of `solutions/c1w2/fashion_mnist.py` made with "
        f"mutmut {report['mutmut']}'s operators, graded in one batch by `autograder grade "
        f"--jobs {report['jobs']}` in {report['seconds'] / 60:.1f} min of wall time "
        f"({report['seconds'] / max(report['mutants'], 1):.1f} s per mutant with both cores).",
        "",
        "A mutant is killed when the exercise it is in loses points. A survivor is equivalent "
        "when `bench/validity_equivalent.yaml` gives the reason no grader could tell it from "
        "the solution by behaviour the contract fixes; every other survivor is a check gap.",
        "",
    ]
    if report["baseline_lost"]:
        lines += [f"**The unmutated solution lost points**: {report['baseline_lost']}", ""]
    lines += [
        "| exercise | made | killed | survived | equivalent | gaps |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in report["table"]:
        name = f"**{row['exercise']}**" if row["exercise"] == "total" else row["exercise"]
        lines.append(
            f"| {name} | {row['made']} | {row['killed']} | {row['survived']} | "
            f"{row['equivalent']} | {row['gaps']} |"
        )
    for status, title in (("gap", "Check gaps"), ("equivalent", "Equivalent survivors")):
        chosen = {k: v for k, v in report["verdicts"].items() if v["status"] == status}
        lines += ["", f"## {title} ({len(chosen)})", ""]
        for key, verdict in chosen.items():
            why = f" — {verdict['reason']}" if verdict["reason"] else ""
            lines.append(f"- `{key}` (line {verdict['line']}): `{verdict['diff']}`{why}")
        if not chosen:
            lines.append("None.")
    (out / "validity.md").write_text("\n".join(lines) + "\n")


def load_equivalent(path: Path = EQUIVALENT) -> dict[str, str]:
    """Mutant id -> why it is equivalent, from the committed classification file."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text()) or {}
    if not isinstance(data, dict) or not all(isinstance(v, str) and v for v in data.values()):
        raise SystemExit(f"{path}: expected `mutant-id: one-line reason` entries")
    return data


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, help="grade only the first N mutants (a trial)")
    parser.add_argument("--exercise", action="append", help="only mutants of this exercise")
    parser.add_argument("--keep", type=Path, help="grade in this folder and keep it")
    parser.add_argument("--out", type=Path, default=OUT, help="where validity.md/.json go")
    parser.add_argument(
        "--reuse", action="store_true", help="re-read the results graded into --keep, no grading"
    )
    args = parser.parse_args(argv)

    from importlib.metadata import version

    exercises = list(load_course().assignment(ASSIGNMENT).exercises)
    source = SOLUTION.read_text()
    made = make_mutants(source, set(exercises))
    mutants = made
    if args.exercise:
        mutants = [m for m in mutants if m.exercise in args.exercise]
    mutants = mutants[: args.limit] if args.limit else mutants
    equivalent = load_equivalent()
    stale = sorted(set(equivalent) - {m.id for m in made})
    members = {m.id: graded_source(m) for m in mutants}
    members[BASELINE] = source
    members[f"{BASELINE}-no-training"] = without_training(source)
    started = time.monotonic()
    if args.reuse:
        if not args.keep:
            raise SystemExit("--reuse needs --keep DIR: the folder an earlier run graded into")
        results = read_results(members, args.keep / "graded")
        seconds = float((args.keep / "seconds").read_text())
    else:
        print(f"grading {len(mutants)} mutants and 2 baselines, --jobs {args.jobs}", flush=True)
        with tempfile.TemporaryDirectory(prefix="validity-") as scratch:
            work = args.keep or Path(scratch)
            results = grade_class(members, work, args.jobs)
            seconds = time.monotonic() - started
            (work / "seconds").write_text(f"{seconds:.1f}\n")
    baseline_lost = {
        name: f"{s:g}/{m:g}"
        for student in (BASELINE, f"{BASELINE}-no-training")
        for name, (s, m, _) in scores_of(results[student]).items()
        if s < m and (student == BASELINE or name not in TRAINING_EXERCISES)
    }
    verdicts = analyse(mutants, results, equivalent)
    report = {
        "date": datetime.now().strftime("%Y-%m-%d %H:%M"),
        "mutmut": version("mutmut"),
        "jobs": args.jobs,
        "seconds": round(seconds, 1),
        "mutants": len(mutants),
        "baseline_lost": baseline_lost,
        "stale_classifications": stale,
        "table": table(verdicts, exercises),
        "verdicts": verdicts,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    write_reports(report, args.out)
    total = report["table"][-1]
    print(
        f"{total['made']} mutants: {total['killed']} killed, {total['equivalent']} equivalent, "
        f"{total['gaps']} check gaps ({seconds / 60:.1f} min); see {args.out / 'validity.md'}"
    )
    if stale:
        print(f"note: {EQUIVALENT.name} lists ids no mutant has any more: {', '.join(stale)}")
    return report


if __name__ == "__main__":
    main()
    sys.exit(0)
