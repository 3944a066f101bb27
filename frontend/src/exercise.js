// Exercise page: CodeMirror editor, submit and poll, verdict, hints, attempt history.
import { python } from "@codemirror/lang-python";
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { api, ApiError, PENDING, pollSubmission } from "./api.js";
import { formatWhen, timeElement } from "./dates.js";
import { clear, h } from "./dom.js";
import { richText } from "./math.js";
import { readJson } from "./plots.js";
import { percent, renderResult, STATUS_BADGES, STATUS_LABELS } from "./result.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this page's script shows (issue 20 translates them here).
const TEXT = {
  editorLabel: gettext("Your Python code"),
  submitting: gettext("Sending your code…"),
  queued: gettext("Waiting for a grader…"),
  running: gettext("Running the checks…"),
  elapsed: (seconds) => interpolate(gettext("%(seconds)s s"), { seconds }),
  graded: (label, score) => interpolate(gettext("Graded: %(label)s, score %(score)s."), { label, score }),
  unavailable: gettext("Grading is unavailable right now, try again in a moment. Your code is still in the editor."),
  tooFast: gettext("You are submitting very quickly: wait a few seconds, then try again."),
  sessionEnded: gettext("Your session has ended: log in again to submit. Your code is kept in this browser."),
  hintSessionEnded: gettext("The hint could not be loaded: your session has ended. Log in again to see it."),
  logIn: gettext("Log in"),
  tooLarge: (size, limit) =>
    interpolate(gettext("Your code is %(size)s bytes; the limit is %(limit)s bytes. Shorten it, then submit again."), { size, limit }),
  draftRestored: gettext("Your unsubmitted code from this browser is back in the editor."),
  useSubmitted: gettext("Use your last submission instead"),
  attempt: (number) => interpolate(gettext("attempt %(number)s"), { number }),
  refused: (reason) => interpolate(gettext("The submission was refused: %(reason)s"), { reason }),
  failed: (message) => interpolate(gettext("Something went wrong while grading (%(message)s). Try again."), { message }),
  latestResult: gettext("Your latest result"),
  lastResult: gettext("Your last result"),
  attemptOf: (when, number) =>
    number
      ? interpolate(gettext("Attempt %(number)s · %(when)s"), { number, when })
      : interpolate(gettext("Attempt of %(when)s"), { when }),
  loadingAttempt: gettext("Loading that attempt…"),
  attemptFailed: (message) => interpolate(gettext("That attempt could not be loaded (%(message)s)."), { message }),
  restore: gettext("Put this attempt's code in the editor"),
  confirmReset: gettext("Replace your code with the starter code?"),
  view: gettext("View"),
  showHint: gettext("Show a hint"),
  showNextHint: gettext("Show the next hint"),
  hintsShown: (shown, total) =>
    interpolate(ngettext("%(shown)s of %(total)s hint shown", "%(shown)s of %(total)s hints shown", total), { shown, total }),
  hintFailed: (message) => interpolate(gettext("The hint could not be loaded (%(message)s)."), { message }),
  standing: (best, attempts) =>
    interpolate(ngettext(" · best score %(best)s in %(attempts)s attempt", " · best score %(best)s in %(attempts)s attempts", attempts), { best, attempts }),
};

const config = readJson("exercise-config");
const editorHost = document.getElementById("editor");
const submitButton = document.getElementById("submit-button");
const statusEl = document.getElementById("grading-status");
const resultEl = document.getElementById("result");
const resultHeading = document.getElementById("result-heading");
const historyList = document.getElementById("history-list");
const historyEmpty = document.getElementById("history-empty");

// --- drafts: code typed but not submitted, kept in this browser (per user and exercise) -----
// A draft is restored only over the submission it was typed on top of (`base`): a newer
// submission made elsewhere wins.
function readDraft() {
  try {
    const draft = JSON.parse(window.localStorage.getItem(config.draftKey) || "null");
    return draft && typeof draft.code === "string" && draft.base === config.code ? draft : null;
  } catch {
    return null;
  }
}

const restoredDraft = readDraft();

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
    doc: restoredDraft ? restoredDraft.code : config.code,
    extensions: [
      basicSetup,
      python(),
      errorLineField,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) scheduleDraftSave();
      }),
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (submit(), true) }])),
      EditorView.contentAttributes.of({ "aria-label": TEXT.editorLabel, "aria-describedby": "editor-help", tabindex: "0" }),
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

// The code the server has (the last submission, or the starter): no draft is needed for it.
let submittedCode = config.code;
// True while the editor holds changes that neither a submission nor a draft has kept.
let unsaved = false;
let draftTimer = null;

function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = null;
  const text = code();
  try {
    if (text === submittedCode) window.localStorage.removeItem(config.draftKey);
    else {
      const draft = { code: text, base: submittedCode, savedAt: new Date().toISOString() };
      window.localStorage.setItem(config.draftKey, JSON.stringify(draft));
    }
    unsaved = false;
  } catch {
    unsaved = text !== submittedCode; // storage full or refused: leaving would lose it
  }
}

function scheduleDraftSave() {
  unsaved = code() !== submittedCode;
  clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraft, 400);
}

window.addEventListener("pagehide", () => {
  if (draftTimer) saveDraft();
});
window.addEventListener("beforeunload", (event) => {
  if (draftTimer) saveDraft();
  if (unsaved) {
    event.preventDefault();
    event.returnValue = "";
  }
});

if (restoredDraft) {
  const back = h("button", { type: "button", class: "link-button", text: TEXT.useSubmitted });
  const note = h("p", { class: "notice draft-note", id: "draft-note" }, TEXT.draftRestored, " ", back);
  back.addEventListener("click", () => {
    setCode(submittedCode);
    saveDraft();
    note.remove();
    view.focus();
  });
  editorHost.before(note);
}

// --- grading --------------------------------------------------------------------------------
let busy = false;
let ticker = null;

function stopTicker() {
  clearInterval(ticker);
  ticker = null;
}

function setStatus(text, kind = "info") {
  stopTicker();
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
  delete statusEl.dataset.state;
  statusEl.hidden = !text;
}

// The live state of a submission being graded: queued or running, and the seconds since it
// was sent. Only the state is announced; the ticking seconds are hidden from screen readers.
function showGrading(state, startedAt) {
  const label = { running: TEXT.running, sending: TEXT.submitting }[state] || TEXT.queued;
  if (statusEl.dataset.state !== state) {
    stopTicker();
    const elapsed = h("span", { class: "grading-elapsed", "aria-hidden": "true" });
    clear(statusEl).append(h("span", { class: "grading-state", text: label }), " ", elapsed);
    statusEl.dataset.kind = "busy";
    statusEl.dataset.state = state;
    statusEl.hidden = false;
    const tick = () => {
      elapsed.textContent = TEXT.elapsed(Math.max(0, Math.floor((Date.now() - startedAt) / 1000)));
    };
    tick();
    ticker = setInterval(tick, 1000);
  }
}

// The button stays focusable while grading (aria-disabled, not disabled): a disabled button
// drops keyboard focus to <body>. submit() ignores clicks while busy.
function setBusy(on) {
  busy = on;
  if (on) {
    submitButton.setAttribute("aria-disabled", "true");
    submitButton.setAttribute("aria-busy", "true");
  } else {
    submitButton.removeAttribute("aria-disabled");
    submitButton.removeAttribute("aria-busy");
  }
}

// The header's "best score N% in M attempts", from the learner's progress after a verdict.
async function refreshStanding() {
  const target = document.getElementById("exercise-standing");
  if (!target || !config.progressUrl) return;
  try {
    const progress = await api(config.progressUrl);
    for (const module of progress.modules) {
      const mine = module.exercises.find((e) => e.slug === config.slug);
      if (mine) {
        target.textContent = mine.attempts ? TEXT.standing(percent(mine.best_score), mine.attempts) : "";
        return;
      }
    }
  } catch {
    // The header keeps its last value; the verdict itself is already on the page.
  }
}

// Polls a submission to its verdict, showing its live state; `startedAt` is when it was sent.
async function followSubmission(submission, startedAt) {
  showGrading(submission.status, startedAt);
  let result = submission;
  if (PENDING.has(result.status)) {
    result = await pollSubmission(result.id, {
      onTick: (r) => showGrading(r.status, startedAt),
      status: result.status,
    });
  }
  setStatus(TEXT.graded(STATUS_LABELS[result.status] || result.status, percent(result.score)), result.status === "passed" ? "ok" : "warn");
  showResult(result, TEXT.latestResult);
  addToHistory(result);
  refreshStanding();
  return result;
}

function sessionEnded(error) {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

// A status that says the session ended, with a link to log in and come back here.
function showSessionEnded(text) {
  const next = window.location.pathname + window.location.search;
  const href = `${config.loginUrl}?next=${encodeURIComponent(next)}`;
  setStatus("");
  clear(statusEl).append(text, " ", h("a", { href, text: TEXT.logIn }));
  statusEl.dataset.kind = "error";
  statusEl.hidden = false;
}

function showFailure(error) {
  if (sessionEnded(error)) showSessionEnded(TEXT.sessionEnded);
  else setStatus(explainFailure(error), "error");
}

function explainFailure(error) {
  if (error instanceof ApiError && error.status === 503) return TEXT.unavailable;
  if (error instanceof ApiError && error.status === 429) return TEXT.tooFast;
  if (error instanceof ApiError && error.body && error.body.code) return TEXT.refused([].concat(error.body.code).join(" "));
  return TEXT.failed(error.message);
}

function showResult(result, heading) {
  resultHeading.textContent = heading;
  resultEl.hidden = false;
  renderResult(resultEl, result, { lessonUrl: config.lessonUrl, onErrorLine: highlightLine });
}

function historyItem(entry, number) {
  const button = h(
    "button",
    { type: "button", class: "link-button", "data-submission": entry.id, text: TEXT.view },
    h("span", { class: "visually-hidden", text: ` ${TEXT.attempt(number)}` }),
  );
  button.addEventListener("click", () => viewPast(entry.id));
  return h(
    "li",
    { class: `history-item status-${entry.status}`, "data-attempt-number": number },
    h("span", { class: "history-attempt muted small", text: `#${number}` }),
    h("span", { class: `badge badge-${entry.status}`, text: STATUS_BADGES[entry.status] || entry.status }),
    h("span", { class: "history-score", text: percent(entry.score) }),
    timeElement(entry.created_at),
    button,
  );
}

function addToHistory(entry) {
  historyEmpty.hidden = true;
  // A submission that was in flight when the page loaded is already listed: replace it,
  // keeping its number; a new one is numbered after the newest listed.
  const listed = historyList.querySelector(`[data-submission="${CSS.escape(String(entry.id))}"]`);
  if (listed) {
    const row = listed.closest("li");
    row.replaceWith(historyItem(entry, Number(row.dataset.attemptNumber) || 1));
  } else {
    const numbers = [...historyList.querySelectorAll("li[data-attempt-number]")].map((li) => Number(li.dataset.attemptNumber) || 0);
    historyList.prepend(historyItem(entry, Math.max(0, ...numbers) + 1));
  }
}

const encoder = new TextEncoder();
const formatBytes = (n) => n.toLocaleString("en-US");

async function submit() {
  if (busy) return;
  const sent = code();
  // Checked here too: a body over the server's request limit never reaches its own check.
  const size = encoder.encode(sent).length;
  if (size > config.maxCodeBytes) {
    setStatus(TEXT.tooLarge(formatBytes(size), formatBytes(config.maxCodeBytes)), "error");
    return;
  }
  setBusy(true);
  view.dispatch({ effects: setErrorLine.of(null) });
  // Without a separate worker the request itself lasts as long as the grading: count from now.
  const sentAt = Date.now();
  showGrading("sending", sentAt);
  try {
    const submission = await api(config.submitUrl, { method: "POST", body: { code: sent } });
    // The server has it: the draft is no longer needed (unless the code changed since).
    submittedCode = sent;
    saveDraft();
    await followSubmission(submission, sentAt);
  } catch (error) {
    showFailure(error);
  } finally {
    setBusy(false);
  }
}

// A submission still being graded when the page was (re)loaded: show its state, follow it.
async function resumePending(pending) {
  setBusy(true);
  try {
    await followSubmission(pending, Date.now() - pending.elapsed * 1000);
  } catch (error) {
    showFailure(error);
  } finally {
    setBusy(false);
  }
}

submitButton.addEventListener("click", submit);

document.getElementById("reset-button").addEventListener("click", () => {
  if (code() === config.starter || window.confirm(TEXT.confirmReset)) {
    setCode(config.starter);
    view.focus();
  }
});

// --- past results ---------------------------------------------------------------------------
async function viewPast(id) {
  setStatus(TEXT.loadingAttempt, "busy");
  try {
    const result = await api(`/api/v1/submissions/${encodeURIComponent(id)}/`);
    setStatus("");
    const listed = historyList.querySelector(`[data-submission="${CSS.escape(String(id))}"]`);
    const number = listed ? listed.closest("li").dataset.attemptNumber : "";
    showResult(result, TEXT.attemptOf(formatWhen(result.created_at), number));
    const restore = h("button", { type: "button", class: "button secondary", text: TEXT.restore });
    restore.addEventListener("click", () => {
      setCode(result.code);
      view.focus();
    });
    resultEl.prepend(h("p", { class: "restore" }, restore));
    resultEl.scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (error) {
    setStatus(TEXT.attemptFailed(error.message), "error");
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
    hintButton.textContent = hints.length ? TEXT.showNextHint : TEXT.showHint;
  }
  document.getElementById("hint-count").textContent = TEXT.hintsShown(hints.length, total);
}

if (hintList) {
  showHints(config.hints, config.hintsTotal);
  if (hintButton) {
    let loadingHint = false;
    hintButton.addEventListener("click", async () => {
      // aria-disabled, not disabled: the button keeps focus if the hint cannot be loaded.
      if (loadingHint) return;
      loadingHint = true;
      hintButton.setAttribute("aria-disabled", "true");
      try {
        const data = await api(config.hintsUrl, { method: "POST" });
        showHints(data.hints, data.total);
        const last = hintList.lastElementChild;
        if (last) {
          last.tabIndex = -1;
          last.focus();
        }
      } catch (error) {
        if (sessionEnded(error)) showSessionEnded(TEXT.hintSessionEnded);
        else setStatus(TEXT.hintFailed(error.message), "error");
      } finally {
        loadingHint = false;
        hintButton.removeAttribute("aria-disabled");
      }
    });
  }
}

// The last graded attempt, shown on arrival so the learner picks up where they left off;
// or the one still being graded, followed to its verdict.
if (config.pending) {
  resumePending(config.pending);
} else if (config.lastSubmissionId) {
  api(`/api/v1/submissions/${encodeURIComponent(config.lastSubmissionId)}/`)
    .then((result) => {
      if (!PENDING.has(result.status)) showResult(result, TEXT.lastResult);
    })
    .catch(() => {});
}
