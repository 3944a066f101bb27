// Typesets the math the server rendered as span.math.inline / div.math.block (escaped TeX).
import katex from "katex";

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
}

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
