// Concept checks on the lesson page: each is a form the server rendered with the learner's
// variant; answering sends it to the API and shows the message in place. Without this script
// the form posts to the page and the message comes back at the top.
import { api, ApiError } from "./api.js";
import { clear, h } from "./dom.js";
import { richText, typesetMath } from "./math.js";
import { gettext, ngettext, interpolate } from "./i18n.js";

// Every string this module shows (issue 20 translates them here).
const TEXT = {
  checking: gettext("Checking…"),
  triesLeft: (n) => interpolate(ngettext(" (%(n)s try left on these numbers)", " (%(n)s tries left on these numbers)", n), { n }),
  tooFast: gettext("You are answering very quickly: wait a few seconds, then try again."),
  sessionEnded: gettext("Your session has ended: log in again to answer."),
  failed: (message) => interpolate(gettext("Your answer could not be checked (%(message)s)."), { message }),
  yourAnswer: gettext("Your answer"),
};

function feedbackFor(form) {
  return form.querySelector("[data-feedback]");
}

function say(form, text, kind) {
  const el = feedbackFor(form);
  el.hidden = false;
  el.dataset.kind = kind;
  // Messages are the content's (they may hold $math$), or ours; never the learner's text.
  clear(el).append(richText(text));
}

function answerOf(form) {
  const data = new FormData(form);
  return String(data.get("answer") || "");
}

// A new variant (after the answer was revealed): the server's HTML for the prompt (rendered
// from trusted content at sync, never from anything a learner typed) and fresh inputs.
function showVariant(form, question) {
  const prompt = form.querySelector("[data-prompt]");
  prompt.innerHTML = question.prompt_html;
  typesetMath(prompt);
  const options = form.querySelector(".question-options");
  if (options && Array.isArray(question.options)) {
    for (const label of options.querySelectorAll(".question-option")) label.remove();
    for (const option of question.options) {
      const text = h("span", {});
      text.innerHTML = option.html;
      options.append(h("label", { class: "question-option" }, h("input", { type: "radio", name: "answer", value: option.index, required: true }), " ", text));
    }
    typesetMath(options);
  }
  const field = form.querySelector("input[type=text], textarea");
  if (field) field.value = "";
}

async function submit(form) {
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  say(form, TEXT.checking, "busy");
  try {
    const result = await api(form.dataset.answerUrl, { method: "POST", body: { answer: answerOf(form) } });
    const left = result.correct || result.revealed ? "" : TEXT.triesLeft(result.question.tries_left);
    say(form, result.message + left, result.correct ? "ok" : "warn");
    if (result.question.solved) form.querySelector("[data-solved]").hidden = false;
    if (result.revealed) {
      const feedback = feedbackFor(form);
      feedback.append(h("br"), richText(result.revealed));
      showVariant(form, result.question);
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 400 && error.body && error.body.answer) {
      say(form, [].concat(error.body.answer).join(" "), "error");
    } else if (error instanceof ApiError && error.status === 429) {
      say(form, TEXT.tooFast, "error");
    } else if (error instanceof ApiError && (error.status === 403 || error.status === 401)) {
      say(form, TEXT.sessionEnded, "error");
    } else {
      say(form, TEXT.failed(error.message), "error");
    }
  } finally {
    button.disabled = false;
  }
}

export function mountQuestions(root = document) {
  for (const form of root.querySelectorAll("form.concept-check[data-answer-url]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form);
    });
    form.dataset.ready = "";
  }
}


