"""The equivalence corpus, graded and self-checked on every route a student can take.

    python bench/equivalence.py [--parts grade,modules,notebooks,scripts,mistakes]
                                [--jobs 2] [--keep DIR] [--limit N] [--mistakes A,B]
                                [--demos skip|subset]

The corpus is the 64 correct submissions of tests/corpus/equivalence.py (combined from its
spelling axes). Each part measures one thing and writes its own section of
bench/equivalence.json (a part not run keeps its last section, with its own date), from which
bench/equivalence.md is written:

- ``grade``: every variant as a module and as a notebook (with the exercises that train on
  real data) graded in one batch by ``autograder grade c1w2 CLASS --out OUT --jobs N``: how many
  scored 100, and every exercise that lost points.
- ``modules``: the released visible tests (``python -m pytest`` in a copy of release/c1w2) on
  every variant as ``fashion_mnist.py`` (tests/corpus/selfcheck.py, module route).
- ``notebooks``: every variant's code pasted into the released notebook's solution cells, run
  top to bottom in a Jupyter kernel (nbclient), demo cells left out (``--demos subset``: run on
  1,000 images): how many pass every check cell, and each cell that failed, with its error.
- ``scripts``: every variant's notebook exported with nbconvert's ScriptExporter (what
  ``jupyter nbconvert --to script`` and Jupyter's "Download as Python" write), graded as a
  module in the same batch as the notebooks: each must score exactly what its notebook scores.
- ``mistakes``: every mistake of tests/corpus/mistakes.yaml with a ``selfcheck:`` key must fail
  the visible test or check cell it names with the fix phrase it gives, on each route it names.

With ``--keep DIR`` the class is graded into DIR and kept; a second run with the same DIR grades
only what changed (``autograder grade`` keeps finished results). ``make validity`` runs every
part, ``nbgrader autograde`` on three of the notebooks (tests/test_corpus_equivalence.py under
``VALIDITY=1``) and the mutation analysis (bench/validity.py). Exit status 1 when any part run
found a disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.grading import grade_folder  # noqa: E402
from tests.corpus.equivalence import (  # noqa: E402
    AXES,
    Variant,
    as_notebook,
    variants,
    write_class,
)
from tests.corpus.export import exported_script  # noqa: E402
from tests.corpus.selfcheck import (  # noqa: E402
    Check,
    Demos,
    SelfCheck,
    covered_mistakes,
    mistake_results,
    problems,
    variant_results,
)

OUT = ROOT / "bench"
Part = Literal["grade", "modules", "notebooks", "scripts", "mistakes"]
PARTS: tuple[Part, ...] = ("grade", "modules", "notebooks", "scripts", "mistakes")
KINDS = {"py": "module", "ipynb": "notebook", "script": "script"}


class GradePart(BaseModel):
    """``grade``: the corpus as modules and notebooks through ``autograder grade``."""

    date: str
    variants: int
    jobs: int
    seconds: float
    full_marks: dict[str, int]  # module / notebook -> how many scored 100
    lost: dict[str, dict[str, str]]  # student -> exercise -> "score/max: first feedback line"
    spellings: dict[str, str]  # student (of lost) -> its choices on every axis


class SelfCheckPart(BaseModel):
    """``modules`` or ``notebooks``: the corpus through the self-check of that route."""

    date: str
    variants: int
    jobs: int
    seconds: float
    demos: Demos | None = None  # notebooks only
    passed: int
    failed: dict[str, list[Check]]  # variant -> its failed tests or cells
    errors: dict[str, str]  # variant -> why its self-check did not finish
    spellings: dict[str, str]


class ScriptsPart(BaseModel):
    """``scripts``: each notebook exported as a script, graded as a module."""

    date: str
    variants: int
    jobs: int
    seconds: float
    agree: int  # scripts that scored exactly what their notebook scored
    full_marks: int
    differ: dict[str, dict[str, str]]  # variant -> exercise -> "notebook N, script M: feedback"


class MistakeRoute(BaseModel):
    check: str
    fix: str
    ok: bool
    said: str  # what the self-check said (the named check's message, or why it is wrong)


class MistakesPart(BaseModel):
    """``mistakes``: every covered mistake through the self-check of each route it names."""

    date: str
    jobs: int
    seconds: float
    keyed: int  # entries of mistakes.yaml with a selfcheck: key (a trial runs fewer)
    covered: dict[str, dict[str, MistakeRoute]]  # mistake -> route -> result


class Report(BaseModel):
    axes: int
    grade: GradePart | None = None
    modules: SelfCheckPart | None = None
    notebooks: SelfCheckPart | None = None
    scripts: ScriptsPart | None = None
    mistakes: MistakesPart | None = None

    def failed(self, parts: tuple[Part, ...] | set[Part] = PARTS) -> list[Part]:
        """The parts among ``parts`` that recorded a disagreement."""
        m, n, s, k = self.modules, self.notebooks, self.scripts, self.mistakes
        found: dict[Part, bool] = {
            "grade": bool(self.grade and self.grade.lost),
            "modules": bool(m and (m.failed or m.errors)),
            "notebooks": bool(n and (n.failed or n.errors)),
            "scripts": bool(s and s.agree < s.variants),
            "mistakes": bool(k and not all(
                r.ok for routes in k.covered.values() for r in routes.values())),
        }
        return [part for part in PARTS if part in parts and found[part]]


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def lost(results: dict) -> dict[str, str]:
    """Exercise -> "score/max: first feedback line", for each exercise short of full points."""
    return {
        t["name"]: f"{t['score']:g}/{t['max_score']:g}: {first(t['output'])}"
        for t in results["tests"]
        if t["score"] < t["max_score"]
    }


def first(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


# ---------------------------------------------------------------------------------------------
# The parts
# ---------------------------------------------------------------------------------------------


def grade_parts(chosen: list[Variant], parts: set[Part], work: Path, jobs: int,
                ) -> tuple[GradePart | None, ScriptsPart | None]:
    """The ``grade`` and ``scripts`` parts, graded in one batch."""
    students = write_class(work / "class", chosen) if "grade" in parts else {}
    if "scripts" in parts:
        for variant in chosen:
            notebook = work / "class" / f"{variant.name}-ipynb" / "fashion_mnist.ipynb"
            if not notebook.exists():
                as_notebook(variant, notebook)
                students[f"{variant.name}-ipynb"] = variant
            script = work / "class" / f"{variant.name}-script" / "fashion_mnist.py"
            script.parent.mkdir(parents=True, exist_ok=True)
            script.write_text(exported_script(notebook))
            students[f"{variant.name}-script"] = variant
    print(f"grading {len(students)} submissions, --jobs {jobs}", flush=True)
    started = time.monotonic()
    grade_folder(work / "class", work / "graded", jobs)
    seconds = round(time.monotonic() - started, 1)
    results = {
        student: json.loads((work / "graded" / student / "results.json").read_text())
        for student in students
    }
    grade = scripts = None
    if "grade" in parts:
        graded = {s: r for s, r in results.items() if not s.endswith("-script")}
        short = {s: exercises for s, r in graded.items() if (exercises := lost(r))}
        grade = GradePart(
            date=now(), variants=len(chosen), jobs=jobs, seconds=seconds,
            full_marks={
                kind: sum(1 for s in graded if s.endswith(f"-{suffix}") and s not in short)
                for suffix, kind in KINDS.items() if suffix != "script"
            },
            lost=short,
            spellings={s: students[s].describe() for s in short},
        )
    if "scripts" in parts:
        differ = {}
        for variant in chosen:
            notebook = results[f"{variant.name}-ipynb"]["tests"]
            script = {t["name"]: t for t in results[f"{variant.name}-script"]["tests"]}
            changed = {
                t["name"]: f"notebook {t['score']:g}, script {script[t['name']]['score']:g}: "
                f"{first(script[t['name']]['output'])}"
                for t in notebook
                if script.get(t["name"], {}).get("score") != t["score"]
            }
            if changed:
                differ[variant.name] = changed
        scripts = ScriptsPart(
            date=now(), variants=len(chosen), jobs=jobs, seconds=seconds,
            agree=len(chosen) - len(differ),
            full_marks=sum(
                1 for v in chosen if not lost(results[f"{v.name}-script"])
            ),
            differ=differ,
        )
    return grade, scripts


def self_check_parts(chosen: list[Variant], parts: set[Part], work: Path, jobs: int,
                     demos: Demos) -> dict[str, SelfCheckPart]:
    """The ``modules`` and ``notebooks`` parts."""
    routes = [r for r, part in (("module", "modules"), ("notebook", "notebooks")) if part in parts]
    print(f"self-checking {len(chosen)} variants on {', '.join(routes)}", flush=True)
    started = time.monotonic()

    def said(result: SelfCheck) -> None:
        print(f"  {result.route} {result.subject} ({result.seconds:.0f} s): {result.summary()}",
              flush=True)

    results = variant_results(chosen, work / "self-check", jobs, routes, demos, said)
    seconds = round(time.monotonic() - started, 1)
    by_name = {v.name: v for v in chosen}
    made = {}
    for route, found in results.items():
        bad = {name: r for name, r in found.items() if not r.passed}
        made[f"{route}s"] = SelfCheckPart(
            date=now(), variants=len(chosen), jobs=jobs, seconds=seconds,
            demos=demos if route == "notebook" else None,
            passed=len(found) - len(bad),
            failed={name: r.failures for name, r in bad.items() if r.failures},
            errors={name: r.error for name, r in bad.items() if r.error},
            spellings={name: by_name[name].describe() for name in bad},
        )
    return made


def mistakes_part(work: Path, jobs: int, names: list[str] | None = None) -> MistakesPart:
    """Every covered mistake (or the covered ones of ``names``) on the routes it names."""
    print("self-checking the covered mistakes", flush=True)
    started = time.monotonic()
    chosen, results = mistake_results(
        names, work / "mistakes", jobs,
        progress=lambda r: print(f"  {r.subject} {r.route} ({r.seconds:.0f} s): {r.summary()}",
                                 flush=True),
    )
    covered: dict[str, dict[str, MistakeRoute]] = {}
    for name, (_, coverage) in chosen.items():
        for route, want in coverage.routes().items():
            result = results[route][name]
            wrong = problems(want, result)
            check = result.find(want.check)
            covered.setdefault(name, {})[route] = MistakeRoute(
                check=want.check, fix=want.fix, ok=not wrong,
                said="; ".join(wrong) if wrong else first(check.message if check else ""),
            )
    return MistakesPart(date=now(), jobs=jobs, seconds=round(time.monotonic() - started, 1),
                        keyed=len(covered_mistakes()), covered=covered)


# ---------------------------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------------------------


def previous(out: Path) -> Report | None:
    path = out / "equivalence.json"
    try:
        return Report.model_validate_json(path.read_text())
    except (OSError, ValidationError):
        return None  # none yet, or the layout of an older run


def _count(part: BaseModel | None, field: str) -> str:
    return "not run" if part is None else str(getattr(part, field))


def render(report: Report) -> str:
    """bench/equivalence.md."""
    g, m, n, s, k = report.grade, report.modules, report.notebooks, report.scripts, report.mistakes
    lines = [
        "# The equivalence corpus, graded and self-checked",
        "",
        f"Written by `python bench/equivalence.py` (`make validity` runs every part). The corpus:"
        f" correct submissions generated by `tests/corpus/equivalence.py` from {report.axes} "
        "spelling axes. Each part has its own date and count:",
        "",
    ]
    if g:
        lines.append(
            f"- grade ({g.date}): {g.variants} variants, each as a module and as a notebook "
            f"(with training), graded in one batch by `autograder grade --jobs {g.jobs}` in "
            f"{g.seconds / 60:.1f} min."
        )
    if m:
        lines.append(
            f"- modules ({m.date}): {m.variants} variants through the released visible tests "
            f"(`python -m pytest` in a copy of release/c1w2) in {m.seconds / 60:.1f} min."
        )
    if n:
        shown = "left out" if n.demos == "skip" else "run on 1,000 images"
        lines.append(
            f"- notebooks ({n.date}): {n.variants} variants pasted into the released notebook's "
            f"solution cells and run top to bottom in a Jupyter kernel (nbclient), demo cells "
            f"{shown}, in {n.seconds / 60:.1f} min; passed = no cell failed."
        )
    if s:
        lines.append(
            f"- scripts ({s.date}): {s.variants} notebook(s) exported by `jupyter nbconvert --to "
            "script` (nbconvert's ScriptExporter) and graded as modules in the notebooks' batch:"
            f" {s.agree} scored exactly what the notebook scored."
        )
    grade_count = str(g.variants) if g else "not run"
    notebook_passed = f"{n.passed} (every cell)" if n else "not run"
    script_marks = f"{s.full_marks} ({s.agree} as their notebook)" if s else "not run"
    lines += [
        "",
        "| submitted as | graded | scored 100 | self-checked | passed the self-check |",
        "|---|---:|---:|---:|---:|",
        f"| module | {grade_count} | {g.full_marks['module'] if g else 'not run'} | "
        f"{_count(m, 'variants')} | {_count(m, 'passed')} |",
        f"| notebook | {grade_count} | {g.full_marks['notebook'] if g else 'not run'} | "
        f"{_count(n, 'variants')} | {notebook_passed} |",
        f"| notebook exported as a script | {_count(s, 'variants')} | {script_marks} | | |",
        "",
    ]
    if g:
        lines += [f"## Lost points ({len(g.lost)})", ""]
        for student, exercises in g.lost.items():
            lines.append(f"- `{student}` ({g.spellings[student]}):")
            lines += [f"  - {name} {text}" for name, text in exercises.items()]
        lines += ["None.", ""] if not g.lost else [""]
    for title, part in (("Visible-test failures (modules)", m),
                        ("Check-cell failures (notebooks)", n)):
        if part is None:
            continue
        bad = sorted(set(part.failed) | set(part.errors))
        lines += [f"## {title} ({len(bad)})", ""]
        for name in bad:
            lines.append(f"- `{name}` ({part.spellings.get(name, '')}):")
            if name in part.errors:
                lines.append(f"  - did not finish: {part.errors[name]}")
            lines += [f"  - {c.name}: {first(c.message)}" for c in part.failed.get(name, [])]
        lines += ["None.", ""] if not bad else [""]
    if s:
        lines += [f"## Exported scripts that score otherwise than their notebook "
                  f"({len(s.differ)})", ""]
        for name, exercises in s.differ.items():
            lines.append(f"- `{name}`:")
            lines += [f"  - {exercise}: {text}" for exercise, text in exercises.items()]
        lines += ["None.", ""] if not s.differ else [""]
    if k:
        results = [(name, route, r) for name, routes in k.covered.items()
                   for route, r in routes.items()]
        ok = sum(1 for *_, r in results if r.ok)
        lines += [
            "## Mistakes the self-check covers",
            "",
            f"{k.date}, {k.seconds / 60:.1f} min: each entry of tests/corpus/mistakes.yaml with a"
            f" `selfcheck:` key ({len(k.covered)} of the {k.keyed} keyed"
            f"{', a trial' if len(k.covered) < k.keyed else ''}), on each route it names"
            f" ({len(results)}), must"
            f" fail the named visible test or check cell with a message holding the fix phrase:"
            f" {ok} of {len(results)} do.",
            "",
            "| mistake | route | must fail | with | holds | what it said |",
            "|---|---|---|---|---|---|",
        ]
        for name, route, r in results:
            said = r.said.replace("|", "\\|")
            fix = r.fix.replace("|", "\\|")
            lines.append(f"| `{name}` | {route} | {r.check} | {fix} | "
                         f"{'yes' if r.ok else '**no**'} | {said} |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write_reports(report: Report, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "equivalence.json").write_text(report.model_dump_json(indent=2) + "\n")
    (out / "equivalence.md").write_text(render(report))


def parse_parts(text: str) -> set[Part]:
    chosen = {part.strip() for part in text.split(",") if part.strip()}
    unknown = chosen - set(PARTS)
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown part {', '.join(sorted(unknown)) or '(none)'}: choose from {','.join(PARTS)}"
        )
    return chosen  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=parse_parts, default=set(PARTS),
                        help=f"comma-separated, of {','.join(PARTS)} (default: all)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="grade in this folder and keep it")
    parser.add_argument("--limit", type=int, help="only the first N variants (a trial)")
    parser.add_argument("--mistakes", help="only these covered mistakes, comma-separated (a trial)")
    parser.add_argument("--demos", choices=["skip", "subset"], default="skip",
                        help="the notebooks' demo cells: left out, or run on 1,000 images")
    parser.add_argument("--out", type=Path, default=OUT, help="where equivalence.md/.json go")
    args = parser.parse_args(argv)

    parts: set[Part] = args.parts
    chosen = variants()[: args.limit] if args.limit else variants()
    made: dict[str, BaseModel | None] = {}
    with tempfile.TemporaryDirectory(prefix="equivalence-") as scratch:
        work = args.keep or Path(scratch)
        if parts & {"grade", "scripts"}:
            made["grade"], made["scripts"] = grade_parts(chosen, parts, work, args.jobs)
        if parts & {"modules", "notebooks"}:
            made.update(self_check_parts(chosen, parts, work, args.jobs, args.demos))
        if "mistakes" in parts:
            names = args.mistakes.split(",") if args.mistakes else None
            made["mistakes"] = mistakes_part(work, args.jobs, names)
    # Read what is there only now: another part may have been written meanwhile.
    report = previous(args.out) or Report(axes=len(AXES))
    report.axes = len(AXES)
    for part, section in made.items():
        if section is not None:
            setattr(report, part, section)
    write_reports(report, args.out)
    print(f"{args.out / 'equivalence.md'}:\n{render(report).split(chr(10) + '## ')[0]}")
    failed = report.failed(parts)
    if failed:
        print(f"disagreements in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
