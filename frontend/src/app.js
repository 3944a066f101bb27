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

setUpNav();
setUpDismiss();
typesetMath();
localiseTimes();
