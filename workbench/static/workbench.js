// The editor's keyboard, autosave, local times and small helpers. Everything else is htmx.
(function () {
  "use strict";
  // Let htmx swap error responses too: a 409 conflict and error pages replace their target.
  htmx.config.responseHandling = [
    { code: "204", swap: false }, { code: "[23]..", swap: true },
    { code: "[45]..", swap: true, error: true }];

  const editor = () => document.querySelector(".editor");
  const segments = () => Array.from(document.querySelectorAll(".seg"));
  const draftKey = (seg) => {
    const e = editor();
    return e ? `workbench:draft:${e.dataset.article}:${e.dataset.lang}:${seg.dataset.segment}` : null;
  };
  let pendingFocus = null;

  function focusSegment(seg) {
    if (!seg) return;
    const area = seg.querySelector("textarea");
    (area || seg).focus({ preventScroll: true });
    keepInView(seg);
  }

  // Fully visible below the sticky header (editor_layout.js), or the browser's nearest scroll.
  function keepInView(seg) {
    if (window.workbenchLayout) window.workbenchLayout.keepInView(seg);
    else seg.scrollIntoView({ block: "nearest" });
  }

  function activate(seg) {
    segments().forEach((s) => s.classList.toggle("active", s === seg));
    const details = document.getElementById("details");
    if (details && seg.dataset.details && details.dataset.segment !== seg.dataset.segment) {
      details.dataset.segment = seg.dataset.segment;
      htmx.ajax("GET", seg.dataset.details, { target: "#details", swap: "innerHTML" });
    }
  }

  // Unsaved typing is kept in localStorage per article, language and segment until the server
  // confirms a save. Back on the page, a draft typed on the version shown goes back into the box;
  // one typed on an earlier version (the source changed, or a colleague saved since) is offered
  // beside the current text, never dropped and never put in silently.
  const WORD = /[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu;
  function showCounts(seg, text) {
    const counts = seg.querySelector("[data-target-counts]");
    const plain = text.replace(/[\ue100-\ueaff]/g, "");
    if (counts) counts.textContent = `${(plain.match(WORD) || []).length} words · ${plain.length} chars`;
  }

  function offerDraft(seg, area, key, draft) {
    if (seg.querySelector(".draft-offer")) return;
    const offer = document.createElement("div");
    offer.className = "draft-offer";
    offer.setAttribute("role", "group");
    offer.setAttribute("aria-label", `Your unsaved text for segment ${seg.querySelector(".num").textContent}`);
    const intro = document.createElement("p");
    intro.textContent = "Your unsaved text, typed before this segment changed (version " + draft.version +
      ", now " + seg.dataset.version + "):";
    const kept = document.createElement("p");
    kept.className = "draft-text";
    kept.lang = area.lang;
    kept.textContent = draft.text;
    const use = document.createElement("button");
    use.type = "button";
    use.textContent = "Use my unsaved text";
    use.addEventListener("click", () => {
      area.value = draft.text;
      area.dispatchEvent(new Event("input", { bubbles: true }));  // kept again, against this version
      offer.remove();
      area.focus();
    });
    const drop = document.createElement("button");
    drop.type = "button";
    drop.textContent = "Discard it";
    drop.addEventListener("click", () => { localStorage.removeItem(key); offer.remove(); area.focus(); });
    offer.append(intro, kept, use, drop);
    seg.querySelector("form.target").before(offer);
  }

  function restoreDrafts(root) {
    root.querySelectorAll(".seg textarea").forEach((area) => {
      const seg = area.closest(".seg");
      const key = draftKey(seg);
      if (!key) return;
      const saved = localStorage.getItem(key);
      if (saved === null) return;
      let draft;
      try { draft = JSON.parse(saved); } catch (e) { return; }
      if (draft.text === area.value) {
        localStorage.removeItem(key);  // nothing unsaved
      } else if (String(draft.version) === seg.dataset.version) {
        area.value = draft.text;
        seg.querySelector(".draft-note").hidden = false;
        showCounts(seg, draft.text);
      } else {
        offerDraft(seg, area, key, draft);
      }
    });
  }

  function submit(seg, action) {
    const form = seg.querySelector("form.target");
    const button = form && form.querySelector(`button[value=${action}]`);
    if (!button) return;
    htmx.process(form);  // a segment swapped in a moment ago may not be processed yet
    button.click();
  }

  // Typed into the box as if by the translator, so Ctrl+Z takes it back (execCommand is the one
  // way to join the browser's undo history; where it is missing, the text is set directly).
  function insertAtCursor(area, text) {
    if (window.workbenchChips && window.workbenchChips.insert(area, text, false)) return;  // chips.js
    area.focus();
    if (document.execCommand && document.execCommand("insertText", false, text)) return;
    area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function replaceAll(area, text) {
    if (window.workbenchChips && window.workbenchChips.insert(area, text, true)) return;  // chips.js
    area.focus();
    area.select();
    insertAtCursor(area, text);
  }

  // F6 goes from the segment to its side panel (memory matches, terms, comments) and back;
  // Escape in the panel goes back too.
  function panelFocusables() {
    return Array.from(document.querySelectorAll("#details button, #details a[href], #details input, #details textarea"))
      .filter((el) => !el.disabled && el.offsetParent !== null);
  }
  function toPanel() {
    const first = panelFocusables()[0];
    if (first) first.focus();
    else document.getElementById("announce").textContent = "The side panel has nothing to use for this segment.";
  }
  function backToSegment() {
    const active = document.querySelector(".seg.active");
    if (active) focusSegment(active);
  }

  document.addEventListener("focusin", (event) => {
    const seg = event.target.closest && event.target.closest(".seg");
    if (seg) activate(seg);
  });

  document.addEventListener("input", (event) => {
    const area = event.target;
    if (!area.matches || !area.matches(".seg textarea")) return;
    const seg = area.closest(".seg");
    const key = draftKey(seg);
    if (key) localStorage.setItem(key, JSON.stringify({ text: area.value, version: seg.dataset.version }));
    showCounts(seg, area.value);
  });

  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.term[data-term]");
    // A term marked in a segment's source goes into that segment; panel buttons into the active one.
    const active = mark ? mark.closest(".seg").querySelector("textarea")
      : document.querySelector(".seg.active textarea");
    const take = event.target.closest("[data-take]");
    const insert = event.target.closest("[data-insert]") || mark;
    if (take && active) {
      // From the concordance dialog: close it first, or the modal keeps the box from taking focus
      // (and the text would go in outside the undo history).
      const dialog = take.closest("dialog");
      if (dialog && dialog.open) dialog.close();
      replaceAll(active, take.dataset.take);
    }
    else if (insert && active) {
      const text = insert.dataset.insert || insert.dataset.term;
      if (text) insertAtCursor(active, text);
    }
    if (event.target.closest("[data-help]")) document.getElementById("help").showModal();
  });

  document.addEventListener("keydown", (event) => {
    const seg = event.target.closest && event.target.closest(".seg");
    const all = segments();
    const inPanel = event.target.closest && event.target.closest("#details");
    if (event.key === "F6" && (seg || inPanel)) {
      event.preventDefault();
      if (seg) toPanel(); else backToSegment();
      return;
    }
    if (event.key === "Escape" && inPanel) { event.preventDefault(); backToSegment(); return; }
    if (event.key === "Enter" && seg && event.target.matches("input[name=reason]")) {
      // The reason is asked for an approval: Enter in it approves (not the form's first button, Save).
      event.preventDefault();
      submit(seg, "approve");
    } else if (event.key === "Enter" && event.ctrlKey && seg) {
      event.preventDefault();
      const approving = event.shiftKey && editor() && editor().dataset.canApprove === "true";
      const next = all[all.indexOf(seg) + 1];
      pendingFocus = { from: seg.id, to: next ? next.id : null,
                       note: event.shiftKey && !approving ? "Only reviewers approve: saved as edited." : "" };
      submit(seg, approving ? "approve" : "save");
    } else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp") && seg) {
      event.preventDefault();
      const down = event.key === "ArrowDown";
      const target = all[all.indexOf(seg) + (down ? 1 : -1)];
      if (target) focusSegment(target);
      else turnPage(down);
    } else if (event.ctrlKey && event.key === " " && seg) {
      event.preventDefault();
      const area = seg.querySelector("textarea");
      const source = seg.querySelector(".source-text");
      area.value = source.dataset.text ?? source.textContent;  // data-text: with its inline codes
      area.dispatchEvent(new Event("input", { bubbles: true }));
    } else if (event.altKey && /^[1-9]$/.test(event.key) && seg) {
      const alt = document.querySelectorAll("#details .alternatives [data-take]")[Number(event.key) - 1];
      if (alt) { event.preventDefault(); alt.click(); }
    } else if (event.key === "F1" || (event.key === "?" && (event.altKey || !(event.target.matches("input, textarea, select") || event.target.isContentEditable)))) {
      // `?` types a question mark in a text box: there Alt+? or F1 open the help.
      const help = document.getElementById("help");
      if (help && !help.open) { event.preventDefault(); help.showModal(); }
    }
  });

  // A repetition that took another segment's edit arrives out of band; never over unsaved typing
  // in it (that person's next save meets a conflict instead).
  document.addEventListener("htmx:oobBeforeSwap", (event) => {
    const old = event.detail.target;
    const area = old && old.matches && old.matches(".seg") && old.querySelector("textarea");
    if (area && area.value !== area.defaultValue) event.detail.shouldSwap = false;
  });

  // A new story version reached the open page (the #story-news poll): removed segments become
  // read-only, changed ones are marked; the text in the boxes is never touched.
  function markStoryNews(news) {
    const ids = (name) => (news.dataset[name] || "").split(",").filter(Boolean);
    const note = (seg, cls, text) => {
      if (seg.querySelector(`.${cls}`)) return;
      const p = document.createElement("p");
      p.className = `story-mark ${cls}`;
      p.setAttribute("role", "note");
      p.textContent = text;
      seg.querySelector(".source").after(p);
    };
    ids("removed").forEach((id) => {
      const seg = document.getElementById(`seg-${id}`);
      if (!seg) return;
      seg.classList.add("removed-live");
      seg.querySelectorAll("textarea").forEach((area) => { area.readOnly = true; });
      seg.querySelectorAll("form.target button").forEach((button) => { if (button.value === "approve") button.disabled = true; });
      note(seg, "removed-note", `Removed from the story in version ${news.dataset.version}. Your text stays here; ` +
        `Save keeps it under Removed in version ${news.dataset.version}.`);
    });
    ids("changed").forEach((id) => {
      const seg = document.getElementById(`seg-${id}`);
      if (!seg) return;
      seg.classList.add("changed-live");
      note(seg, "changed-note", `The source of this segment changed in version ${news.dataset.version}: ` +
        "check your translation against it after reloading.");
    });
  }

  // Live pages: every 3 s the open editor asks the server what changed since the change counter it
  // has seen (web/editor.live_news); the answer is 304 while nothing did. Colleagues' saves,
  // approvals, MT drafts and comments replace a segment only where this person is not typing: a
  // changed segment under the caret, or with unsaved text, is flagged and keeps the text. The same
  // poll is the presence heartbeat: which segment this person is on, and whether typing in it.
  const LIVE_MS = 3000, TYPING_MS = 10000;
  let liveTag = null, liveBusy = false, lastInput = 0, liveSeg = null;
  const takenOver = new Set();  // segments this person took over from a colleague
  const html = (text) => {
    const t = document.createElement("template");
    t.innerHTML = text.trim();
    return t.content.firstElementChild;
  };
  const liveNote = (seg, cls, text, button) => {
    let p = seg.querySelector(`.${cls}`);
    if (!p) {
      p = document.createElement("p");
      p.className = `live-note ${cls}`;
      p.setAttribute("role", "note");
      seg.querySelector(".source").after(p);
    }
    p.textContent = text;
    if (button) p.append(" ", button);
    return p;
  };
  const segNumber = (seg) => seg.querySelector(".num").textContent;

  function swapIn(old, fresh) {
    old.replaceWith(fresh);
    htmx.process(fresh);
  }

  function liveSegment(id, change, me) {
    const old = document.getElementById(`seg-${id}`);
    if (!old) return;
    const fresh = html(change.html);
    const area = old.querySelector("textarea");
    const typing = area && (area.value !== area.defaultValue || document.activeElement === area);
    if (String(change.version) === old.dataset.version) {  // a comment: only its badge changes
      const badge = fresh.querySelector(".comment-badge"), mine = old.querySelector(".comment-badge");
      if (badge && mine) mine.replaceWith(badge);
      return;
    }
    // this person's own save, its answer still on the way (htmx swaps it in)
    if (change.by === me && (typing || old.querySelector(".htmx-request"))) return;
    if (!typing) { swapIn(old, fresh); return; }
    const take = document.createElement("button");
    take.type = "button";
    take.textContent = "Show their version (drops my unsaved text)";
    take.addEventListener("click", () => {
      const key = draftKey(old);
      if (key) localStorage.removeItem(key);
      swapIn(old, html(change.html));
    });
    old.classList.add("changed-by-colleague");
    liveNote(old, "colleague-note", `${change.by || "Someone"} saved this segment meanwhile (version ${change.version}); ` +
      "your text is kept: saving it will show both versions.", take);
  }

  function livePresence(others) {
    const box = document.getElementById("presence");
    if (box) {
      box.hidden = !others.length;
      box.textContent = others.length ? "Also in this article: " + others.map((p) => {
        const seg = p.segment_id && document.getElementById(`seg-${p.segment_id}`);
        const where = seg ? `, ${p.typing ? "typing in" : "on"} segment ${segNumber(seg)}` : "";
        return `${p.user}${where}`;
      }).join("; ") : "";
    }
    document.querySelectorAll(".seg .presence-badge").forEach((b) => b.remove());
    const locks = new Map();
    others.forEach((p) => {
      const seg = p.segment_id && document.getElementById(`seg-${p.segment_id}`);
      if (!seg) return;
      const badge = document.createElement("span");
      badge.className = "badge presence-badge" + (p.typing ? " typing" : "");
      badge.textContent = p.typing ? `${p.user} is typing here` : `${p.user} is here`;
      seg.querySelector(".source").append(" ", badge);
      if (p.typing && !takenOver.has(String(p.segment_id))) locks.set(seg, p.user);
    });
    document.querySelectorAll(".seg[data-live-locked]").forEach((seg) => {
      if (locks.has(seg)) return;
      const area = seg.querySelector("textarea");
      if (area) area.readOnly = false;
      delete seg.dataset.liveLocked;
      const warn = seg.querySelector(".soft-lock");
      if (warn) warn.remove();
    });
    locks.forEach((user, seg) => softLock(seg, user));
  }

  // Someone else is typing in this segment: the box is read-only here, with a warning and an
  // explicit Take over (the colleague is told on their next poll).
  function softLock(seg, user) {
    const area = seg.querySelector("textarea");
    if (!area || (area.readOnly && !seg.dataset.liveLocked)) return;  // read-only anyway
    seg.dataset.liveLocked = "true";
    area.readOnly = true;
    const take = document.createElement("button");
    take.type = "button";
    take.textContent = "Take over";
    take.addEventListener("click", async () => {
      const e = editor();
      const id = seg.dataset.segment;
      const response = await fetch(e.dataset.takeOver.replace(/\/0$/, `/${id}`), {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content } });
      if (!response.ok) return;
      takenOver.add(id);
      area.readOnly = false;
      delete seg.dataset.liveLocked;
      const warn = seg.querySelector(".soft-lock");
      if (warn) warn.remove();
      seg.querySelectorAll(".presence-badge").forEach((b) => b.remove());
      lastInput = Date.now();
      area.focus();
      document.getElementById("announce").textContent = `You took over segment ${segNumber(seg)} from ${user}.`;
    });
    const warn = liveNote(seg, "soft-lock", `${user} is typing in this segment. Take over only if you agreed: ` +
      `${user} is told, and whoever saves second sees both versions.`, take);
    warn.setAttribute("role", "alert");
  }

  function liveTaken(taken) {
    const seg = document.getElementById(`seg-${taken.segment_id}`);
    takenOver.delete(String(taken.segment_id));
    const text = `${taken.by} took over segment ${seg ? segNumber(seg) : ""}; your unsaved text stays in this browser.`;
    if (seg) liveNote(seg, "taken-note", text).setAttribute("role", "alert");
    const announce = document.getElementById("announce");
    if (announce) announce.textContent = text;
  }

  function liveApply(news) {
    const e = editor();
    e.dataset.liveCounter = news.counter;
    Object.entries(news.segments).forEach(([id, change]) => liveSegment(id, change, e.dataset.me));
    livePresence(news.others);
    if (news.taken) liveTaken(news.taken);
    [["team-bar", news.team], ["counters", news.counters]].forEach(([id, text]) => {
      const old = document.getElementById(id);
      if (old && text) swapIn(old, html(text));
    });
    if (news.story) {
      const old = document.getElementById("story-news");
      if (old) { old.replaceWith(html(news.story)); markStoryNews(document.getElementById("story-news")); }
    }
    if (news.more) {
      const box = document.getElementById("story-news");
      if (box && !box.dataset.version) {
        box.textContent = news.more > 0 ? `${news.more} more segments changed meanwhile: reload to see them.`
          : "Much changed meanwhile: reload the editor to see it.";
      }
    }
  }

  async function livePoll() {
    const e = editor();
    if (!e || !e.dataset.live || liveBusy) return;
    liveBusy = true;
    const active = document.activeElement && document.activeElement.closest && document.activeElement.closest(".seg");
    const typing = active && Date.now() - lastInput < TYPING_MS;
    liveSeg = active ? active.dataset.segment : null;
    const query = new URLSearchParams({ since: e.dataset.liveCounter || "0", version: e.dataset.version || "0" });
    if (active) query.set("seg", active.dataset.segment);
    if (typing) query.set("typing", "1");
    try {
      const response = await fetch(`${e.dataset.live}?${query}`, {
        credentials: "same-origin", cache: "no-store", headers: liveTag ? { "If-None-Match": liveTag } : {} });
      if (response.status === 200) {
        liveTag = response.headers.get("ETag");
        liveApply(await response.json());
      }
    } catch (err) {
      // offline for a moment: the next poll catches up
    } finally {
      liveBusy = false;
    }
  }
  document.addEventListener("input", (event) => {
    if (!event.target.matches || !event.target.matches(".seg textarea")) return;
    const first = Date.now() - lastInput >= TYPING_MS;
    lastInput = Date.now();
    if (first) livePoll();  // colleagues see "typing" at once, not at the next tick
  });
  document.addEventListener("focusin", (event) => {
    const seg = event.target.closest && event.target.closest(".seg");
    if (seg && seg.dataset.segment !== liveSeg) { lastInput = 0; livePoll(); }
  });
  setInterval(livePoll, LIVE_MS);

  document.addEventListener("htmx:afterSwap", (event) => {
    const news = document.getElementById("story-news");
    if (news && news.dataset.version && !news.dataset.marked) {
      news.dataset.marked = "true";
      markStoryNews(news);
    }
    // After an outerHTML swap the target is the old, detached element: find the new one by id.
    const id = event.detail.target && event.detail.target.id;
    const seg = id ? document.getElementById(id) : null;
    const failed = event.detail.xhr && event.detail.xhr.status >= 400;
    const saved = pendingFocus && pendingFocus.from === id ? pendingFocus : null;  // answer to Ctrl+Enter
    if (saved) pendingFocus = null;
    if (failed && seg && seg.classList.contains("seg")) {
      // A refused save (conflict, approval without a reason): stay on it; #announce says why.
      const reason = seg.querySelector("input[name=reason]");
      (reason || seg.querySelector("textarea") || seg).focus({ preventScroll: true });
      keepInView(seg);
      return;
    }
    if (seg && seg.classList.contains("seg") && !seg.dataset.conflict) {
      const key = draftKey(seg);
      if (key) localStorage.removeItem(key);
      const details = document.getElementById("details");
      if (details && details.dataset.segment === seg.dataset.segment) {
        delete details.dataset.segment;  // refresh its history on next focus
        activate(seg);
      }
    }
    if (saved && !failed) {
      const announce = document.getElementById("announce");
      if (saved.to) focusSegment(document.getElementById(saved.to));
      else if (!turnPage(true)) {  // the article's last segment: stay on it and say so
        focusSegment(seg);
        saved.note = `${saved.note} Saved. This is the last segment of the article.`.trim();
      }
      if (announce && saved.note) announce.textContent = saved.note;
    }
  });

  // A button that replaces itself (Add comment, Take theirs, Restore) leaves the focus on the page
  // body, at once or when the side panel is drawn again after the segment changed: put the keyboard
  // user back in the segment's box. The segment is the one the control sits in, or, for the side
  // panel, the one the panel shows. Only for a request the user started from a focused control,
  // only while the focus is really lost, and never once the user has moved on.
  let returnTo = null;  // {id, control, at}
  document.addEventListener("htmx:beforeRequest", (event) => {
    const elt = event.detail.elt, focused = document.activeElement;
    if (!elt || !elt.closest || !focused || focused === document.body) return;
    const form = elt.closest("form");
    if (!(elt === focused || (elt !== document.body && elt.contains(focused)) || (form && form.contains(focused)))) return;
    const seg = elt.closest(".seg");
    const details = elt.closest("#details");
    const id = seg ? seg.id : details && details.dataset.segment ? `seg-${details.dataset.segment}` : null;
    if (id) returnTo = { id, control: focused, at: Date.now() };
  });
  document.addEventListener("focusin", (event) => {
    if (returnTo && event.target !== returnTo.control) returnTo = null;  // the user went elsewhere
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (!returnTo) return;
    const focused = document.activeElement;
    if (Date.now() - returnTo.at > 15000) { returnTo = null; return; }
    if (focused && focused !== document.body && focused.isConnected) return;  // not lost (yet)
    const seg = document.getElementById(returnTo.id);
    returnTo = null;
    if (seg) focusSegment(seg);
  });

  // Long articles come in pages: moving past the last (or first) segment opens the next page.
  function turnPage(down) {
    const current = document.querySelector('nav.pages a[aria-current="page"]');
    const other = current && (down ? current.nextElementSibling : current.previousElementSibling);
    if (!(other && other.href)) return false;
    window.location = other.href + (down ? "#seg-first" : "#seg-last");
    return true;
  }

  // Behaviour that used to be inline handlers (the Content-Security-Policy forbids those):
  // <select data-autosubmit> submits its form on change; <form data-confirm="..."> asks first.
  // Arrow keys on a closed <select> change its value at once: from the keyboard the choice is
  // applied with Enter or on leaving the list, so a keyboard user can step through the options.
  const autosubmits = (el) => el && el.matches && el.matches("select[data-autosubmit]");
  const stepKeys = ["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];
  document.addEventListener("keydown", (event) => {
    if (!autosubmits(event.target)) return;
    if (stepKeys.includes(event.key)) event.target.dataset.stepping = "true";
    else if (event.key === "Enter" && event.target.dataset.stepping) { event.preventDefault(); event.target.form.submit(); }
  });
  document.addEventListener("change", (event) => {
    if (autosubmits(event.target) && !event.target.dataset.stepping) event.target.form.submit();
  });
  document.addEventListener("focusout", (event) => {
    const select = event.target;
    if (autosubmits(select) && select.dataset.stepping && select.value !== select.dataset.initial) select.form.submit();
  });
  document.addEventListener("focusin", (event) => {
    if (autosubmits(event.target)) { event.target.dataset.initial = event.target.value; delete event.target.dataset.stepping; }
  });
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset && event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", () => {
    restoreDrafts(document);
    const all = segments();
    if (window.location.hash === "#seg-first") focusSegment(all[0]);
    if (window.location.hash === "#seg-last") focusSegment(all[all.length - 1]);
  });
})();

// Times come from the server in UTC (ISO 8601): show them in the reader's own time zone.
(function () {
  "use strict";
  function localise(root) {
    root.querySelectorAll("time[datetime]").forEach((node) => {
      const when = new Date(node.getAttribute("datetime"));
      if (Number.isNaN(when.getTime()) || node.dataset.localised) return;
      node.title = node.getAttribute("datetime");
      node.textContent = when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
      node.dataset.localised = "true";
    });
  }
  document.addEventListener("DOMContentLoaded", () => localise(document));
  document.addEventListener("htmx:afterSwap", () => localise(document));
})();
