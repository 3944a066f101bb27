"""The plain-data wire format: what round-trips, and what the decoder refuses."""

from __future__ import annotations

import contextlib
import io
import re
import struct
import time
import tracemalloc

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
            assert b.shape == a.shape
            assert b.dtype == a.dtype
            assert np.array_equal(a, b)
        elif isinstance(a, dict):
            assert a.keys() == b.keys()
            flat_in += list(a.values())
            flat_out += list(b.values())
        elif isinstance(a, tuple | list):
            assert type(a) is type(b)
            assert len(a) == len(b)
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


# ----- the decoder is bounded before it allocates ---------------------------------------------

MIB = 1024 * 1024


def result_frame(value: object, blobs: list[bytes] | tuple[bytes, ...] = ()) -> bytes:
    outcome = {"__dict__": [["ok", True], ["value", value]]}
    tree = {"__dict__": [["module_error", None], ["outcomes", {"__dict__": [["k", outcome]]}]]}
    return wire.pack({"value": tree}, list(blobs))


def raw_frame(header: bytes, blobs: list[bytes] | tuple[bytes, ...] = ()) -> bytes:
    parts = [struct.pack(">I", len(header)), header, struct.pack(">I", len(blobs))]
    for blob in blobs:
        parts += [struct.pack(">Q", len(blob)), blob]
    return b"".join(parts)


def npy_with_header(text: str, data: bytes = b"") -> bytes:
    text += " " * (-(len(text) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode() + data


ONE_MIB_ARRAY = wire.npy_bytes(np.zeros(MIB // 8))
FORGED_FRAMES = {
    "one 1 MiB blob referenced 2000 times": result_frame(
        {"__tuple__": [{"__nd__": 0}] * 2000}, [ONE_MIB_ARRAY]
    ),
    "a 30 MiB header in an unchecked key": raw_frame(b'{"junk": "' + b"x" * (30 * MIB) + b'"}'),
    "300 000 tiny blobs": result_frame([{"__nd__": i} for i in range(1000)], [b"\0" * 8] * 300_000),
    "130 000 nested lists": raw_frame(b'{"value": ' + b"[" * 130_000 + b"]" * 130_000 + b"}"),
    "a giant .npy header dict": result_frame(
        {"__nd__": 0}, [npy_with_header("{'descr': '<f8', " + "'x': 0, " * 8000 + "}", b"\0" * 8)]
    ),
    "an .npy header claiming 32 TiB": result_frame(
        {"__nd__": 0},
        [npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4398046511104,), }")],
    ),
    "the largest header accepted: 87 000 empty lists": raw_frame(
        b'{"value":[' + b"[]," * 87_000 + b"[]]}"
    ),
    "4096 one-element arrays": result_frame(
        [{"__nd__": i} for i in range(4096)], [wire.npy_bytes(np.zeros(1))] * 4096
    ),
}


def decode_cost(frame: bytes) -> tuple[float, float]:
    """(peak MiB the decoder allocates, CPU ms it spends) on ``frame``, refused or not."""
    started = time.thread_time()
    with contextlib.suppress(wire.WireError):
        wire.decode_result(frame)
    cpu_ms = (time.thread_time() - started) * 1000
    tracemalloc.start()
    try:
        with contextlib.suppress(wire.WireError):
            wire.decode_result(frame)
        peak = tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()
    return peak, cpu_ms


def honest_frame(size: int) -> bytes:
    """An honest result of about ``size`` bytes: one float64 array."""
    return result_frame({"__nd__": 0}, [wire.npy_bytes(np.ones(max(size, 64) // 8))])


@pytest.mark.parametrize("name", FORGED_FRAMES)
def test_a_forged_frame_costs_no_more_than_an_honest_one_of_its_size_plus_a_constant(
    name: str,
) -> None:
    frame = FORGED_FRAMES[name]
    honest = honest_frame(min(len(frame), wire.RESULT_CAPS.frame_bytes))
    assert wire.decode_result(honest)["outcomes"]["k"]["value"].size > 0
    peak, cpu_ms = decode_cost(frame)
    honest_peak, honest_cpu_ms = decode_cost(honest)
    # Measured on these machines: at most +5.6 MiB and +30 ms (the 87 000 empty lists).
    assert peak <= honest_peak + 8
    assert cpu_ms <= honest_cpu_ms + 150


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        (FORGED_FRAMES["one 1 MiB blob referenced 2000 times"], "referenced more than once"),
        (FORGED_FRAMES["a 30 MiB header in an unchecked key"], "header of"),
        (FORGED_FRAMES["300 000 tiny blobs"], "claims 300000 blobs"),
        (FORGED_FRAMES["130 000 nested lists"], "not valid JSON"),
        (FORGED_FRAMES["a giant .npy header dict"], "too long"),
        (FORGED_FRAMES["an .npy header claiming 32 TiB"], "not what the blob holds"),
        (raw_frame(b'{"value": 1, "extra": 2}'), "known keys"),
        (result_frame({"__fn__": {"source": "f = print", "name": "f"}}), "callable spec"),
        (raw_frame(b'{"value": 123456789012345678901234}'), "integer out of range"),
        (result_frame("x" * (wire.MAX_STRING + 1)), "string longer"),
        (result_frame([[0] * 1000] * 101), "more than 100000 parts"),
        (result_frame({"__nd__": 1}, [ONE_MIB_ARRAY]), "out of range"),
        (result_frame({"__what__": 1}), "unknown value tag"),
        (result_frame({"__nd__": 0}, [npy_with_header(
            "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\0" * 8)]),
         "not in the expected form"),
        (result_frame({"__nd__": 0}, [npy_with_header(
            "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }", b"\0" * 8)]),
         "not in the expected form"),
        (wire.pack({"value": 1}) + b"x", "trailing bytes"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_the_result_decoder_refuses_what_breaks_a_cap(frame: bytes, reason: str) -> None:
    with pytest.raises(wire.WireError, match=re.escape(reason)):
        wire.decode_result(frame)


def test_an_array_of_every_allowed_dtype_round_trips_through_numpys_own_reader() -> None:
    for dtype in ("?", "i1", "u2", "<i4", ">i8", "<f2", "f4", "<f8", "c8", "c16"):
        array = (np.arange(6) % 2).astype(dtype).reshape(2, 3)
        blob = wire.npy_bytes(array)
        assert np.array_equal(np.load(io.BytesIO(blob)), array)
        decoded = wire.decode_result(result_frame({"__nd__": 0}, [blob]))
        value = decoded["outcomes"]["k"]["value"]
        assert value.dtype == array.dtype
        assert np.array_equal(value, array)
        assert value.flags.writeable
        assert value.flags.owndata


def test_the_encoder_keeps_within_the_result_caps_and_rolls_back_what_breaks_them() -> None:
    encoder = wire.Encoder(wire.RESULT_CAPS)
    kept = encoder.add([np.ones(10), 1.5])
    with pytest.raises(wire.WireError, match="rather than long lists"):
        encoder.add([0.123456789] * 50_000)
    with pytest.raises(wire.WireError, match="over"):
        encoder.add(np.ones(wire.MAX_ARRAY_BYTES // 8 + 1))
    frame = encoder.frame({"value": kept})
    assert len(encoder.blobs) == 1
    decoded = wire.decode_result(frame)
    assert decoded[1] == 1.5
    assert np.array_equal(decoded[0], np.ones(10))


def test_callable_specs_are_built_only_where_the_caller_asks() -> None:
    frame = wire.encode([wire.FnSpec("f = abs", "f")])
    with pytest.raises(wire.WireError, match="callable spec"):
        wire.decode(frame)
    assert wire.decode(frame, build_fn=wire.FnSpec.build)[0](-2) == 2
    code, calls = wire.decode_request(wire.encode_request("x = 1", [wire.FnSpec("f = abs")]))
    assert code == "x = 1"
    assert calls[0](-3) == 3


def test_decoding_a_result_leaves_the_garbage_collector_as_it_was() -> None:
    import gc

    assert gc.isenabled()
    wire.decode_result(result_frame([[]] * 10))
    with pytest.raises(wire.WireError):
        wire.decode_result(FORGED_FRAMES["one 1 MiB blob referenced 2000 times"])
    assert gc.isenabled()
    gc.disable()
    try:
        wire.decode_result(result_frame(1))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_strings_are_cut_the_same_way_in_a_result_and_in_a_round_trip() -> None:
    long = "x" * (wire.MAX_STRING + 10)
    encoder = wire.Encoder(wire.RESULT_CAPS)
    from_a_run = wire.decode_result(encoder.frame({"value": encoder.add(long)}))
    assert from_a_run == wire.decode(wire.encode(long)) == "x" * wire.MAX_STRING


def test_every_string_of_a_result_is_neutralised_as_it_is_decoded() -> None:
    hostile = "\x1b[2J\u202e\x00\ud800"
    value = {hostile: [hostile, (hostile,)], "x": wire.Unsupported(hostile)}
    encoder = wire.Encoder(wire.RESULT_CAPS)
    decoded = wire.decode_result(encoder.frame({"value": encoder.add(value)}))
    escaped = "\\x1b[2J\\u202e\\x00\\ud800"
    assert decoded == {escaped: [escaped, (escaped,)], "x": wire.Unsupported(escaped)}
    # Frames the trusted side built itself keep their text exactly (learner code included).
    assert wire.decode(wire.encode(value))[hostile] == [hostile, (hostile,)]


@pytest.mark.parametrize(
    "value",
    [
        None,
        1.5,
        float("nan"),
        [float("inf"), -float("inf")],
        "héllo \u202e\x1b",
        {"a": (1, 2**70, 1 + 2j), "b": [np.arange(3), np.float32(2.5)]},
        (np.zeros((2, 3)), {"k": [np.ones(1, dtype=np.int8), "x" * 50]}),
        wire.FnSpec("def f(x):\n    return x\n", env={"w": np.eye(2)}),
    ],
)
def test_encode_writes_the_frame_pack_writes(value) -> None:
    # encode() reuses the JSON text it measured instead of dumping the tree again.
    encoder = wire.Encoder()
    assert wire.encode(value) == wire.pack({"value": encoder.add(value)}, encoder.blobs)


def test_arrays_sharing_a_header_each_decode_to_their_own_data() -> None:
    a, b = np.arange(6.0).reshape(2, 3), -np.arange(6.0).reshape(2, 3)
    decoded = wire.decode(wire.encode([a, b, a.astype(np.float32)]))
    assert [x.tolist() for x in decoded[:2]] == [a.tolist(), b.tolist()]
    assert decoded[2].dtype == np.float32
    forged = wire.npy_bytes(np.zeros(2)).replace(b"'<f8'", b"'|O8'")
    for _ in range(2):  # refused every time, not only the first
        with pytest.raises(wire.WireError):
            wire.npy_header(memoryview(forged))
