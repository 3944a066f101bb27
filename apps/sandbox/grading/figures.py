"""Plotly figures as JSON-safe data in the course's house style, under a size cap.

Used for the static figures lessons build at sync time and, by the grader, for the figures
drawn from a learner's result. Labels come from content authors only.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

MAX_FIGURE_BYTES = 400_000

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
    if hasattr(figure, "to_json"):
        data = json.loads(figure.to_json(validate=False))
    elif isinstance(figure, dict):
        data = json.loads(json.dumps(figure, default=_json_default))
    else:
        raise TypeError(f"not a figure: {type(figure).__name__}")
    layout = data.setdefault("layout", {})
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


def _json_default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")
