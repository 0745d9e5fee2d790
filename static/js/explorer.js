// Progressive enhancement for the explorer's filter form: leave empty fields out of the
// URL (?year=2025 rather than ?q=&role=&polarity=&year=2025...). Without JavaScript the
// form works the same, with a longer URL.
(function () {
  "use strict";
  const form = document.querySelector("form.filters");
  if (!form) return;
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("input[name], select[name]")) {
      if (field.value === "") field.disabled = true;
    }
  });
})();
