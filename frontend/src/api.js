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

// Follows a submission until it is graded; onTick sees each intermediate result, `status` is
// the one the caller last saw (the submission as created or loaded). Each request
// asks the server to hold its answer until the status changes (?wait=, at most WAIT_SECONDS):
// the verdict shows as soon as it is stored, without polling. An answer that comes back at once
// with the status unchanged (a server busy with other waiting requests, or one that does not
// wait) is followed by a pause that grows as before, so nothing polls in a tight loop.
const WAIT_SECONDS = 10;

export async function pollSubmission(id, { onTick, timeoutMs = 120000, status = null } = {}) {
  const started = Date.now();
  let delay = 250;
  let seen = status;
  for (;;) {
    const asked = Date.now();
    const result = await api(`/api/v1/submissions/${encodeURIComponent(id)}/?wait=${WAIT_SECONDS}`);
    if (!PENDING.has(result.status)) return result;
    if (onTick) onTick(result);
    if (Date.now() - started > timeoutMs) {
      throw new Error(gettext("grading is taking longer than expected"));
    }
    const held = result.status !== seen || Date.now() - asked >= (WAIT_SECONDS * 1000) / 2;
    seen = result.status;
    if (!held) {
      await sleep(delay);
      delay = Math.min(delay * 1.5, 2000);
    }
  }
}
