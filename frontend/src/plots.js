// Plotly is big: it is loaded on first use, in its own chunk.
let plotlyPromise = null;

function plotly() {
  if (!plotlyPromise) {
    plotlyPromise = import("plotly.js-dist-min").then((mod) => mod.default || mod);
  }
  return plotlyPromise;
}

const CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] };

// Draws {data, layout} into el. Figures come from the grader or the content: plain data.
export async function drawFigure(el, figure, extraLayout = {}) {
  const Plotly = await plotly();
  const layout = Object.assign({ autosize: true }, figure.layout || {}, extraLayout);
  await Plotly.newPlot(el, figure.data || [], layout, CONFIG);
  return el;
}

export function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}
