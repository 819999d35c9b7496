// After htmx swaps a wizard step in, tell assistive technology where it is: update the page
// title and move focus to the new question's heading. Without JavaScript none of this is
// needed, because every step is a full page load.
document.addEventListener("htmx:afterSettle", () => {
  const wizard = document.getElementById("wizard");
  if (!wizard) {
    return;
  }
  if (wizard.dataset.title) {
    document.title = wizard.dataset.title;
  }
  const heading = wizard.querySelector(".wizard-heading");
  if (heading) {
    heading.focus();
  }
});
