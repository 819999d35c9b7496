// Progressive enhancement only: every page works without this file.

// After htmx swaps a wizard step in, tell assistive technology where it is: update the page
// title, then move focus to the first field with an error, or else to the question's heading.
document.addEventListener("htmx:afterSettle", () => {
  const wizard = document.getElementById("wizard");
  if (!wizard) {
    return;
  }
  if (wizard.dataset.title) {
    document.title = wizard.dataset.title;
  }
  const target = wizard.querySelector(".is-invalid") || wizard.querySelector(".wizard-heading");
  if (target) {
    target.focus();
  }
});

// The wizard's pages are never cached (a completed decision's steps lead to its result), but a
// browser may still restore one from its back-forward cache when Back is pressed after
// completing: ask the server again, which shows the result instead of the review.
window.addEventListener("pageshow", (event) => {
  if (event.persisted && document.getElementById("wizard")) {
    window.location.reload();
  }
});

// Messages belong to the page they were shown on: a new request clears them, as a page load
// would without JavaScript.
function showMessage(text) {
  const area = document.getElementById("messages");
  if (!area) {
    return;
  }
  area.replaceChildren();
  if (text) {
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    area.append(alert);
    alert.scrollIntoView({ block: "nearest" });
  }
}

document.addEventListener("htmx:beforeRequest", () => showMessage(""));

// htmx leaves the page as it is when a request fails; say so instead of doing nothing.
// A refusal sent as plain text (bad input, advisor/web/inputs.py) says itself what went wrong.
document.addEventListener("htmx:responseError", (event) => {
  const xhr = event.detail.xhr;
  const status = xhr.status;
  const plain = (xhr.getResponseHeader("Content-Type") || "").startsWith("text/plain");
  showMessage(
    plain && status < 500
      ? xhr.responseText
      : status >= 500
      ? `Advisor could not do that (server error ${status}). What you entered is still on ` +
          "the page: try again in a moment."
      : `That did not work (the server answered ${status}). Reload the page to see where ` +
          "things stand.",
  );
});

document.addEventListener("htmx:sendError", () => {
  showMessage(
    "Advisor could not be reached. What you entered is still on the page: check your " +
      "connection, then try again.",
  );
});

// Copy buttons beside share and invite links. They stay hidden without JavaScript, where the
// link sits in a read-only field to select and copy by hand.
function revealCopyButtons(root) {
  for (const button of root.querySelectorAll("[data-copy]")) {
    button.hidden = !navigator.clipboard;
  }
}

document.addEventListener("DOMContentLoaded", () => revealCopyButtons(document));

// An outerHTML swap replaces the element htmx reports, so look in the whole document.
document.addEventListener("htmx:afterSettle", () => {
  revealCopyButtons(document);
  const created = document.querySelector("[data-focus-after-swap]");
  if (created) {
    // Once only: a later swap elsewhere on the page must not pull focus back here.
    created.removeAttribute("data-focus-after-swap");
    created.focus();
    // Text is selected so that typing replaces it; a <select> has nothing to select.
    if (typeof created.select === "function") created.select();
  }
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  const field = document.getElementById(button.dataset.copy);
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  } catch {
    field.select();
    button.textContent = "Press Ctrl+C";
  }
});

// "Print or save as PDF" on a decision: hidden without JavaScript, where the card says to use
// the browser's own Print command instead.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("print-page");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
