import numpy as np
import plotly.graph_objects as go


def _js_gaussians(shift: float, sd: float) -> float:
    x = np.linspace(-8.0 * sd - 1.0, shift + 8.0 * sd + 1.0, 6001)
    dx = x[1] - x[0]
    p = np.exp(-0.5 * (x / sd) ** 2)
    q = np.exp(-0.5 * ((x - shift) / sd) ** 2)
    p, q = p / (p.sum() * dx), q / (q.sum() * dx)
    m = 0.5 * (p + q)

    def kl(a: np.ndarray) -> float:
        mask = a > 0
        return float(np.sum(a[mask] * np.log(a[mask] / m[mask])) * dx)

    return 0.5 * kl(p) + 0.5 * kl(q)


def _js_shift() -> go.Figure:
    shifts = np.linspace(0.0, 6.0, 61)
    fig = go.Figure()
    for sd, colour in [(1.0, "#2563eb"), (0.25, "#f97316")]:
        fig.add_scatter(
            x=shifts,
            y=[_js_gaussians(s, sd) for s in shifts],
            name=f"two Gaussians of standard deviation {sd}",
            line={"color": colour, "width": 3},
        )
    fig.add_hline(y=np.log(2), line={"color": "#6b7280", "dash": "dot"})
    fig.update_layout(
        title={"text": "JS(p_data ‖ p_g) as the means separate: it saturates at log 2 ≈ 0.693"},
        xaxis_title="distance between the means",
        yaxis_title="JS divergence (nats)",
        height=400,
    )
    return fig


def _saturation() -> go.Figure:
    d = np.logspace(-4, np.log10(0.999), 200)
    fig = go.Figure()
    fig.add_scatter(x=d, y=d, name="minimax: |dL/dℓ| = D", line={"color": "#6b7280", "width": 3})
    fig.add_scatter(
        x=d, y=1 - d, name="non-saturating: |dL/dℓ| = 1 − D", line={"color": "#f97316", "width": 3}
    )
    fig.add_vline(x=0.01, line={"color": "#2563eb", "dash": "dot"})
    fig.update_xaxes(type="log")
    fig.update_layout(
        title={"text": "size of the generator's gradient with respect to the logit"},
        xaxis_title="D(G(z)), the discriminator's belief that a fake is real (log scale)",
        yaxis_title="|dL/dℓ|",
        height=400,
    )
    return fig


def figures() -> dict[str, go.Figure]:
    return {"js-shift": _js_shift(), "saturation": _saturation()}
