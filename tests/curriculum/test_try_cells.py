"""Every try-it cell of every lesson runs as written, through the real sandbox, and draws: a
cell the reader is asked to edit must first work unedited."""

from __future__ import annotations

import re

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.models import RunStatus
from apps.sandbox.runs import run_create

CURRICULUM = load_curriculum()
CELL_RE = re.compile(r"^```python try\n(.*?)^```", re.MULTILINE | re.DOTALL)
CELLS = [
    pytest.param(code, id=f"{lesson.slug}-{number}")
    for module in CURRICULUM.modules
    for lesson in module.lessons
    for number, code in enumerate(CELL_RE.findall(lesson.body), start=1)
]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", CELLS)
def test_every_try_cell_runs_unedited_and_draws(
    code: str, alice, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = run_create(user=alice, code=code)
    run.refresh_from_db()
    assert run.status == RunStatus.OK, (run.status, run.error, run.stderr[-500:])
    assert run.figures, "a try-it cell should draw what the text asks the reader to look at"
