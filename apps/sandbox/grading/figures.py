"""Plotly figures as JSON-safe data in the course's house style, under a size cap.

Used for the static figures lessons build at sync time and, by the grader, for the figures
drawn from a learner's result. Labels come from content authors only.

A learner's values are numbers of any kind, and drawing them never fails on that account:
NaN and infinities become gaps (null), and complex numbers (which Plotly cannot draw) are
drawn by their real part, with a note on the figure saying so.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

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


def figure_to_dict(figure: Any) -> dict[str, Any]:
    """A Plotly figure as JSON-safe data, in the house style, under the size cap."""
    data: dict[str, Any]
    notes: set[str] = set()
    if hasattr(figure, "to_json"):
        try:
            data = json.loads(figure.to_json(validate=False))
        except TypeError:  # Plotly's encoder refuses complex numbers
            data = _json_safe(figure.to_plotly_json(), notes)
    elif isinstance(figure, dict):
        data = _json_safe(figure, notes)
    else:
        raise TypeError(f"not a figure: {type(figure).__name__}")
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


def _json_safe(value: Any, notes: set[str]) -> Any:
    """``value`` as strict JSON data: arrays as lists, non-finite numbers as None, complex
    numbers as their real part (noted in ``notes``). Raises TypeError on anything else."""
    if isinstance(value, np.ndarray | np.generic):
        if np.iscomplexobj(value):
            notes.add(COMPLEX_NOTE)
            value = np.real(value)
        return _json_safe(value.tolist(), notes)
    if isinstance(value, dict):
        return {str(key): _json_safe(item, notes) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item, notes) for item in value]
    if isinstance(value, complex):
        notes.add(COMPLEX_NOTE)
        value = value.real
    if isinstance(value, float):
        return value if np.isfinite(value) else None
    if value is None or isinstance(value, str | int):  # bool is an int
        return value
    raise TypeError(f"cannot serialise {type(value).__name__}")
