"""The plain-data wire format: what round-trips, and what the decoder refuses."""

from __future__ import annotations

import io

import numpy as np
import pytest

from apps.sandbox.runner import wire


@pytest.mark.parametrize(
    "value",
    [
        np.array(2.5),
        np.arange(6, dtype=np.int32).reshape(2, 3).T,
        np.zeros((0, 3)),
        (1, 2.0, None, True, "text", 1 + 2j),
        {"a": [np.ones(2), (3,)]},
    ],
    ids=["0-d array", "transposed", "empty", "tuple of scalars", "nested dict"],
)
def test_plain_values_round_trip_with_shape_and_dtype(value) -> None:
    decoded = wire.decode(wire.encode(value))
    flat_in, flat_out = [value], [decoded]
    while flat_in:
        a, b = flat_in.pop(), flat_out.pop()
        if isinstance(a, np.ndarray):
            assert b.shape == a.shape and b.dtype == a.dtype and np.array_equal(a, b)
        elif isinstance(a, dict):
            assert a.keys() == b.keys()
            flat_in += list(a.values())
            flat_out += list(b.values())
        elif isinstance(a, tuple | list):
            assert type(a) is type(b) and len(a) == len(b)
            flat_in += list(a)
            flat_out += list(b)
        else:
            assert a == b


def test_objects_arrive_as_unsupported_not_as_objects() -> None:
    class Sly:
        def __eq__(self, other):
            return True

    decoded = wire.decode(wire.encode([Sly(), np.array([Sly()], dtype=object)]))
    assert all(isinstance(item, wire.Unsupported) for item in decoded)


def test_the_decoder_refuses_deep_nesting_and_pickled_arrays() -> None:
    deep: object = 1
    for _ in range(wire.RESULT_CAPS.depth + 3):
        deep = [deep]
    with pytest.raises(wire.WireError, match="deeper"):
        wire.decode(wire.pack({"value": deep}))
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(wire.WireError):
        wire.decode(wire.pack({"value": {"__nd__": 0}}, [buffer.getvalue()]))


def test_truncated_and_trailing_bytes_are_errors() -> None:
    frame = wire.encode(np.ones(4))
    with pytest.raises(wire.WireError):
        wire.decode(frame[:-3])
    with pytest.raises(wire.WireError):
        wire.decode(frame + b"x")
