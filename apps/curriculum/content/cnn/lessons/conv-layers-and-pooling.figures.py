"""Figures of the lesson: what a stride or a pooling layer does to a fast oscillation."""

import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param

# ----- explorable: stride, pooling and aliasing ------------------------------------------------
FREQUENCIES = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
DOWNSAMPLING = ["none", "stride 2", "stride 3", "stride 4", "average pool 2, stride 2"]
LENGTH = 48
FINE = np.linspace(0, LENGTH, 4 * LENGTH + 1)  # a step of 1/4: every kept position is on it


def _aliasing_frame(frequency: float, downsampling: str) -> dict:
    positions = np.arange(LENGTH + 1)
    samples = np.cos(2 * np.pi * frequency * positions)
    # The kept values are amplitude * cos(phase + 2 pi (f * stride) m) for m = 0, 1, ...;
    # f * stride folded into [0, 1/2] is the slowest cosine through them, the one the next
    # layer sees.
    if downsampling == "none":
        stride, start, amplitude, phase = 1, 0.0, 1.0, 0.0
        kept_at, kept = positions, samples
    elif downsampling.startswith("stride"):
        stride, start, amplitude, phase = int(downsampling.split()[1]), 0.0, 1.0, 0.0
        kept_at, kept = positions[::stride], samples[::stride]
    else:
        # the mean of each pair (x_2m, x_2m+1), drawn at the pair's centre 2m + 1/2, is
        # cos(pi f) cos(2 pi f (2m + 1/2)): the same cosine, scaled by cos(pi f)
        stride, start = 2, 0.5
        amplitude, phase = float(np.cos(np.pi * frequency)), float(np.pi * frequency)
        kept_at = positions[:-1:2] + start
        kept = 0.5 * (samples[:-1:2] + samples[1::2])
    folded = (frequency * stride) % 1.0
    if folded > 0.5:  # cos(phase + 2 pi folded m) = cos(-phase + 2 pi (1 - folded) m)
        folded, phase = 1.0 - folded, -phase
    apparent = folded / stride
    seen = amplitude * np.cos(phase + 2 * np.pi * folded * (FINE - start) / stride)
    nyquist = 0.5 / stride
    if stride == 1:
        verdict = f"every sample kept: the cosine of frequency {frequency:g} is intact"
    elif frequency <= nyquist + 1e-9:
        verdict = f"f ≤ 1/(2·{stride}) = {nyquist:.3g}: the kept samples still trace frequency {frequency:g}"
    else:
        verdict = f"f > 1/(2·{stride}) = {nyquist:.3g}: the kept samples trace frequency {apparent:.3g} instead"
    if downsampling.startswith("average"):
        verdict += f"; amplitude ×{amplitude:.2f}"
    return {
        "data": [
            {
                "type": "scatter",
                "x": FINE,
                "y": np.cos(2 * np.pi * frequency * FINE),
                "mode": "lines",
                "line": {"color": "#9ca3af", "width": 1},
                "name": "signal cos(2π f x)",
            },
            {
                "type": "scatter",
                "x": positions,
                "y": samples,
                "mode": "markers",
                "marker": {"color": "#6b7280", "size": 4},
                "name": "samples",
            },
            {
                "type": "scatter",
                "x": FINE,
                "y": seen,
                "mode": "lines",
                "line": {"color": "#f97316", "width": 2, "dash": "dash"},
                "name": "what the kept values trace",
            },
            {
                "type": "scatter",
                "x": kept_at,
                "y": kept,
                "mode": "markers",
                "marker": {"color": "#2563eb", "size": 9},
                "name": "kept after downsampling",
            },
        ],
        "layout": {
            "title": {"text": f"f = {frequency:g}, {downsampling}: {verdict}"},
            "xaxis": {"title": {"text": "position x (samples)"}, "range": [0, LENGTH]},
            "yaxis": {"title": {"text": "value"}, "range": [-1.3, 1.3]},
            "legend": {"orientation": "h", "y": -0.2},
            "height": 400,
        },
    }


def figures() -> dict[str, go.Figure | Explorable]:
    return {
        "aliasing": Explorable(
            params=[
                Param(
                    "frequency",
                    "signal frequency $f$ (cycles per sample)",
                    FREQUENCIES,
                    initial=0.3,
                ),
                Param("downsampling", "downsampling", DOWNSAMPLING, initial="stride 2"),
            ],
            build=_aliasing_frame,
        )
    }
