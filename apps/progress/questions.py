"""Concept checks as a learner meets them: their variant, their standing, their answers.

Reads (``questions_for_learner``) and the one write (``question_answer``). Grading is the
curriculum's pure function of the question and the answer; this module decides what an
answer does to the learner's standing: each readable answer is stored as an attempt, the
first correct one counts the question's points in the module's mastery, and after
TRIES_PER_VARIANT wrong answers the answer is shown and the learner gets new numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.curriculum.models import Lesson, Question
from apps.curriculum.selectors import (
    QuestionVariant,
    lesson_questions_for_page,
    question_variant,
)
from apps.progress.models import LearningEventKind, QuestionAttempt, QuestionProgress
from apps.progress.outbox import learning_event_record
from apps.progress.selectors import question_progress_for_user
from apps.progress.services import _module_points_refresh
from apps.progress.versions import progress_versions_bump
from apps.sandbox.grading.questions import (
    TRIES_PER_VARIANT,
    Choice,
    Feedback,
    Matrix,
    Vector,
    format_answer,
    grade,
    reveal_message,
)

# What to type, by kind: shown under the answer box (and in the API).
ANSWER_FORMATS = {
    "number": _("a number; fractions and expressions such as 2/3 or sqrt(2)/2 are fine"),
    "vector": _("numbers separated by commas, e.g. 1, -0.5, 2"),
    "matrix": _("rows separated by semicolons, e.g. 1, 2; 3, 4"),
    "choice": _("one of the options"),
}

COPIED_REVEAL = _(
    "Correct, but this is the answer just shown, so it does not count yet: here is a new "
    "variant; answer it to count this check."
)


@dataclass(frozen=True)
class QuestionState:
    """A concept check as one learner sees it now (no answer in it, unless revealed)."""

    variant: QuestionVariant
    attempts: int
    tries_left: int
    solved: bool

    @property
    def question(self) -> Question:
        return self.variant.question

    @property
    def kind(self) -> str:
        return self.variant.built.kind

    @property
    def answer_format(self) -> str:
        return str(ANSWER_FORMATS[self.kind])

    @property
    def shape(self) -> list[int] | None:
        built = self.variant.built
        if isinstance(built, Vector):
            return [len(built.answer)]
        if isinstance(built, Matrix):
            return [len(built.answer), len(built.answer[0])]
        return None

    @property
    def options(self) -> list[dict[str, Any]] | None:
        if not isinstance(self.variant.built, Choice):
            return None
        return [{"index": i, "html": html} for i, html in enumerate(self.variant.options_html)]


@dataclass(frozen=True)
class AnswerOutcome:
    """What answering did: the grade, the answer shown if the tries ran out, the state now."""

    feedback: Feedback
    revealed: str | None
    state: QuestionState


def _state(
    question: Question, progress: QuestionProgress | None, user_id: int | None
) -> QuestionState:
    variant = progress.variant if progress else 0
    tries = progress.tries if progress else 0
    return QuestionState(
        variant=question_variant(question=question, user_id=user_id, variant=variant),
        attempts=progress.attempts if progress else 0,
        tries_left=TRIES_PER_VARIANT - tries,
        solved=bool(progress and progress.solved),
    )


def questions_for_learner(*, lesson: Lesson, user: User | AnonymousUser) -> list[QuestionState]:
    """Every live concept check of ``lesson`` as ``user`` sees it (anonymous: variant 0)."""
    questions = lesson_questions_for_page(lesson=lesson)
    rows: dict[int, QuestionProgress] = {}
    if user.is_authenticated:
        rows = question_progress_for_user(user=user, question_ids=[q.pk for q in questions])
    user_id = user.pk if user.is_authenticated else None
    return [_state(question, rows.get(question.pk), user_id) for question in questions]


def question_state(*, question: Question, user: User) -> QuestionState:
    progress = QuestionProgress.objects.filter(user=user, question=question).first()
    return _state(question, progress, user.pk)


def _answer_text(built: Any) -> str:
    return str(built.options[built.answer]) if isinstance(built, Choice) else format_answer(built)


def _copies_a_reveal(progress: QuestionProgress) -> bool:
    """Whether the learner's current variant follows a reveal and has the revealed answer.

    A variant after the first follows a reveal when the one before it was never answered
    correctly (variants change only when tries run out). A correct answer to it earns no
    mastery while its answer reads the same as the one shown.
    """
    if progress.variant == 0:
        return False
    before = progress.variant - 1
    if QuestionAttempt.objects.filter(
        user_id=progress.user_id, question_id=progress.question_id, variant=before, correct=True
    ).exists():
        return False
    question, user_id = progress.question, progress.user_id
    shown = question_variant(question=question, user_id=user_id, variant=before).built
    now = question_variant(question=question, user_id=user_id, variant=progress.variant).built
    return _answer_text(shown) == _answer_text(now)


@transaction.atomic
def _answer_recorded(
    *, user: User, question: Question, attempt: QuestionAttempt, number: int
) -> None:
    """What follows any readable answer: instructors' dashboards count answers, right or
    wrong, and the answer is a learning event (xAPI, and the LMS grade of a module link)."""
    progress_versions_bump(user_id=user.pk)
    learning_event_record(
        kind=LearningEventKind.QUESTION_ANSWERED,
        user=user,
        lesson=question.lesson,
        at=attempt.created_at,
        data={
            "question": question.name,
            "points": question.points,
            "correct": attempt.correct,
            "answer": attempt.answer[:500],
            "variant": attempt.variant,
            "attempt": number,
        },
    )


@transaction.atomic
def question_answer(*, user: User, question: Question, answer: Any) -> AnswerOutcome:
    """Grade ``answer`` to the learner's current variant and update their standing.

    Locks the learner's progress row for the question (in a transaction of its own: outside
    one, PostgreSQL refuses the lock), so two answers sent at once are counted one after the
    other. An unreadable answer changes nothing.
    """
    progress, _ = QuestionProgress.objects.get_or_create(user=user, question=question)
    progress = QuestionProgress.objects.select_for_update().get(pk=progress.pk)
    variant = question_variant(question=question, user_id=user.pk, variant=progress.variant)
    feedback = grade(variant.built, answer)
    if not feedback.valid:
        return AnswerOutcome(
            feedback=feedback, revealed=None, state=_state(question, progress, user.pk)
        )
    attempt = QuestionAttempt.objects.create(
        user=user,
        question=question,
        variant=progress.variant,
        answer=feedback.normalized[:2000],
        correct=feedback.correct,
    )
    progress.attempts += 1
    _answer_recorded(user=user, question=question, attempt=attempt, number=progress.attempts)
    revealed = None
    if feedback.correct and progress.first_correct_at is None and _copies_a_reveal(progress):
        # The answer was just shown: a fresh variant must be answered before it counts.
        feedback = Feedback(
            valid=True,
            correct=True,
            message=str(COPIED_REVEAL),
            normalized=feedback.normalized,
        )
        progress.variant += 1
        progress.tries = 0
    elif feedback.correct:
        progress.tries = 0
        if progress.first_correct_at is None:
            progress.first_correct_at = timezone.now()
            progress.save()
            _module_points_refresh(user=user, module_id=question.lesson.module_id)
    elif not progress.solved:  # once solved, a wrong answer costs no try
        progress.tries += 1
        if progress.tries >= TRIES_PER_VARIANT:
            revealed = reveal_message(variant.built)
            progress.variant += 1
            progress.tries = 0
    progress.save()
    return AnswerOutcome(
        feedback=feedback, revealed=revealed, state=_state(question, progress, user.pk)
    )
