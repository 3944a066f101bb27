"""Plotly figures as JSON-safe data in the course's house style, under a size cap.

Used for the static figures lessons build at sync time and, by the grader, for the figures
drawn from a learner's result. Labels come from content authors only.

A learner's values are numbers of any kind, and drawing them never fails on that account:
NaN and infinities become gaps (null), and complex numbers (which Plotly cannot draw) are
drawn by their real part, with a note on the figure saying so.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

import numpy as np

from apps.sandbox.grading.plain import PlainFigure

MAX_FIGURE_BYTES = 400_000
COMPLEX_NOTE = "complex values: only their real parts are drawn"

FIGURE_LAYOUT: dict[str, Any] = {
    "template": None,
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "margin": {"l": 50, "r": 20, "t": 50, "b": 45},
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "xaxis": {"gridcolor": "#e5e7eb", "zerolinecolor": "#9ca3af"},
    "yaxis": {"gridcolor": "#e5e7eb", "zerolinecolor": "#9ca3af"},
    "legend": {"orientation": "h", "y": -0.18},
}


def _figure_data(figure: Any, notes: set[str]) -> dict[str, Any]:
    if isinstance(figure, PlainFigure):
        # What plots.py builds: NumPy arrays go out as Plotly's typed arrays, as go.Figure
        # would have sent them.
        return _json_safe(figure, notes, typed=True)  # type: ignore[no-any-return]
    if hasattr(figure, "to_json"):
        try:
            return json.loads(figure.to_json(validate=False))  # type: ignore[no-any-return]
        except TypeError:  # Plotly's encoder refuses complex numbers
            return _json_safe(figure.to_plotly_json(), notes)  # type: ignore[no-any-return]
    if isinstance(figure, dict):
        return _json_safe(figure, notes)  # type: ignore[no-any-return]
    raise TypeError(f"not a figure: {type(figure).__name__}")


def figure_to_dict(figure: Any) -> dict[str, Any]:
    """A Plotly figure as JSON-safe data, in the house style, under the size cap."""
    notes: set[str] = set()
    data = _figure_data(figure, notes)
    layout = data.setdefault("layout", {})
    if notes:
        layout["annotations"] = [*layout.get("annotations", []), *map(_note, sorted(notes))]
    # The default template alone is ~10 kB of JSON per figure; a small house style instead.
    layout.pop("template", None)
    for key, value in FIGURE_LAYOUT.items():
        if key == "template":
            continue
        if isinstance(value, dict):
            layout[key] = {**value, **layout.get(key, {})}
        else:
            layout.setdefault(key, value)
    for axis in [
        k for k in layout if k.startswith(("xaxis", "yaxis")) and k not in ("xaxis", "yaxis")
    ]:
        layout[axis] = {**FIGURE_LAYOUT["xaxis"], **layout[axis]}
    size = len(json.dumps(data))
    if size > MAX_FIGURE_BYTES:
        raise ValueError(f"figure is {size} bytes of JSON, over the {MAX_FIGURE_BYTES}-byte cap")
    return data


def _note(text: str) -> dict[str, Any]:
    return {
        "text": text,
        "showarrow": False,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 1.06,
        "xanchor": "left",
        "font": {"size": 11, "color": "#6b7280"},
    }


# Plotly's typed arrays (plotly.js decodes them): what go.Figure.to_json makes of a NumPy
# array, and much cheaper to build and to parse than a list of floats.
_TYPED_ARRAY = {
    "int8": "i1",
    "uint8": "u1",
    "int16": "i2",
    "uint16": "u2",
    "int32": "i4",
    "uint32": "u4",
    "float32": "f4",
    "float64": "f8",
}
_NARROWER = {"int64": ("int8", "int16", "int32"), "uint64": ("uint8", "uint16", "uint32")}
_NOT_TYPED = frozenset({"geojson", "layer", "layers", "range"})  # Plotly leaves these as lists


def _typed_array(array: np.ndarray) -> dict[str, str] | None:
    """A finite real array as a Plotly typed array, as Plotly encodes it; None otherwise."""
    if array.size == 0 or array.dtype.kind not in "iuf":
        return None
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        return None  # non-finite numbers go out as null in a list
    name = array.dtype.name
    for narrower in _NARROWER.get(name, ()):
        limits = np.iinfo(narrower)
        if limits.min <= array.min() and array.max() <= limits.max:
            array, name = array.astype(narrower), narrower
            break
    if name not in _TYPED_ARRAY:
        return None
    spec = {
        "dtype": _TYPED_ARRAY[name],
        "bdata": base64.b64encode(
            np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        ).decode("ascii"),
    }
    if array.ndim > 1:
        spec["shape"] = ", ".join(map(str, array.shape))
    return spec


def _json_safe(value: Any, notes: set[str], key: str = "", *, typed: bool = False) -> Any:
    """``value`` as strict JSON data: arrays as lists (or, if ``typed``, a finite real array
    that is a property's value as a Plotly typed array), non-finite numbers as None, complex
    numbers as their real part (noted in ``notes``). Raises TypeError on anything else."""
    if isinstance(value, np.ndarray | np.generic):
        if np.iscomplexobj(value):
            notes.add(COMPLEX_NOTE)
            value = np.real(value)
        elif typed and key and key not in _NOT_TYPED and isinstance(value, np.ndarray):
            spec = _typed_array(value)
            if spec is not None:
                return spec
        return _json_safe(value.tolist(), notes)
    if isinstance(value, dict):
        return {str(k): _json_safe(item, notes, str(k), typed=typed) for k, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item, notes, typed=typed) for item in value]
    if isinstance(value, complex):
        notes.add(COMPLEX_NOTE)
        value = value.real
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str | int):  # bool is an int
        return value
    raise TypeError(f"cannot serialise {type(value).__name__}")
