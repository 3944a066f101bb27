// Lesson page: fill each figure placeholder with its Plotly figure from the lesson data.
import { drawFigure, readJson } from "./plots.js";

const figures = readJson("lesson-figures") || {};
for (const el of document.querySelectorAll("figure.lesson-figure[data-figure]")) {
  const figure = figures[el.dataset.figure];
  if (!figure) continue;
  const plot = document.createElement("div");
  plot.className = "plot";
  el.append(plot);
  const title = figure.layout && figure.layout.title;
  const text = typeof title === "string" ? title : title && title.text;
  if (text) el.setAttribute("aria-label", text);
  drawFigure(plot, figure);
}
