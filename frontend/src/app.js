// Every page: the navigation toggle on small screens, math typesetting, dates in local time.
import { localiseTimes } from "./dates.js";
import { typesetMath } from "./math.js";

function setUpNav() {
  const toggle = document.querySelector(".nav-toggle");
  const menu = document.getElementById("site-menu");
  if (!toggle || !menu) return;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", String(!open));
    menu.classList.toggle("open", !open);
  });
}

function setUpDismiss() {
  for (const button of document.querySelectorAll(".message .dismiss")) {
    button.addEventListener("click", () => button.closest(".message").remove());
  }
}

// A deadline form's local time: send the browser's UTC offset with it (minutes behind UTC).
function setUpTimeZoneOffsets() {
  for (const input of document.querySelectorAll("input[data-tz-offset]")) {
    input.value = String(new Date().getTimezoneOffset());
  }
}

// A form re-shown with its errors after a POST: the address becomes the page's own again,
// so reloading shows the page instead of posting the form a second time.
function forgetRejectedPost() {
  const marker = document.querySelector("[data-replace-url]");
  if (marker) window.history.replaceState(null, "", marker.dataset.replaceUrl);
}

// Forms whose action cannot be undone ask first (data-confirm holds the question).
function setUpConfirms() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
}

// "Copy" buttons: data-copy names the element whose text (or value) goes to the clipboard;
// the button's status element says it worked.
function setUpCopyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      if (!source) return;
      const text = "value" in source ? source.value : source.textContent.trim();
      const status = document.getElementById(button.dataset.copyStatus || "");
      try {
        await navigator.clipboard.writeText(text);
        if (status) status.textContent = button.dataset.copied || "Copied.";
      } catch {
        if (source.select) source.select();
        if (status) status.textContent = button.dataset.copyFailed || "Select the text and copy it.";
      }
    });
  }
}

forgetRejectedPost();
setUpNav();
setUpTimeZoneOffsets();
setUpDismiss();
setUpConfirms();
setUpCopyButtons();
typesetMath();
localiseTimes();
