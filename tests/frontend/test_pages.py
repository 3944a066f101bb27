"""The server-rendered pages: they render, they guard who sees what, they never echo HTML."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from apps.curriculum.models import Exercise, Lesson, Module
from apps.progress.models import Enrollment, LessonProgress

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


def a_lesson() -> Lesson:
    return Lesson.objects.filter(retired=False, module__slug="probability").order_by("order")[0]


# --- anonymous ------------------------------------------------------------------------------


def test_root_redirects_to_course_map(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/learn/"


def test_course_map_lists_every_module_for_anonymous_visitor(client: Any) -> None:
    response = client.get("/learn/")
    assert response.status_code == 200
    html = response.content.decode()
    for module in Module.objects.filter(retired=False):
        assert f'data-module="{module.slug}"' in html
        assert reverse("curriculum:module", args=[module.slug]) in html
    assert "Foundations" in html
    assert "Stages" in html
    assert "Log in" in html


def test_module_page_shows_lessons_exercises_and_prerequisites(client: Any) -> None:
    module = Module.objects.filter(
        retired=False, prerequisites__isnull=False
    ).first() or Module.objects.get(slug="probability")
    response = client.get(f"/learn/{module.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    for prerequisite in module.prerequisites.all():
        assert prerequisite.title in html
    for exercise in module.exercises.filter(retired=False):
        assert f"/exercises/{exercise.slug}/" in html


def test_unknown_module_and_lesson_are_404(client: Any) -> None:
    assert client.get("/learn/no-such-module/").status_code == 404
    assert client.get("/learn/probability/no-such-lesson/").status_code == 404


def test_lesson_renders_math_figures_data_and_neighbours(client: Any) -> None:
    lesson = a_lesson()
    response = client.get(f"/learn/{lesson.module.slug}/{lesson.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert lesson.title in html
    assert 'class="math' in html
    assert 'id="lesson-figures"' in html
    assert "dist/lesson.js" in html
    if Lesson.objects.filter(retired=False).count() > 1:
        assert 'rel="next"' in html or 'rel="prev"' in html
    # No inline script: every <script> is a module file or a json_script data island.
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        assert 'type="module" src=' in head or 'type="application/json"' in head, head


def test_opening_a_lesson_does_not_mark_it_read(client: Any, learner_factory: Any) -> None:
    learner = learner_factory()
    lesson = a_lesson()
    client.force_login(learner)
    html = client.get(f"/learn/{lesson.module.slug}/{lesson.slug}/").content.decode()
    assert not LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
    # It offers the explicit action, and lesson.js the end-of-lesson one.
    assert 'id="lesson-read-form"' in html
    assert f"/api/v1/modules/{lesson.module.slug}/lessons/{lesson.slug}/read/" in html


@pytest.mark.parametrize(
    "url", ["/exercises/softmax/", "/progress/", "/dashboard/", "/cohorts/join/"]
)
def test_anonymous_is_sent_to_login(client: Any, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_login_and_signup_pages_render(client: Any) -> None:
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert 'name="password"' in login.content.decode()
    signup = client.get("/accounts/signup/")
    html = signup.content.decode()
    assert signup.status_code == 200
    assert 'name="password1"' in html
    assert 'name="password2"' in html
    assert '<label for="id_username">' in html


# --- accounts and cohorts -------------------------------------------------------------------


def test_signup_creates_learner_profile_and_logs_in(client: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-pass-42x",
            "password2": "a-long-pass-42x",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/learn/"
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newbie")
    assert user.profile.role == "learner"
    page = client.get("/learn/")
    assert "newbie" in page.content.decode()
    assert "Welcome, newbie" in page.content.decode()


def test_signup_rejects_mismatched_passwords(client: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a-long-pass-42x", "password2": "other-pass-42x"},
    )
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()


def test_logout_is_a_post(client: Any, learner_factory: Any) -> None:
    client.force_login(learner_factory())
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/progress/").status_code == 302


def test_join_cohort_by_code(
    client: Any, learner_factory: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    learner = learner_factory()
    cohort = cohort_factory(instructor_factory(), name="Evening class")
    client.force_login(learner)
    response = client.post("/cohorts/join/", {"join_code": cohort.join_code.lower()}, follow=True)
    assert response.status_code == 200
    assert Enrollment.objects.filter(user=learner, cohort=cohort).exists()
    assert "You joined the cohort" in response.content.decode()
    bad = client.post("/cohorts/join/", {"join_code": "NOPE0000"})
    assert bad.status_code == 200
    assert "No cohort has that join code" in bad.content.decode()


# --- learner pages --------------------------------------------------------------------------


def test_exercise_page_has_editor_config_and_starter(client: Any, learner_factory: Any) -> None:
    client.force_login(learner_factory())
    exercise = Exercise.objects.get(slug="softmax")
    response = client.get("/exercises/softmax/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="exercise-config"' in html
    assert 'id="editor"' in html
    assert "dist/exercise.js" in html
    assert exercise.signature in html
    assert response.context["config"]["code"] == exercise.starter_code
    assert response.context["config"]["submitUrl"] == "/api/v1/exercises/softmax/submissions/"
    assert 'aria-live="polite"' in html


def test_exercise_page_restores_last_submission(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    submission_factory(learner, code="def softmax(z):\n    return 1\n")
    client.force_login(learner)
    response = client.get("/exercises/softmax/")
    assert response.context["config"]["code"] == "def softmax(z):\n    return 1\n"
    assert response.context["config"]["lastSubmissionId"] is not None
    assert "Your last submission is restored" in response.content.decode()


def test_unknown_exercise_is_404(client: Any, learner_factory: Any) -> None:
    client.force_login(learner_factory())
    assert client.get("/exercises/no-such-exercise/").status_code == 404


def test_progress_page_shows_scores_and_streak(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    submission_factory(learner, score=0.5)
    client.force_login(learner)
    response = client.get("/progress/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "day in a row" in html
    assert "50%" in html
    assert "/exercises/softmax/" in html


def test_course_map_shows_mastery_after_a_submission(
    client: Any, learner_factory: Any, submission_factory: Any
) -> None:
    learner = learner_factory()
    submission_factory(learner, status="passed", score=1.0)
    client.force_login(learner)
    response = client.get("/learn/")
    probability = next(s for s in response.context["foundations"] if s.module.slug == "probability")
    assert probability.mastery > 0


# --- dashboard ------------------------------------------------------------------------------


def test_learner_gets_403_on_dashboard(
    client: Any, learner_factory: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    learner = learner_factory()
    cohort = cohort_factory(instructor_factory(), (learner,))
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/dashboard/{cohort.pk}/").status_code == 403
    assert client.get(f"/dashboard/{cohort.pk}/learners/{learner.pk}/").status_code == 403


def test_instructor_sees_own_cohorts_only(
    client: Any, learner_factory: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    mine, theirs = instructor_factory(), instructor_factory()
    learner = learner_factory()
    own = cohort_factory(mine, (learner,), name="Mine")
    other = cohort_factory(theirs, (learner,), name="Theirs")
    client.force_login(mine)
    picker = client.get("/dashboard/")
    assert picker.status_code == 200
    assert "Mine" in picker.content.decode()
    assert "Theirs" not in picker.content.decode()
    assert client.get(f"/dashboard/{own.pk}/").status_code == 200
    assert client.get(f"/dashboard/{other.pk}/").status_code == 404
    assert client.get(f"/dashboard/{other.pk}/learners/{learner.pk}/").status_code == 404


def test_cohort_dashboard_heatmap_stats_and_csv_link(
    client: Any,
    learner_factory: Any,
    instructor_factory: Any,
    cohort_factory: Any,
    submission_factory: Any,
) -> None:
    teacher = instructor_factory()
    learner, idle = learner_factory("ada"), learner_factory("idle")
    cohort = cohort_factory(teacher, (learner, idle))
    submission_factory(learner, score=0.5)
    client.force_login(teacher)
    response = client.get(f"/dashboard/{cohort.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    heatmap = response.context["heatmap"]
    assert [row["learner"].username for row in heatmap["rows"]] == ["ada", "idle"]
    assert [e.slug for group in heatmap["groups"] for e in group.exercises] == ["softmax"]
    assert [row["cells"] for row in heatmap["rows"]] == [[("s2", "50%")], [("", "")]]
    assert 'id="heatmap"' in html
    assert f"/api/v1/cohorts/{cohort.pk}/progress.csv" in html
    assert cohort.join_code in html
    assert "rows sum to one" in html  # most-failed check
    csv = client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv")
    assert csv.status_code == 200
    assert "ada" in csv.content.decode()


def test_learner_drill_down_lists_attempts(
    client: Any,
    learner_factory: Any,
    instructor_factory: Any,
    cohort_factory: Any,
    submission_factory: Any,
) -> None:
    teacher = instructor_factory()
    learner, stranger = learner_factory(), learner_factory()
    cohort = cohort_factory(teacher, (learner,))
    submission = submission_factory(learner)
    client.force_login(teacher)
    response = client.get(f"/dashboard/{cohort.pk}/learners/{learner.pk}/")
    assert response.status_code == 200
    assert f'data-submission="{submission.pk}"' in response.content.decode()
    assert client.get(f"/dashboard/{cohort.pk}/learners/{stranger.pk}/").status_code == 404


# --- escaping -------------------------------------------------------------------------------


def test_learner_code_never_appears_unescaped(
    client: Any,
    learner_factory: Any,
    instructor_factory: Any,
    cohort_factory: Any,
    submission_factory: Any,
) -> None:
    teacher = instructor_factory()
    learner = learner_factory()
    cohort = cohort_factory(teacher, (learner,))
    # Created directly: the username validator would refuse it at sign-up.
    sneaky = learner_factory(XSS)
    Enrollment.objects.create(cohort=cohort, user=sneaky)
    submission_factory(learner, code=f"# {XSS}\ndef softmax(z):\n    return z\n", message=XSS)
    submission_factory(sneaky, code=XSS, message=XSS)

    client.force_login(learner)
    pages = [client.get(url) for url in ("/exercises/softmax/", "/progress/", "/learn/")]
    client.force_login(teacher)
    pages += [
        client.get(url)
        for url in (
            f"/dashboard/{cohort.pk}/",
            f"/dashboard/{cohort.pk}/learners/{learner.pk}/",
            f"/dashboard/{cohort.pk}/learners/{sneaky.pk}/",
            "/dashboard/",
        )
    ]
    for response in pages:
        assert response.status_code == 200, response.request["PATH_INFO"]
        assert XSS not in response.content.decode(), response.request["PATH_INFO"]
    # The restored code is in the page, but only inside the JSON data island, escaped.
    assert "\\u003Cscript\\u003Ealert(1)" in pages[0].content.decode()
