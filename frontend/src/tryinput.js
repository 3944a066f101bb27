// "Run on my own input" on the exercise page: the learner's code (from the main editor) and a
// call they write run in the sandbox without grading; the value, its shape and dtype and a
// figure of it come back. Nothing is recorded as an attempt.
import { makeEditor, runAndShow } from "./tryit.js";
import { gettext } from "./i18n.js";

const TEXT = {
  editorLabel: gettext("Your input: Python ending with a call of your function"),
  placeholder: (signature) => `# ${gettext("Call your function on inputs you choose; the last line's value is shown.")}\n# ${signature}\n`,
};

const section = document.getElementById("try-input");
if (section) {
  const host = document.getElementById("try-input-editor");
  const button = document.getElementById("try-input-run");
  const status = document.getElementById("try-input-status");
  const result = document.getElementById("try-input-result");
  const initial = section.dataset.initial || TEXT.placeholder(section.dataset.signature || "");
  const editor = makeEditor(host, initial, {
    label: TEXT.editorLabel,
    describedBy: "try-input-help",
    onRun: () => button.click(),
  });
  window.dlmathInputEditor = editor.view;
  const mainEditor = () => window.dlmathEditor;

  // An error in the learner's code is shown in the main editor; one in the input, here.
  const showLine = (line, where) => {
    editor.highlight(where === "input" ? line : null);
  };

  button.addEventListener("click", () => {
    const main = mainEditor();
    runAndShow({
      url: section.dataset.runsUrl,
      body: { code: main ? main.state.doc.toString() : "", input: editor.code() },
      button,
      status,
      result,
      onErrorLine: showLine,
    });
  });
}
