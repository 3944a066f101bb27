import { pageLayout } from "./explorable.js";

// Plotly is big: it is loaded on first use, in its own chunk.
let plotlyPromise = null;

export function plotly() {
  if (!plotlyPromise) {
    plotlyPromise = import("plotly.js-dist-min").then((mod) => mod.default || mod);
  }
  return plotlyPromise;
}

// No "Share chart" (an upload to Plotly's cloud, another site): off, its button removed, no server URL.
const CONFIG = {
  responsive: true,
  displaylogo: false,
  showSendToCloud: false,
  plotlyServerURL: "",
  modeBarButtonsToRemove: ["sendDataToCloud", "sendChartToCloud", "lasso2d", "select2d"],
};

// Plotly draws its toolbar (the mode bar) over the top of the figure, where titles go. The
// title is set below a band kept free for the toolbar, wrapped to the figure's width, and the
// top margin grows with its lines, so neither covers nor cuts it.
const TOOLBAR_BAND = 36;

function titleOf(layout) {
  const title = layout.title;
  if (!title) return null;
  return typeof title === "string" ? { text: title } : { ...title };
}

// Breaks a title into lines of at most `perLine` characters (Plotly wraps nothing itself).
export function wrapTitle(text, perLine) {
  const lines = [];
  for (const paragraph of String(text).split(/<br\s*\/?>/i)) {
    let line = "";
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > perLine) {
        lines.push(line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    lines.push(line);
  }
  return lines;
}

function fitTitle(layout, width, phone) {
  const title = titleOf(layout);
  if (!title || !title.text) return;
  const size = (title.font && title.font.size) || (phone ? 13 : 16);
  // An average glyph is about 0.55 of the font size wide; keep a little slack.
  const perLine = Math.max(12, Math.floor((width - 24) / (size * 0.58)));
  const lines = wrapTitle(title.text, perLine);
  const lineHeight = Math.ceil(size * 1.3);
  title.text = lines.join("<br>");
  title.font = { ...(title.font || {}), size };
  // Plotly centres a title's lines on its anchor point, so lines after the first would ride
  // up into the band: push it down by half of each.
  const pad = TOOLBAR_BAND + Math.ceil(((lines.length - 1) * lineHeight) / 2);
  Object.assign(title, { x: 0.5, xanchor: "center", xref: "paper", yref: "container", yanchor: "top", y: 1, pad: { t: pad } });
  layout.title = title;
  const needed = pad + lines.length * lineHeight + 12;
  layout.margin = { ...(layout.margin || {}) };
  layout.margin.t = Math.max(layout.margin.t || 0, needed);
}

const overlaps = (a, b) => !(a.right <= b.left || a.left >= b.right || a.bottom <= b.top || a.top >= b.bottom);

// A legend under the plot is placed at a fraction of the plot's height, an x axis's title at
// a distance in pixels: on many figures (and on every phone) the title lands on the legend.
// Measured once drawn: if they meet, the legend goes to the figure's bottom edge and the
// bottom margin grows to hold the tick labels, the title and the legend, one under another.
async function keepLegendClearOfAxisTitles(Plotly, el) {
  const legend = el.querySelector(".legend");
  const full = el._fullLayout;
  if (!legend || !full || !full._size) return;
  const box = legend.getBoundingClientRect();
  const titles = [...el.querySelectorAll(".xtitle, [class^=x][class$=title]")]
    .map((title) => title.getBoundingClientRect())
    .filter((rect) => rect.height > 0);
  if (!titles.some((rect) => overlaps(rect, box))) return;
  const plotBottom = el.getBoundingClientRect().top + full._size.t + full._size.h;
  const below = Math.max(...titles.map((rect) => rect.bottom)) - plotBottom;
  await Plotly.relayout(el, {
    "legend.yref": "container",
    "legend.y": 0,
    "legend.yanchor": "bottom",
    "margin.b": Math.ceil(below + box.height + 10),
  });
}

// Draws {data, layout} into el. Figures come from the grader or the content: plain data.
export async function drawFigure(el, figure, extraLayout = {}) {
  const Plotly = await plotly();
  const layout = Object.assign({ autosize: true }, pageLayout(figure), extraLayout);
  const width = el.clientWidth || 640;
  const phone = width < 520;
  // On a phone the authors' margins don't fit: shrink them, keep the plot.
  if (phone) layout.margin = { l: 56, r: 10, t: 40, b: 40, ...(extraLayout.margin || {}) };
  fitTitle(layout, width, phone);
  if (layout.height == null && layout.margin && layout.margin.t > 80) {
    layout.height = 340 + (layout.margin.t - 80);
  }
  await Plotly.newPlot(el, figure.data || [], layout, CONFIG);
  await keepLegendClearOfAxisTitles(Plotly, el);
  // An explorable's frames: one per grid point of its parameters (explorable.js picks them).
  if (Array.isArray(figure.frames) && figure.frames.length) await Plotly.addFrames(el, figure.frames);
  return el;
}

export function readJson(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : null;
}
