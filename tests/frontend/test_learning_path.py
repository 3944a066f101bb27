"""The learner's path: teaching order, "Next up", lessons read on purpose, a compact progress."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from django.template import Context, Template

from apps.curriculum.models import Exercise, Lesson, Module
from apps.curriculum.selectors import course_steps, module_steps, modules_outline
from apps.progress.models import LessonProgress
from apps.progress.services import lesson_mark_read
from apps.sandbox.models import Submission

pytestmark = pytest.mark.django_db


def url_of(step: Any) -> str:
    if step.kind == "lesson":
        return f"/learn/{step.module.slug}/{step.item.slug}/"
    return f"/exercises/{step.item.slug}/"


def test_teaching_order_puts_each_lesson_before_the_exercises_that_practise_it() -> None:
    steps = course_steps()
    assert (
        len([s for s in steps if s.kind == "lesson"])
        == Lesson.objects.filter(retired=False).count()
    )
    assert (
        len([s for s in steps if s.kind == "exercise"])
        == Exercise.objects.filter(retired=False).count()
    )
    seen_lessons: set[int] = set()
    for step in steps:
        if step.kind == "lesson":
            seen_lessons.add(step.item.pk)
        elif step.item.lesson_id is not None:
            assert step.item.lesson_id in seen_lessons, step.item.slug


def test_next_after_a_modules_last_lesson_is_its_exercise_not_the_next_module(
    client: Any,
) -> None:
    checked = 0
    for module in modules_outline():
        steps = module_steps(module)
        lessons = [s for s in steps if s.kind == "lesson"]
        if not lessons:
            continue
        last = lessons[-1]
        after = steps[steps.index(last) + 1 :]
        html = client.get(url_of(last)).content.decode()
        next_link = re.search(r'rel="next" href="([^"]+)"', html)
        if after:
            assert next_link, last.item.slug
            assert next_link[1] == url_of(after[0]), last.item.slug
            assert after[0].kind == "exercise"
            checked += 1
    assert checked >= 5


def test_signed_in_course_map_shows_next_up_instead_of_the_hero(
    client: Any, learner_factory: Any
) -> None:
    anonymous = client.get("/learn/").content.decode()
    assert "The mathematics of deep learning, in NumPy" in anonymous
    learner = learner_factory()
    client.force_login(learner)
    first = course_steps()[0]
    html = client.get("/learn/").content.decode()
    assert "The mathematics of deep learning, in NumPy" not in html
    assert "Create an account" not in html
    assert "Next up" in html
    assert f'data-next-up-link href="{url_of(first)}">Start' in html

    lesson_mark_read(user=learner, lesson=first.item)
    second = course_steps()[1]
    html = client.get("/learn/").content.decode()
    assert f'data-next-up-link href="{url_of(second)}">Continue' in html


def test_next_up_is_an_unpassed_exercise_before_the_next_lesson(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    steps = module_steps(next(m for m in modules_outline() if m.slug == "probability"))
    for step in steps:
        if step.kind == "lesson":
            lesson_mark_read(user=learner, lesson=step.item)
    submission_factory(learner, "softmax", status="failed", score=0.5)
    client.force_login(learner)
    html = client.get("/learn/probability/").content.decode()
    first_exercise = next(s for s in steps if s.kind == "exercise")
    match = re.search(r'data-next-up-link href="([^"]+)">Continue', html)
    assert match
    assert match[1] == url_of(first_exercise)


def test_module_page_lists_lessons_and_exercises_interleaved_with_status(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    module = next(m for m in modules_outline() if m.slug == "probability")
    steps = module_steps(module)
    lesson_mark_read(user=learner, lesson=steps[0].item)
    submission_factory(learner, "softmax", status="passed", score=1.0)
    client.force_login(learner)
    html = client.get("/learn/probability/").content.decode()
    listed = re.findall(r'data-step="(lesson|exercise):([a-z0-9-]+)"', html)
    assert listed == [(s.kind, s.item.slug) for s in steps]
    softmax = html.split('data-step="exercise:softmax"')[1].split("</li>")[0]
    assert "Passed" in softmax
    first = html.split(f'data-step="lesson:{steps[0].item.slug}"')[1].split("</li>")[0]
    assert ">Read<" in first
    assert "Not started" in html


def test_marking_a_lesson_read_counts_it_and_goes_on_to_the_next_step(
    client: Any, learner_factory: Any
) -> None:
    learner = learner_factory()
    client.force_login(learner)
    steps = course_steps()
    lesson = steps[0]
    response = client.post(f"/learn/{lesson.module.slug}/{lesson.item.slug}/read/")
    assert response.status_code == 302
    assert response["Location"] == url_of(steps[1])
    assert LessonProgress.objects.filter(user=learner, lesson_id=lesson.item.pk).exists()
    html = client.get(url_of(lesson)).content.decode()
    assert 'id="lesson-read-form"' not in html
    assert "You have read this lesson." in html
    assert client.get(f"/learn/{lesson.module.slug}/{lesson.item.slug}/read/").status_code == 405


def test_a_new_learners_progress_page_is_a_line_per_module(
    client: Any, learner_factory: Any
) -> None:
    client.force_login(learner_factory())
    html = client.get("/progress/").content.decode()
    modules = Module.objects.filter(retired=False).count()
    assert html.count('<li class="module-summary') == modules
    assert html.count("<details>") == modules
    assert "<table" not in html
    assert "Next up" in html


def test_progress_page_details_show_each_exercise_with_its_best_score(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    submission_factory(learner, score=0.5)
    client.force_login(learner)
    html = client.get("/progress/").content.decode()
    probability = html.split('data-module="probability"')[1].split("</details>")[0]
    assert "/exercises/softmax/" in probability
    assert "Best 50%" in probability
    assert "1 attempt" in probability


def test_exercise_page_hands_an_in_flight_submission_to_the_script(
    client: Any, learner_factory: Any
) -> None:
    learner = learner_factory()
    exercise = Exercise.objects.get(slug="softmax")
    pending = Submission.objects.create(user=learner, exercise=exercise, code="x = 1\n")
    client.force_login(learner)
    config = client.get("/exercises/softmax/").context["config"]
    assert config["pending"]["id"] == pending.pk
    assert config["pending"]["status"] == "queued"
    assert 0 <= config["pending"]["elapsed"] < 60
    assert config["lastSubmissionId"] is None
    assert config["progressUrl"] == "/api/v1/progress/me/"


def test_exercise_page_has_a_pager_in_teaching_order(client: Any, learner_factory: Any) -> None:
    client.force_login(learner_factory())
    steps = course_steps()
    index = next(
        i for i, s in enumerate(steps) if s.kind == "exercise" and s.item.slug == "softmax"
    )
    html = client.get("/exercises/softmax/").content.decode()
    assert f'rel="prev" href="{url_of(steps[index - 1])}"' in html
    if index + 1 < len(steps):
        assert f'rel="next" href="{url_of(steps[index + 1])}"' in html


def test_dates_are_written_one_way() -> None:
    moment = datetime(2026, 3, 5, 14, 7, tzinfo=UTC)
    rendered = Template("{% load dlmath %}{% when moment %}|{{ moment|when_text }}").render(
        Context({"moment": moment})
    )
    assert rendered == (
        '<time datetime="2026-03-05T14:07:00+00:00" data-when>5 Mar 2026, 14:07</time>'
        "|5 Mar 2026, 14:07"
    )
