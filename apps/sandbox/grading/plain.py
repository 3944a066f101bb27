"""Plotly figures as plain JSON data, built without plotly.graph_objects.

Building a ``go.Figure`` validates every property on every assignment and deep-copies the
figure on ``to_json``: for softmax's two-bar figure that was 40-50% of a grading's CPU.
`PlainFigure` is the figure's JSON (``{"data": [...], "layout": {...}}``, a dict) with the few
``go.Figure`` methods exercises call on the figures plots.py returns (``add_scatter``,
``update_layout``, ``add_hline``...), spelled and nested as Plotly would (magic underscores,
a string title as ``{"text": ...}``). It validates nothing: tests/sandbox/grading/
test_plain.py feeds every figure plots.py builds through ``go.Figure(...)`` and compares
these methods with Plotly's own.
"""

from __future__ import annotations

from typing import Any

# Trace properties whose names hold an underscore (everything else splits on it).
_UNDERSCORED = frozenset({"error_x", "error_y", "error_z"})


def _nest(key: str, value: Any) -> tuple[str, Any]:
    """``marker_color=v`` as ``("marker", {"color": v})``, Plotly's magic underscore."""
    if "_" not in key or key in _UNDERSCORED:
        return key, value
    head, rest = key.split("_", 1)
    for name in _UNDERSCORED:
        if key.startswith(f"{name}_"):
            head, rest = name, key[len(name) + 1 :]
    inner, inner_value = _nest(rest, value)
    return head, {inner: inner_value}


# The named colour scales exercises use, as Plotly spells them out (plotly.js has its own,
# different scales under some of the same names: its RdBu runs the other way).
_COLORSCALES = {
    "Blues": ["rgb(247,251,255)", "rgb(222,235,247)", "rgb(198,219,239)", "rgb(158,202,225)",
              "rgb(107,174,214)", "rgb(66,146,198)", "rgb(33,113,181)", "rgb(8,81,156)",
              "rgb(8,48,107)"],
    "Greys": ["rgb(255,255,255)", "rgb(240,240,240)", "rgb(217,217,217)", "rgb(189,189,189)",
              "rgb(150,150,150)", "rgb(115,115,115)", "rgb(82,82,82)", "rgb(37,37,37)",
              "rgb(0,0,0)"],
    "RdBu": ["rgb(103,0,31)", "rgb(178,24,43)", "rgb(214,96,77)", "rgb(244,165,130)",
             "rgb(253,219,199)", "rgb(247,247,247)", "rgb(209,229,240)", "rgb(146,197,222)",
             "rgb(67,147,195)", "rgb(33,102,172)", "rgb(5,48,97)"],
    "Reds": ["rgb(255,245,240)", "rgb(254,224,210)", "rgb(252,187,161)", "rgb(252,146,114)",
             "rgb(251,106,74)", "rgb(239,59,44)", "rgb(203,24,29)", "rgb(165,15,21)",
             "rgb(103,0,13)"],
    "Viridis": ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779",
                "#6ece58", "#b5de2b", "#fde725"],
}  # fmt: skip


def _colorscale(name: str) -> Any:
    colours = _COLORSCALES.get(name.removesuffix("_r"))
    if colours is None:
        return name  # plotly.js reads the name (its scale of that name may differ)
    if name.endswith("_r"):
        colours = colours[::-1]
    return [[index / (len(colours) - 1), colour] for index, colour in enumerate(colours)]


def _coerced(key: str, value: Any) -> Any:
    """What Plotly's validators make of a shorthand: a title given as a string becomes
    ``{"text": ...}``, a colour scale's name its colours (as Plotly itself sends them)."""
    if key == "title" and isinstance(value, str):
        return {"text": value}
    if key == "colorscale" and isinstance(value, str):
        return _colorscale(value)
    return value


class PlainObject(dict[str, Any]):
    """A trace or a part of one as a dict that also reads and writes as attributes, as
    graph_objects do: ``fig.data[0].name = "..."``, ``fig.data[-1].marker.size = 12`` (reading
    a property that is not set gives an empty object to set on, as in Plotly)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self:
            self[name] = PlainObject()
        return self[name]

    def __setattr__(self, name: str, value: Any) -> None:
        self.pop(name, None)
        merge(self, {name: value})


def merge(target: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    """Merge ``updates`` (magic underscores allowed) into ``target`` as Plotly's update does:
    dicts merge key by key, None unsets (``texttemplate=None``), anything else replaces."""
    for raw_key, raw_value in updates.items():
        key, value = _nest(raw_key, raw_value)
        value = _coerced(key, value)
        current = target.get(key)
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            if isinstance(current, dict):
                merge(current, value)
            else:
                target[key] = merge(PlainObject(), value)
        else:
            target[key] = value
    return target


def _axis_names(layout: dict[str, Any], letter: str) -> list[str]:
    names = sorted(
        (key for key in layout if key == f"{letter}axis" or key.startswith(f"{letter}axis")),
        key=lambda name: int(name[5:] or 1),
    )
    return names or [f"{letter}axis"]


class PlainFigure(dict[str, Any]):
    """A Plotly figure as its JSON: ``{"data": [traces], "layout": {...}}``.

    Arrays may stay NumPy arrays: `figure_to_dict` (figures.py) turns them into JSON.
    ``row``/``col`` are accepted for figures from `subplots`.
    """

    def __init__(
        self, data: list[dict[str, Any]] | None = None, layout: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            data=[merge(PlainObject(), trace) for trace in data or []],
            layout=merge(PlainObject(), layout or {}),
        )
        self.columns = 1  # panels per row (subplots)

    @property
    def data(self) -> list[PlainObject]:
        return self["data"]  # type: ignore[no-any-return]

    @property
    def layout(self) -> PlainObject:
        return self["layout"]  # type: ignore[no-any-return]

    # --- traces -----------------------------------------------------------------------
    def _axes_of(self, row: int | None, col: int | None) -> dict[str, str]:
        if row is None and col is None:
            return {}
        number = ((row or 1) - 1) * self.columns + (col or 1)
        suffix = "" if number == 1 else str(number)
        return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}

    def add_trace(self, trace: Any, row: int | None = None, col: int | None = None) -> PlainFigure:
        """Add a trace: a dict with its ``type``, or a graph_objects trace."""
        if not isinstance(trace, dict):
            trace = trace.to_plotly_json()
        added = PlainObject()
        merge(added, {**trace, **self._axes_of(row, col)})
        self.data.append(added)
        return self

    def _add(self, kind: str, row: int | None, col: int | None, **properties: Any) -> PlainFigure:
        return self.add_trace({"type": kind, **properties}, row=row, col=col)

    def add_scatter(self, row: int | None = None, col: int | None = None, **kw: Any) -> PlainFigure:
        return self._add("scatter", row, col, **kw)

    def add_bar(self, row: int | None = None, col: int | None = None, **kw: Any) -> PlainFigure:
        return self._add("bar", row, col, **kw)

    def add_heatmap(self, row: int | None = None, col: int | None = None, **kw: Any) -> PlainFigure:
        return self._add("heatmap", row, col, **kw)

    def add_contour(self, row: int | None = None, col: int | None = None, **kw: Any) -> PlainFigure:
        return self._add("contour", row, col, **kw)

    def __getattr__(self, name: str) -> Any:
        # add_histogram, add_scatter3d...: Plotly has an add_<type> for every trace type.
        kind = name.removeprefix("add_")
        if kind != name and kind.isalnum() and kind.islower():
            return lambda row=None, col=None, **kw: self._add(kind, row, col, **kw)
        raise AttributeError(name)

    def for_each_trace(self, apply: Any) -> PlainFigure:
        for trace in self.data:
            apply(trace)
        return self

    def update_traces(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        for trace in self.data:
            merge(trace, {**(patch or {}), **kw})
        return self

    # --- layout -----------------------------------------------------------------------
    def update_layout(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        merge(self.layout, {**(patch or {}), **kw})
        return self

    def _update_axes(self, letter: str, patch: dict[str, Any] | None, kw: dict[str, Any]) -> None:
        for name in _axis_names(self.layout, letter):
            merge(self.layout.setdefault(name, PlainObject()), {**(patch or {}), **kw})

    def update_xaxes(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        self._update_axes("x", patch, kw)
        return self

    def update_yaxes(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        self._update_axes("y", patch, kw)
        return self

    def add_annotation(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        self.layout.setdefault("annotations", []).append(
            merge(PlainObject(), {**(patch or {}), **kw})
        )
        return self

    def add_shape(self, patch: dict[str, Any] | None = None, **kw: Any) -> PlainFigure:
        self.layout.setdefault("shapes", []).append(merge(PlainObject(), {**(patch or {}), **kw}))
        return self

    # --- lines and bands across the plot (Plotly's add_hline, add_vline, add_vrect...) ----
    def _shape(self, shape: dict[str, Any], extra: dict[str, Any]) -> None:
        text = extra.pop("annotation_text", None)
        shape = merge(PlainObject(), {**shape, **extra})
        self.layout.setdefault("shapes", []).append(shape)
        if text is not None:
            self.layout.setdefault("annotations", []).append(self._label(shape, text))

    @staticmethod
    def _label(shape: dict[str, Any], text: str) -> dict[str, Any]:
        # Plotly's default annotation_position: "top right" of the line or band.
        label: dict[str, Any] = {"showarrow": False, "text": text}
        if shape["xref"] == "x domain":  # a horizontal line or band
            line = shape["type"] == "line"
            return {
                **label,
                "x": 1,
                "xanchor": "right",
                "xref": "x domain",
                "y": shape["y0"] if line else shape["y1"],
                "yanchor": "bottom" if line else "top",
                "yref": "y",
            }
        return {
            **label,
            "x": shape["x1"],
            "xanchor": "left" if shape["type"] == "line" else "right",
            "xref": "x",
            "y": 1,
            "yanchor": "top",
            "yref": "y domain",
        }

    def add_hline(self, y: float, **extra: Any) -> PlainFigure:
        line = {"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y}
        self._shape({**line, "yref": "y"}, extra)
        return self

    def add_vline(self, x: float, **extra: Any) -> PlainFigure:
        line = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1}
        self._shape({**line, "yref": "y domain"}, extra)
        return self

    def add_hrect(self, y0: float, y1: float, **extra: Any) -> PlainFigure:
        rect = {"type": "rect", "x0": 0, "x1": 1, "xref": "x domain", "y0": y0, "y1": y1}
        self._shape({**rect, "yref": "y"}, extra)
        return self

    def add_vrect(self, x0: float, x1: float, **extra: Any) -> PlainFigure:
        rect = {"type": "rect", "x0": x0, "x1": x1, "xref": "x", "y0": 0, "y1": 1}
        self._shape({**rect, "yref": "y domain"}, extra)
        return self


def subplots(
    cols: int, *, titles: tuple[str, ...] | list[str] = (), spacing: float | None = None
) -> PlainFigure:
    """One row of ``cols`` panels, as Plotly's ``make_subplots(rows=1, cols=...)`` lays out."""
    spacing = 0.2 / cols if spacing is None else spacing
    width = (1 - spacing * (cols - 1)) / cols
    layout: dict[str, Any] = {"annotations": []}
    for n in range(cols):
        suffix = "" if n == 0 else str(n + 1)
        start = n * (width + spacing)
        layout[f"xaxis{suffix}"] = {"anchor": f"y{suffix}", "domain": [start, start + width]}
        layout[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [0.0, 1.0]}
        if n < len(titles):
            layout["annotations"].append(
                {
                    "font": {"size": 16},
                    "showarrow": False,
                    "text": titles[n],
                    "x": start + width / 2,
                    "xanchor": "center",
                    "xref": "paper",
                    "y": 1.0,
                    "yanchor": "bottom",
                    "yref": "paper",
                }
            )
    figure = PlainFigure(layout=layout)
    figure.columns = cols
    return figure
