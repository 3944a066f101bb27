"""Which arguments a call changed in place: a snapshot before the call, compared after it.

Used in the sandboxed run (child.py) around each learner call, and in the trusted process
around the reference's, so the grader can tell a learner that their function changed the
caller's array. A snapshot is plain bytes and reprs, built only with ndarray's own methods and
builtins: nothing the learner's module can rebind. Arrays, lists, tuples and dicts are
followed (lists and dicts because a caller's list is as much the caller's as an array); any
other object is tracked by identity only. Loaded in the zygote; no syscalls of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# How deep and how many containers a snapshot follows: arguments are a case's inputs (a few
# arrays, short lists of parameters), and a snapshot must not cost more than the call.
MAX_DEPTH = 4
MAX_ITEMS = 10_000
# At most this many changed arguments are reported per call (the wire format bounds the rest).
MAX_REPORTED = 32


class _TooLarge(Exception):
    pass


def _snapshot(value: Any, depth: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise _TooLarge
    kind = type(value)
    if kind is np.ndarray:
        return ("a", value.shape, value.dtype.str, value.tobytes())
    if kind is list or kind is tuple:
        return (kind.__name__, len(value), [_snapshot(item, depth + 1, budget) for item in value])
    if kind is dict:
        items = [(repr(key), _snapshot(item, depth + 1, budget)) for key, item in value.items()]
        return ("d", len(value), items)
    if kind in (int, float, complex, bool, str, bytes) or value is None:
        return ("v", kind.__name__, repr(value))
    if isinstance(value, np.generic):
        return ("g", np.asarray(value).dtype.str, np.asarray(value).tobytes())
    return ("o", id(value))


def snapshot(value: Any) -> Any:
    """A plain-data picture of ``value`` (None when it is too large to follow)."""
    try:
        return _snapshot(value, 0, [MAX_ITEMS])
    except _TooLarge:
        return None


def snapshots(args: Sequence[Any], kwargs: Mapping[str, Any]) -> dict[int | str, Any]:
    """Snapshots of the mutable arguments, by position (int) or keyword (str)."""
    named: list[tuple[int | str, Any]] = [*enumerate(args), *kwargs.items()]
    taken: dict[int | str, Any] = {}
    for where, value in named:
        if type(value) in (np.ndarray, list, dict) or (
            type(value) is tuple and any(type(item) in (np.ndarray, list, dict) for item in value)
        ):
            picture = snapshot(value)
            if picture is not None:
                taken[where] = picture
    return taken


def changed(
    before: Mapping[int | str, Any], args: Sequence[Any], kwargs: Mapping[str, Any]
) -> list[int | str]:
    """The arguments whose snapshot differs now from ``before``, in call order."""
    result: list[int | str] = []
    for where, picture in before.items():
        value = args[where] if type(where) is int else kwargs[str(where)]
        if snapshot(value) != picture:
            result.append(where)
            if len(result) >= MAX_REPORTED:
                break
    return result
