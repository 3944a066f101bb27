// Review page: the exercise again from its starter code; each attempt is graded with new
// inputs, then the page says how the review was rated and when it comes back.
import { python } from "@codemirror/lang-python";
import { EditorState, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { api, ApiError, PENDING, pollSubmission } from "./api.js";
import { formatWhen } from "./dates.js";
import { clear, h } from "./dom.js";
import { readJson } from "./plots.js";
import { percent, renderResult, STATUS_LABELS } from "./result.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this page's script shows (translated here).
const TEXT = {
  editorLabel: gettext("Your Python code for this review"),
  submitting: gettext("Sending your code…"),
  grading: gettext("Grading with new inputs…"),
  graded: (label, score) => interpolate(gettext("Graded: %(label)s, score %(score)s."), { label, score }),
  rated: {
    again: gettext("Rated Again: it comes back soon."),
    hard: gettext("Rated Hard: passed after a failed try."),
    good: gettext("Rated Good: passed on the first try."),
    easy: gettext("Rated Easy: passed on the first try, quickly."),
  },
  nextReview: (when) => interpolate(gettext("Next review: %(when)s."), { when }),
  backToQueue: gettext("Back to your reviews"),
  tryAgain: (failed, max) =>
    interpolate(
      ngettext(
        "Not yet: %(failed)s of %(max)s try failed. Fix your code and submit again, or end the review.",
        "Not yet: %(failed)s of %(max)s tries failed. Fix your code and submit again, or end the review.",
        max,
      ),
      { failed, max },
    ),
  unavailable: gettext("Grading is unavailable right now, try again in a moment. Your code is still in the editor."),
  tooFast: gettext("You are submitting very quickly: wait a few seconds, then try again."),
  sessionEnded: gettext("Your session has ended: log in again to submit (copy your code first)."),
  notDue: (detail) => interpolate(gettext("This review can't take an attempt now: %(detail)s"), { detail }),
  failed: (message) => interpolate(gettext("Something went wrong while grading (%(message)s). Try again."), { message }),
  latestResult: gettext("Your review attempt"),
};

const config = readJson("review-config");
const submitButton = document.getElementById("submit-button");
const statusEl = document.getElementById("grading-status");
const resultEl = document.getElementById("result");
const resultHeading = document.getElementById("result-heading");
const stateEl = document.getElementById("review-state");

const view = new EditorView({
  parent: document.getElementById("editor"),
  state: EditorState.create({
    doc: config.starter,
    extensions: [
      basicSetup,
      python(),
      Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (submit(), true) }])),
      EditorView.contentAttributes.of({ "aria-label": TEXT.editorLabel, "aria-describedby": "editor-help", tabindex: "0" }),
      EditorView.theme({ "&": { fontSize: "14px" } }),
    ],
  }),
});

window.dlmathEditor = view;

let busy = false;

function setStatus(text, kind = "info") {
  statusEl.textContent = text;
  statusEl.dataset.kind = kind;
  statusEl.hidden = !text;
}

function explainFailure(error) {
  if (error instanceof ApiError && error.status === 503) return TEXT.unavailable;
  if (error instanceof ApiError && error.status === 429) return TEXT.tooFast;
  if (error instanceof ApiError && error.status === 403) return TEXT.sessionEnded;
  if (error instanceof ApiError && error.status === 409) return TEXT.notDue((error.body && error.body.detail) || "");
  return TEXT.failed(error.message);
}

// After a verdict: did it end the review (rated, due later) or does the review go on?
async function showOutcome() {
  const card = await api(config.reviewUrl);
  if (card.is_due) {
    stateEl.textContent = TEXT.tryAgain(card.failed_attempts, config.maxFailures);
    return;
  }
  const back = h("a", { href: config.queueUrl, class: "button", text: TEXT.backToQueue });
  clear(stateEl).append(
    h("strong", { text: TEXT.rated[card.last_rating] || "" }),
    " ",
    TEXT.nextReview(formatWhen(card.due_at)),
    " ",
    back,
  );
  stateEl.dataset.concluded = card.last_rating;
  submitButton.disabled = true;
  const forgot = document.getElementById("forgot-button");
  if (forgot) forgot.disabled = true;
}

async function submit() {
  if (busy || submitButton.disabled) return;
  busy = true;
  submitButton.disabled = true;
  setStatus(TEXT.submitting, "busy");
  try {
    let result = await api(config.submitUrl, { method: "POST", body: { code: view.state.doc.toString() } });
    if (PENDING.has(result.status)) {
      setStatus(TEXT.grading, "busy");
      result = await pollSubmission(result.id, { status: result.status });
    }
    setStatus(TEXT.graded(STATUS_LABELS[result.status] || result.status, percent(result.score)), result.status === "passed" ? "ok" : "warn");
    resultHeading.textContent = TEXT.latestResult;
    resultEl.hidden = false;
    renderResult(resultEl, result, {});
    submitButton.disabled = false;
    await showOutcome();
  } catch (error) {
    setStatus(explainFailure(error), "error");
    submitButton.disabled = false;
  } finally {
    busy = false;
  }
}

submitButton.addEventListener("click", submit);
