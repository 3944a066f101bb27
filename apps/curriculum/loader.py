"""Read the curriculum from disk into plain specs, with errors that name the file and field.

The files under ``content/`` are the source of truth; ``sync_curriculum`` upserts these specs
into the database by uuid. Nothing here touches the database: grading gets an exercise's spec
through ``selectors.exercise_spec``, which loads that exercise's folder once per content hash.

    content/<module>/module.yaml
    content/<module>/lessons/<slug>.md            front matter (YAML between --- lines) + Markdown
    content/<module>/lessons/<slug>.figures.py    optional: def figures() -> {name: plotly Figure
                                                  or Explorable}
    content/<module>/lessons/<slug>.questions.py  optional: def questions() -> {name: fn(rng)}
    content/<module>/exercises/<slug>/{exercise.yaml, prompt.md, starter.py, solution.py, checks.py}
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from apps.curriculum.rendering import RENDERING_VERSION
from apps.sandbox.grading.explorables import FORMAT_VERSION as EXPLORABLE_FORMAT

# The limits an exercise may set and their caps are the grading library's (defined once).
from apps.sandbox.grading.limits import DEFAULT_LIMITS, HARD_LIMITS

MODULE_KINDS = ("foundation", "stage")
# exercise.yaml's `feedback`: v1 (per-check hints) or v2 (declared mistakes, deterministic
# stress cases, mutants killed or declared equivalent: content/AUTHORING.md).
FEEDBACK_VERSIONS = ("v1", "v2")
# exercise.yaml's `precision`: float32 results pass unless the prompt asks for float64.
PRECISIONS = ("float32", "float64")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)


class ContentError(ValueError):
    """The content on disk is invalid; the message names the file and the field."""

    def __init__(self, path: Path, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    signature: str
    doc: str = ""


@dataclass(frozen=True)
class ExerciseSpec:
    uuid: uuid.UUID
    slug: str
    module_slug: str
    title: str
    order: int
    points: int
    lesson_slug: str
    functions: tuple[FunctionSpec, ...]
    hints: tuple[str, ...]
    limits: dict[str, float]
    prompt: str
    starter: str
    directory: Path
    content_hash: str
    # What "Run on my own input" starts with: a call of the learner's function.
    try_input: str = ""
    # What decides a verdict: checks.py, solution.py and the limits (see grading_hash()).
    check_hash: str = ""
    feedback: str = "v1"
    precision: str = "float32"

    @property
    def solution_path(self) -> Path:
        return self.directory / "solution.py"

    @property
    def checks_path(self) -> Path:
        return self.directory / "checks.py"

    @property
    def review_path(self) -> str:
        """Where a failed check sends the learner: the lesson to review."""
        return f"/learn/{self.module_slug}/{self.lesson_slug}/"


@dataclass(frozen=True)
class LessonSpec:
    uuid: uuid.UUID
    slug: str
    module_slug: str
    title: str
    order: int
    summary: str
    body: str
    figures_path: Path | None
    path: Path
    content_hash: str
    questions_path: Path | None = None


@dataclass(frozen=True)
class ModuleSpec:
    uuid: uuid.UUID
    slug: str
    title: str
    kind: str
    order: int
    prerequisites: tuple[str, ...]
    overview: str
    further_reading: tuple[dict[str, str], ...]
    lessons: tuple[LessonSpec, ...]
    exercises: tuple[ExerciseSpec, ...]
    path: Path
    content_hash: str


@dataclass(frozen=True)
class Curriculum:
    modules: tuple[ModuleSpec, ...]
    exercises_by_slug: dict[str, ExerciseSpec] = field(default_factory=dict)

    def exercise(self, slug: str) -> ExerciseSpec:
        return self.exercises_by_slug[slug]


def _hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def grading_hash(*, checks: str, solution: str, limits: dict[str, float]) -> str:
    """The version of an exercise's grading: a hash of what decides a verdict.

    The cases and checks (checks.py), the expected values (solution.py) and the limits (a
    tighter time or memory limit turns a pass into ``timeout``). Not the prompt, starter,
    hints or title: fixing a typo must not make every submission look out of date. Not the
    grading library either: that is a release of the platform, regraded on purpose
    (``manage.py regrade``), not an exercise's change.
    """
    return _hash(
        f"checks.py\n{checks}",
        f"solution.py\n{solution}",
        "limits\n" + ",".join(f"{key}={limits[key]!r}" for key in sorted(limits)),
    )


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path, "file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, f"is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContentError(path, "must be a YAML mapping")
    return data


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(path, "file is missing") from None


def _require(data: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path) -> Any:
    if key not in data:
        raise ContentError(path, f"field '{key}' is required")
    value = data[key]
    if not isinstance(value, kind):
        expected = (
            kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        )
        raise ContentError(path, f"field '{key}' must be {expected}, not {type(value).__name__}")
    return value


def _uuid(data: dict[str, Any], path: Path) -> uuid.UUID:
    raw = _require(data, "uuid", str, path)
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ContentError(path, f"field 'uuid' is not a UUID: {raw!r}") from None


def _slug(name: str, path: Path) -> str:
    if not SLUG_RE.match(name):
        raise ContentError(path, f"'{name}' is not a slug (lowercase words joined by hyphens)")
    return name


def load_lesson(path: Path, module_slug: str) -> LessonSpec:
    text = _read_text(path)
    match = FRONT_MATTER_RE.match(text)
    if not match:
        raise ContentError(path, "must start with YAML front matter between '---' lines")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise ContentError(path, f"front matter is not valid YAML: {exc}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter must be a YAML mapping")
    slug = _slug(path.name.removesuffix(".md"), path)
    figures_path = path.with_name(f"{slug}.figures.py")
    questions_path = path.with_name(f"{slug}.questions.py")
    body = match.group(2)
    companions = [
        p.read_text(encoding="utf-8") if p.exists() else "" for p in (figures_path, questions_path)
    ]
    return LessonSpec(
        uuid=_uuid(meta, path),
        slug=slug,
        module_slug=module_slug,
        title=_require(meta, "title", str, path),
        order=_require(meta, "order", int, path),
        summary=str(meta.get("summary", "")),
        body=body,
        figures_path=figures_path if figures_path.exists() else None,
        questions_path=questions_path if questions_path.exists() else None,
        path=path,
        # What the page is built from: the files, and the versions of the code that renders
        # the Markdown and builds explorables (so changing either rebuilds every lesson).
        content_hash=_hash(text, *companions, RENDERING_VERSION, EXPLORABLE_FORMAT),
    )


def _limits(data: dict[str, Any], path: Path) -> dict[str, float]:
    raw = data.get("limits") or {}
    if not isinstance(raw, dict):
        raise ContentError(path, "field 'limits' must be a mapping")
    limits = dict(DEFAULT_LIMITS)
    for key, value in raw.items():
        if key not in DEFAULT_LIMITS:
            raise ContentError(
                path, f"limits.{key} is unknown (known: {', '.join(DEFAULT_LIMITS)})"
            )
        if not isinstance(value, int | float) or value <= 0:
            raise ContentError(path, f"limits.{key} must be a positive number")
        if value > HARD_LIMITS[key]:
            raise ContentError(path, f"limits.{key} = {value} is over the cap {HARD_LIMITS[key]}")
        limits[key] = float(value)
    return limits


def _functions(data: dict[str, Any], path: Path) -> tuple[FunctionSpec, ...]:
    raw = _require(data, "functions", list, path)
    if not raw:
        raise ContentError(path, "field 'functions' must list at least one function")
    functions = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("signature"), str):
            raise ContentError(path, f"functions[{index}] needs a 'signature' string")
        signature = item["signature"]
        name = signature.split("(", 1)[0].strip()
        if not name.isidentifier():
            raise ContentError(
                path, f"functions[{index}].signature {signature!r} names no function"
            )
        functions.append(FunctionSpec(name=name, signature=signature, doc=str(item.get("doc", ""))))
    return tuple(functions)


def load_exercise(
    directory: Path, module_slug: str, lesson_slugs: set[str] | None = None
) -> ExerciseSpec:
    """One exercise's folder. ``lesson_slugs``, when given, must hold its lesson's slug."""
    meta_path = directory / "exercise.yaml"
    meta = _read_yaml(meta_path)
    slug = _slug(directory.name, directory)
    for required in ("prompt.md", "starter.py", "solution.py", "checks.py"):
        if not (directory / required).is_file():
            raise ContentError(directory / required, "file is missing")
    hints = _require(meta, "hints", list, meta_path)
    if len(hints) < 2 or not all(isinstance(h, str) and h.strip() for h in hints):
        raise ContentError(meta_path, "field 'hints' must list at least two non-empty strings")
    lesson_slug = _require(meta, "lesson", str, meta_path)
    try_input = meta.get("try_input", "")
    if not isinstance(try_input, str):
        raise ContentError(meta_path, "field 'try_input' must be a string (a call to run)")
    if lesson_slugs is not None and lesson_slug not in lesson_slugs:
        raise ContentError(
            meta_path, f"field 'lesson' names '{lesson_slug}', which is not a lesson of this module"
        )
    files = {
        name: _read_text(directory / name)
        for name in sorted(p.name for p in directory.iterdir() if p.is_file())
    }
    limits = _limits(meta, meta_path)
    return ExerciseSpec(
        uuid=_uuid(meta, meta_path),
        slug=slug,
        module_slug=module_slug,
        title=_require(meta, "title", str, meta_path),
        order=_require(meta, "order", int, meta_path),
        points=int(meta.get("points", 10)),
        lesson_slug=lesson_slug,
        functions=_functions(meta, meta_path),
        hints=tuple(hints),
        limits=limits,
        prompt=files["prompt.md"],
        starter=files["starter.py"],
        directory=directory,
        content_hash=_hash(*(f"{name}\n{text}" for name, text in files.items())),
        try_input=try_input.strip(),
        check_hash=grading_hash(
            checks=files["checks.py"], solution=files["solution.py"], limits=limits
        ),
        feedback=_choice(meta, "feedback", FEEDBACK_VERSIONS, meta_path),
        precision=_choice(meta, "precision", PRECISIONS, meta_path),
    )


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...], path: Path) -> str:
    value = data.get(key, choices[0])
    if value not in choices:
        raise ContentError(path, f"field '{key}' must be one of {choices}, not {value!r}")
    return str(value)


def load_module(path: Path) -> ModuleSpec:
    meta_path = path / "module.yaml"
    meta = _read_yaml(meta_path)
    slug = _slug(path.name, path)
    kind = _require(meta, "kind", str, meta_path)
    if kind not in MODULE_KINDS:
        raise ContentError(meta_path, f"field 'kind' must be one of {MODULE_KINDS}, not {kind!r}")
    lessons = tuple(
        sorted(
            (load_lesson(p, slug) for p in sorted((path / "lessons").glob("*.md"))),
            key=lambda lesson: (lesson.order, lesson.slug),
        )
    )
    lesson_slugs = {lesson.slug for lesson in lessons}
    exercise_dirs = sorted(p for p in (path / "exercises").glob("*") if p.is_dir())
    exercises = tuple(
        sorted(
            (
                load_exercise(d, slug, lesson_slugs)
                for d in exercise_dirs
                if not d.name.startswith("_")
            ),
            key=lambda exercise: (exercise.order, exercise.slug),
        )
    )
    reading = meta.get("further_reading") or []
    if not isinstance(reading, list) or not all(
        isinstance(r, dict) and "title" in r for r in reading
    ):
        raise ContentError(meta_path, "field 'further_reading' must list mappings with a 'title'")
    prerequisites = meta.get("prerequisites") or []
    if not isinstance(prerequisites, list):
        raise ContentError(meta_path, "field 'prerequisites' must be a list of module slugs")
    return ModuleSpec(
        uuid=_uuid(meta, meta_path),
        slug=slug,
        title=_require(meta, "title", str, meta_path),
        kind=kind,
        order=_require(meta, "order", int, meta_path),
        prerequisites=tuple(prerequisites),
        overview=_require(meta, "overview", str, meta_path).strip(),
        further_reading=tuple({k: str(v) for k, v in r.items()} for r in reading),
        lessons=lessons,
        exercises=exercises,
        path=path,
        content_hash=_hash(meta_path.read_text(encoding="utf-8")),
    )


def load_curriculum(root: Path | None = None) -> Curriculum:
    """Load and cross-validate every module under ``root`` (default: settings.CURRICULUM_DIR)."""
    root = Path(root or settings.CURRICULUM_DIR)
    modules = tuple(
        sorted(
            (load_module(p) for p in sorted(root.iterdir()) if (p / "module.yaml").exists()),
            key=lambda module: (module.order, module.slug),
        )
    )
    by_slug = {module.slug: module for module in modules}
    exercises: dict[str, ExerciseSpec] = {}
    seen_uuids: dict[uuid.UUID, Path] = {}
    for module in modules:
        for prerequisite in module.prerequisites:
            if prerequisite not in by_slug:
                raise ContentError(
                    module.path / "module.yaml", f"prerequisite '{prerequisite}' is not a module"
                )
            if by_slug[prerequisite].order >= module.order:
                raise ContentError(
                    module.path / "module.yaml",
                    f"prerequisite '{prerequisite}' must come earlier in the course",
                )
        items: list[ModuleSpec | LessonSpec | ExerciseSpec] = [
            module,
            *module.lessons,
            *module.exercises,
        ]
        for item in items:
            item_path = item.directory if isinstance(item, ExerciseSpec) else item.path
            if item.uuid in seen_uuids:
                raise ContentError(
                    item_path, f"uuid {item.uuid} is also used by {seen_uuids[item.uuid]}"
                )
            seen_uuids[item.uuid] = item_path
        for exercise in module.exercises:
            if exercise.slug in exercises:
                raise ContentError(
                    exercise.directory,
                    f"exercise slug '{exercise.slug}' is also used in "
                    f"{exercises[exercise.slug].directory}",
                )
            exercises[exercise.slug] = exercise
    return Curriculum(modules=modules, exercises_by_slug=exercises)
