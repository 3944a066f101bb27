"""What differs, said without guessing a cause; numbers printed so that they differ."""

from __future__ import annotations

import numpy as np
import pytest

from apps.sandbox.grading.differences import (
    describe_difference,
    describe_shape,
    format_number,
    format_pair,
)

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 3))
SQUARE = RNG.normal(size=(4, 4))


def test_two_numbers_that_differ_are_printed_differently() -> None:
    expected, got = format_pair(0.9921922222, 0.9921921)
    assert expected != got
    assert format_pair(0.992192, 0.992192 * (1 + 1e-7)) != ("0.992192", "0.992192")


def test_plain_numbers_stay_short() -> None:
    assert format_pair(2.0, 2.5) == ("2", "2.5")
    assert format_number(-24042.123456789) == "-24042.1"
    assert format_number(1.5e-9) == "1.50000e-9"
    assert format_number(float("nan")) == "NaN"


@pytest.mark.parametrize(
    ("got", "said"),
    [
        (8 * A, "every entry is exactly 8 times the expected one"),
        (A / 8, "every entry is exactly 1/8 of the expected one"),
        (-A, "the negative of the expected one (the opposite sign)"),
        (A + 0.25, "every entry is off by the same constant +0.25"),
        (A / np.log(2), "exactly 1/ln 2 ≈ 1.443 times the expected one"),
        (A * 0.37, "times the same factor 0.37"),
        (A[::-1], "the entries along axis 0 are in reverse order"),
        (A[[1, 0, 3, 2]], "the rows are right but in a different order"),
        (np.zeros_like(A), "every entry is zero"),
    ],
)
def test_a_simple_relation_to_the_expected_array_is_named(got, said) -> None:
    assert said in describe_difference(got, A)


def test_a_transposed_square_matrix_is_called_the_transpose() -> None:
    assert describe_difference(SQUARE.T, SQUARE) == "it is the transpose of the expected result"


def test_nan_where_the_reference_is_finite_is_located_and_counted() -> None:
    got = A.copy()
    got[1, 2] = np.nan
    got[3, 0] = np.inf
    said = describe_difference(got, A)
    assert "NaN at index (1, 2)" in said
    assert "(2 entries in all)" in said


def test_a_scalar_reports_only_a_recognisable_factor() -> None:
    assert describe_difference(np.float64(3.0), np.float64(1.5)) == (
        "your value is exactly 2 times the expected one"
    )
    assert describe_difference(np.float64(0.01), np.float64(0.1)) == (
        "your value is the square of the expected one"
    )
    assert describe_difference(np.float64(1.2345), np.float64(1.0)) == ""


def test_an_unrelated_array_gets_no_made_up_description() -> None:
    assert describe_difference(RNG.normal(size=(4, 3)), A) == ""


@pytest.mark.parametrize(
    ("got", "expected", "said"),
    [
        ((3, 4), (4, 3), "the two axes are swapped"),
        ((2, 3, 4), (4, 2, 3), "the axes are in a different order"),
        ((4,), (4, 3), "axis 1 (of length 3) is missing"),
        ((4, 1, 3), (4, 3), "there is an extra axis 1 of length 1"),
        ((12,), (4, 3), "the right number of entries (12) in a different shape"),
        ((6, 2), (4, 3), "the right number of entries (12) in a different shape"),
        ((), (4, 3), "a single number came back where an array is expected"),
    ],
)
def test_a_wrong_shape_is_described(got, expected, said) -> None:
    assert describe_shape(got, expected) == said


def test_a_transposed_result_of_the_swapped_shape_is_called_the_transpose() -> None:
    assert describe_shape((3, 4), (4, 3), A.T, A) == "it is the transpose of the expected result"
