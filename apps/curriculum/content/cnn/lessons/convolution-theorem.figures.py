import numpy as np
import plotly.graph_objects as go

from apps.sandbox.grading.explorables import Explorable, Param


def figures() -> dict[str, go.Figure | Explorable]:
    n = 64
    r = np.arange(9) - 4
    gauss = np.exp(-0.5 * (r / 1.5) ** 2)
    gauss /= gauss.sum()
    diff = np.array([-1.0, 0.0, 1.0])
    freqs = np.fft.fftshift(np.fft.fftfreq(n))
    fig = go.Figure()
    fig.add_scatter(
        x=freqs,
        y=np.abs(np.fft.fftshift(np.fft.fft(gauss, n))),
        name="Gaussian blur (9 taps)",
        line={"color": "#f97316", "width": 3},
    )
    fig.add_scatter(
        x=freqs,
        y=np.abs(np.fft.fftshift(np.fft.fft(diff, n))),
        name="central difference [−1, 0, 1]",
        line={"color": "#2563eb"},
    )
    fig.update_layout(
        title={"text": "gain |K̂| of two kernels by frequency: low-pass and high-pass"},
        xaxis_title="frequency (cycles per sample)",
        yaxis_title="|DFT of kernel|",
        height=380,
    )
    return {"kernel-spectra": fig, "kernel-response": kernel_response_explorable()}


# ----- explorable: a kernel's frequency response as its width and shape change ---------------
# From 3 taps: with two, the box and the binomial kernel coincide (both are (1/2, 1/2)).
TAPS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
SHAPES = ["box", "binomial", "derivative"]
PADDED = 512  # zero padding samples the response finely; it does not change it


def _binomial(taps: int) -> np.ndarray:
    row = np.array([1.0])
    for _ in range(taps - 1):
        row = np.convolve(row, [0.5, 0.5])
    return row


def _kernel(shape: str, taps: int) -> np.ndarray:
    """Box: the moving average. Binomial: (1/2, 1/2) convolved with itself, a sampled
    Gaussian. Derivative: a binomial smoothing of taps - 1 entries convolved with (1, -1),
    a smoothed edge detector."""
    if shape == "box":
        return np.full(taps, 1.0 / taps)
    if shape == "binomial":
        return _binomial(taps)
    return np.convolve(_binomial(taps - 1), [1.0, -1.0])


def _response_frame(shape: str, taps: int) -> dict:
    kernel = _kernel(shape, taps)
    gain = np.abs(np.fft.rfft(kernel, PADDED))
    freq = np.arange(gain.size) / PADDED
    if shape == "box":
        beyond = gain[freq > 1.0 / taps + 1e-9]
        lobes = f", side lobes up to {beyond.max():.2f}" if beyond.size else ""
        note = f"zeros at multiples of 1/{taps} = {1 / taps:.3f}{lobes}"
    elif shape == "binomial":
        half = freq[np.argmax(gain < 0.5)]
        note = f"no side lobes, gain falls to 1/2 at f = {half:.3f}"
    else:
        peak = freq[np.argmax(gain)]
        note = f"gain 0 at f = 0, largest ({gain.max():.2f}) at f = {peak:.3f}"
    centre = (taps - 1) / 2
    return {
        "data": [
            {
                "type": "scatter",
                "x": freq,
                "y": gain,
                "mode": "lines",
                "line": {"color": "#2563eb", "width": 3},
                "name": "|K̂(f)|",
            },
            {
                "type": "bar",
                "x": np.arange(taps) - centre,
                "y": kernel,
                "marker": {"color": "#f97316"},
                "xaxis": "x2",
                "yaxis": "y2",
                "name": "kernel taps",
            },
        ],
        "layout": {
            "title": {"text": f"{shape}, {taps} taps: {note}"},
            "showlegend": False,
            "xaxis": {
                "title": {"text": "frequency f (cycles per sample)"},
                "range": [0, 0.5],
                "domain": [0, 0.62],
            },
            "yaxis": {"title": {"text": "gain |K̂(f)|"}, "range": [0, 2.05]},
            "xaxis2": {
                "title": {"text": "tap (centred)"},
                "range": [-5.5, 5.5],
                "domain": [0.72, 1],
            },
            "yaxis2": {"title": {"text": "weight"}, "range": [-1.05, 1.05], "anchor": "x2"},
            "height": 400,
        },
    }


def kernel_response_explorable() -> Explorable:
    return Explorable(
        params=[
            Param("shape", "kernel", SHAPES, initial="box"),
            Param("taps", "width (taps)", TAPS, initial=5),
        ],
        build=_response_frame,
    )
