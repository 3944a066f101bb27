// Read-only code: a learner's submission highlighted as Python, and the differences between
// two of their attempts (CodeMirror 6 and @codemirror/merge; nothing editable).
import { python } from "@codemirror/lang-python";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { Chunk, MergeView, unifiedMergeView } from "@codemirror/merge";
import { EditorState, Text } from "@codemirror/state";
import { EditorView, lineNumbers } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

// CodeMirror's default colours, darkened where they fell under 4.5:1 on the diff's red and
// green backgrounds (every colour here is 4.7:1 or better on all of them).
const highlight = HighlightStyle.define([
  { tag: t.meta, color: "#404740" },
  { tag: t.link, textDecoration: "underline" },
  { tag: t.emphasis, fontStyle: "italic" },
  { tag: t.strong, fontWeight: "bold" },
  { tag: t.keyword, color: "#708" },
  { tag: [t.atom, t.bool, t.url, t.contentSeparator, t.labelName], color: "#219" },
  { tag: [t.literal, t.inserted], color: "#164" },
  { tag: [t.string, t.deleted], color: "#a11" },
  { tag: [t.regexp, t.escape, t.special(t.string)], color: "#9a3412" },
  { tag: t.definition(t.variableName), color: "#00f" },
  { tag: t.local(t.variableName), color: "#30a" },
  { tag: [t.typeName, t.namespace], color: "#0b6150" },
  { tag: t.className, color: "#167" },
  { tag: [t.special(t.variableName), t.macroName], color: "#256" },
  { tag: t.definition(t.propertyName), color: "#00c" },
  { tag: t.comment, color: "#8a3c00" },
  { tag: t.invalid, color: "#b91c1c" },
]);

const theme = EditorView.theme({
  "&": { fontSize: "13.5px", backgroundColor: "#fff" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace", lineHeight: "1.5" },
  ".cm-gutters": { backgroundColor: "#f6f7f9", color: "#4b5563", borderRight: "1px solid #e3e6ec" },
});

function readOnly(label) {
  return [
    lineNumbers(),
    syntaxHighlighting(highlight),
    python(),
    EditorState.readOnly.of(true),
    EditorView.editable.of(false),
    EditorView.contentAttributes.of({ "aria-label": label }),
    theme,
  ];
}

// Content that is not editable is not focusable: let the keyboard reach the scroller,
// which scrolls sideways when a line is longer than the view.
function reachable(view, label) {
  view.scrollDOM.tabIndex = 0;
  view.scrollDOM.setAttribute("role", "region");
  view.scrollDOM.setAttribute("aria-label", label);
  return view;
}

export function codeView(parent, code, label) {
  const view = new EditorView({
    parent,
    state: EditorState.create({ doc: code, extensions: readOnly(label) }),
  });
  return reachable(view, label);
}

function lineCount(doc, from, to) {
  if (to <= from) return 0;
  return doc.lineAt(to).number - doc.lineAt(from).number + 1;
}

// How much changed from `before` to `after`: changed regions, lines removed and added.
export function diffStats(before, after) {
  const a = Text.of(before.split("\n"));
  const b = Text.of(after.split("\n"));
  const chunks = Chunk.build(a, b);
  let removed = 0;
  let added = 0;
  for (const chunk of chunks) {
    removed += lineCount(a, chunk.fromA, chunk.endA);
    added += lineCount(b, chunk.fromB, chunk.endB);
  }
  return { regions: chunks.length, removed, added };
}

const collapse = { margin: 3, minSize: 6 };

// `before` and `after` side by side, or `after` with the deleted lines shown inline.
// Returns a function that removes the view.
export function diffView(parent, { before, after, labels, sideBySide }) {
  if (sideBySide) {
    const view = new MergeView({
      parent,
      a: { doc: before, extensions: readOnly(labels.before) },
      b: { doc: after, extensions: readOnly(labels.after) },
      gutter: true,
      highlightChanges: true,
      collapseUnchanged: collapse,
    });
    reachable(view.a, labels.before);
    reachable(view.b, labels.after);
    return () => view.destroy();
  }
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: after,
      extensions: [
        ...readOnly(labels.after),
        unifiedMergeView({
          original: before,
          mergeControls: false,
          gutter: true,
          highlightChanges: true,
          syntaxHighlightDeletions: true,
          collapseUnchanged: collapse,
        }),
      ],
    }),
  });
  reachable(view, labels.after);
  return () => view.destroy();
}
