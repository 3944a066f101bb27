// Renders one result object (the schema shared by the CLI, the API and the pages).
import { formatWhen } from "./dates.js";
import { clear, h } from "./dom.js";
import { drawFigure } from "./plots.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this module shows (issue 20 translates them here).
export const TEXT = {
  reviewLesson: gettext("Review the lesson"),
  checksPassed: (passed, total) =>
    interpolate(ngettext(" · %(passed)s of %(total)s check passed", " · %(passed)s of %(total)s checks passed", total), { passed, total }),
  points: (n) => interpolate(ngettext(" · %(n)s pt", " · %(n)s pts", n), { n }),
  passedPrefix: gettext("Passed: "),
  failedPrefix: gettext("Failed: "),
  error: gettext("Error"),
  errorOnLine: (line) => interpolate(gettext(" on line %(line)s"), { line }),
  traceback: gettext("Traceback"),
  checks: gettext("Checks"),
  figures: gettext("Figures"),
  figureFailed: (message) => interpolate(gettext("This figure could not be drawn (%(message)s)."), { message }),
  output: gettext("Output"),
  stdout: gettext("Output (stdout)"),
  stderr: gettext("Errors (stderr)"),
  moreCharacters: (n) => interpolate(ngettext("… (%(n)s more character not shown)", "… (%(n)s more characters not shown)", n), { n }),
};

export const STATUS_LABELS = {
  queued: gettext("Waiting for a grader"),
  running: gettext("Grading"),
  passed: gettext("Passed"),
  failed: gettext("Some checks failed"),
  error: gettext("Your code raised an error"),
  timeout: gettext("Time limit exceeded"),
  memory: gettext("Memory limit exceeded"),
  rejected: gettext("Submission not accepted"),
};

// A verdict in a word, for the badges of the attempt history.
export const STATUS_BADGES = {
  queued: gettext("Queued"),
  running: gettext("Running"),
  passed: gettext("Passed"),
  failed: gettext("Failed"),
  error: gettext("Error"),
  timeout: gettext("Timeout"),
  memory: gettext("Memory"),
  rejected: gettext("Rejected"),
};

const REVIEW_RE = /\s*\(review: (\/learn\/[a-z0-9-]+\/[a-z0-9-]+\/)\)\s*$/;
const OUTPUT_LIMIT = 4000;

// Kept for callers of the old name: the one date format lives in dates.js.
export const when = formatWhen;

export function percent(score) {
  return `${Math.round((Number(score) || 0) * 100)}%`;
}

// A failed check's message ends with "(review: /learn/<module>/<lesson>/)": split it off.
export function splitReview(message) {
  const text = String(message || "");
  const match = text.match(REVIEW_RE);
  if (!match) return { text, review: null };
  return { text: text.slice(0, match.index), review: match[1] };
}

function trimmed(text) {
  if (text.length <= OUTPUT_LIMIT) return text;
  return `${text.slice(0, OUTPUT_LIMIT)}\n${TEXT.moreCharacters(text.length - OUTPUT_LIMIT)}`;
}

// "Review the lesson" only where a check ran and failed: under a syntax error, a timeout or
// a memory error the lesson is not what the learner needs (the error or the limit is).
function checkItem(check, lessonUrl, offerReview) {
  const { text, review } = splitReview(check.message);
  const link = offerReview && !check.passed ? review || lessonUrl : null;
  const points = Number(check.points) || 0;
  return h(
    "li",
    { class: `check ${check.passed ? "check-pass" : "check-fail"}` },
    h("span", { class: "check-icon", "aria-hidden": "true", text: check.passed ? "✓" : "✗" }),
    h(
      "div",
      { class: "check-body" },
      h(
        "p",
        { class: "check-name" },
        h("span", { class: "visually-hidden", text: check.passed ? TEXT.passedPrefix : TEXT.failedPrefix }),
        h("strong", { text: check.name }),
        points ? h("span", { class: "check-points", text: TEXT.points(points) }) : null,
      ),
      text ? h("p", { class: "check-message", text }) : null,
      link ? h("p", { class: "check-review" }, h("a", { href: link, text: TEXT.reviewLesson })) : null,
    ),
  );
}

// The declared mistake a failure matched: what it is and where, the fix, then its own hints
// one at a time on request. Every string goes in through textContent (h's `text`).
export function diagnosisBox(diagnosis) {
  if (!diagnosis || !diagnosis.message) return null;
  const hints = Array.isArray(diagnosis.hints) ? diagnosis.hints.map(String) : [];
  const list = h("ol", { class: "diagnosis-hints", "aria-live": "polite" });
  const button = hints.length
    ? h("button", { type: "button", class: "button secondary diagnosis-hint-button", text: gettext("Show a hint about this mistake") })
    : null;
  if (button) {
    button.addEventListener("click", () => {
      list.append(h("li", { text: hints[list.children.length] }));
      if (list.children.length >= hints.length) button.hidden = true;
      else button.textContent = gettext("Show the next hint about this mistake");
    });
  }
  return h(
    "div",
    { class: "diagnosis", role: "group", "aria-label": gettext("Diagnosis"), "data-mistake": String(diagnosis.id || "") },
    h("h4", { class: "diagnosis-title", text: gettext("What went wrong") }),
    h("p", { class: "diagnosis-message", text: String(diagnosis.message) }),
    diagnosis.fix ? h("p", { class: "diagnosis-fix" }, h("strong", { text: gettext("Fix: ") }), String(diagnosis.fix)) : null,
    list,
    button,
  );
}

function outputBlock(label, text, open) {
  if (!text) return null;
  return h(
    "details",
    { class: "output", open: open || null },
    h("summary", { text: label }),
    h("pre", { text: trimmed(text) }),
  );
}

/**
 * Fills `container` with the verdict, score, checks (failed first), error, figures and output.
 * options.lessonUrl: link for failed checks without their own review link;
 * options.onErrorLine(line): called when the error names a line of the learner's code.
 */
export function renderResult(container, result, options = {}) {
  clear(container);
  const status = result.status || "error";
  container.dataset.status = status;
  const checks = Array.isArray(result.checks) ? [...result.checks] : [];
  checks.sort((a, b) => Number(a.passed) - Number(b.passed));
  const passedCount = checks.filter((c) => c.passed).length;

  container.append(
    h(
      "div",
      { class: `verdict verdict-${status}` },
      h("h3", { class: "verdict-title", text: STATUS_LABELS[status] || status }),
      h(
        "p",
        { class: "verdict-score" },
        h("span", { class: "score", text: percent(result.score) }),
        checks.length ? TEXT.checksPassed(passedCount, checks.length) : "",
        result.duration_ms != null ? ` · ${Math.round(result.duration_ms)} ms` : "",
      ),
    ),
  );

  // A diagnosed mistake leads: it says what the failed checks below have in common.
  const diagnosis = diagnosisBox(result.diagnosis);
  if (diagnosis) container.append(diagnosis);

  const error = result.error;
  if (error && (error.message || error.type)) {
    const line = Number.isInteger(error.line) ? error.line : null;
    container.append(
      h(
        "div",
        { class: "error-box", role: "group", "aria-label": gettext("Error") },
        h("p", {}, h("strong", { text: error.type || TEXT.error }), line ? TEXT.errorOnLine(line) : "", error.message ? `: ${error.message}` : ""),
        error.traceback ? outputBlock(TEXT.traceback, error.traceback, false) : null,
      ),
    );
    if (line && options.onErrorLine) options.onErrorLine(line);
  }

  if (checks.length) {
    const offerReview = status === "failed";
    container.append(
      h("h4", { text: TEXT.checks }),
      h("ul", { class: "checks" }, checks.map((c) => checkItem(c, options.lessonUrl, offerReview))),
    );
  }

  const figures = Array.isArray(result.figures) ? result.figures : [];
  if (figures.length) {
    const grid = h("div", { class: "figures" });
    container.append(h("h4", { text: TEXT.figures }), grid);
    for (const figure of figures) {
      const plot = h("div", { class: "plot" });
      grid.append(h("figure", { class: "result-figure" }, plot));
      drawFigure(plot, figure).catch((err) => {
        plot.textContent = TEXT.figureFailed(err.message);
      });
    }
  }

  const out = outputBlock(TEXT.stdout, result.stdout || "", true);
  const err = outputBlock(TEXT.stderr, result.stderr || "", true);
  if (out || err) container.append(...[h("h4", { text: TEXT.output }), out, err].filter(Boolean));
}
