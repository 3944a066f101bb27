"""Declared mistakes and the matching rule, on hand-made outcomes (the sandbox comes later)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from apps.sandbox.grading import Call, Grader, Mistake, Outcome
from apps.sandbox.grading.engine import trusted_outcomes
from apps.sandbox.grading.mistakes import diagnose, outcomes_agree, values_agree

RNG = np.random.default_rng(3)
X = RNG.normal(size=(4, 3))
BIG = X + 1000.0


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def over_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


MISTAKES = [
    Mistake("overflow", "np.exp overflows for large logits", "subtract the row max", wrong=naive),
    Mistake("wrong-axis", "normalised over columns", "use axis=-1", wrong=over_columns),
]
CALLS = [Call("small", "softmax", (X,)), Call("large", "softmax", (BIG,))]


def graded(learner: Callable[[Any], Any]) -> Grader:
    g = Grader(
        CALLS,
        trusted_outcomes({"softmax": softmax}, CALLS),
        trusted_outcomes({"softmax": learner}, CALLS),
    )
    g.check_close("small logits", "small", hint="a guess about small logits")
    g.check_close("large logits", "large", hint="a guess about large logits")
    return g


def diagnosis_of(learner: Callable[[Any], Any], mistakes=MISTAKES) -> str | None:
    g = graded(learner)
    predictions = {m.id: trusted_outcomes(m.implementations(CALLS), CALLS) for m in mistakes}
    match = diagnose(mistakes, g, predictions)
    return match.mistake.id if match else None


def test_a_learner_who_reproduces_a_mistake_everywhere_it_shows_gets_its_diagnosis() -> None:
    assert diagnosis_of(naive) == "overflow"
    assert diagnosis_of(over_columns) == "wrong-axis"


def test_the_same_mistake_written_differently_still_matches() -> None:
    def also_naive(z):
        return np.exp(z) / np.sum(np.exp(z), axis=1)[:, None]

    assert diagnosis_of(also_naive) == "overflow"


def test_a_learner_who_shows_more_than_the_mistake_is_not_diagnosed_with_it() -> None:
    def naive_and_doubled(z):
        return 2 * naive(z)

    assert diagnosis_of(naive_and_doubled) is None


def test_a_learner_who_shows_only_part_of_the_mistake_is_not_diagnosed_with_it() -> None:
    def overflow_free_but_wrong(z):
        return softmax(z) * 1.5

    assert diagnosis_of(overflow_free_but_wrong) is None


def test_a_correct_learner_has_no_diagnosis() -> None:
    assert diagnosis_of(softmax) is None


def test_nan_and_infinity_count_as_the_same_non_finite_entry() -> None:
    assert values_agree(np.array([np.nan, 1.0]), np.array([np.inf, 1.0]))
    assert not values_agree(np.array([np.nan, 1.0]), np.array([0.0, 1.0]))
    assert not values_agree((1.0, np.ones(2)), (1.0, np.ones(3)))


def test_two_errors_agree_when_they_are_the_same_exception() -> None:
    overflow = Outcome(
        ok=False, error="OverflowError: math range error", error_type="OverflowError"
    )
    learner = Outcome(
        ok=False, error="raised OverflowError (line 3): ...", error_type="OverflowError"
    )
    assert outcomes_agree(learner, overflow)
    assert not outcomes_agree(Outcome(ok=False, error_type="ValueError"), overflow)


def _never(g: Grader) -> bool:
    return g.scalar("small") > 1e9  # raises: the learner returned an array


def _always(g: Grader) -> bool:
    return bool(g.calls)


def test_a_predicate_mistake_matches_when_it_says_so() -> None:
    never = Mistake("never", "never shows", "fix it", predicate=_never)
    g = graded(naive)
    assert diagnose([never], g, {}) is None  # the predicate raised: no match
    match = diagnose([never, Mistake("always", "shows", "fix it", predicate=_always)], g, {})
    assert match is not None
    assert match.mistake.id == "always"


def test_the_first_declared_mistake_that_explains_everything_wins() -> None:
    first = Mistake("first", "d", "f", predicate=_always)
    second = Mistake("second", "d", "f", wrong=naive)
    g = graded(naive)
    predictions = {"second": trusted_outcomes({"softmax": naive}, CALLS)}
    match = diagnose([first, second], g, predictions)
    assert match is not None
    assert match.mistake.id == "first"


def test_an_exercise_that_declares_mistakes_drops_the_checks_own_hints() -> None:
    g = graded(naive)
    assert "a guess about large logits" in g.records[1].message
    g.show_hints = False
    assert "a guess" not in g.records[1].message
    assert "NaN" in g.records[1].message


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"wrong": naive, "predicate": _always}, "exactly one"),
        ({}, "exactly one"),
    ],
)
def test_a_mistake_needs_one_way_to_be_recognised(kwargs, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        Mistake("m", "d", "f", **kwargs)


def test_a_mistake_id_is_a_slug() -> None:
    with pytest.raises(ValueError, match="lowercase words"):
        Mistake("Not A Slug", "d", "f", wrong=naive)


def test_one_wrong_callable_needs_a_function_name_when_the_cases_call_several() -> None:
    calls = [Call("a", "f", ()), Call("b", "g", ())]
    with pytest.raises(ValueError, match="function="):
        Mistake("m", "d", "f", wrong=naive).implementations(calls)
    assert set(Mistake("m", "d", "f", wrong=naive, function="g").implementations(calls)) == {"g"}
