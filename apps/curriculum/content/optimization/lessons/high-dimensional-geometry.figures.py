import math

import numpy as np
import plotly.graph_objects as go


def figures() -> dict[str, go.Figure]:
    dims = np.arange(1, 31)
    log10_fraction = [
        (d / 2 * math.log(math.pi) - math.lgamma(d / 2 + 1) - d * math.log(2)) / math.log(10)
        for d in dims
    ]
    volume = go.Figure()
    volume.add_scatter(
        x=dims,
        y=np.power(10.0, log10_fraction),
        mode="lines+markers",
        name="ball / cube",
        line={"color": "#f97316"},
    )
    volume.update_yaxes(type="log", title="volume of unit ball / volume of [-1, 1]^d")
    volume.update_xaxes(title="dimension d")
    volume.update_layout(
        title={"text": "the inscribed ball fills a vanishing fraction of the cube"}, height=360
    )

    rng = np.random.default_rng(3)
    concentration = go.Figure()
    colours = {2: "#93c5fd", 20: "#2563eb", 200: "#1e3a8a"}
    for d, colour in colours.items():
        x = rng.random((1000, d))
        q = rng.random(d)
        dist = np.linalg.norm(x - q, axis=1)
        counts, edges = np.histogram(dist / dist.mean(), bins=40, range=(0, 2), density=True)
        concentration.add_scatter(
            x=(edges[:-1] + edges[1:]) / 2,
            y=counts,
            mode="lines",
            name=f"d = {d}",
            line={"color": colour, "width": 2, "shape": "hvh"},
        )
    concentration.update_layout(
        title={
            "text": "distances from a random query to 1000 random points, divided by their mean"
        },
        xaxis_title="distance / mean distance",
        yaxis_title="density",
        height=360,
    )
    return {"volume": volume, "concentration": concentration}
