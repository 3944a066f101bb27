import numpy as np
import plotly.graph_objects as go


def figures():
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
    return {"kernel-spectra": fig}
