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
  // On a phone the authors' titles and margins don't fit: shrink them, keep the plot.
  if (el.clientWidth && el.clientWidth < 520) {
    const title = typeof layout.title === "string" ? { text: layout.title } : { ...(layout.title || {}) };
    title.font = { ...(title.font || {}), size: 12 };
    layout.title = title;
    layout.margin = { l: 56, r: 10, t: 40, b: 40, ...(extraLayout.margin || {}) };
  }
  await Plotly.newPlot(el, figure.data || [], layout, CONFIG);
  return el;
}

export function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}
