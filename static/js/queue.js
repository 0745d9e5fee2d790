// The curation queue, enhanced. Without this file every citation is a plain form (its
// role and polarity, saved in one submission) and the page comes back focused on the next
// item. With it:
// - a citation is saved without reloading the page: the form is posted with fetch (the
//   server answers JSON), the citation leaves the list and focus moves to the next one;
//   if anything goes wrong on the way, the form is posted the ordinary way instead;
// - keys: j/k move between citations; a label key (data-key) chooses that label, and once
//   a role and a polarity are chosen the citation is saved; a and t press the matching
//   control of the current citation.
(function () {
  "use strict";
  const list = document.querySelector("ol.queue");
  if (!list || !list.querySelector(".queue-item")) return;
  const status = document.getElementById("queue-message");
  const remaining = document.querySelector("[data-remaining]");

  function items() {
    return Array.from(list.querySelectorAll(".queue-item"));
  }

  function current() {
    return items().find((item) => item.contains(document.activeElement)) || null;
  }

  function focusItem(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function countDown() {
    if (!remaining) return;
    const left = Math.max(0, Number(remaining.dataset.remaining) - 1);
    remaining.dataset.remaining = String(left);
    remaining.textContent = `${left} citation${left === 1 ? "" : "s"}`;
  }

  // After a classification without this script the page comes back at #citation-N with
  // that item autofocused; keep it that way if the browser ignored autofocus.
  const target = location.hash && document.getElementById(location.hash.slice(1));
  if (target && target.classList.contains("queue-item")) target.focus();

  // One save at a time per citation: keys typed while it is on its way are dropped rather
  // than landing on a form that is about to leave the page.
  const saving = new WeakSet();

  function done(item) {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    countDown();
    if (next && next.classList.contains("queue-item")) {
      focusItem(next);
    } else {
      // This page's citations are all done: fetch the next ones the ordinary way.
      location.assign(location.pathname + location.search);
    }
  }

  list.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.classList.contains("classify") || form.dataset.plain) return;
    event.preventDefault();
    const item = form.closest(".queue-item");
    if (saving.has(item)) return;
    saving.add(item);
    const data = new FormData(form, event.submitter || null);
    let answer = null;
    let response = null;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if ((response.headers.get("Content-Type") || "").includes("application/json")) {
        answer = await response.json();
      }
    } catch (error) {
      answer = null;
    }
    saving.delete(item);
    if (!answer) {
      // Signed out, offline, a proxy's page: the ordinary post knows what to do.
      form.dataset.plain = "1";
      form.requestSubmit(event.submitter || null);
      return;
    }
    if (!response.ok) {
      say(answer.error, true);
      return;
    }
    say(answer.message, false);
    if (answer.done) done(item);
  });

  function chosen(form, name) {
    return form.querySelector(`input[name="${name}"]:checked`);
  }

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    const typing = ["select", "textarea"].includes(tag) ||
      (tag === "input" && !["checkbox", "radio"].includes(event.target.type));
    if (typing) return;
    const item = current();
    const all = items();
    const index = item ? all.indexOf(item) : -1;
    if (event.key === "j") { focusItem(all[Math.min(all.length - 1, index + 1)]); event.preventDefault(); return; }
    if (event.key === "k") { focusItem(all[Math.max(0, index - 1)]); event.preventDefault(); return; }
    if (!item || saving.has(item)) return;
    const control = item.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
    if (!control) return;
    event.preventDefault();
    if (control.type === "radio") {
      control.checked = true;
      const form = control.form;
      if (chosen(form, "role") && chosen(form, "polarity")) form.requestSubmit(form.querySelector("button.save"));
      return;
    }
    control.click();
  });
})();
