// One way to write a date on every page: "6 Dec 2026, 14:05", in the reader's time zone.
// The server writes the same format (the `when` template tag, in UTC) inside
// <time datetime=... data-when>; localiseTimes() rewrites those in local time.

function lang() {
  return document.documentElement.lang || undefined;
}

export function formatWhen(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = {};
  // Chinese writes the year first and no month names: 2026年12月6日 14:05.
  const chinese = (lang() || "").toLowerCase().startsWith("zh");
  const formatter = new Intl.DateTimeFormat(chinese ? "en-GB" : lang(), {
    day: "numeric",
    month: chinese ? "numeric" : "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  for (const part of formatter.formatToParts(date)) parts[part.type] = part.value;
  if (chinese) return `${parts.year}年${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`;
  return `${parts.day} ${parts.month} ${parts.year}, ${parts.hour}:${parts.minute}`;
}

// A <time> element in the shared format, for scripts that build history rows.
export function timeElement(iso) {
  const el = document.createElement("time");
  el.dateTime = iso;
  el.dataset.when = "";
  el.textContent = formatWhen(iso);
  return el;
}

export function localiseTimes(root = document) {
  for (const el of root.querySelectorAll("time[data-when][datetime]")) {
    const text = formatWhen(el.getAttribute("datetime"));
    if (text) el.textContent = text;
  }
}
