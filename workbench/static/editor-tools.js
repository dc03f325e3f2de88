// Editor tools: filter auto-submit, live word/character counts, shortcuts to find and concordance,
// local times in the history, and the side panel starting at its top for each segment.
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
    if (line) line.textContent = countLine(area.value);
  });
})();
