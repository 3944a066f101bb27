"""The rules DESIGN.md writes down, checked: dependencies point one way, the runner is plain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(folder: str, *, exclude: str | None = None) -> list[Path]:
    files = sorted((ROOT / folder).rglob("*.py"))
    return [f for f in files if not (exclude and exclude in f.parts)]


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("apps/curriculum", ("apps.progress", "apps.sandbox", "apps.lti", "apps.xapi")),
        ("apps/progress", ("apps.sandbox", "apps.lti", "apps.xapi")),
        # LTI and xAPI hear of progress through its outbox; nothing they build calls back.
        ("apps/sandbox", ("apps.lti", "apps.xapi")),
        ("apps/lti", ("apps.sandbox", "apps.xapi")),
        ("apps/xapi", ("apps.sandbox", "apps.lti")),
    ],
)
def test_dependencies_point_one_way_sandbox_progress_curriculum(
    app: str, forbidden: tuple[str, ...]
) -> None:
    # Exercise checks under content/ are plugins the grader loads, not curriculum code.
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(app, exclude="content")
        for module in imported_modules(path)
        if module.startswith(forbidden)
    ]
    assert offenders == []


def test_the_runner_imports_no_django_and_nothing_of_the_project_but_itself() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files("apps/sandbox/runner")
        for module in imported_modules(path)
        if module.split(".")[0] in {"django", "rest_framework", "celery", "dlmath"}
        or (module.startswith("apps.") and not module.startswith("apps.sandbox.runner"))
    ]
    assert offenders == []


def test_no_signals_drive_business_flow() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in python_files("apps", exclude="content")
        if any(
            m.startswith("django.db.models.signals") or m == "django.dispatch"
            for m in imported_modules(path)
        )
    ]
    assert offenders == []
