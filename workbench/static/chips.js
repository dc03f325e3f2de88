// Inline codes as chips (core/codes.py, core/chips.py). A segment whose source or translation has
// codes gets an editable box in place of its text box: each code is a chip ({1} … {/1}, {2/}) that
// is never half-deleted nor typed, moves whole (drag, cut and paste), and goes back into the hidden
// text box as its one private-use character, so the form (and the drafts, counts and htmx saves
// of workbench.js) see exactly the text the server stores. Segments without codes keep the plain
// text box. Ctrl+Alt+Shift+C inserts the next code of the source that the translation lacks.
(function () {
  "use strict";
  const CODES = /[\uE100-\uEAFF]/g;
  const HAS_CODE = /[\uE100-\uEAFF]/;
  const MIME = "application/x-workbench-codes";  // a copied stretch with its codes, between boxes
  const isShortcut = (e) => e.ctrlKey && e.altKey && e.shiftKey && !e.metaKey && e.code === "KeyC";
  let quiet = false;     // our own input event on the hidden text box: not to be drawn again
  let lastCopy = null;   // {plain, text}: a paste of the same plain text gets the codes back
  let dragged = null;    // the chip being dragged
  // The element an event is on (a drag can start on a chip's text node).
  const on = (event, selector) => {
    const node = event.target && event.target.nodeType === Node.TEXT_NODE ? event.target.parentElement : event.target;
    return node && node.closest ? node.closest(selector) : null;
  };

  // What a code character is when the page has no description of it (core/codes.parse).
  function parse(ch) {
    const point = ch.codePointAt(0);
    const [kind, n] = point > 0xE900 ? ["ph", point - 0xE900] : point > 0xE500 ? ["close", point - 0xE500]
      : ["open", point - 0xE100];
    return n >= 1 && n <= 0x3FF ? { kind, n } : null;
  }

  function infoOf(area, ch) {
    if (!area._chipMap) area._chipMap = JSON.parse(area.dataset.chips || "{}");
    const known = area._chipMap[ch];
    if (known) return known;
    const code = parse(ch);
    if (!code) return null;
    const label = code.kind === "open" ? `{${code.n}}` : code.kind === "close" ? `{/${code.n}}` : `{${code.n}/}`;
    const end = code.kind === "open" ? " start" : code.kind === "close" ? " end" : "";
    return { label, title: "not in the source", name: `code ${code.n} not in the source${end}`,
             colour: `chip-c${(code.n - 1) % 6}` };
  }

  function makeChip(area, ch) {
    const info = infoOf(area, ch);
    if (!info) return null;
    const chip = document.createElement("span");
    chip.className = `chip ${info.colour}`;
    chip.dataset.code = ch;
    chip.title = info.title;
    chip.textContent = info.label;
    chip.contentEditable = "false";
    chip.draggable = true;
    chip.setAttribute("role", "img");
    chip.setAttribute("aria-label", info.name);
    return chip;
  }

  // Text and chips for a text with code characters (unknown code points are dropped).
  function fragmentFor(area, text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(CODES)) {
      if (match.index > last) fragment.append(text.slice(last, match.index));
      const chip = makeChip(area, match[0]);
      if (chip) fragment.append(chip);
      last = match.index + 1;
    }
    if (last < text.length) fragment.append(text.slice(last));
    return fragment;
  }

  // The box back to text: chips as their code character; a code character in typed or pasted
  // text never gets through (a person cannot type a code).
  function serialise(node) {
    let out = "";
    node.childNodes.forEach((child) => {
      if (child.nodeType === Node.TEXT_NODE) out += child.data.replace(CODES, "");
      else if (child.nodeType !== Node.ELEMENT_NODE) return;
      else if (child.dataset.code) out += child.dataset.code;
      else if (child.tagName !== "BR") out += serialise(child);  // a <br> is the browser's placeholder
      // (Enter is refused: a segment is one line; a line break in the text is a "\n" it keeps.)
    });
    return out;
  }

  function sync(box) {
    const area = box._area;
    const text = serialise(box);
    if (area.value !== text) {
      area.value = text;
      quiet = true;
      try { area.dispatchEvent(new Event("input", { bubbles: true })); } finally { quiet = false; }
    }
    markPalette(box);
  }

  function draw(box, text) {
    box.replaceChildren(fragmentFor(box._area, text));
    markPalette(box);
  }

  // Code characters that came in as text (a memory match put in with execCommand): chips, with
  // the caret where it was.
  function normalise(box) {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) if (HAS_CODE.test(walker.currentNode.data)) found.push(walker.currentNode);
    const selection = window.getSelection();
    const caret = selection.rangeCount ? selection.getRangeAt(0) : null;
    found.forEach((node) => {
      if (node.parentElement && node.parentElement.closest(".chip")) return;
      const fragment = fragmentFor(box._area, node.data);
      let after = null;
      if (caret && caret.endContainer === node) {  // the piece the caret was in or after
        let seen = 0;
        for (const piece of fragment.childNodes) {
          seen += piece.nodeType === Node.TEXT_NODE ? piece.data.length : 1;
          if (seen >= caret.endOffset) { after = piece; break; }
        }
      }
      node.replaceWith(fragment);
      if (after) caretAfter(box, after);
    });
  }

  function caretAfter(box, node) {
    const range = document.createRange();
    if (node.nodeType === Node.TEXT_NODE) range.setStart(node, node.data.length);
    else range.setStartAfter(node);
    range.collapse(true);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    box._range = range.cloneRange();
  }

  // Where an insertion goes: the caret in the box, else where it last was, else the end; never
  // inside a chip.
  function rangeIn(box) {
    const selection = window.getSelection();
    let range = null;
    if (selection.rangeCount && box.contains(selection.getRangeAt(0).startContainer)) range = selection.getRangeAt(0);
    else if (box._range && box.contains(box._range.startContainer)) range = box._range.cloneRange();
    if (!range) {
      range = document.createRange();
      range.selectNodeContents(box);
      range.collapse(false);
    }
    const start = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer
      : range.startContainer.parentElement;
    const inChip = start && start.closest(".chip");
    if (inChip && box.contains(inChip)) {
      range.setStartAfter(inChip);
      range.collapse(true);
    }
    return range;
  }

  function focusBox(box) {
    if (document.activeElement === box) return;
    const range = rangeIn(box);  // before focusing: the browser may put the caret at the start
    box.focus({ preventScroll: true });
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Put a code at the caret; a code the box has already moves there (one of each, never two).
  function insertCode(box, ch) {
    if (box._area.readOnly) return;
    focusBox(box);
    const range = rangeIn(box);
    const existing = Array.from(box.querySelectorAll(".chip")).find((c) => c.dataset.code === ch);
    if (existing) existing.remove();  // the live range follows the removal
    const chip = makeChip(box._area, ch);
    if (!chip) return;
    range.deleteContents();
    range.insertNode(chip);
    caretAfter(box, chip);
    sync(box);
  }

  function insertText(box, text, whole) {
    if (box._area.readOnly) return;
    focusBox(box);
    if (whole) {
      const range = document.createRange();
      range.selectNodeContents(box);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }
    if (!HAS_CODE.test(text)) {
      // As typed, so Ctrl+Z takes it back.
      if (!(document.execCommand && document.execCommand("insertText", false, text))) {
        const range = rangeIn(box);
        range.deleteContents();
        const node = document.createTextNode(text);
        range.insertNode(node);
        caretAfter(box, node);
      }
      sync(box);
      return;
    }
    const range = rangeIn(box);
    range.deleteContents();
    const fragment = fragmentFor(box._area, text);
    const last = fragment.lastChild;
    range.insertNode(fragment);
    if (last) caretAfter(box, last);
    sync(box);
  }

  function announce(text) {
    const region = document.getElementById("announce");
    if (region) region.textContent = text;
  }

  function insertNextMissing(box) {
    const area = box._area;
    const have = serialise(box);
    const next = Array.from(area.dataset.sourceCodes || "").find((ch) => !have.includes(ch));
    if (!next) { announce("Every inline code of the source is in the translation."); return; }
    insertCode(box, next);
    const info = infoOf(area, next);
    announce(`Inserted ${info ? info.name : "a code"}.`);
  }

  // The source's codes beside the box: one button each (inserts or moves it to the caret), the
  // ones the translation lacks marked.
  function makePalette(box) {
    const area = box._area;
    const source = Array.from(area.dataset.sourceCodes || "");
    const palette = document.createElement("div");
    palette.className = "code-palette";
    if (!source.length) return palette;
    palette.append("Source codes: ");
    source.forEach((ch) => {
      const info = infoOf(area, ch);
      if (!info) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = `chip ${info.colour}`;
      button.dataset.code = ch;
      button.dataset.name = info.name;
      button.title = `${info.title}: insert at the cursor (Ctrl+Alt+Shift+C: the next missing one)`;
      button.textContent = info.label;
      palette.append(button, " ");
    });
    return palette;
  }

  function markPalette(box) {
    const palette = box._palette;
    if (!palette) return;
    const have = box._area.value;
    palette.querySelectorAll("button[data-code]").forEach((button) => {
      const missing = !have.includes(button.dataset.code);
      button.classList.toggle("missing", missing);
      button.setAttribute("aria-label", `Insert ${button.dataset.name}${missing ? " (missing)" : ""}`);
    });
  }

  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    // An unsaved draft offered beside a segment (workbench.js): its codes as chips too.
    root.querySelectorAll(".draft-offer .draft-text").forEach((kept) => {
      const area = kept.closest(".seg") && kept.closest(".seg").querySelector("textarea[data-chips]");
      if (area && HAS_CODE.test(kept.textContent)) kept.replaceChildren(fragmentFor(area, kept.textContent));
    });
    const areas = Array.from(root.querySelectorAll("textarea[data-chips]"));
    if (root.matches && root.matches("textarea[data-chips]")) areas.push(root);
    areas.forEach((area) => {
      if (area._chipBox) {  // set meanwhile without an input event (a restored draft)
        if (serialise(area._chipBox) !== area.value) draw(area._chipBox, area.value);
        return;
      }
      const box = document.createElement("div");
      box.className = "chip-editor";
      box.contentEditable = "true";
      box.spellcheck = true;
      box.lang = area.lang;
      box.setAttribute("role", "textbox");
      box.setAttribute("aria-label", area.getAttribute("aria-label") || "Translation");
      box._area = area;
      area._chipBox = box;
      if (area.readOnly) {  // the language is assigned to someone else: shown, not edited
        box.contentEditable = "false";
        box.tabIndex = 0;
        box.setAttribute("aria-readonly", "true");
      }
      if (area.title) box.title = area.title;
      // The text box stays in the form (what is posted), out of sight and of the tab order.
      const focused = document.activeElement === area;
      area.removeAttribute("aria-label");
      area.setAttribute("aria-hidden", "true");
      area.tabIndex = -1;
      area.classList.add("chip-text");
      area.before(box);
      box._palette = makePalette(box);
      area.after(box._palette);
      draw(box, area.value);
      const seg = area.closest(".seg");
      if (seg) seg.querySelectorAll(".source .chip[data-code]").forEach((chip) => { chip.draggable = true; });
      area.addEventListener("focus", () => focusBox(box));
      if (focused) focusBox(box);
    });
  }

  // Someone else set the text box (copy source, a restored draft): draw it again.
  document.addEventListener("input", (event) => {
    const area = event.target;
    if (quiet || !area._chipBox) return;
    draw(area._chipBox, area.value);
  }, true);

  document.addEventListener("input", (event) => {
    const box = on(event, ".chip-editor");
    if (!box) return;
    normalise(box);
    sync(box);
  });

  document.addEventListener("beforeinput", (event) => {
    const box = on(event, ".chip-editor");
    if (!box) return;
    // A segment is one line: no paragraphs. Drops and pastes are handled below. A box made
    // read-only (its segment was removed by a story update, workbench.js) takes nothing.
    if (box._area.readOnly || ["insertParagraph", "insertLineBreak"].includes(event.inputType)) event.preventDefault();
  });

  document.addEventListener("keydown", (event) => {
    const box = on(event, ".chip-editor");
    if (!box) return;
    if (isShortcut(event)) {
      event.preventDefault();
      insertNextMissing(box);
    } else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
    }
  });

  document.addEventListener("selectionchange", () => {
    const selection = window.getSelection();
    if (!selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const node = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer
      : range.startContainer.parentElement;
    const box = node && node.closest(".chip-editor");
    if (box) box._range = range.cloneRange();
  });

  // Copy and cut carry the codes (whole chips) with the text; paste brings them back as chips.
  function copy(event) {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    // In a chip box, or in a source with chips: its codes go along (into another box as chips).
    const common = selection.getRangeAt(0).commonAncestorContainer;
    const within = common.nodeType === Node.ELEMENT_NODE ? common : common.parentElement;
    const box = within && within.closest(".chip-editor, .source-text[data-text]");
    if (!box || (event.type === "cut" && !box.matches(".chip-editor"))) return;
    const chip = within.closest(".chip[data-code]");  // a selection inside one chip: the whole chip
    const holder = document.createElement("div");
    holder.append(selection.getRangeAt(0).cloneContents());
    const text = chip ? chip.dataset.code : serialise(holder);
    const plain = text.replace(CODES, "");
    event.clipboardData.setData("text/plain", plain);
    event.clipboardData.setData(MIME, text);
    lastCopy = { plain, text };
    event.preventDefault();
    if (event.type === "cut" && !box._area.readOnly) {
      if (chip) chip.remove();
      else if (!(document.execCommand && document.execCommand("delete"))) selection.getRangeAt(0).deleteContents();
      sync(box);
    }
  }
  document.addEventListener("copy", copy);
  document.addEventListener("cut", copy);
  document.addEventListener("paste", (event) => {
    const box = on(event, ".chip-editor");
    if (!box) return;
    event.preventDefault();
    const data = event.clipboardData;
    const plain = data.getData("text/plain").replace(CODES, "").replace(/\r?\n/g, " ");
    let text = data.getData(MIME) || (lastCopy && lastCopy.plain === plain ? lastCopy.text : plain);
    // A pasted code the box has already: the pasted one is where it goes (one of each).
    Array.from(text.matchAll(CODES)).forEach((m) => {
      const existing = Array.from(box.querySelectorAll(".chip")).find((c) => c.dataset.code === m[0]);
      if (existing) existing.remove();
    });
    insertText(box, text.replace(/\r?\n/g, " "), false);
  });

  // Drag a chip (in the box, or from the source) to where it belongs: it moves whole.
  function caretAtPoint(x, y) {
    if (document.caretRangeFromPoint) return document.caretRangeFromPoint(x, y);
    const position = document.caretPositionFromPoint && document.caretPositionFromPoint(x, y);
    if (!position) return null;
    const range = document.createRange();
    range.setStart(position.offsetNode, position.offset);
    range.collapse(true);
    return range;
  }
  document.addEventListener("dragstart", (event) => {
    const chip = on(event, ".chip[data-code]");
    if (!chip) return;
    dragged = chip;
    event.dataTransfer.setData(MIME, chip.dataset.code);
    event.dataTransfer.setData("text/plain", chip.textContent);
    event.dataTransfer.effectAllowed = "copyMove";
  });
  document.addEventListener("dragend", () => { dragged = null; });
  document.addEventListener("dragover", (event) => {
    if (on(event, ".chip-editor")) event.preventDefault();
  });
  document.addEventListener("drop", (event) => {
    const box = on(event, ".chip-editor");
    if (!box) return;
    event.preventDefault();
    const ch = event.dataTransfer.getData(MIME) || (dragged && dragged.dataset.code);
    let range = caretAtPoint(event.clientX, event.clientY);
    if (!range || !box.contains(range.startContainer)) range = null;
    if (range) {
      box.focus({ preventScroll: true });
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      box._range = range.cloneRange();
    }
    if (ch && HAS_CODE.test(ch)) insertCode(box, ch);
    else insertText(box, event.dataTransfer.getData("text/plain").replace(CODES, ""), false);
    dragged = null;
  });

  // A palette button: the code goes to the caret (the box keeps its caret on mouse down).
  document.addEventListener("mousedown", (event) => {
    if (on(event, ".code-palette button")) event.preventDefault();
  });
  document.addEventListener("click", (event) => {
    const button = on(event, ".code-palette button[data-code]");
    const box = button && button.closest("form") && button.closest("form").querySelector(".chip-editor");
    if (box) insertCode(box, button.dataset.code);
  });

  // For workbench.js: text put into a segment's box (a memory match, a term) goes in around the
  // chips; `whole` replaces the translation. False where the segment has the plain text box.
  window.workbenchChips = {
    insert(area, text, whole) {
      const box = area && area._chipBox;
      if (!box || !box.isConnected) return false;
      insertText(box, text, whole);
      return true;
    },
  };

  document.addEventListener("DOMContentLoaded", () => enhance(document));
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));
  document.addEventListener("htmx:afterSwap", () => enhance(document));  // at once, not after the settle
})();
