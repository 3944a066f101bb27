"""xAPI statements from learning events: who did what to which activity, with what result.

Activities are identified by the content's stable uuid (a renamed exercise keeps its
history); ``moreInfo`` points at the page. Every statement's actor is the event's own user,
never whoever triggered the delivery. A statement's id is drawn once, when its delivery is
queued, and stored with it: every retry sends the same id and bytes, so the LRS stores it
once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings

from apps.curriculum.models import Exercise, Lesson, Module
from apps.progress.models import LearningEvent, LearningEventKind

ADL = "http://adlnet.gov/expapi"
VERBS = {
    LearningEventKind.LESSON_READ: (f"{ADL}/verbs/experienced", "read"),
    LearningEventKind.ATTEMPT_GRADED: (f"{ADL}/verbs/answered", "answered"),
    LearningEventKind.EXERCISE_PASSED: (f"{ADL}/verbs/passed", "passed"),
    LearningEventKind.HINT_SHOWN: ("http://id.tincanapi.com/verb/viewed", "viewed"),
    LearningEventKind.QUESTION_ANSWERED: (f"{ADL}/verbs/answered", "answered"),
    LearningEventKind.SCORE_CHANGED: (f"{ADL}/verbs/scored", "scored"),
    LearningEventKind.REVIEW_GRADED: (f"{ADL}/verbs/answered", "answered"),
}


def base_url() -> str:
    return str(settings.DLMATH_BASE_URL).rstrip("/")


def extension_iri(name: str) -> str:
    return f"{base_url()}/xapi/extensions/{name}"


def actor_for(user: Any) -> dict[str, Any]:
    """The learner as an xAPI account on this site (no e-mail address leaves dlmath)."""
    return {
        "objectType": "Agent",
        "account": {"homePage": base_url(), "name": user.get_username()},
    }


def _activity(kind: str, key: object, name: str, type_iri: str, page: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{base_url()}/xapi/activities/{kind}/{key}",
        "definition": {
            "name": {"en-US": name},
            "type": type_iri,
            "moreInfo": f"{base_url()}{page}",
        },
    }


def module_activity(module: Module) -> dict[str, Any]:
    return _activity(
        "modules", module.uuid, module.title, f"{ADL}/activities/module", f"/learn/{module.slug}/"
    )


def exercise_activity(exercise: Exercise) -> dict[str, Any]:
    return _activity(
        "exercises",
        exercise.uuid,
        exercise.title,
        f"{ADL}/activities/assessment",
        f"/exercises/{exercise.slug}/",
    )


def lesson_activity(lesson: Lesson) -> dict[str, Any]:
    return _activity(
        "lessons",
        lesson.uuid,
        lesson.title,
        f"{ADL}/activities/lesson",
        f"/learn/{lesson.module.slug}/{lesson.slug}/",
    )


def question_activity(lesson: Lesson, name: str) -> dict[str, Any]:
    """A concept check: its lesson's uuid and its name (stable across edits of the prompt)."""
    activity = _activity(
        "lessons",
        f"{lesson.uuid}/questions/{name}",
        f"{lesson.title}: {name}",
        f"{ADL}/activities/cmi.interaction",
        f"/learn/{lesson.module.slug}/{lesson.slug}/",
    )
    activity["definition"]["interactionType"] = "other"
    return activity


def _question_result(data: dict[str, Any]) -> dict[str, Any]:
    correct = bool(data.get("correct"))
    points = int(data.get("points") or 0)
    result: dict[str, Any] = {
        "success": correct,
        "completion": True,
        "score": {"scaled": 1.0 if correct else 0.0},
        "response": str(data.get("answer", ""))[:500],
    }
    if points:
        result["score"].update({"raw": points if correct else 0, "min": 0, "max": points})
    return result


def _score_changed_result(exercise: Exercise, data: dict[str, Any]) -> dict[str, Any]:
    """A regrade's new best score, with the old one as an extension."""
    score = float(data.get("score") or 0.0)
    result: dict[str, Any] = {
        "score": {"scaled": round(score, 4)},
        "success": bool(data.get("passed")),
        "extensions": {
            extension_iri("previous-score"): round(float(data.get("score_before") or 0.0), 4)
        },
    }
    if data.get("regrade") is not None:
        result["extensions"][extension_iri("regrade")] = int(data["regrade"])
    if exercise.points:
        result["score"].update(
            {"raw": round(score * exercise.points, 4), "min": 0, "max": exercise.points}
        )
    return result


def _duration(ms: float) -> str:
    # ISO 8601; xAPI keeps durations to 0.01 s.
    return f"PT{max(ms, 0.0) / 1000:.2f}S"


def _attempt_result(exercise: Exercise, data: dict[str, Any]) -> dict[str, Any]:
    score = float(data.get("score") or 0.0)
    result: dict[str, Any] = {
        "score": {"scaled": round(score, 4)},
        "success": bool(data.get("passed")),
        "completion": True,
        "extensions": {
            extension_iri("checks"): data.get("checks", []),
            extension_iri("status"): data.get("status", ""),
        },
    }
    if exercise.points:
        result["score"].update(
            {"raw": round(score * exercise.points, 4), "min": 0, "max": exercise.points}
        )
    if data.get("duration_ms") is not None:
        result["duration"] = _duration(float(data["duration_ms"]))
    return result


def statement_for(event: LearningEvent, *, statement_id: uuid.UUID) -> dict[str, Any]:
    """The statement for one event. Reads the event's exercise or lesson and its module."""
    verb_id, verb_name = VERBS[LearningEventKind(event.kind)]
    statement: dict[str, Any] = {
        "id": str(statement_id),
        "actor": actor_for(event.user),
        "verb": {"id": verb_id, "display": {"en-US": verb_name}},
        "timestamp": event.occurred_at.isoformat(),
        "context": {"platform": "dlmath", "language": "en-US", "contextActivities": {}},
    }
    parents: list[dict[str, Any]] = []
    data = event.data or {}
    if event.kind == LearningEventKind.QUESTION_ANSWERED:
        assert event.lesson is not None
        statement["object"] = question_activity(event.lesson, str(data.get("question", "")))
        statement["result"] = _question_result(data)
        parents.append(lesson_activity(event.lesson))
        statement["context"]["contextActivities"]["grouping"] = [
            module_activity(event.lesson.module)
        ]
    elif event.kind == LearningEventKind.LESSON_READ:
        assert event.lesson is not None
        statement["object"] = lesson_activity(event.lesson)
        statement["result"] = {"completion": True}
        parents.append(module_activity(event.lesson.module))
    elif event.kind == LearningEventKind.HINT_SHOWN:
        assert event.exercise is not None
        number = int(data.get("hint", 0))
        statement["object"] = _activity(
            "exercises",
            f"{event.exercise.uuid}/hints/{number}",
            f"Hint {number} of {data.get('hints_total', '?')}: {event.exercise.title}",
            f"{base_url()}/xapi/activity-types/hint",
            f"/exercises/{event.exercise.slug}/",
        )
        parents.append(exercise_activity(event.exercise))
    else:
        assert event.exercise is not None
        statement["object"] = exercise_activity(event.exercise)
        if event.kind in (LearningEventKind.ATTEMPT_GRADED, LearningEventKind.REVIEW_GRADED):
            statement["result"] = _attempt_result(event.exercise, data)
        elif event.kind == LearningEventKind.SCORE_CHANGED:
            statement["result"] = _score_changed_result(event.exercise, data)
        else:
            statement["result"] = {
                "success": True,
                "completion": True,
                "score": {"scaled": round(float(data.get("score") or 0.0), 4)},
            }
        parents.append(module_activity(event.exercise.module))
    if extensions := _context_extensions(event, data):
        statement["context"]["extensions"] = extensions
    statement["context"]["contextActivities"]["parent"] = parents
    return statement


def _context_extensions(event: LearningEvent, data: dict[str, Any]) -> dict[str, Any]:
    extensions: dict[str, Any] = {}
    if event.kind == LearningEventKind.QUESTION_ANSWERED:
        extensions[extension_iri("variant")] = int(data.get("variant", 0))
    if event.kind == LearningEventKind.REVIEW_GRADED:
        # A spaced review of an exercise already passed: not a new attempt at it.
        extensions[extension_iri("review")] = True
        if data.get("rating"):
            extensions[extension_iri("review-rating")] = data["rating"]
    if event.submission_id is not None:
        extensions[extension_iri("submission")] = event.submission_id
    return extensions
