"""Concept checks as learners meet them: their own numbers, graded answers, mastery, the API
and its permissions, and the form that works without JavaScript."""

from __future__ import annotations

import pytest

from apps.curriculum.models import Module, Question
from apps.curriculum.selectors import question_variant
from apps.progress.models import ModuleProgress, QuestionAttempt, QuestionProgress
from apps.progress.questions import question_answer, questions_for_learner
from apps.progress.selectors import course_map_for_user
from apps.sandbox.grading.questions import TRIES_PER_VARIANT, format_answer

pytestmark = pytest.mark.django_db

LESSON = "/api/v1/modules/rnn/lessons/lyapunov-spectrum-and-the-edge-of-chaos"


def question(name: str = "eigenvalues-of-w") -> Question:
    return Question.objects.select_related("lesson__module").get(name=name, retired=False)


def right_answer(user, q: Question) -> str:
    progress = QuestionProgress.objects.filter(user=user, question=q).first()
    variant = question_variant(
        question=q, user_id=user.pk, variant=progress.variant if progress else 0
    )
    return format_answer(variant.built)


def test_each_learner_gets_their_own_numbers_and_keeps_them(alice, bob) -> None:
    q = question()
    prompts_alice = {
        question_variant(question=q, user_id=alice.pk, variant=0).prompt_html for _ in range(3)
    }
    assert len(prompts_alice) == 1
    others = {
        question_variant(question=q, user_id=u, variant=0).prompt_html for u in range(1000, 1012)
    }
    assert len(others) > 3  # the numbers differ from learner to learner


def test_a_correct_answer_counts_once_in_the_modules_mastery(alice) -> None:
    q = question()
    module = Module.objects.get(slug="rnn")
    outcome = question_answer(user=alice, question=q, answer=right_answer(alice, q))
    assert outcome.feedback.correct
    assert outcome.state.solved
    assert ModuleProgress.objects.get(user=alice, module=module).points_earned == q.points
    question_answer(user=alice, question=q, answer=right_answer(alice, q))
    assert ModuleProgress.objects.get(user=alice, module=module).points_earned == q.points
    standing = next(s for s in course_map_for_user(user=alice) if s.module.slug == "rnn")
    assert standing.mastery == pytest.approx(q.points / module.total_points, abs=1e-4)
    assert QuestionAttempt.objects.filter(user=alice, question=q).count() == 2


def test_wrong_answers_use_up_the_tries_then_the_answer_is_shown_with_new_numbers(alice) -> None:
    q = question("largest-exponent")
    before = questions_for_learner(lesson=q.lesson, user=alice)
    first_prompt = next(s for s in before if s.question.pk == q.pk).variant.prompt_html
    for attempt in range(1, TRIES_PER_VARIANT + 1):
        outcome = question_answer(user=alice, question=q, answer="123456")
        assert not outcome.feedback.correct
        if attempt < TRIES_PER_VARIANT:
            assert outcome.revealed is None
            assert outcome.state.tries_left == TRIES_PER_VARIANT - attempt
    assert outcome.revealed
    assert "The answer was" in outcome.revealed
    assert outcome.state.variant.variant == 1
    assert outcome.state.tries_left == TRIES_PER_VARIANT
    assert outcome.state.variant.prompt_html != first_prompt
    assert not outcome.state.solved
    assert not ModuleProgress.objects.filter(user=alice, points_earned__gt=0).exists()


def test_once_solved_a_wrong_answer_costs_no_try(alice) -> None:
    q = question("largest-exponent")
    assert question_answer(user=alice, question=q, answer=right_answer(alice, q)).state.solved
    for _ in range(TRIES_PER_VARIANT + 1):
        outcome = question_answer(user=alice, question=q, answer="123456")
        assert not outcome.feedback.correct
        assert outcome.revealed is None
        assert outcome.state.tries_left == TRIES_PER_VARIANT
    assert outcome.state.variant.variant == 0


def test_after_a_reveal_new_numbers_answered_correctly_count(alice) -> None:
    q = question("largest-exponent")
    for _ in range(TRIES_PER_VARIANT):
        outcome = question_answer(user=alice, question=q, answer="123456")
    shown = question_variant(question=q, user_id=alice.pk, variant=0).built
    fresh = outcome.state.variant.built
    outcome = question_answer(user=alice, question=q, answer=right_answer(alice, q))
    assert outcome.feedback.correct
    # The rule: it counts unless the new variant's answer reads the same as the one shown.
    assert outcome.state.solved == (format_answer(shown) != format_answer(fresh))


def test_an_unreadable_answer_is_not_an_attempt(alice) -> None:
    outcome = question_answer(user=alice, question=question(), answer="two and three")
    assert not outcome.feedback.valid
    assert not QuestionAttempt.objects.filter(user=alice).exists()
    assert QuestionProgress.objects.get(user=alice).attempts == 0


# ----- the API ------------------------------------------------------------------------------


def test_anonymous_visitors_cannot_read_or_answer(api_client) -> None:
    assert api_client.get(f"{LESSON}/questions/").status_code in (401, 403)
    assert api_client.get(f"{LESSON}/questions/eigenvalues-of-w/").status_code in (401, 403)
    response = api_client.post(
        f"{LESSON}/questions/eigenvalues-of-w/answers/", {"answer": "1"}, format="json"
    )
    assert response.status_code in (401, 403)


def test_a_learner_lists_their_variants_without_the_answers(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    body = api_client.get(f"{LESSON}/questions/").json()
    assert [q["name"] for q in body] == ["eigenvalues-of-w", "largest-exponent", "jacobian-at-rest"]
    kinds = {q["name"]: q["kind"] for q in body}
    assert kinds == {
        "eigenvalues-of-w": "vector",
        "largest-exponent": "number",
        "jacobian-at-rest": "matrix",
    }
    eigen = body[0]
    assert eigen["shape"] == [2]
    assert eigen["tries_left"] == TRIES_PER_VARIANT
    assert eigen["solved"] is False
    assert "pmatrix" in eigen["prompt_html"]
    answer = right_answer(alice, question())
    assert answer not in str(body)
    assert "answer" not in eigen  # only answer_format
    assert "explanation" not in str(body)


def test_a_learner_answers_right_and_wrong_through_the_api(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    url = f"{LESSON}/questions/eigenvalues-of-w/answers/"
    wrong = api_client.post(url, {"answer": "100, 200"}, format="json")
    assert wrong.status_code == 200
    assert wrong.json()["correct"] is False
    assert wrong.json()["question"]["tries_left"] == TRIES_PER_VARIANT - 1
    right = api_client.post(url, {"answer": right_answer(alice, question())}, format="json")
    assert right.json()["correct"] is True
    assert right.json()["message"].startswith("Correct.")
    assert right.json()["question"]["solved"] is True
    detail = api_client.get(f"{LESSON}/questions/eigenvalues-of-w/").json()
    assert detail["solved"] is True
    assert detail["attempts"] == 2


def test_a_known_mistake_gets_its_message_through_the_api(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    q = question("jacobian-at-rest")
    built = question_variant(question=q, user_id=alice.pk, variant=0).built
    forgot_gain = format_answer(built, built.wrong[0].value)
    body = api_client.post(
        f"{LESSON}/questions/jacobian-at-rest/answers/", {"answer": forgot_gain}, format="json"
    ).json()
    assert body["correct"] is False
    assert body["message"] == built.wrong[0].message


def test_an_unreadable_answer_is_a_400_that_says_what_to_type(api_client, alice) -> None:
    api_client.force_authenticate(alice)
    response = api_client.post(
        f"{LESSON}/questions/largest-exponent/answers/", {"answer": {"no": "dicts"}}, format="json"
    )
    assert response.status_code == 400
    assert "could not be read" in response.json()["answer"][0]


def test_one_learners_answers_do_not_touch_anothers(api_client, alice, bob) -> None:
    api_client.force_authenticate(alice)
    api_client.post(
        f"{LESSON}/questions/eigenvalues-of-w/answers/",
        {"answer": right_answer(alice, question())},
        format="json",
    )
    api_client.force_authenticate(bob)
    body = api_client.get(f"{LESSON}/questions/eigenvalues-of-w/").json()
    assert body["solved"] is False
    assert body["attempts"] == 0


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/modules/rnn/lessons/no-such-lesson/questions/",
        f"{LESSON}/questions/no-such-question/",
        "/api/v1/modules/probability/lessons/lyapunov-spectrum-and-the-edge-of-chaos/questions/eigenvalues-of-w/",
    ],
)
def test_unknown_lessons_and_questions_are_404(api_client, alice, path) -> None:
    api_client.force_authenticate(alice)
    assert api_client.get(path).status_code == 404


def test_a_retired_question_is_404(api_client, alice) -> None:
    Question.objects.filter(name="largest-exponent").update(retired=True)
    api_client.force_authenticate(alice)
    assert api_client.get(f"{LESSON}/questions/largest-exponent/").status_code == 404
    assert [q["name"] for q in api_client.get(f"{LESSON}/questions/").json()] == [
        "eigenvalues-of-w",
        "jacobian-at-rest",
    ]


def test_the_schema_documents_the_question_endpoints(api_client) -> None:
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    base = "/api/v1/modules/{module_slug}/lessons/{lesson_slug}/questions/"
    assert "get" in paths[base]
    assert "post" in paths[base + "{name}/answers/"]
    assert "400" in paths[base + "{name}/answers/"]["post"]["responses"]


# ----- the lesson page ----------------------------------------------------------------------


def test_the_lesson_page_shows_each_learner_their_own_variant(client, alice, bob) -> None:
    path = "/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/"
    client.force_login(alice)
    page_alice = client.get(path).content.decode()
    client.force_login(bob)
    page_bob = client.get(path).content.decode()
    for name in ("eigenvalues-of-w", "largest-exponent", "jacobian-at-rest"):
        assert f'id="question-{name}"' in page_alice
    assert 'data-question="' in page_alice
    assert 'concept-check" data-question' not in page_alice  # every placeholder was filled
    q = question()
    assert question_variant(question=q, user_id=alice.pk, variant=0).prompt_html in page_alice
    assert question_variant(question=q, user_id=bob.pk, variant=0).prompt_html in page_bob


def test_an_anonymous_reader_sees_the_questions_with_a_log_in_link(client) -> None:
    page = client.get("/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/").content.decode()
    assert 'id="question-eigenvalues-of-w"' in page
    assert "to answer and have it count" in page
    assert "data-answer-url" not in page


def test_the_form_answers_without_javascript(client, alice) -> None:
    client.force_login(alice)
    q = question()
    path = "/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/questions/eigenvalues-of-w/"
    response = client.post(path, {"answer": right_answer(alice, q)}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#question-eigenvalues-of-w")
    assert "Correct." in response.content.decode()
    assert QuestionProgress.objects.get(user=alice, question=q).solved
    assert client.get(path).status_code == 405


def test_the_form_needs_a_signed_in_learner(client) -> None:
    path = "/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/questions/eigenvalues-of-w/"
    response = client.post(path, {"answer": "1, 2"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not QuestionAttempt.objects.exists()


def test_each_form_carries_this_requests_csrf_token_and_this_learners_numbers(alice, bob) -> None:
    # The forms are rendered once per what they show and kept; the token goes in per request.
    import re

    from django.test import Client

    lesson = "/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/"
    form_re = re.compile(
        r'<form class="concept-check" id="question-eigenvalues-of-w".*?</form>', re.S
    )
    token_re = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    forms = {}
    for user in (alice, bob):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        prompt = question_variant(question=question(), user_id=user.pk, variant=0).prompt_html
        for _ in range(2):  # the second time from the kept form
            form = form_re.search(browser.get(lesson).content.decode()).group(0)
            assert prompt in form  # this learner's own numbers (one wrong answer keeps them)
            token = token_re.search(form).group(1)
            assert "stand-in" not in token
            response = browser.post(
                f"{lesson}questions/eigenvalues-of-w/",
                {"answer": "1, 2", "csrfmiddlewaretoken": token},
            )
            assert response.status_code == 302, response.status_code  # not refused (403)
        forms[user.pk] = form
    assert forms[alice.pk] != forms[bob.pk]
