// The page's translations for scripts: base.html embeds the active language's djangojs
// catalog as JSON (<script type="application/json" id="js-catalog">: data, so the CSP allows
// it, and nothing loads from elsewhere). Without an entry the English msgid is shown.

let catalog = null;

function entries() {
  if (catalog === null) {
    const el = typeof document === "undefined" ? null : document.getElementById("js-catalog");
    try {
      catalog = el ? JSON.parse(el.textContent) : {};
    } catch {
      catalog = {};
    }
    if (!catalog.messages) catalog.messages = {};
  }
  return catalog;
}

export function gettext(msgid) {
  const value = entries().messages[msgid];
  if (typeof value === "string" && value) return value;
  if (Array.isArray(value) && value[0]) return value[0];
  return msgid;
}

// English has two plural forms; Chinese one (catalog.nplurals says which).
export function ngettext(singular, plural, n) {
  const { messages, nplurals } = entries();
  const value = messages[singular];
  const index = nplurals === 1 ? 0 : n === 1 ? 0 : 1;
  if (Array.isArray(value) && value[Math.min(index, value.length - 1)]) {
    return value[Math.min(index, value.length - 1)];
  }
  return n === 1 ? singular : plural;
}

// interpolate("%(n)s of %(total)s", {n: 1, total: 3}): named placeholders only.
export function interpolate(text, values) {
  return text.replace(/%\((\w+)\)s/g, (match, name) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match,
  );
}
