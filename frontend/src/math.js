// Typesets the math the server rendered as span.math.inline / div.math.block (escaped TeX).
import katex from "katex";
import { gettext } from "./i18n.js";

const TEXT = {
  scrollable: gettext("Equation, wider than the page: scroll sideways to read it"),
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
  markScrollable(root);
}

// A display equation wider than its column scrolls sideways. Say so: a shadow at the edge
// that hides more (app.css), keyboard focus so it can be scrolled without a mouse, a label.
export function markScrollable(root = document) {
  for (const el of root.querySelectorAll(".math.block")) {
    const wide = el.scrollWidth > el.clientWidth + 1;
    el.classList.toggle("is-scrollable", wide);
    if (wide) {
      el.tabIndex = 0;
      el.setAttribute("role", "group");
      el.setAttribute("aria-label", TEXT.scrollable);
    } else if (el.hasAttribute("aria-label")) {
      el.removeAttribute("tabindex");
      el.removeAttribute("role");
      el.removeAttribute("aria-label");
    }
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
