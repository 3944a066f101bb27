// Lesson page: each figure placeholder gets its Plotly figure from the lesson data, and a
// signed-in learner's lesson counts as read on reaching its end (or by the button there).
import { api } from "./api.js";
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
  if (text) el.setAttribute("aria-label", text.replace(/<br>/g, " "));
  drawFigure(plot, figure).then(() => el.setAttribute("data-drawn", ""));
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
      const form = document.getElementById("lesson-read-form");
      if (form) form.remove();
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
