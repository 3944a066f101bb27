// Exercise page: CodeMirror editor, submit and poll, verdict, hints, attempt history.
import { python } from "@codemirror/lang-python";
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { api, ApiError, PENDING, pollSubmission } from "./api.js";
import { clear, h } from "./dom.js";
import { richText } from "./math.js";
import { readJson } from "./plots.js";
import { percent, renderResult, STATUS_LABELS, when as formatWhen } from "./result.js";

const config = readJson("exercise-config");
const editorHost = document.getElementById("editor");
const submitButton = document.getElementById("submit-button");
const statusEl = document.getElementById("grading-status");
const resultEl = document.getElementById("result");
const resultHeading = document.getElementById("result-heading");
const historyList = document.getElementById("history-list");
const historyEmpty = document.getElementById("history-empty");

// --- the editor, with a highlighted line for the learner's error ---------------------------
const setErrorLine = StateEffect.define();
const errorLineField = StateField.define({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = tr.docChanged ? Decoration.none : decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      if (effect.value === null) next = Decoration.none;
      else {
        const line = tr.state.doc.line(effect.value);
        next = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(line.from)]);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

function highlightLine(number) {
  const doc = view.state.doc;
  if (!number || number < 1 || number > doc.lines) return;
  const line = doc.line(number);
  view.dispatch({
    effects: [setErrorLine.of(number), EditorView.scrollIntoView(line.from, { y: "center" })],
  });
}

const view = new EditorView({
  parent: editorHost,
  state: EditorState.create({
    doc: config.code,
    extensions: [
      basicSetup,
      python(),
      errorLineField,
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (submit(), true) }])),
      EditorView.contentAttributes.of({ "aria-label": "Your Python code", "aria-describedby": "editor-help" }),
      EditorView.theme({ "&": { fontSize: "14px" } }),
    ],
  }),
});
window.dlmathEditor = view;

function code() {
  return view.state.doc.toString();
}

function setCode(text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// --- grading --------------------------------------------------------------------------------
let busy = false;

function setStatus(text, kind = "info") {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
  statusEl.hidden = !text;
}

function showResult(result, heading) {
  resultHeading.textContent = heading;
  resultEl.hidden = false;
  renderResult(resultEl, result, { lessonUrl: config.lessonUrl, onErrorLine: highlightLine });
}

function historyItem(entry) {
  const button = h("button", { type: "button", class: "link-button", "data-submission": entry.id, text: "View" });
  button.addEventListener("click", () => viewPast(entry.id));
  return h(
    "li",
    { class: `history-item status-${entry.status}` },
    h("span", { class: `badge badge-${entry.status}`, text: entry.status.charAt(0).toUpperCase() + entry.status.slice(1) }),
    h("span", { class: "history-score", text: percent(entry.score) }),
    h("time", { datetime: entry.created_at, text: formatWhen(entry.created_at) }),
    button,
  );
}

function addToHistory(entry) {
  historyEmpty.hidden = true;
  historyList.prepend(historyItem(entry));
}

async function submit() {
  if (busy) return;
  busy = true;
  submitButton.disabled = true;
  submitButton.setAttribute("aria-busy", "true");
  view.dispatch({ effects: setErrorLine.of(null) });
  setStatus("Submitting your code…", "busy");
  try {
    let result = await api(config.submitUrl, { method: "POST", body: { code: code() } });
    if (PENDING.has(result.status)) {
      setStatus("Grading your code…", "busy");
      result = await pollSubmission(result.id, {
        onTick: (r) => setStatus(r.status === "running" ? "Running the checks…" : "Waiting for a grader…", "busy"),
      });
    }
    setStatus(`Graded: ${STATUS_LABELS[result.status] || result.status}, score ${percent(result.score)}.`, result.status === "passed" ? "ok" : "warn");
    showResult(result, "Your latest result");
    addToHistory(result);
  } catch (error) {
    if (error instanceof ApiError && error.status === 503) {
      setStatus("Grading is unavailable right now, try again in a moment. Your code is still in the editor.", "error");
    } else if (error instanceof ApiError && error.status === 429) {
      setStatus("You are submitting very quickly: wait a few seconds, then try again.", "error");
    } else if (error instanceof ApiError && error.status === 403) {
      setStatus("Your session has ended: log in again to submit (copy your code first).", "error");
    } else if (error instanceof ApiError && error.body && error.body.code) {
      setStatus(`The submission was refused: ${[].concat(error.body.code).join(" ")}`, "error");
    } else {
      setStatus(`Something went wrong while grading (${error.message}). Try again.`, "error");
    }
  } finally {
    busy = false;
    submitButton.disabled = false;
    submitButton.removeAttribute("aria-busy");
  }
}

submitButton.addEventListener("click", submit);

document.getElementById("reset-button").addEventListener("click", () => {
  if (code() === config.starter || window.confirm("Replace your code with the starter code?")) {
    setCode(config.starter);
    view.focus();
  }
});

// --- past results ---------------------------------------------------------------------------
async function viewPast(id) {
  setStatus("Loading that attempt…", "busy");
  try {
    const result = await api(`/api/v1/submissions/${encodeURIComponent(id)}/`);
    setStatus("");
    showResult(result, `Attempt of ${formatWhen(result.created_at)}`);
    const restore = h("button", { type: "button", class: "button secondary", text: "Put this attempt's code in the editor" });
    restore.addEventListener("click", () => {
      setCode(result.code);
      view.focus();
    });
    resultEl.prepend(h("p", { class: "restore" }, restore));
    resultEl.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (error) {
    setStatus(`That attempt could not be loaded (${error.message}).`, "error");
  }
}

for (const button of document.querySelectorAll("#history-list [data-submission]")) {
  button.addEventListener("click", () => viewPast(button.dataset.submission));
}

// --- hints ----------------------------------------------------------------------------------
const hintButton = document.getElementById("hint-button");
const hintList = document.getElementById("hint-list");

function showHints(hints, total) {
  clear(hintList);
  for (const hint of hints) hintList.append(h("li", {}, richText(hint)));
  if (hintButton) {
    hintButton.hidden = hints.length >= total;
    hintButton.textContent = hints.length ? "Show the next hint" : "Show a hint";
  }
  document.getElementById("hint-count").textContent = `${hints.length} of ${total} hints shown`;
}

if (hintList) {
  showHints(config.hints, config.hintsTotal);
  if (hintButton) {
    hintButton.addEventListener("click", async () => {
      hintButton.disabled = true;
      try {
        const data = await api(config.hintsUrl, { method: "POST" });
        showHints(data.hints, data.total);
        const last = hintList.lastElementChild;
        if (last) {
          last.tabIndex = -1;
          last.focus();
        }
      } catch (error) {
        setStatus(`The hint could not be loaded (${error.message}).`, "error");
      } finally {
        hintButton.disabled = false;
      }
    });
  }
}

// The last graded attempt, shown on arrival so the learner picks up where they left off.
if (config.lastSubmissionId) {
  api(`/api/v1/submissions/${encodeURIComponent(config.lastSubmissionId)}/`)
    .then((result) => {
      if (!PENDING.has(result.status)) showResult(result, "Your last result");
    })
    .catch(() => {});
}
