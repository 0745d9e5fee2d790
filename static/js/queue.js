// Keyboard shortcuts for the curation queue. The page works without this: every label is
// a plain submit button. Here j/k move between citations and a key presses the matching
// button (data-key) of the current one.
(function () {
  "use strict";
  const items = Array.from(document.querySelectorAll(".queue-item"));
  if (!items.length) return;

  function current() {
    return items.find((item) => item.contains(document.activeElement)) || null;
  }

  function focusItem(index) {
    const item = items[Math.max(0, Math.min(items.length - 1, index))];
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  // After a classification the page reloads at #citation-N: keep the keyboard there.
  const target = location.hash && document.querySelector(location.hash);
  if (target && items.includes(target)) target.focus();

  // One key, one submission: keys typed while the page is being replaced are dropped
  // rather than landing on the citation that is on its way out.
  let submitting = false;
  document.addEventListener("submit", () => { submitting = true; });

  document.addEventListener("keydown", (event) => {
    if (submitting || event.altKey || event.ctrlKey || event.metaKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (["input", "select", "textarea"].includes(tag) && event.target.type !== "checkbox") return;
    const item = current();
    const index = item ? items.indexOf(item) : -1;
    if (event.key === "j") { focusItem(index + 1); event.preventDefault(); return; }
    if (event.key === "k") { focusItem(index - 1); event.preventDefault(); return; }
    if (!item) return;
    const control = item.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
    if (!control) return;
    event.preventDefault();
    if (control.type === "submit") submitting = true;
    control.click();
  });
})();
