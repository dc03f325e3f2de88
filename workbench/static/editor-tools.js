// Editor tools: check-box filters that apply at once, live word/character counts, shortcuts to find
// and concordance, and the side panel starting at its top for each segment (local times: workbench.js).
(function () {
  "use strict";
  const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;
  const countLine = (text) => `${(text.match(WORD) || []).length} words · ${text.length} chars`;

  document.addEventListener("change", (event) => {
    // Selects with data-autosubmit are submitted by workbench.js; check boxes here.
    const control = event.target.closest && event.target.closest("input[data-autosubmit]");
    if (control && control.form) control.form.requestSubmit();
  });

  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!area.matches || !area.matches(".seg textarea")) return;
    const line = area.closest(".seg").querySelector("[data-target-counts]");
    if (line) line.textContent = countLine(area.value.replace(/[\uE100-\uEAFF]/g, ""));  // codes are no characters
  });
})();

// A new segment's panel starts at its top (TM matches first), not where the last one was scrolled.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (target && target.id === "details") target.scrollTop = 0;
});

// Concordance (Ctrl+K): look the selected source words (or typed ones) up in the translation memory.
(function () {
  "use strict";
  function selectedText() {
    const active = document.activeElement;
    if (active && active.matches && active.matches("textarea, input") &&
        active.selectionEnd > active.selectionStart) {
      return active.value.slice(active.selectionStart, active.selectionEnd);
    }
    return String(window.getSelection() || "");
  }

  function openConcordance() {
    const dialog = document.getElementById("concordance");
    if (!dialog) return;
    const words = selectedText().trim();
    const input = dialog.querySelector("input[name=q]");
    if (words) input.value = words;
    if (!dialog.open) dialog.showModal();
    input.focus();
    input.select();
    if (input.value.trim()) dialog.querySelector("form.concordance-form").requestSubmit();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey && !event.altKey && (event.key === "k" || event.key === "K")) {
      event.preventDefault();
      openConcordance();
    }
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-concordance]")) openConcordance();
    const dialog = document.getElementById("concordance");
    if (dialog && dialog.open && event.target.closest("#concordance [data-take]")) dialog.close();
  });
})();
