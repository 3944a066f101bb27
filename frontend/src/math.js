// Typesets the math the server rendered as span.math.inline / div.math.block (escaped TeX).
import katex from "katex";
import { gettext } from "./i18n.js";

const TEXT = {
  scrollable: gettext("Equation, wider than the page: scroll sideways to read it"),
  scrollableTable: gettext("Table, wider than the page: scroll sideways to read it"),
  scrollableInline: gettext("Formula, wider than the line: scroll sideways to read it"),
};

export function typesetMath(root = document) {
  for (const el of root.querySelectorAll(".math.inline, .math.block")) {
    if (el.dataset.typeset) continue;
    const tex = el.textContent;
    katex.render(tex, el, {
      displayMode: el.classList.contains("block"),
      throwOnError: false,
    });
    el.dataset.typeset = "1";
  }
  wrapTables(root);
  markScrollable(root);
}

// A table in a lesson or prompt (often full of math) can be wider than a phone: it scrolls
// inside a box of its own instead of pushing the page sideways.
function wrapTables(root) {
  for (const table of root.querySelectorAll(".prose table")) {
    if (table.parentElement.classList.contains("table-scroll")) continue;
    const box = document.createElement("div");
    box.className = "table-scroll";
    table.replaceWith(box);
    box.append(table);
  }
}

function markWide(el, wide, label) {
  el.classList.toggle("is-scrollable", wide);
  if (wide) {
    el.tabIndex = 0;
    el.setAttribute("role", "group");
    el.setAttribute("aria-label", label);
  } else if (el.hasAttribute("aria-label")) {
    el.removeAttribute("tabindex");
    el.removeAttribute("role");
    el.removeAttribute("aria-label");
  }
}

// A display equation wider than its column scrolls sideways. Say so: a shadow at the edge
// that hides more (app.css), keyboard focus so it can be scrolled without a mouse, a label.
export function markScrollable(root = document) {
  for (const el of root.querySelectorAll(".math.block")) {
    markWide(el, el.scrollWidth > el.clientWidth + 1, TEXT.scrollable);
  }
  for (const el of root.querySelectorAll(".table-scroll")) {
    markWide(el, el.scrollWidth > el.clientWidth + 1, TEXT.scrollableTable);
  }
  // Inline math breaks only at top-level relations and operators: a longer unbroken piece
  // runs past its paragraph. Such a formula becomes a box of the line's width that scrolls.
  const inline = [...root.querySelectorAll(".math.inline")];
  for (const el of inline) el.classList.remove("is-wide-inline");
  const wide = inline.filter((el) => {
    const block = el.closest("p, li, td, th, dd, blockquote, figcaption") || el.parentElement;
    const edge = block.getBoundingClientRect();
    return [...el.querySelectorAll(".base")].some((base) => {
      const box = base.getBoundingClientRect();
      return box.right > edge.right + 1 || box.left < edge.left - 1;
    });
  });
  for (const el of inline) {
    const isWide = wide.includes(el);
    el.classList.toggle("is-wide-inline", isWide);
    markWide(el, isWide, TEXT.scrollableInline);
  }
}

// Widths change once KaTeX's fonts arrive and whenever the window does: look again then.
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => markScrollable(), 150);
});
window.addEventListener("load", () => markScrollable());
if (document.fonts) document.fonts.ready.then(() => markScrollable());

// Short author text with `code` and $math$ (hints), built with DOM calls only.
export function richText(text) {
  const fragment = document.createDocumentFragment();
  const pattern = /(`[^`]+`|\$[^$]+\$)/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) {
      fragment.append(document.createTextNode(text.slice(last, match.index)));
    }
    const token = match[0];
    if (token.startsWith("`")) {
      const code = document.createElement("code");
      code.textContent = token.slice(1, -1);
      fragment.append(code);
    } else {
      const span = document.createElement("span");
      katex.render(token.slice(1, -1), span, { throwOnError: false });
      fragment.append(span);
    }
    last = match.index + token.length;
  }
  if (last < text.length) fragment.append(document.createTextNode(text.slice(last)));
  return fragment;
}
