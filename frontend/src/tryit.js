// Runs without grading: try-it cells in lessons (and the scratchpad), "run on my own input"
// on exercise pages. An editor, a Run button, and what the run sent back: output, the error
// with its line, the value of an input (type, shape, dtype) and figures drawn on the server.
import { python } from "@codemirror/lang-python";
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { api, ApiError } from "./api.js";
import { clear, h } from "./dom.js";
import { drawFigure } from "./plots.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this module shows (issue 20 translates them here).
export const TEXT = {
  editorLabel: (n) => (n === "scratchpad" ? gettext("Your code") : interpolate(gettext("Code of try-it cell %(n)s"), { n })),
  run: gettext("Run"),
  reset: gettext("Reset"),
  running: gettext("Running…"),
  queued: gettext("Waiting for a sandbox…"),
  ran: (ms) => interpolate(gettext("Ran in %(ms)s ms."), { ms }),
  statuses: {
    ok: gettext("Ran"),
    error: gettext("Your code raised an error"),
    timeout: gettext("Time limit exceeded"),
    memory: gettext("Memory limit exceeded"),
    rejected: gettext("Not run"),
  },
  onLine: (line, where) =>
    interpolate(where === "input" ? gettext(" on line %(line)s of your input") : gettext(" on line %(line)s"), { line }),
  traceback: gettext("Traceback"),
  stdout: gettext("Output"),
  stderr: gettext("Errors (stderr)"),
  returned: gettext("Your value"),
  describe: (value) => {
    if (value.type === "ndarray") {
      const shape = `(${value.shape.join(", ")}${value.shape.length === 1 ? "," : ""})`;
      return interpolate(gettext("an array of shape %(shape)s, dtype %(dtype)s"), { shape, dtype: value.dtype });
    }
    if (value.shape) {
      const n = value.shape[0];
      return interpolate(ngettext("a %(type)s of %(n)s item", "a %(type)s of %(n)s items", n), { type: value.type, n });
    }
    return interpolate(gettext("a %(type)s"), { type: value.type });
  },
  item: (index, text) => interpolate(gettext("item %(index)s: %(text)s"), { index, text }),
  signIn: gettext("Log in to run code."),
  logIn: gettext("Log in"),
  tooFast: gettext("You are running code very quickly: wait a few seconds, then try again."),
  unavailable: gettext("Running code is unavailable right now; try again in a moment."),
  sessionEnded: gettext("Your session has ended: log in again to run code."),
  failed: (message) => interpolate(gettext("The run failed (%(message)s). Try again."), { message }),
  slow: gettext("The run is taking longer than expected."),
  nothing: gettext("It ran, and printed and drew nothing."),
  noValue: gettext(
    "Your input ends with a statement, so there is no value to show: end it with an expression, such as a call of your function.",
  ),
};

const PENDING = new Set(["queued", "running"]);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function pollRun(run, onTick, timeoutMs = 120000) {
  const started = Date.now();
  let current = run;
  let delay = 200;
  while (PENDING.has(current.status)) {
    if (onTick) onTick(current);
    if (Date.now() - started > timeoutMs) throw new Error(TEXT.slow);
    await sleep(delay);
    delay = Math.min(delay * 1.5, 1500);
    current = await api(`/api/v1/runs/${encodeURIComponent(current.id)}/`);
  }
  return current;
}

export function explainFailure(error) {
  if (error instanceof ApiError && error.status === 429) return TEXT.tooFast;
  if (error instanceof ApiError && error.status === 503) return TEXT.unavailable;
  if (error instanceof ApiError && (error.status === 403 || error.status === 401)) return TEXT.sessionEnded;
  return TEXT.failed(error.message);
}

// --- an editor with a highlighted error line -------------------------------------------------
const setErrorLine = StateEffect.define();
const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = tr.docChanged ? Decoration.none : decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      if (effect.value === null) next = Decoration.none;
      else next = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(tr.state.doc.line(effect.value).from)]);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function makeEditor(parent, doc, { label, describedBy, onRun }) {
  const attributes = { "aria-label": label, tabindex: "0" };
  if (describedBy) attributes["aria-describedby"] = describedBy;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        python(),
        errorLineField,
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (onRun(), true) }])),
        EditorView.contentAttributes.of(attributes),
        EditorView.theme({ "&": { fontSize: "14px" } }),
      ],
    }),
  });
  return {
    view,
    code: () => view.state.doc.toString(),
    setCode: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    highlight(line) {
      if (!line || line < 1 || line > view.state.doc.lines) return view.dispatch({ effects: setErrorLine.of(null) });
      return view.dispatch({ effects: setErrorLine.of(line) });
    },
  };
}

// --- what a run returned ------------------------------------------------------------------
function outputBlock(label, text, open = true) {
  if (!text) return null;
  return h("details", { class: "output", open: open || null }, h("summary", { text: label }), h("pre", { text }));
}

function valueBlock(value) {
  if (!value) return null;
  const items = Array.isArray(value.items) ? value.items : [];
  return h(
    "div",
    { class: "run-value" },
    h("p", {}, h("strong", { text: `${TEXT.returned}: ` }), h("span", { class: "run-value-kind", text: TEXT.describe(value) })),
    items.length ? h("ul", { class: "run-value-items" }, items.map((item) => h("li", { text: TEXT.item(item.index, TEXT.describe(item)) }))) : null,
    h("pre", { class: "run-value-text", text: value.text }),
  );
}

// Fills `container` with a finished run; `onErrorLine(line, where)` is told where it failed.
export function renderRun(container, run, { onErrorLine } = {}) {
  clear(container);
  container.hidden = false;
  container.dataset.status = run.status;
  if (run.status !== "ok") {
    container.append(h("p", { class: `run-verdict run-${run.status}` }, h("strong", { text: TEXT.statuses[run.status] || run.status })));
  }
  const error = run.error;
  if (error && (error.message || error.type)) {
    const line = Number.isInteger(error.line) ? error.line : null;
    container.append(
      h(
        "div",
        { class: "error-box", role: "group", "aria-label": TEXT.statuses.error },
        h("p", {}, h("strong", { text: error.type }), line ? TEXT.onLine(line, error.where) : "", error.message ? `: ${error.message}` : ""),
        error.traceback ? outputBlock(TEXT.traceback, error.traceback, false) : null,
      ),
    );
    if (onErrorLine) onErrorLine(line, error.where);
  } else if (onErrorLine) {
    onErrorLine(null, null);
  }
  const value = valueBlock(run.value);
  if (value) container.append(value);
  for (const block of [outputBlock(TEXT.stdout, run.stdout), outputBlock(TEXT.stderr, run.stderr)]) {
    if (block) container.append(block);
  }
  for (const note of run.notes || []) container.append(h("p", { class: "muted small run-note", text: note }));
  const figures = Array.isArray(run.figures) ? run.figures : [];
  if (run.status === "ok" && !run.value && !run.stdout && !run.stderr && !figures.length) {
    container.append(h("p", { class: "muted run-note", text: run.kind === "input" ? TEXT.noValue : TEXT.nothing }));
  }
  if (figures.length) {
    const grid = h("div", { class: "figures run-figures" });
    container.append(grid);
    for (const figure of figures) {
      const plot = h("div", { class: "plot" });
      grid.append(h("figure", { class: "run-figure" }, plot));
      drawFigure(plot, figure)
        .then(() => plot.setAttribute("data-drawn", ""))
        .catch((err) => {
          plot.textContent = err.message;
        });
    }
  }
}

function statusLine(run) {
  if (run.status === "ok" && run.duration_ms != null) return TEXT.ran(Math.round(run.duration_ms));
  return TEXT.statuses[run.status] || run.status;
}

// Sends a run, follows it to the end and shows it. `status` is a live region for the state.
export async function runAndShow({ url, body, button, status, result, onErrorLine }) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  status.hidden = false;
  status.textContent = TEXT.running;
  try {
    const created = await api(url, { method: "POST", body });
    const run = await pollRun(created, (r) => {
      status.textContent = r.status === "queued" ? TEXT.queued : TEXT.running;
    });
    status.textContent = statusLine(run);
    renderRun(result, run, { onErrorLine });
    return run;
  } catch (error) {
    status.textContent = explainFailure(error);
    return null;
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

// --- try-it cells ---------------------------------------------------------------------------
function mountTryCell(cell, config) {
  const number = cell.dataset.cell;
  const source = cell.querySelector("pre code");
  const starter = source ? source.textContent.replace(/\n$/, "") : "";
  // The scratchpad keeps the learner's code in this browser (nowhere else).
  const storageKey = cell.dataset.storage;
  const stored = storageKey ? window.localStorage.getItem(storageKey) : null;
  const host = h("div", { class: "editor-cell" });
  const run = h("button", { type: "button", class: "button", text: TEXT.run, "data-run": "" });
  const reset = h("button", { type: "button", class: "button secondary", text: TEXT.reset });
  const status = h("p", { class: "run-status", role: "status", "aria-live": "polite", hidden: true });
  const result = h("div", { class: "run-result", hidden: true });
  const editor = makeEditor(host, stored || starter, { label: TEXT.editorLabel(number), onRun: () => run.click() });
  cell.querySelector("pre").replaceWith(host);
  const toolbar = h("div", { class: "toolbar" }, run, reset);
  cell.append(toolbar, status, result);
  if (!config.signedIn) {
    run.disabled = true;
    toolbar.append(h("span", { class: "muted small" }, `${TEXT.signIn} `, h("a", { href: config.loginUrl, text: TEXT.logIn })));
  }
  run.addEventListener("click", () => {
    if (storageKey) window.localStorage.setItem(storageKey, editor.code());
    return runAndShow({
      url: config.runsUrl,
      body: { code: editor.code() },
      button: run,
      status,
      result,
      onErrorLine: (line) => editor.highlight(line),
    });
  });
  reset.addEventListener("click", () => {
    editor.setCode(starter);
    editor.highlight(null);
  });
  cell.dataset.ready = "";
}

export function mountTryCells(config, root = document) {
  for (const cell of root.querySelectorAll(".try-cell[data-cell]")) mountTryCell(cell, config);
}
