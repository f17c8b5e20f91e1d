// Site behaviour, progressive: without JavaScript every link stays listed and forms post as usual.
// Loaded in <head> without defer (a few hundred bytes) so html.js is set before the first paint
// and the phone menu does not flash open. No inline handlers: the CSP allows this site's files only.
document.documentElement.classList.add("js");

// A table that scrolls in its own box on a narrow screen (site.css) must be reachable from the
// keyboard to be scrolled (WCAG 2.1.1): it gets tabindex=0 while it overflows, and loses it after.
function markScrollables() {
  for (const box of document.querySelectorAll("main table, .scroll-x")) {
    const overflowing = box.scrollWidth > box.clientWidth + 1;
    if (overflowing && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.dataset.scrollFocus = "1";
    } else if (!overflowing && box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollFocus;
    }
  }
}

window.addEventListener("resize", markScrollables);
document.addEventListener("htmx:afterSettle", markScrollables);

// A part of a form that htmx replaces (the counter's intake when another procedure is chosen)
// keeps what was typed in the fields the new part has too — the applicant's name, number,
// phone, address, request — instead of coming back empty. Opt in with data-keep-typed on the
// swapped element. Values stay in the page: they go in no URL (the swap's GET is pushed to the
// history) and no log. Files cannot be carried over; a browser's file input is read only.
let keptTyped = null;

function typedIn(box) {
  const typed = new Map();
  for (const field of box.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (["hidden", "file", "submit", "button"].includes(field.type)) {
      continue;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      typed.set(`${field.name}=${field.value}`, field.checked);
    } else {
      typed.set(field.name, field.value);
    }
  }
  return typed;
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const box = event.detail.target;
  keptTyped = box && box.id && box.hasAttribute("data-keep-typed") ? { id: box.id, typed: typedIn(box) } : null;
});

document.addEventListener("htmx:afterSettle", () => {
  if (!keptTyped) {
    return;
  }
  const box = document.getElementById(keptTyped.id);
  const typed = keptTyped.typed;
  keptTyped = null;
  if (!box) {
    return;
  }
  for (const field of box.querySelectorAll("input[name], select[name], textarea[name]")) {
    const key = field.type === "checkbox" || field.type === "radio" ? `${field.name}=${field.value}` : field.name;
    if (!typed.has(key) || ["hidden", "file", "submit", "button"].includes(field.type)) {
      continue;
    }
    if (field.type === "checkbox" || field.type === "radio") {
      field.checked = typed.get(key);
    } else if (field.tagName !== "SELECT" || [...field.options].some((o) => o.value === typed.get(key))) {
      field.value = typed.get(key);
    }
  }
});

document.addEventListener("DOMContentLoaded", () => {
  markScrollables();
  // A page answered with errors opens on its error summary (GOV.UK): a screen reader reads it
  // and the next Tab reaches its first link, each of which leads to its field.
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) {
    summary.focus();
  }
  // A form answered with errors: its POST's history entry becomes a GET that shows the same
  // form and errors (core.form_recall), so Back to it does not ask to send the form again.
  // (A refusal page without the form, the rating's, names it on its message.)
  const recall = document.querySelector("[data-history-url]");
  if (recall && window.history.replaceState) {
    window.history.replaceState(window.history.state, "", recall.dataset.historyUrl);
  }
  markCurrent();
});

// The current page's link in the main navigation is marked for assistive technology.
function markCurrent() {
  for (const link of document.querySelectorAll(".site-nav a[href], .subnav a[href]")) {
    const path = new URL(link.href, window.location.href).pathname;
    if (path === window.location.pathname) {
      link.setAttribute("aria-current", "page");
    }
  }
}

// The phone menu's button, listened to on the document: Back to an entry htmx pushed replaces
// the whole body with the server's page (no history cache: base.html), and a listener on the
// old button would be gone with it.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest && event.target.closest(".nav-toggle");
  const nav = document.getElementById("site-nav");
  if (!toggle || !nav) {
    return;
  }
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  nav.classList.toggle("is-open", open);
});

// After such a Back the new body is marked as a loaded page is.
document.addEventListener("htmx:historyRestore", () => {
  markCurrent();
  markScrollables();
});
