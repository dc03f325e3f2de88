// The editor's layout: the active segment stays in view below the sticky header, the header
// turns compact (one line) once the page is scrolled, translation boxes grow with their text.
(function () {
  "use strict";
  const head = () => document.querySelector(".editor-head");
  const MARGIN = 8;

  // The line below which the page is not covered by the sticky header.
  function headBottom() {
    const h = head();
    return h ? Math.max(0, h.getBoundingClientRect().bottom) : 0;
  }

  // Scroll as little as needed so that the whole segment is visible below the header (its top
  // wins when the segment is taller than the room there).
  function keepInView(seg) {
    if (!seg) return;
    const top = headBottom() + MARGIN, bottom = window.innerHeight - MARGIN;
    const rect = seg.getBoundingClientRect();
    if (rect.top < top || rect.height > bottom - top) window.scrollBy(0, rect.top - top);
    else if (rect.bottom > bottom) window.scrollBy(0, rect.bottom - bottom);
  }

  // The header's height as a CSS variable: the side panel and scroll margins sit below it.
  function publishHeight() {
    const h = head();
    if (h) document.documentElement.style.setProperty("--head-h", `${Math.ceil(h.getBoundingClientRect().height)}px`);
  }

  // Compact once scrolled past the full header, full again near the top. The space the full
  // header took stays reserved below the compact one (--head-reserve), so the toggle never changes
  // where the segments are nor the page's height. Without it the page moved up by the height the
  // header lost: with the version banner that is more than the threshold, so the page landed near
  // the top, the header turned full again, and the mouse wheel could not leave the top.
  function compact() {
    const editor = document.querySelector(".editor");
    const h = head();
    if (!editor || !h) return;
    const now = editor.classList.contains("compact");
    const want = now ? window.scrollY > 40 : window.scrollY > 160;
    if (want === now) return;
    const y = window.scrollY, before = h.getBoundingClientRect().height;
    editor.classList.toggle("compact", want);
    if (want) editor.style.setProperty("--head-reserve", `${Math.max(0, before - h.getBoundingClientRect().height)}px`);
    else editor.style.removeProperty("--head-reserve");
    // Chromium moves the page by the height the header lost as soon as it lays it out, before the
    // reserve is in place: the layout is as before again, so the view goes back where it was.
    if (window.scrollY !== y) window.scrollTo(window.scrollX, y);
    publishHeight();
    keepInView(document.querySelector(".seg.active"));
  }

  // Browsers without CSS field-sizing: size each translation box to its text by hand.
  const sizesItself = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function fit(area) {
    if (sizesItself || !area || !area.matches("textarea")) return;
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + 2}px`;
  }

  window.addEventListener("scroll", compact, { passive: true });
  window.addEventListener("resize", publishHeight);
  document.addEventListener("input", (event) => fit(event.target));
  document.addEventListener("htmx:afterSettle", (event) => {
    if (!sizesItself && event.detail.elt) event.detail.elt.querySelectorAll(".seg textarea").forEach(fit);
  });
  document.addEventListener("click", (event) => {
    const skip = event.target.closest && event.target.closest("a.skip-link");
    const first = skip && document.querySelector(".seg textarea");
    if (!first) return;
    event.preventDefault();
    first.focus({ preventScroll: true });
    keepInView(first.closest(".seg"));
  });
  document.addEventListener("DOMContentLoaded", () => {
    publishHeight();
    compact();
    if (!sizesItself) document.querySelectorAll(".seg textarea").forEach(fit);
  });

  window.workbenchLayout = { keepInView };
})();
