"""The check helpers, one by one, on hand-made outcomes (no sandbox needed)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from apps.sandbox.grading import Call, CheckFailed, Grader, Outcome
from apps.sandbox.runner.wire import Unsupported


def grader(yours: Any, reference: Any, *, review_path: str = "") -> Grader:
    call = Call("case", "f", (np.zeros(3),), label="three zeros")
    return Grader(
        [call],
        {"case": Outcome(ok=True, value=reference)},
        {"case": Outcome(ok=True, value=yours)},
        review_path=review_path,
    )


def only_message(g: Grader) -> str:
    (record,) = g.records
    return record.message


def test_check_close_passes_a_close_value_and_names_the_worst_index_otherwise() -> None:
    assert grader(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])).check_close("c", "case")
    g = grader(np.array([1.0, 2.5, 3.0]), np.array([1.0, 2.0, 3.0]))
    assert not g.check_close("close", "case")
    assert "at index (1,)" in only_message(g)
    assert "expected 2, got 2.5" in only_message(g)


def test_check_close_reports_a_nan_where_the_reference_is_finite() -> None:
    g = grader(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    assert not g.check_close("close", "case")
    assert "returned NaN at index (1,)" in only_message(g)


def test_check_shape_passes_the_right_shape_and_names_both_shapes_otherwise() -> None:
    assert grader(np.ones((2, 3)), np.zeros((2, 3))).check_shape("shape", "case")
    g = grader(np.ones(6), np.zeros((2, 3)))
    assert not g.check_shape("shape", "case")
    assert "should return shape (2, 3), but returned shape (6,)" in only_message(g)


def test_check_shape_takes_an_explicit_shape() -> None:
    assert grader(np.ones(4), np.zeros(2)).check_shape("shape", "case", shape=(4,))


def test_check_finite_counts_the_bad_values() -> None:
    g = grader(np.array([np.inf, 1.0, np.nan]), np.zeros(3))
    assert not g.check_finite("finite", "case")
    assert "returned 2 NaN or infinite value(s)" in only_message(g)


def test_check_sums_to_one_refuses_negative_values_and_bad_sums() -> None:
    assert grader(np.array([0.25, 0.75]), np.zeros(2)).check_sums_to_one("sums", "case")
    negative = grader(np.array([-0.5, 1.5]), np.zeros(2))
    assert not negative.check_sums_to_one("sums", "case")
    assert "non-negative" in only_message(negative)
    short = grader(np.array([0.25, 0.25]), np.zeros(2))
    assert not short.check_sums_to_one("sums", "case")
    assert "one sums to 0.5" in only_message(short)


def test_check_orthonormal_wants_unit_orthogonal_columns() -> None:
    assert grader(np.eye(2), np.eye(2)).check_orthonormal("orthonormal", "case")
    g = grader(np.array([[2.0, 0.0], [0.0, 1.0]]), np.eye(2))
    assert not g.check_orthonormal("orthonormal", "case")
    assert "length 1" in only_message(g)


def test_check_symmetric_reports_the_gap() -> None:
    assert grader(np.eye(2), np.eye(2)).check_symmetric("symmetric", "case")
    g = grader(np.array([[1.0, 2.0], [0.0, 1.0]]), np.eye(2))
    assert not g.check_symmetric("symmetric", "case")
    assert "differs by up to 2" in only_message(g)


def test_check_gradient_compares_with_central_differences() -> None:
    x = np.array([1.0, -2.0])
    right = grader(2 * x, np.zeros(2))
    assert right.check_gradient("gradient", "case", lambda v: float(v @ v), x)
    wrong = grader(x, np.zeros(2))
    assert not wrong.check_gradient("gradient", "case", lambda v: float(v @ v), x)
    assert "disagrees with finite differences" in only_message(wrong)


def test_an_object_instead_of_numbers_fails_with_its_type_named() -> None:
    g = grader(Unsupported("Sly"), np.zeros(3))
    assert not g.check_close("close", "case")
    assert "an object of type Sly" in only_message(g)


def test_a_missing_return_is_explained() -> None:
    g = grader(None, np.zeros(3))
    assert not g.check_close("close", "case")
    assert "did you forget a return statement?" in only_message(g)


def test_a_learner_exception_fails_the_check_with_its_text() -> None:
    call = Call("case", "f", ())
    g = Grader(
        [call],
        {"case": Outcome(ok=True, value=1.0)},
        {"case": Outcome(ok=False, error="raised ValueError (line 3): bad")},
    )
    with pytest.raises(CheckFailed, match="raised ValueError"):
        g.output("case")


def test_custom_turns_a_message_into_a_failure_with_hint_and_review_link() -> None:
    g = grader(1.0, 1.0, review_path="/learn/m/l/")
    assert not g.custom("custom", lambda: "not quite", hint="try again")
    assert only_message(g) == "not quite. try again (review: /learn/m/l/)"


def test_custom_reports_an_unusable_value_neutrally() -> None:
    g = grader(1.0, 1.0)
    assert not g.custom("custom", lambda: 1 / 0)  # type: ignore[func-returns-value]
    assert "could not be checked (ZeroDivisionError" in only_message(g)


def test_the_score_weighs_checks_by_points() -> None:
    g = grader(1.0, 1.0)
    g.check("a", True, "", points=3)
    g.check("b", False, "no", points=1)
    assert g.score == 0.75
    assert not g.all_passed


def test_a_grader_without_checks_neither_passes_nor_scores() -> None:
    g = grader(1.0, 1.0)
    assert g.score == 0.0
    assert not g.all_passed


# ----- complex values against a real reference -------------------------------------------------


def test_a_complex_value_with_rounding_noise_is_compared_in_the_reals() -> None:
    reference = np.array([0.2, 0.3, 0.5])
    g = grader(reference + 1e-17j, reference)
    assert g.check_close("close", "case")
    array = g.array("case")
    assert array.dtype == np.float64
    np.testing.assert_array_equal(array, reference)
    assert g.try_array("case") is not None, "figures get the real values to draw"


@pytest.mark.parametrize(
    ("imaginary", "shown"),
    [(np.array([0.0, 0.1, 0.0]), "at index (1,) is 0.1"), (np.array([0, np.nan, 0]), "is NaN")],
    ids=["large", "nan"],
)
def test_a_complex_value_against_a_real_reference_fails_saying_it_should_be_real(
    imaginary: np.ndarray, shown: str
) -> None:
    reference = np.array([0.2, 0.3, 0.5])
    g = grader(reference + 1j * imaginary, reference)
    assert not g.check_close("close", "case")
    assert "should return real numbers, but returned complex numbers" in only_message(g)
    assert shown in only_message(g)
    assert g.try_array("case") is None


def test_a_complex_scalar_is_no_longer_silently_cut_to_its_real_part() -> None:
    g = grader(1.0 + 2.0j, 1.0)
    with pytest.raises(CheckFailed, match="the imaginary part is 2"):
        g.scalar("case")
    assert grader(1.0 + 1e-15j, 1.0).scalar("case") == 1.0


def test_a_complex_value_stays_complex_where_the_reference_is_complex() -> None:
    reference = np.array([1 + 1j, 2 - 1j])
    g = grader(reference.copy(), reference)
    assert g.check_close("close", "case")
    assert np.iscomplexobj(g.array("case"))
    assert not grader(reference.real.copy(), reference).check_close("close", "case")
