"""Explorable figures: a lesson figure computed for a grid of one or two parameters.

A lesson's ``<slug>.figures.py`` may return an :class:`Explorable` beside its static figures::

    Explorable(
        params=[Param("lr", "learning rate $\\eta$", [0.01, 0.02, 0.04, 0.08])],
        build=lambda lr: {"data": [...], "layout": {...}},   # plain JSON, or a Plotly figure
        animate=False,
    )

At sync time (trusted content, run once per content hash) ``explorable_to_dict`` calls
``build`` once per grid point and ships ONE Plotly figure: the initial point's data and
layout, a frame per grid point (named by its indices, "3" or "3-1") holding only the traces
and layout keys that change, and ``layout.sliders`` (a play button too when ``animate``).
The page needs no code per figure: lesson JS reads ``figure["explorable"]`` (the parameters,
their labels and value labels) and maps its controls' positions to frame names. Caps: at most
MAX_FRAMES grid points, MAX_PARAMS parameters and MAX_EXPLORABLE_BYTES of JSON per figure.

No Django here: content imports it, and tests build figures without a database.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from apps.sandbox.grading.figures import FIGURE_LAYOUT, figure_to_dict
from apps.sandbox.grading.sketch import rounded

MAX_PARAMS = 2
MAX_FRAMES = 121  # e.g. an 11 x 11 grid, or 121 time steps
MAX_EXPLORABLE_BYTES = 1_000_000  # JSON of the whole figure, frames included
# Bumped when the shape of what explorable_to_dict ships changes: lesson hashes include it,
# so the next sync rebuilds every lesson's figures instead of keeping a stale cached shape.
FORMAT_VERSION = "explorable-1"
NAME_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
# Each slider below the plot takes this many pixels (label, track, tick labels).
SLIDER_PX = 80
ANIMATE_ARGS = {
    "mode": "immediate",
    "frame": {"duration": 0, "redraw": True},
    "transition": {"duration": 0},
}


@dataclass(frozen=True)
class Param:
    """One parameter the reader moves: its keyword for ``build``, its label, its values.

    ``label`` may hold $math$ (the page typesets it; the figure's own slider shows it with
    the dollar signs removed). ``values`` are numbers or short strings (e.g. "with residual
    connections"), at most MAX_FRAMES of them; ``initial`` is the value shown first (the
    middle one by default). ``format`` formats numbers for display.
    """

    name: str
    label: str
    values: Sequence[float | int | str]
    initial: float | int | str | None = None
    format: str = ".3g"

    def value_labels(self) -> list[str]:
        return [
            value if isinstance(value, str) else format(float(value), self.format)
            for value in self.values
        ]

    def initial_index(self) -> int:
        if self.initial is None:
            return (len(self.values) - 1) // 2
        for index, value in enumerate(self.values):
            if value == self.initial:
                return index
        raise ExplorableError(f"parameter {self.name!r}: initial {self.initial!r} is not a value")


@dataclass(frozen=True)
class Explorable:
    """A figure for every point of a grid of one or two :class:`Param`.

    ``build(**{param.name: value})`` returns the figure at that point (a dict with "data"
    and "layout", or a plotly Figure); every point must draw the same traces in the same
    order (values may change, the kinds may not). Fix the axis ranges so the picture does not
    jump from frame to frame. ``animate`` adds a play button (one parameter only: time, say),
    stepping every ``frame_ms`` milliseconds.
    """

    params: Sequence[Param]
    build: Callable[..., Any]
    animate: bool = False
    frame_ms: int = 120


class ExplorableError(ValueError):
    """An explorable that cannot be built, or is over a cap; the message says which."""


def _validate_param(param: Param) -> None:
    if not NAME_RE.match(param.name):
        raise ExplorableError(f"parameter name {param.name!r} is not a Python identifier")
    if not param.values:
        raise ExplorableError(f"parameter {param.name!r} has no values")
    for value in param.values:
        if isinstance(value, str):
            continue
        if not isinstance(value, int | float) or not math.isfinite(float(value)):
            raise ExplorableError(f"parameter {param.name!r}: {value!r} is not a finite number")
    param.initial_index()


def _validate(explorable: Explorable) -> None:
    params = list(explorable.params)
    if not 1 <= len(params) <= MAX_PARAMS:
        raise ExplorableError(f"an explorable has 1 to {MAX_PARAMS} parameters, not {len(params)}")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise ExplorableError(f"parameter names must differ: {names}")
    for param in params:
        _validate_param(param)
    frames = math.prod(len(p.values) for p in params)
    if frames > MAX_FRAMES:
        raise ExplorableError(f"{frames} grid points is over the cap of {MAX_FRAMES} frames")
    if explorable.animate and len(params) != 1:
        raise ExplorableError("animate=True needs exactly one parameter (the one to play)")


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def frame_name(indices: Sequence[int]) -> str:
    """The frame at these parameter indices: "3" for one parameter, "3-1" for two."""
    return "-".join(str(index) for index in indices)


def _plain_label(label: str) -> str:
    return label.replace("$", "").replace("\\", "")


def _built(explorable: Explorable, indices: tuple[int, ...]) -> dict[str, Any]:
    params = explorable.params
    values = {p.name: p.values[i] for p, i in zip(params, indices, strict=True)}
    try:
        figure = explorable.build(**values)
    except ExplorableError:
        raise
    except Exception as exc:
        raise ExplorableError(f"build({values}) raised {type(exc).__name__}: {exc}") from exc
    data = figure_to_dict(figure)
    return {"data": rounded(data.get("data", [])), "layout": rounded(data.get("layout", {}))}


def _check_same_traces(base: dict[str, Any], other: dict[str, Any], name: str) -> None:
    kinds = [trace.get("type", "scatter") for trace in base["data"]]
    other_kinds = [trace.get("type", "scatter") for trace in other["data"]]
    if kinds != other_kinds:
        raise ExplorableError(
            f"frame {name} draws traces {other_kinds}, but the first draws {kinds}: every "
            "grid point must draw the same traces in the same order"
        )


def _sliders(explorable: Explorable, actives: Sequence[int]) -> list[dict[str, Any]]:
    params = list(explorable.params)
    single = len(params) == 1
    sliders = []
    for k, param in enumerate(params):
        steps = []
        for index, label in enumerate(param.value_labels()):
            # One parameter: Plotly's own slider animates to the frame. Two: a slider cannot
            # know the other's position, so it only moves (method "skip") and the page's
            # generic handler picks the frame from both positions.
            args: list[Any] = [[frame_name([index])], ANIMATE_ARGS] if single else []
            steps.append({"label": label, "method": "animate" if single else "skip", "args": args})
        sliders.append(
            {
                "active": actives[k],
                "currentvalue": {"prefix": f"{_plain_label(param.label)} = ", "visible": True},
                "pad": {"t": 50 + SLIDER_PX * k, "b": 10},
                "x": 0.05 if explorable.animate else 0,
                "len": 0.95 if explorable.animate else 1,
                "y": 0,
                "yanchor": "top",
                "steps": steps,
                "name": param.name,
            }
        )
    return sliders


def _play_button(explorable: Explorable) -> list[dict[str, Any]]:
    play = {
        "frame": {"duration": explorable.frame_ms, "redraw": True},
        "fromcurrent": True,
        "transition": {"duration": 0},
    }
    return [
        {
            "type": "buttons",
            "showactive": False,
            "x": 0,
            "y": 0,
            "xanchor": "right",
            "yanchor": "top",
            "pad": {"t": 60, "r": 10},
            "buttons": [
                {"label": "▶", "method": "animate", "args": [None, play]},
                {"label": "❚❚", "method": "animate", "args": [[None], ANIMATE_ARGS]},
            ],
        }
    ]


def _layout(explorable: Explorable, base: dict[str, Any], actives: Sequence[int]) -> dict[str, Any]:
    layout = dict(base["layout"])
    # The house style's legend sits under the x axis, where the sliders go: put it in the
    # plot's corner instead, unless the author placed it.
    if layout.get("legend") == FIGURE_LAYOUT["legend"]:
        layout["legend"] = {
            "x": 0.99,
            "xanchor": "right",
            "y": 0.99,
            "yanchor": "top",
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    count = len(explorable.params)
    margin = dict(layout.get("margin") or {})
    margin["b"] = max(int(margin.get("b", 45)), 45) + SLIDER_PX * count
    layout["margin"] = margin
    layout["height"] = int(layout.get("height") or 420) + SLIDER_PX * count
    layout["sliders"] = _sliders(explorable, actives)
    if explorable.animate:
        layout["updatemenus"] = _play_button(explorable)
    return layout


def _frames(
    grid: list[tuple[int, ...]], built: dict[tuple[int, ...], dict[str, Any]], base: dict[str, Any]
) -> list[dict[str, Any]]:
    """One frame per grid point with only what changes somewhere: a contour drawn under a
    path is shipped once, not once per frame."""
    changing = [
        i
        for i in range(len(base["data"]))
        if len({_canonical(f["data"][i]) for f in built.values()}) > 1
    ]
    layout_keys = sorted(
        {key for f in built.values() for key in f["layout"]}
        - {"sliders", "updatemenus", "height", "margin"}
    )
    changing_layout = [
        key
        for key in layout_keys
        if len({_canonical(f["layout"].get(key)) for f in built.values()}) > 1
    ]
    frames = []
    for indices in grid:
        figure = built[indices]
        frame: dict[str, Any] = {
            "name": frame_name(indices),
            "data": [figure["data"][i] for i in changing],
            "traces": changing,
        }
        if changing_layout:
            frame["layout"] = {key: figure["layout"].get(key) for key in changing_layout}
        frames.append(frame)
    return frames


def _meta(explorable: Explorable, actives: Sequence[int]) -> dict[str, Any]:
    """What the page needs to draw its own controls (``figure["explorable"]``)."""
    params = list(explorable.params)
    return {
        "params": [
            {"name": p.name, "label": p.label, "values": p.value_labels(), "initial": actives[k]}
            for k, p in enumerate(params)
        ],
        "animate": explorable.animate,
        "frame_ms": explorable.frame_ms,
        # What the layout keeps below the plot for its sliders: a page that draws its own
        # controls instead takes it back.
        "controls_px": SLIDER_PX * len(params),
    }


def explorable_to_dict(explorable: Explorable) -> dict[str, Any]:
    """The explorable as one Plotly figure with frames (see the module docstring).

    Raises ExplorableError when a cap is broken or the grid points draw different traces.
    """
    _validate(explorable)
    params = list(explorable.params)
    grid = list(itertools.product(*(range(len(p.values)) for p in params)))
    actives = tuple(p.initial_index() for p in params)
    built = {indices: _built(explorable, indices) for indices in grid}
    base = built[actives]
    for indices, figure in built.items():
        _check_same_traces(base, figure, frame_name(indices))
    result = {
        "data": base["data"],
        "layout": _layout(explorable, base, actives),
        "frames": _frames(grid, built, base),
        "explorable": _meta(explorable, actives),
    }
    # Measured as the page embeds it (json_script keeps json.dumps's spaces).
    size = len(json.dumps(result))
    if size > MAX_EXPLORABLE_BYTES:
        raise ExplorableError(
            f"the explorable is {size:,} bytes of JSON, over the {MAX_EXPLORABLE_BYTES:,}-byte "
            f"cap: use fewer grid points ({len(grid)} now) or fewer points per trace"
        )
    return result


def is_explorable(figure: Any) -> bool:
    return isinstance(figure, Explorable)
