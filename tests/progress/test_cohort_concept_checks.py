"""Concept checks in a cohort's progress: the instructor's dashboard, the progress API and
progress.csv show what each learner answered and answered correctly, per lesson; only the
cohort's own instructors see them."""

from __future__ import annotations

import csv
import io
import re

import pytest

from apps.curriculum.models import Question
from apps.curriculum.selectors import question_variant
from apps.progress.models import Role
from apps.progress.selectors import lessons_with_concept_checks
from apps.sandbox.grading.questions import format_answer

pytestmark = pytest.mark.django_db

LESSON = "lyapunov-spectrum-and-the-edge-of-chaos"
QUESTIONS = f"/api/v1/modules/rnn/lessons/{LESSON}/questions"


def answer(api_client, user, name: str, text: str) -> bool:
    api_client.force_authenticate(user)
    response = api_client.post(f"{QUESTIONS}/{name}/answers/", {"answer": text}, format="json")
    assert response.status_code == 200, response.content[:300]
    return bool(response.json()["correct"])


def right(user, name: str) -> str:
    question = Question.objects.get(name=name, lesson__slug=LESSON, retired=False)
    return format_answer(question_variant(question=question, user_id=user.pk, variant=0).built)


@pytest.fixture
def cohort(api_client, teacher, alice, bob, make_cohort):
    """Alice answered two of the lesson's concept checks (one wrong first), right in the end
    for one of them; Bob answered none."""
    cohort = make_cohort(teacher, [alice, bob], name="Spring")
    assert not answer(api_client, alice, "eigenvalues-of-w", "100, 200")
    assert answer(api_client, alice, "eigenvalues-of-w", right(alice, "eigenvalues-of-w"))
    assert not answer(api_client, alice, "largest-exponent", "123456")
    api_client.force_authenticate(None)
    return cohort


def _lesson_index(lessons: list[dict]) -> int:
    return next(j for j, lesson in enumerate(lessons) if lesson["slug"] == LESSON)


def test_the_progress_api_gives_each_learners_concept_checks_per_lesson(
    api_client, teacher, cohort
) -> None:
    api_client.force_authenticate(teacher)
    body = api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").json()
    assert [u["username"] for u in body["learners"]] == ["alice", "bob"]
    j = _lesson_index(body["lessons"])
    live = Question.objects.filter(lesson__slug=LESSON, retired=False)
    assert body["lessons"][j] == {
        "slug": LESSON,
        "title": live.first().lesson.title,
        "module": "rnn",
        "questions": live.count(),
        "points": sum(q.points for q in live),
    }
    alice, bob = body["concept_checks"]
    assert len(alice) == len(body["lessons"]) == len(lessons_with_concept_checks())
    assert alice[j] == {"answered": 2, "correct": 1, "answers": 3}
    assert bob[j] == {"answered": 0, "correct": 0, "answers": 0}


def test_progress_csv_has_a_concept_check_row_per_learner_and_lesson(
    api_client, teacher, cohort
) -> None:
    api_client.force_authenticate(teacher)
    response = api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by = {(r["learner"], r["lesson"]): r for r in rows if r["lesson"]}
    lessons = lessons_with_concept_checks()
    assert len(by) == 2 * len(lessons)
    questions = Question.objects.filter(lesson__slug=LESSON, retired=False)
    row = by[("alice", LESSON)]
    assert row == {
        "learner": "alice",
        "cohort": "Spring",
        "module": "rnn",
        "module_title": questions.first().lesson.module.title,
        "exercise": "",
        "exercise_title": "",
        "points": str(sum(q.points for q in questions)),
        "attempts": "3",
        "best_score": "",
        "passed": "false",
        "attempts_to_pass": "",
        "hints_revealed": "",
        "first_attempt_at": "",
        "first_passed_at": "",
        "last_attempt_at": "",
        "due_at": "",
        "deadline": "",
        "lesson": LESSON,
        "lesson_title": questions.first().lesson.title,
        "questions": str(questions.count()),
        "questions_answered": "2",
        "questions_correct": "1",
    }
    untouched = by[("bob", LESSON)]
    assert (untouched["questions_answered"], untouched["questions_correct"]) == ("0", "0")
    assert (untouched["attempts"], untouched["passed"]) == ("0", "false")
    # Each learner's lesson rows come after their exercise rows.
    kinds = ["lesson" if r["lesson"] else "exercise" for r in rows if r["learner"] == "alice"]
    assert kinds == sorted(kinds, key=lambda kind: kind == "lesson")


def test_the_cohort_dashboard_shows_each_learners_concept_checks(client, teacher, cohort) -> None:
    client.force_login(teacher)
    page = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    assert "Concept checks" in page

    def numbers(username: str) -> list[str]:
        row = page[page.index(f">{username}</a>") :].split("</tr>", 1)[0]
        return re.findall(r'<td class="num">([^<]*)</td>', row)

    # Attempted, passed, mean best, concept checks (correct / answered).
    assert numbers("alice") == ["0", "0", "—", "1 / 2"]
    assert numbers("bob") == ["0", "0", "—", "—"]


def test_another_instructor_sees_no_concept_checks_of_a_cohort_not_theirs(
    api_client, client, make_user, cohort, alice
) -> None:
    stranger = make_user("stranger", role=Role.INSTRUCTOR)
    api_client.force_authenticate(stranger)
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").status_code == 404
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress.csv").status_code == 404
    api_client.force_authenticate(alice)
    assert api_client.get(f"/api/v1/cohorts/{cohort.pk}/progress/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/dashboard/{cohort.pk}/").status_code == 404


def test_the_schema_describes_the_concept_checks(api_client) -> None:
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    progress = components["CohortProgressOutput"]["properties"]
    assert progress["lessons"]["items"]["$ref"].endswith("/CohortLessonOutput")
    assert progress["concept_checks"]["items"]["items"]["$ref"].endswith("/ConceptChecksOutput")
    assert set(components["ConceptChecksOutput"]["properties"]) == {
        "answered",
        "correct",
        "answers",
    }
    csv_row = components["CohortProgressCsvRow"]["properties"]
    assert {"lesson", "questions_answered", "questions_correct"} <= set(csv_row)


def test_a_learners_page_lists_their_concept_checks_per_lesson(client, teacher, cohort, alice):
    client.force_login(teacher)
    page = client.get(f"/dashboard/{cohort.pk}/learners/{alice.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('id="concept-checks-heading"') :].split("</section>", 1)[0]
    lesson = Question.objects.filter(lesson__slug=LESSON).first().lesson
    row = section[section.index(f'<th scope="row">{lesson.title}</th>') :].split("</tr>", 1)[0]
    questions = Question.objects.filter(lesson=lesson, retired=False).count()
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == [
        f"2/{questions}",
        f"1/{questions}",
        "3",
    ]
    assert section.count("<tr") == 1 + len(lessons_with_concept_checks())
