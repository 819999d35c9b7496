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

// htmx leaves the page as it is when a request fails; say so instead of doing nothing.
function showProblem(text) {
  const area = document.getElementById("messages");
  if (!area) {
    return;
  }
  const alert = document.createElement("div");
  alert.className = "alert alert-danger";
  alert.setAttribute("role", "alert");
  alert.textContent = text;
  area.replaceChildren(alert);
  alert.scrollIntoView({ block: "nearest" });
}

document.addEventListener("htmx:responseError", (event) => {
  showProblem(
    `That did not work (the server answered ${event.detail.xhr.status}). Nothing on this ` +
      "page was lost: reload it and try again.",
  );
});

document.addEventListener("htmx:sendError", () => {
  showProblem("Advisor could not be reached. Check your connection, then try again.");
});
