// Instructor dashboard: the cohort heatmap, and past results in the learner drill-down.
import { api } from "./api.js";
import { clear, h } from "./dom.js";
import { drawFigure, readJson } from "./plots.js";
import { renderResult, when } from "./result.js";

// Usernames are learner-chosen: Plotly reads a few tags in labels, so keep them plain text.
const plain = (text) => String(text).replace(/[<>&]/g, (c) => ({ "<": "‹", ">": "›", "&": "＆" })[c]);

const heatmap = readJson("cohort-heatmap");
const heatmapEl = document.getElementById("heatmap");
if (heatmap && heatmapEl && heatmap.learners.length && heatmap.exercises.length) {
  const rows = heatmap.learners.map(plain);
  const columns = heatmap.exercises.map(plain);
  const height = Math.max(220, 150 + 30 * rows.length);
  drawFigure(
    heatmapEl,
    {
      data: [
        {
          type: "heatmap",
          z: heatmap.scores,
          x: columns,
          y: rows,
          zmin: 0,
          zmax: 1,
          xgap: 2,
          ygap: 2,
          hoverongaps: false,
          colorscale: [
            [0, "#fde2e1"],
            [0.5, "#fcd34d"],
            [1, "#15803d"],
          ],
          colorbar: { title: { text: "best score" }, tickformat: ".0%" },
          hovertemplate: "%{y} · %{x}<br>best score %{z:.0%}<extra></extra>",
        },
      ],
      layout: {
        height,
        margin: { l: 20, r: 20, t: 10, b: 20 },
        xaxis: { tickangle: -45, automargin: true },
        yaxis: { autorange: "reversed", automargin: true },
        plot_bgcolor: "#f8fafc",
        paper_bgcolor: "white",
        font: { family: "system-ui, sans-serif", size: 12 },
      },
    },
  );
}

const viewer = document.getElementById("attempt-viewer");
if (viewer) {
  const body = document.getElementById("attempt-body");
  const heading = document.getElementById("attempt-heading");
  for (const button of document.querySelectorAll("[data-submission]")) {
    button.addEventListener("click", async () => {
      clear(body);
      viewer.hidden = false;
      heading.textContent = "Loading…";
      try {
        const result = await api(`/api/v1/submissions/${encodeURIComponent(button.dataset.submission)}/`);
        heading.textContent = `${result.exercise} · attempt of ${when(result.created_at)}`;
        const resultEl = h("div", { class: "result" });
        body.append(resultEl, h("h4", { text: "Submitted code" }), h("pre", { class: "code-view", text: result.code || "" }));
        renderResult(resultEl, result, {});
        heading.tabIndex = -1;
        heading.focus();
      } catch (error) {
        heading.textContent = `That attempt could not be loaded (${error.message}).`;
      }
    });
  }
}
