"""Sweeps that prove an exercise's checks: no verdict depends on luck, no mutant goes unseen.

Each sweep batches its gradings through one warm runner (``engine.grade_many``):

- the reference solution passes, with full score, under every one of ``REFERENCE_SEEDS``;
- every mistake file fails under every one of ``MISTAKE_SEEDS``, with the same verdict each
  time and, when it declares one, its diagnosis first.

A mistake file says what it expects in its first comment lines (before any code)::

    # diagnosis: forgot-mean        the declared mistake it must be diagnosed with
    # diagnosis: none               no declared mistake may match (what differs is described)
    # expect: times too large       (legacy) a failed check's message contains this text
    # mistake: <a sentence>         what the mistake is, in words (red team files)

A file with only ``# mistake:`` must fail every time with the same verdict.

- every mutant of the reference (mutation.py) graded under ``MUTANT_SEEDS``: killed, survived,
  or declared equivalent in the exercise's ``equivalent_mutants.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from apps.sandbox.grading.engine import GradableExercise, GradeJob, Runner, grade_many
from apps.sandbox.grading.mutation import Mutant, mutants
from apps.sandbox.grading.results import GradeResult, Verdict

REFERENCE_SEEDS = tuple(range(200))
MISTAKE_SEEDS = tuple(range(1000, 1020))
HEADER_RE = re.compile(r"^#\s*(diagnosis|expect|mistake):\s*(.+?)\s*$")
NO_DIAGNOSIS = "none"


@dataclass(frozen=True)
class MistakeFile:
    """A plausible wrong answer on disk and what its header says grading must find."""

    path: Path
    diagnosis: str | None = None
    expect: str | None = None
    description: str | None = None

    @property
    def name(self) -> str:
        return self.path.stem


def read_mistake_file(path: Path) -> MistakeFile:
    """Parse the header: the comment lines before the first line of code."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = HEADER_RE.match(line)
        if match:
            found.setdefault(match.group(1), match.group(2))
    return MistakeFile(
        path=path,
        diagnosis=found.get("diagnosis"),
        expect=found.get("expect"),
        description=found.get("mistake"),
    )


def mistake_files(directory: Path) -> list[MistakeFile]:
    return [read_mistake_file(path) for path in sorted((directory / "mistakes").glob("*.py"))]


@dataclass
class SweepReport:
    """What a sweep found, per exercise: problems (empty when sound) and how much it graded.

    ``pending`` holds what is wrong with red team files (``# mistake:`` only) of exercises not
    yet converted: reported for their conversion, not held against the course yet.
    """

    gradings: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)
    pending: dict[str, list[str]] = field(default_factory=dict)

    def add(self, slug: str, problem: str, *, pending: bool = False) -> None:
        (self.pending if pending else self.problems).setdefault(slug, []).append(problem)

    @property
    def ok(self) -> bool:
        return not self.problems


def _summary(result: GradeResult) -> str:
    failed = [f"{c.name}: {c.message}" for c in result.checks if not c.passed][:2]
    diagnosis = result.diagnosis.id if result.diagnosis else None
    return f"status={result.status} score={result.score} diagnosis={diagnosis} failed={failed}"


def _reference_problems(results: Sequence[GradeResult], seeds: Sequence[int]) -> list[str]:
    failures = [
        (seed, result)
        for seed, result in zip(seeds, results, strict=True)
        if result.status != Verdict.PASSED or result.score != 1.0
    ]
    if not failures:
        return []
    seed, first = failures[0]
    return [
        f"reference fails {len(failures)} of {len(seeds)} gradings; "
        f"first at seed {seed}: {_summary(first)}"
    ]


def _message_texts(result: GradeResult) -> list[str]:
    texts = [c.message for c in result.checks if not c.passed]
    if result.error:
        texts.append(result.error.message)
    return texts


def _mistake_problem(mistake: MistakeFile, seed: int, result: GradeResult) -> str | None:
    """What is wrong with one grading of a mistake file (None when it is as declared)."""
    if result.status == Verdict.PASSED:
        return f"passes at seed {seed}"
    found = result.diagnosis.id if result.diagnosis else NO_DIAGNOSIS
    if mistake.diagnosis is not None and found != mistake.diagnosis:
        return f"diagnosed {found!r} at seed {seed}, declared {mistake.diagnosis!r}"
    if mistake.expect is not None and not any(
        mistake.expect in text for text in _message_texts(result)
    ):
        return f"no failed check says {mistake.expect!r} at seed {seed}: {_summary(result)}"
    return None


def _mistake_problems(
    mistake: MistakeFile, results: Sequence[GradeResult], seeds: Sequence[int]
) -> list[str]:
    if mistake.diagnosis is None and mistake.expect is None and mistake.description is None:
        return [f"{mistake.name}: no '# diagnosis:', '# expect:' or '# mistake:' header"]
    problems = []
    statuses = {str(result.status) for result in results}
    if len(statuses) > 1:
        problems.append(f"{mistake.name}: the verdict changes with the seed: {sorted(statuses)}")
    for seed, result in zip(seeds, results, strict=True):
        problem = _mistake_problem(mistake, seed, result)
        if problem:
            problems.append(f"{mistake.name}: {problem}")
            break
    return problems


def sweep(
    exercises: Sequence[GradableExercise],
    *,
    runner: Runner,
    reference_seeds: Sequence[int] = REFERENCE_SEEDS,
    mistake_seeds: Sequence[int] = MISTAKE_SEEDS,
    workers: int = 2,
    converted: frozenset[str] | None = None,
) -> SweepReport:
    """Grade every reference and mistake file of ``exercises`` in one batch; report problems.

    ``converted`` names the exercises whose red team files (``# mistake:`` only) must hold
    too (default: all); the others' go to ``report.pending``.
    """
    plan: list[tuple[str, MistakeFile | None, Sequence[int]]] = []
    jobs: list[GradeJob] = []
    for exercise in exercises:
        folder = exercise.solution_path.parent
        entries: list[tuple[MistakeFile | None, Path, Sequence[int]]] = [
            (None, folder / "solution.py", reference_seeds)
        ]
        entries += [(m, m.path, mistake_seeds) for m in mistake_files(folder)]
        for mistake, path, seeds in entries:
            code = path.read_text(encoding="utf-8")
            plan.append((exercise.slug, mistake, seeds))
            jobs += [GradeJob(exercise, code, seed) for seed in seeds]
    results = grade_many(jobs, runner=runner, workers=workers)
    report = SweepReport(gradings=len(jobs))
    offset = 0
    for slug, mistake, seeds in plan:
        chunk = results[offset : offset + len(seeds)]
        offset += len(seeds)
        if mistake is None:
            problems = _reference_problems(chunk, seeds)
        else:
            problems = _mistake_problems(mistake, chunk, seeds)
        unconverted = converted is not None and slug not in converted
        pending = unconverted and mistake is not None and _red_team_only(mistake)
        for problem in problems:
            report.add(slug, problem, pending=pending)
    return report


def _red_team_only(mistake: MistakeFile) -> bool:
    return mistake.diagnosis is None and mistake.expect is None


# --- mutants ---------------------------------------------------------------------------------
EQUIVALENTS_FILE = "equivalent_mutants.yaml"
MUTANT_SEEDS = (11, 12)
POLICY_REASON = "tolerance policy: a correct float32 computation passes (NOTATION.md)"


def declared_equivalents(directory: Path) -> dict[str, str]:
    """The exercise's ``equivalent_mutants.yaml``: mutant id -> one-line reason."""
    path = directory / EQUIVALENTS_FILE
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise ValueError(f"{path}: must map each mutant id to a one-line reason")
    return data


@dataclass
class MutantReport:
    """How the checks of one exercise fare against the mutants of its reference."""

    slug: str
    killed: list[str] = field(default_factory=list)
    survived: list[str] = field(default_factory=list)
    # Killed under some seeds only: the checks reach the mistake by luck (counts as survived).
    flaky: list[str] = field(default_factory=list)
    equivalent: dict[str, str] = field(default_factory=dict)
    # float32 mutants the checks reject: the prompt must ask for float64 and say why.
    policy_killed: list[str] = field(default_factory=list)
    # Ids listed as equivalent that no longer exist (the reference changed).
    stale: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.killed) + len(self.survived) + len(self.flaky) + len(self.equivalent)

    @property
    def counted(self) -> int:
        """Non-equivalent mutants: the kill rate's denominator."""
        return self.total - len(self.equivalent)

    @property
    def kill_rate(self) -> float:
        return len(self.killed) / self.counted if self.counted else 1.0


def _classify(
    report: MutantReport,
    mutant: Mutant,
    results: Sequence[GradeResult],
    equivalents: dict[str, str],
    float64_only: bool,
) -> None:
    passed = [result.status == Verdict.PASSED for result in results]
    if not any(passed):
        report.killed.append(mutant.id)
        if mutant.expected_to_survive and not float64_only:
            report.policy_killed.append(mutant.id)
    elif mutant.id in equivalents:
        report.equivalent[mutant.id] = equivalents[mutant.id]
    elif mutant.expected_to_survive and not float64_only and all(passed):
        report.equivalent[mutant.id] = POLICY_REASON
    elif all(passed):
        report.survived.append(mutant.id)
    else:
        report.flaky.append(mutant.id)


def mutant_reports(
    exercises: Sequence[GradableExercise],
    *,
    runner: Runner,
    seeds: Sequence[int] = MUTANT_SEEDS,
    float64_only: frozenset[str] = frozenset(),
    workers: int = 2,
) -> list[MutantReport]:
    """Grade every mutant of every exercise's reference under ``seeds``, in one batch.

    A mutant is killed when no seed passes it, survives when every seed does; a mutant listed
    in the exercise's equivalent_mutants.yaml that survives is equivalent. ``float64_only``
    names the exercises whose prompt asks for float64 (their float32 mutants must die).
    """
    plan: list[tuple[GradableExercise, list[Mutant], dict[str, str]]] = []
    jobs: list[GradeJob] = []
    for exercise in exercises:
        folder = exercise.solution_path.parent
        found = mutants(exercise.solution_path.read_text(encoding="utf-8"))
        plan.append((exercise, found, declared_equivalents(folder)))
        jobs += [GradeJob(exercise, m.source, seed) for m in found for seed in seeds]
    results = iter(grade_many(jobs, runner=runner, workers=workers))
    reports = []
    for exercise, found, equivalents in plan:
        report = MutantReport(exercise.slug)
        for mutant in found:
            graded = [next(results) for _ in seeds]
            _classify(report, mutant, graded, equivalents, exercise.slug in float64_only)
        report.stale = sorted(set(equivalents) - {m.id for m in found})
        reports.append(report)
    return reports
