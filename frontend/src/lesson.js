// Lesson page: each figure placeholder gets its Plotly figure from the lesson data, and a
// signed-in learner's lesson counts as read on reaching its end (or by the button there).
import { api } from "./api.js";
import { mountExplorable } from "./explorable.js";
import { drawFigure, plotly, readJson } from "./plots.js";
import { mountQuestions } from "./questions.js";

const config = readJson("lesson-config") || {};
mountQuestions();
// The editor is big: loaded only where the lesson has try-it cells.
if (document.querySelector(".try-cell")) {
  import("./tryit.js").then(({ mountTryCells }) => mountTryCells(config));
}

const figures = readJson("lesson-figures") || {};
for (const el of document.querySelectorAll("figure.lesson-figure[data-figure]")) {
  const figure = figures[el.dataset.figure];
  if (!figure) continue;
  const plot = document.createElement("div");
  plot.className = "plot";
  el.append(plot);
  const title = figure.layout && figure.layout.title;
  const text = typeof title === "string" ? title : title && title.text;
  if (text) el.setAttribute("aria-label", text.replace(/<br>/g, " "));
  drawFigure(plot, figure)
    .then(async () => {
      if (figure.explorable) mountExplorable(el, plot, figure, await plotly());
    })
    .then(() => el.setAttribute("data-drawn", ""));
}

// Reaching the end means scrolling to it: a lesson is never counted read just by opening.
const end = document.getElementById("lesson-end");
const readUrl = end && end.dataset.readUrl;
if (readUrl && "IntersectionObserver" in window) {
  let sent = false;
  const markRead = async () => {
    if (sent) return;
    sent = true;
    try {
      await api(readUrl, { method: "POST" });
      // The button stays: it still leads on to the next step (marking read again is harmless),
      // and a reader scrolling down to press it must not see it vanish under the pointer.
      document.getElementById("lesson-read-state").hidden = false;
      end.dataset.read = "";
    } catch {
      sent = false; // the button still works; try again next time the end shows
    }
  };
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting) && window.scrollY > 0) {
      observer.disconnect();
      markRead();
    }
  });
  // Start watching after the first scroll, so a lesson whose end fits on screen at arrival
  // waits for the reader to move (or to press the button).
  window.addEventListener("scroll", () => observer.observe(end), { once: true, passive: true });
}
