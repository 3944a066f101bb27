// fetch() against /api/v1/ with the session cookie and the CSRF token from the page.
import { gettext } from "./i18n.js";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  if (meta && meta.content) return meta.content;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export async function api(url, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const options = { method, headers, credentials: "same-origin" };
  if (method !== "GET") {
    headers["X-CSRFToken"] = csrfToken();
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
  }
  const response = await fetch(url, options);
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const PENDING = new Set(["queued", "running"]);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls a submission until it is graded; onTick sees each intermediate result.
export async function pollSubmission(id, { onTick, timeoutMs = 120000 } = {}) {
  const started = Date.now();
  let delay = 250;
  for (;;) {
    const result = await api(`/api/v1/submissions/${encodeURIComponent(id)}/`);
    if (!PENDING.has(result.status)) return result;
    if (onTick) onTick(result);
    if (Date.now() - started > timeoutMs) {
      throw new Error(gettext("grading is taking longer than expected"));
    }
    await sleep(delay);
    delay = Math.min(delay * 1.5, 2000);
  }
}
