"""Rules DESIGN.md writes down that import-linter cannot see (its contracts are in
pyproject.toml and run by `make lint`): content is not a package, signals are a style rule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "apps/curriculum/content"
# What checks.py and a lesson's figures.py and questions.py may import: the grading library
# (which holds the explorable and concept-check helpers), the maths and a little stdlib.
CONTENT_MAY_IMPORT = (
    "apps.sandbox.grading",
    "numpy",
    "plotly",  # lessons' figures.py only: nothing a grading loads (see below)
    "math",
    "itertools",
    "contextlib",
    "collections",
    "functools",
    "dataclasses",
    "typing",
    "__future__",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def allowed(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(f"{prefix}.") for prefix in prefixes)


def content_files() -> list[Path]:
    # mistakes/ and solution.py are learner code (graded in the sandbox), not content code.
    return sorted(
        path
        for path in CONTENT.rglob("*.py")
        if path.name == "checks.py" or path.name.endswith((".figures.py", ".questions.py"))
    )


def test_the_content_imports_only_the_grading_library_and_maths() -> None:
    files = content_files()
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in imported_modules(path)
        if not allowed(module, CONTENT_MAY_IMPORT)
    ]
    assert len(files) > 40, "every exercise's checks.py is looked at"
    assert offenders == []


def test_the_content_rule_catches_an_app_import(tmp_path: Path) -> None:
    checks = tmp_path / "checks.py"
    checks.write_text("from apps.sandbox.models import Submission\nimport numpy as np\n")
    assert [m for m in imported_modules(checks) if not allowed(m, CONTENT_MAY_IMPORT)] == [
        "apps.sandbox.models"
    ]


def graded_files() -> list[Path]:
    """The content every grading loads: checks.py, and a lesson's questions.py (concept checks)."""
    return [path for path in content_files() if not path.name.endswith(".figures.py")]


def test_nothing_a_grading_loads_imports_plotly() -> None:
    # Every submission loads its checks.py: importing plotly.graph_objects costs ~0.5 s, and a
    # go.Figure validates every property it is given. Figures on the grading path are plain
    # Plotly JSON (grading/plain.py: PlainFigure, subplots); lessons' figures.py, built once at
    # sync time, may use Plotly. (import-linter keeps plotly out of apps.sandbox.)
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in graded_files()
        for module in imported_modules(path)
        if allowed(module, ("plotly",))
    ]
    assert offenders == []


def test_loading_every_exercises_checks_loads_no_plotly() -> None:
    # What a grading imports, in a fresh interpreter: the engine, then each checks.py as the
    # engine loads it (an import hidden behind another module shows here, not in the AST).
    probe = (
        "import sys\n"
        "from pathlib import Path\n"
        "from apps.sandbox.grading import engine\n"
        "plotly = lambda: [m for m in sys.modules if m.split('.')[0] == 'plotly']\n"
        "print('the grading library' if plotly() else '')\n"
        "for n, path in enumerate(sorted(Path('apps/curriculum/content').rglob('checks.py'))):\n"
        "    engine._load_module(path, f'probe_checks_{n}')\n"
        "    if plotly():\n"
        "        print(path)\n"
        "        for name in plotly():\n"
        "            del sys.modules[name]\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert loaded.split() == []


# Cache invalidation, not business flow: the signed-in user is cached (apps/progress/auth.py)
# and Django's own code saves users (login, password changes, the admin, management
# commands), so the model's save and delete signals are the one place every change is heard.
# The same for progress rows, deadlines and cohorts edited in the admin, and for a cohort
# linked to an LMS course (apps/lti/apps.py: instructors' cached lists of cohorts mark it).
SIGNAL_RECEIVERS_FOR_CACHE = {"apps/progress/apps.py", "apps/lti/apps.py"}


@pytest.mark.parametrize("folder", ["apps", "frontend"])
def test_no_signals_drive_business_flow(folder: str) -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "content" not in path.parts and "node_modules" not in path.parts
        if str(path.relative_to(ROOT)) not in SIGNAL_RECEIVERS_FOR_CACHE
        if any(
            m.startswith("django.db.models.signals") or m == "django.dispatch"
            for m in imported_modules(path)
        )
    ]
    assert offenders == []


MAX_FUNCTION_LINES = 60


def test_no_function_is_longer_than_sixty_lines() -> None:
    # Application code only: content reads like the maths, tests like sentences, and the
    # benchmark scripts' main()s are scripts.
    files = [
        path
        for folder in ("apps", "frontend", "platform")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if not {"content", "migrations", "node_modules"} & set(path.parts)
    ]
    too_long = [
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        if (length := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_FUNCTION_LINES
    ]
    assert len(files) > 50
    assert too_long == []
