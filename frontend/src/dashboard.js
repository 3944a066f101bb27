// Instructor's learner drill-down: open one attempt (its result and highlighted code), then
// compare it with any other attempt of the same learner at the same exercise.
import { api } from "./api.js";
import { codeView, diffStats, diffView } from "./codeview.js";
import { clear, h } from "./dom.js";
import { renderResult, when } from "./result.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this module shows, in one place (issue 20 translates them).
const TEXT = {
  loading: gettext("Loading…"),
  attempt: (number, at) => (number ? interpolate(gettext("attempt %(number)s (%(at)s)"), { number, at }) : at),
  attemptHeading: (title, attempt) => `${title} · ${attempt}`,
  loadFailed: (message) => interpolate(gettext("That attempt could not be loaded (%(message)s)."), { message }),
  submittedCode: gettext("Submitted code"),
  codeLabel: (attempt) => interpolate(gettext("Code of %(attempt)s (read only)"), { attempt }),
  option: (at, verdict, score, relation) => `${at} · ${verdict} · ${score} (${relation})`,
  earlier: gettext("earlier"),
  later: gettext("later"),
  comparing: gettext("Comparing…"),
  identical: (before, after) =>
    interpolate(gettext("No differences: %(before)s and %(after)s have the same code."), { before, after }),
  summary: (before, after, stats) =>
    interpolate(gettext("From %(before)s to %(after)s: %(regions)s, %(removed)s, %(added)s."), {
      before,
      after,
      regions: interpolate(ngettext("%(n)s changed region", "%(n)s changed regions", stats.regions), { n: stats.regions }),
      removed: interpolate(ngettext("%(n)s line removed", "%(n)s lines removed", stats.removed), { n: stats.removed }),
      added: interpolate(ngettext("%(n)s line added", "%(n)s lines added", stats.added), { n: stats.added }),
    }),
  before: (at) => interpolate(gettext("Before: %(at)s"), { at }),
  after: (at) => interpolate(gettext("After: %(at)s"), { at }),
  beforeLabel: (attempt) => interpolate(gettext("Code of the earlier one, %(attempt)s (read only)"), { attempt }),
  afterLabel: (attempt) =>
    interpolate(gettext("Code of the later one, %(attempt)s, with the changes marked (read only)"), { attempt }),
  sideBySide: gettext("Side by side"),
  compareFailed: (message) => interpolate(gettext("The other attempt could not be loaded (%(message)s)."), { message }),
};

const viewer = document.getElementById("attempt-viewer");
const rows = [...document.querySelectorAll("tr[data-attempt]")];

// One fetch per attempt, however often it is viewed or compared.
const results = new Map();
function fetchResult(id) {
  if (!results.has(id)) {
    const pending = api(`/api/v1/submissions/${encodeURIComponent(id)}/`);
    pending.catch(() => results.delete(id));
    results.set(id, pending);
  }
  return results.get(id);
}

// What the attempts table says about an attempt (newest first, so a higher index is older).
function rowInfo(id) {
  const index = rows.findIndex((row) => row.dataset.attempt === String(id));
  const row = rows[index];
  const cells = row.querySelectorAll("td");
  return {
    id: String(id),
    index,
    exercise: row.dataset.exercise,
    title: cells[1].textContent.trim(),
    // "attempt 3 (6 Dec 2026, 07:30)": the number tells apart attempts of the same minute.
    at: TEXT.attempt(row.dataset.attemptNumber, (row.querySelector("time") || cells[0]).textContent.trim()),
    verdict: cells[2].textContent.trim(),
    score: cells[3].textContent.trim(),
  };
}

if (viewer) setUpViewer();

function setUpViewer() {
  const body = document.getElementById("attempt-body");
  const heading = document.getElementById("attempt-heading");
  const compare = setUpCompare();

  async function show(id) {
    const info = rowInfo(id);
    clear(body);
    compare.reset(info);
    viewer.hidden = false;
    heading.textContent = TEXT.loading;
    heading.focus();
    try {
      const result = await fetchResult(info.id);
      heading.textContent = TEXT.attemptHeading(info.title, info.at || when(result.created_at));
      const resultEl = h("div", { class: "result" });
      const codeEl = h("div", { class: "code-view" });
      body.append(resultEl, h("h3", { class: "h4", text: TEXT.submittedCode }), codeEl);
      renderResult(resultEl, result, {});
      codeView(codeEl, result.code || "", TEXT.codeLabel(info.at));
      compare.offer(info);
    } catch (error) {
      heading.textContent = TEXT.loadFailed(error.message);
    }
  }

  for (const button of document.querySelectorAll("[data-submission]")) {
    button.addEventListener("click", () => show(button.dataset.submission));
  }
}

function setUpCompare() {
  const panel = document.getElementById("attempt-compare");
  const select = document.getElementById("compare-with");
  const button = document.getElementById("compare-button");
  const none = document.getElementById("compare-none");
  const diff = document.getElementById("diff");
  const summary = document.getElementById("diff-summary");
  const labelA = document.getElementById("diff-label-a");
  const labelB = document.getElementById("diff-label-b");
  const host = document.getElementById("diff-view");
  const layout = document.querySelector(".learner-attempts");
  const toggle = h("button", {
    type: "button",
    class: "button secondary small",
    id: "diff-layout",
    "aria-pressed": "false",
    text: TEXT.sideBySide,
  });
  summary.after(toggle);

  let current = null;
  let destroy = null;
  let last = null;

  function dropDiff() {
    if (destroy) destroy();
    destroy = null;
    last = null;
    layout?.classList.remove("is-wide");
    diff.hidden = true;
    summary.textContent = "";
  }

  function reset(info) {
    current = info;
    dropDiff();
    panel.hidden = true;
    clear(select);
  }

  function offer(info) {
    const others = rows
      .map((row) => rowInfo(row.dataset.attempt))
      .filter((other) => other.exercise === info.exercise && other.id !== info.id);
    panel.hidden = false;
    none.hidden = others.length > 0;
    select.disabled = button.disabled = others.length === 0;
    for (const other of others) {
      const relation = other.index > info.index ? TEXT.earlier : TEXT.later;
      select.append(
        h("option", { value: other.id, text: TEXT.option(other.at, other.verdict, other.score, relation) }),
      );
    }
    // The attempt just before this one is the usual question ("what did they change?").
    const previous = others.find((other) => other.index > info.index);
    if (previous) select.value = previous.id;
  }

  async function render(otherId) {
    const other = rowInfo(otherId);
    const [older, newer] = other.index > current.index ? [other, current] : [current, other];
    summary.textContent = TEXT.comparing;
    diff.hidden = false;
    try {
      const [before, after] = await Promise.all([fetchResult(older.id), fetchResult(newer.id)]);
      if (destroy) destroy();
      clear(host);
      const sideBySide = toggle.getAttribute("aria-pressed") === "true";
      layout?.classList.toggle("is-wide", sideBySide);
      destroy = diffView(host, {
        before: before.code || "",
        after: after.code || "",
        sideBySide,
        labels: { before: TEXT.beforeLabel(older.at), after: TEXT.afterLabel(newer.at) },
      });
      const stats = diffStats(before.code || "", after.code || "");
      summary.textContent = stats.regions
        ? TEXT.summary(older.at, newer.at, stats)
        : TEXT.identical(older.at, newer.at);
      labelA.textContent = sideBySide ? TEXT.before(older.at) : "";
      labelB.textContent = sideBySide ? TEXT.after(newer.at) : "";
      last = otherId;
      host.scrollIntoView({ block: "nearest" });
    } catch (error) {
      summary.textContent = TEXT.compareFailed(error.message);
    }
  }

  button.addEventListener("click", () => {
    if (select.value) render(select.value);
  });
  toggle.addEventListener("click", () => {
    const pressed = toggle.getAttribute("aria-pressed") !== "true";
    toggle.setAttribute("aria-pressed", String(pressed));
    if (last) render(last);
  });

  return { reset, offer };
}
