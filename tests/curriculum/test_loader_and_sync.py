"""Loading the content with clear errors, and syncing it idempotently by uuid."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from apps.curriculum.loader import ContentError, load_curriculum
from apps.curriculum.models import Exercise, Lesson, Module
from apps.curriculum.rendering import render_markdown


@pytest.fixture
def content(tmp_path: Path, settings) -> Path:
    root = tmp_path / "content"
    shutil.copytree(settings.CURRICULUM_DIR, root)
    settings.CURRICULUM_DIR = root
    return root


def test_a_missing_field_names_the_file_and_the_field(content: Path) -> None:
    path = content / "probability/exercises/softmax/exercise.yaml"
    path.write_text(path.read_text().replace("title:", "titel:"))
    with pytest.raises(ContentError, match=r"softmax/exercise.yaml: field 'title' is required"):
        load_curriculum(content)


def test_a_lesson_reference_that_does_not_exist_is_an_error(content: Path) -> None:
    path = content / "probability/exercises/softmax/exercise.yaml"
    path.write_text(path.read_text().replace("lesson: ", "lesson: nowhere-"))
    with pytest.raises(ContentError, match="is not a lesson of this module"):
        load_curriculum(content)


def test_a_duplicate_uuid_is_an_error(content: Path) -> None:
    softmax = content / "probability/exercises/softmax"
    shutil.copytree(softmax, content / "probability/exercises/softmax-copy")
    with pytest.raises(ContentError, match=r"uuid .* is also used"):
        load_curriculum(content)


def test_limits_over_the_hard_cap_are_refused(content: Path) -> None:
    path = content / "probability/exercises/softmax/exercise.yaml"
    path.write_text(path.read_text() + "limits:\n  cpu_seconds: 600\n")
    with pytest.raises(ContentError, match="over the cap"):
        load_curriculum(content)


@pytest.mark.django_db
def test_sync_is_idempotent(capsys) -> None:
    call_command("sync_curriculum")
    out = capsys.readouterr().out
    assert "0 added, 0 changed, 0 retired" in out


@pytest.mark.django_db
def test_sync_reports_changes_and_retires_what_left_the_disk(content: Path, capsys) -> None:
    prompt = content / "probability/exercises/softmax/prompt.md"
    prompt.write_text(prompt.read_text() + "\nOne more sentence.\n")
    version = Exercise.objects.get(slug="softmax").content_version
    entropy_dir = next(
        p for p in (content / "probability/exercises").iterdir() if p.name != "softmax"
    )
    gone_uuid = uuid.UUID(
        next(
            line.split(":", 1)[1].strip()
            for line in (entropy_dir / "exercise.yaml").read_text().splitlines()
            if line.startswith("uuid:")
        )
    )
    shutil.rmtree(entropy_dir)
    call_command("sync_curriculum")
    out = capsys.readouterr().out
    assert "changed  exercise softmax" in out
    assert "retired  exercise" in out
    assert Exercise.objects.get(slug="softmax").content_version == version + 1
    assert Exercise.objects.get(uuid=gone_uuid).retired is True


@pytest.mark.django_db
def test_every_lesson_renders_with_math_left_for_the_page() -> None:
    lessons = list(Lesson.objects.filter(retired=False))
    assert len(lessons) >= 20
    for lesson in lessons:
        assert lesson.body_html.strip()
        assert "<script" not in lesson.body_html
    assert any('class="math' in lesson.body_html for lesson in lessons)
    assert Module.objects.filter(retired=False).count() == 10


def test_markdown_does_not_pass_raw_html_through() -> None:
    html = render_markdown('Hi <img src=x onerror="alert(1)"> and $a<b$\n\n$$\n\\frac{1}{2}\n$$\n')
    assert "<img" not in html
    assert '<span class="math inline">a&lt;b</span>' in html
    assert '<div class="math block">' in html


@pytest.mark.django_db
def test_a_prompt_edit_keeps_the_check_version_and_new_checks_bump_it(
    content: Path, capsys
) -> None:
    softmax = content / "probability/exercises/softmax"
    before = Exercise.objects.get(slug="softmax")
    prompt = softmax / "prompt.md"
    prompt.write_text(prompt.read_text() + "\nA clearer sentence.\n")
    call_command("sync_curriculum")
    after_prompt = Exercise.objects.get(slug="softmax")
    assert after_prompt.content_version == before.content_version + 1
    assert after_prompt.check_version == before.check_version
    capsys.readouterr()
    checks = softmax / "checks.py"
    checks.write_text(checks.read_text() + "\n# a stricter tolerance, say\n")
    call_command("sync_curriculum")
    assert "new checks for softmax" in capsys.readouterr().out
    assert Exercise.objects.get(slug="softmax").check_version == before.check_version + 1
    meta = softmax / "exercise.yaml"
    meta.write_text(meta.read_text() + "limits:\n  wall_seconds: 3\n")
    call_command("sync_curriculum")
    assert Exercise.objects.get(slug="softmax").check_version == before.check_version + 2


@pytest.mark.django_db
def test_the_first_sync_with_check_hashes_fills_them_in_without_a_bump() -> None:
    Exercise.objects.filter(slug="softmax").update(check_hash="")
    call_command("sync_curriculum", verbosity=0)
    softmax = Exercise.objects.get(slug="softmax")
    assert softmax.check_hash
    assert softmax.check_version == 1
