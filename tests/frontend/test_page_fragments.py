"""Memoised page fragments ({% memo %}): a learner only ever sees their own standing, as it
is now, in their language; a change of progress or of the course shows at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.admin import site
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.curriculum import selectors
from apps.curriculum.admin import ExerciseAdmin, LessonAdmin
from apps.curriculum.models import Exercise, Lesson, Module, Question
from apps.curriculum.selectors import curriculum_revision_bump, modules_outline
from apps.progress.models import ModuleProgress, Profile, Role
from apps.progress.selectors import course_map_for_user
from apps.progress.services import exercise_progress_record_attempt, lesson_mark_read
from apps.sandbox.models import Submission
from apps.sandbox.selectors import submission_attempts
from frontend.templatetags.memo import fragments
from frontend.views.course import course_map_key

pytestmark = pytest.mark.django_db

_submission = iter(range(900_000, 1_000_000))


def module_card(html: str, slug: str) -> str:
    match = re.search(
        rf'<li class="module-card[^"]*" data-module="{slug}">(.*?)</li>\n', html, re.S
    )
    assert match, f"no card for {slug}"
    return match.group(1)


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def first_exercise(module_slug: str) -> Exercise:
    return Exercise.objects.filter(retired=False, module__slug=module_slug).order_by("order")[0]


def pass_exercise(user: Any, exercise: Exercise) -> None:
    exercise_progress_record_attempt(
        user=user,
        exercise=exercise,
        submission_id=next(_submission),
        score=1.0,
        passed=True,
        failed_checks=[],
        at=timezone.now(),
    )


def test_it_shows_each_learner_their_own_module_cards(
    learner_factory: Callable[..., Any],
) -> None:
    alice, bob = learner_factory(), learner_factory()
    exercise = first_exercise("probability")
    pass_exercise(alice, exercise)
    alice_card = module_card(logged_in(alice).get("/learn/").content.decode(), "probability")
    bob_card = module_card(logged_in(bob).get("/learn/").content.decode(), "probability")
    assert "1 of " in alice_card
    assert "0 of " in bob_card
    # Alice's cards again, after Bob's: still hers.
    again = module_card(logged_in(alice).get("/learn/").content.decode(), "probability")
    assert again == alice_card


def test_two_learners_with_the_same_standing_never_share_a_key(
    learner_factory: Callable[..., Any],
) -> None:
    alice, bob = learner_factory(), learner_factory()
    alice_key = course_map_key(user_id=alice.pk, standings=course_map_for_user(user=alice))
    bob_key = course_map_key(user_id=bob.pk, standings=course_map_for_user(user=bob))
    assert alice_key is not None
    assert bob_key is not None
    assert alice_key[2] == bob_key[2]  # the same standings...
    assert alice_key != bob_key  # ...but not the same fragment


def test_a_passed_exercise_shows_on_the_course_map_at_once(
    learner_factory: Callable[..., Any],
) -> None:
    alice = learner_factory()
    client = logged_in(alice)
    before = module_card(client.get("/learn/").content.decode(), "probability")
    assert re.search(r"\b0 of \d+ exercises passed", before)
    pass_exercise(alice, first_exercise("probability"))
    after = module_card(client.get("/learn/").content.decode(), "probability")
    assert re.search(r"\b1 of \d+ exercises passed", after)
    assert after != before


def test_a_read_lesson_shows_on_the_course_map_and_the_lesson_at_once(
    learner_factory: Callable[..., Any],
) -> None:
    alice = learner_factory()
    client = logged_in(alice)
    lesson = Lesson.objects.filter(retired=False, module__slug="probability").order_by("order")[0]
    url = f"/learn/probability/{lesson.slug}/"
    assert re.search(r"\b0 of \d+ lessons read", client.get("/learn/").content.decode())
    unread = client.get(url).content.decode()
    lesson_mark_read(user=alice, lesson=lesson)
    assert re.search(r"\b1 of \d+ lessons read", client.get("/learn/").content.decode())
    assert client.get(url).content.decode() != unread


def test_the_module_cards_follow_a_language_switch(learner_factory: Callable[..., Any]) -> None:
    alice = learner_factory()
    client = logged_in(alice)
    english = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    back = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Foundations" in english
    assert "基础" not in english
    assert "基础" in chinese
    assert "Foundations" not in chinese
    assert "Mastered" not in chinese
    assert "lessons read" not in chinese
    assert module_card(back, "probability") == module_card(english, "probability")


def test_an_instructor_unlock_shows_at_once(
    learner_factory: Callable[..., Any],
    instructor_factory: Callable[..., Any],
) -> None:
    alice = learner_factory()
    locked = Module.objects.filter(retired=False, prerequisites__isnull=False).first()
    assert locked is not None
    client = logged_in(alice)
    card = re.search(
        rf'<li class="module-card([^"]*)" data-module="{locked.slug}">',
        client.get("/learn/").content.decode(),
    )
    assert card
    assert "is-locked" in card.group(1)
    exercise = first_exercise(locked.slug)
    assert "still locked" in client.get(f"/exercises/{exercise.slug}/").content.decode()
    ModuleProgress.objects.update_or_create(
        user=alice, module=locked, defaults={"unlocked_by": instructor_factory()}
    )
    card = re.search(
        rf'<li class="module-card([^"]*)" data-module="{locked.slug}">',
        client.get("/learn/").content.decode(),
    )
    assert card
    assert "is-locked" not in card.group(1)
    assert "still locked" not in client.get(f"/exercises/{exercise.slug}/").content.decode()


def test_a_course_sync_changes_the_key(learner_factory: Callable[..., Any]) -> None:
    alice = learner_factory()
    before = course_map_key(user_id=alice.pk, standings=course_map_for_user(user=alice))
    curriculum_revision_bump()
    after = course_map_key(user_id=alice.pk, standings=course_map_for_user(user=alice))
    assert before is not None
    assert after is not None
    assert before[0] != after[0]


def test_rows_of_an_outline_since_rebuilt_are_not_memoised(
    learner_factory: Callable[..., Any],
) -> None:
    alice = learner_factory()
    standings = course_map_for_user(user=alice)
    curriculum_revision_bump()
    modules_outline()
    assert course_map_key(user_id=alice.pk, standings=standings) is None


def test_memo_renders_once_per_key_and_language_and_never_without_a_key() -> None:
    fragments.clear()
    template = Template('{% load memo %}{% memo "test-fragment" key %}{{ shown }}{% endmemo %}')
    assert template.render(Context({"key": ("a",), "shown": "first"})) == "first"
    # The same key: the block as first rendered (the key must hold all it shows).
    assert template.render(Context({"key": ("a",), "shown": "second"})) == "first"
    assert template.render(Context({"key": ("b",), "shown": "second"})) == "second"
    assert template.render(Context({"key": None, "shown": "third"})) == "third"
    assert template.render(Context({"key": None, "shown": "fourth"})) == "fourth"


def history_section(html: str) -> str:
    match = re.search(r'<section aria-labelledby="history-heading".*?</section>', html, re.S)
    assert match, "no history section"
    return match.group(0)


def test_each_learner_sees_only_their_own_attempts(
    learner_factory: Callable[..., Any], submission_factory: Callable[..., Any]
) -> None:
    alice, bob = learner_factory(), learner_factory()
    submission_factory(alice, score=0.5)
    submission_factory(bob, score=0.25)
    alice_history = history_section(logged_in(alice).get("/exercises/softmax/").content.decode())
    bob_history = history_section(logged_in(bob).get("/exercises/softmax/").content.decode())
    assert "50%" in alice_history
    assert "25%" not in alice_history
    assert "25%" in bob_history
    assert "50%" not in bob_history
    again = history_section(logged_in(alice).get("/exercises/softmax/").content.decode())
    assert again == alice_history


def test_a_regrade_shows_in_the_attempts_at_once(
    learner_factory: Callable[..., Any], submission_factory: Callable[..., Any]
) -> None:
    alice = learner_factory()
    submission = submission_factory(alice, score=0.5)
    client = logged_in(alice)
    assert "50%" in history_section(client.get("/exercises/softmax/").content.decode())
    Submission.objects.filter(pk=submission.pk).update(score=1.0, status="passed")
    after = history_section(client.get("/exercises/softmax/").content.decode())
    assert "100%" in after
    assert "status-passed" in after


def test_a_new_attempt_shows_at_once(
    learner_factory: Callable[..., Any], submission_factory: Callable[..., Any]
) -> None:
    alice = learner_factory()
    client = logged_in(alice)
    assert "No attempts yet." in client.get("/exercises/softmax/").content.decode()
    submission_factory(alice, score=0.5)
    history = history_section(client.get("/exercises/softmax/").content.decode())
    assert 'data-attempt-number="1"' in history
    assert "#1" in history


def test_an_exercise_edited_in_the_admin_shows_at_once(
    learner_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = logged_in(learner_factory())
    assert "Freshly edited prompt" not in client.get("/exercises/softmax/").content.decode()
    exercise = Exercise.objects.get(slug="softmax")
    exercise.prompt_html = "<p>Freshly edited prompt.</p>"
    admin = ExerciseAdmin(Exercise, site)
    with django_capture_on_commit_callbacks(execute=True):
        admin.save_model(RequestFactory().post("/"), exercise, None, True)  # type: ignore[arg-type]
    assert "Freshly edited prompt" in client.get("/exercises/softmax/").content.decode()


def test_the_task_panel_follows_a_language_switch(learner_factory: Callable[..., Any]) -> None:
    client = logged_in(learner_factory())
    english = client.get("/exercises/softmax/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/exercises/softmax/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h3>Write</h3>" in english
    assert "<h3>Write</h3>" not in chinese
    assert "No attempts yet." in english
    assert "No attempts yet." not in chinese


def test_a_page_reads_the_course_revision_once(
    learner_factory: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = logged_in(learner_factory())
    client.get("/exercises/softmax/")
    reads: list[str] = []
    real_get = selectors.cache.get

    def counting_get(key: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(selectors.cache, "get", counting_get)
    client.get("/exercises/softmax/")
    assert reads.count(selectors.REVISION_KEY) == 1
    reads.clear()
    client.get("/learn/probability/softmax-and-cross-entropy/")
    assert reads.count(selectors.REVISION_KEY) == 1


def test_a_lesson_edited_in_the_admin_shows_at_once(
    learner_factory: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    client = logged_in(learner_factory())
    url = "/learn/probability/softmax-and-cross-entropy/"
    assert "Freshly edited summary" not in client.get(url).content.decode()
    lesson = Lesson.objects.get(slug="softmax-and-cross-entropy")
    lesson.summary = "Freshly edited summary."
    with django_capture_on_commit_callbacks(execute=True):
        LessonAdmin(Lesson, site).save_model(RequestFactory().post("/"), lesson, None, True)  # type: ignore[arg-type]
    assert "Freshly edited summary" in client.get(url).content.decode()


def editor_config(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="exercise-config" type="application/json">(.*?)</script>', html)
    assert match, "no exercise config"
    return json.loads(match.group(1))


def test_the_editor_restores_the_newest_attempt_of_the_learner_only(
    learner_factory: Callable[..., Any], submission_factory: Callable[..., Any]
) -> None:
    alice, bob = learner_factory(), learner_factory()
    starter = Exercise.objects.get(slug="softmax").starter_code
    assert (
        editor_config(logged_in(alice).get("/exercises/softmax/").content.decode())["code"]
        == starter
    )
    submission_factory(alice, code="# first\n")
    submission_factory(alice, code="# second\n")
    submission_factory(bob, code="# bob's\n")
    html = logged_in(alice).get("/exercises/softmax/").content.decode()
    assert editor_config(html)["code"] == "# second\n"
    assert 'data-attempt-number="2"' in history_section(html)
    assert "# first" not in html
    assert "Your last submission is restored." in html
    bob_html = logged_in(bob).get("/exercises/softmax/").content.decode()
    assert editor_config(bob_html)["code"] == "# bob's\n"
    assert 'data-attempt-number="2"' not in history_section(bob_html)


def test_the_attempts_selector_numbers_every_attempt_and_carries_only_the_newest_code(
    learner_factory: Callable[..., Any], submission_factory: Callable[..., Any]
) -> None:
    alice = learner_factory()
    for n in range(4):
        submission_factory(alice, code=f"# attempt {n + 1}\n")
    exercise = Exercise.objects.get(slug="softmax")
    rows = submission_attempts(user=alice, exercise_id=exercise.pk, limit=3)
    assert [s.attempt_number for s in rows] == [4, 3, 2]  # type: ignore[attr-defined]
    assert [s.latest_code for s in rows] == ["# attempt 4\n", None, None]  # type: ignore[attr-defined]


def site_header(html: str) -> str:
    match = re.search(r'<header class="site-header">.*?</header>', html, re.S)
    assert match, "no site header"
    return match.group(0)


def test_the_header_shows_each_user_their_own_name_and_fresh_csrf_tokens(
    learner_factory: Callable[..., Any],
) -> None:
    alice, bob = learner_factory("alice-header"), learner_factory("bob-header")
    alice_client = logged_in(alice)
    alice_header = site_header(alice_client.get("/learn/").content.decode())
    bob_header = site_header(logged_in(bob).get("/learn/").content.decode())
    assert "alice-header" in alice_header
    assert "bob-header" not in alice_header
    assert "bob-header" in bob_header
    assert "alice-header" not in bob_header
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', alice_header)
    assert len(tokens) == 2  # the logout and the language forms
    again = site_header(alice_client.get("/learn/").content.decode())
    # A masked token of its own on each response (BREACH), never one kept in a fragment.
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again)[0] != tokens[0]
    # Each page posts its own address back to the language switch.
    lesson = site_header(
        alice_client.get("/learn/probability/softmax-and-cross-entropy/").content.decode()
    )
    assert 'name="next" value="/learn/probability/softmax-and-cross-entropy/"' in lesson
    assert 'name="next" value="/learn/"' in again


def test_the_header_marks_the_current_section(learner_factory: Callable[..., Any]) -> None:
    client = logged_in(learner_factory())
    course = site_header(client.get("/learn/").content.decode())
    progress = site_header(client.get("/progress/").content.decode())
    assert re.search(r'href="/learn/" aria-current="page"', course)
    assert not re.search(r'href="/progress/" aria-current="page"', course)
    assert re.search(r'href="/progress/" aria-current="page"', progress)
    assert not re.search(r'href="/learn/" aria-current="page"', progress)


def test_a_learner_made_instructor_sees_the_dashboard_link_at_once(
    learner_factory: Callable[..., Any], instructor_factory: Callable[..., Any]
) -> None:
    alice = learner_factory()
    client = logged_in(alice)
    assert 'href="/dashboard/"' not in site_header(client.get("/learn/").content.decode())
    assert 'href="/dashboard/"' in site_header(
        logged_in(instructor_factory()).get("/learn/").content.decode()
    )
    # Alice again, after an instructor's header: still without the link.
    assert 'href="/dashboard/"' not in site_header(client.get("/learn/").content.decode())
    Profile.objects.filter(user=alice).update(role=Role.INSTRUCTOR)
    assert 'href="/dashboard/"' in site_header(client.get("/learn/").content.decode())


def test_memo_with_several_key_parts_keys_on_all_and_skips_any_missing_one() -> None:
    fragments.clear()
    template = Template('{% load memo %}{% memo "test-parts" a b %}{{ shown }}{% endmemo %}')
    assert template.render(Context({"a": 1, "b": 2, "shown": "first"})) == "first"
    assert template.render(Context({"a": 1, "b": 2, "shown": "second"})) == "first"
    assert template.render(Context({"a": 1, "b": 3, "shown": "third"})) == "third"
    assert template.render(Context({"a": None, "b": 2, "shown": "fourth"})) == "fourth"
    assert template.render(Context({"a": None, "b": 2, "shown": "fifth"})) == "fifth"


def rename_field(html: str) -> str:
    match = re.search(r'<form method="post" action="/dashboard/\d+/rename/".*?</form>', html, re.S)
    assert match, "no rename form"
    return match.group(0)


def test_the_rename_form_shows_the_cohorts_name_now_and_a_rejected_name_as_typed(
    instructor_factory: Callable[..., Any], cohort_factory: Callable[..., Any]
) -> None:
    teacher = instructor_factory()
    spring = cohort_factory(teacher, (), name="Spring")
    autumn = cohort_factory(teacher, (), name="Autumn")
    client = logged_in(teacher)
    assert 'value="Spring"' in rename_field(client.get(f"/dashboard/{spring.pk}/").content.decode())
    assert 'value="Autumn"' in rename_field(client.get(f"/dashboard/{autumn.pk}/").content.decode())
    client.post(f"/dashboard/{spring.pk}/rename/", {"name": "Spring B"})
    renamed = rename_field(client.get(f"/dashboard/{spring.pk}/").content.decode())
    assert 'value="Spring B"' in renamed
    assert "csrfmiddlewaretoken" in renamed
    rejected = client.post(f"/dashboard/{spring.pk}/rename/", {"name": "x" * 200})
    form = rename_field(rejected.content.decode())
    assert 'value="' + "x" * 200 + '"' in form
    assert 'class="errors"' in form
    # And the form as served again afterwards: the name, without the error.
    again = rename_field(client.get(f"/dashboard/{spring.pk}/").content.decode())
    assert again.count('class="errors"') == 0
    assert 'value="Spring B"' in again


def test_a_question_retired_by_a_sync_leaves_the_lesson_at_once(
    learner_factory: Callable[..., Any],
) -> None:
    client = logged_in(learner_factory())
    lesson = Lesson.objects.filter(retired=False, questions__retired=False).distinct().first()
    assert lesson is not None
    url = f"/learn/{lesson.module.slug}/{lesson.slug}/"
    question = lesson.questions.filter(retired=False).order_by("order").first()
    assert question is not None
    assert f'id="question-{question.name}"' in client.get(url).content.decode()
    Question.objects.filter(pk=question.pk).update(retired=True)
    curriculum_revision_bump()  # what a sync does after its changes
    assert f'id="question-{question.name}"' not in client.get(url).content.decode()
