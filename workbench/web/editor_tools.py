"""Template helpers for the editor's segments and side panel: counts, MT quality hints, who made
a version (machine drafts are credited to their engine), word diffs of the history."""

from __future__ import annotations

import threading

from flask import Flask
from markupsafe import Markup

from workbench.core import chips, highlight
from workbench.core import codes, counts, hints, spelling
from workbench.data import reports
from workbench.core.langs import TARGET_LANGS
from workbench.data.store import STATUS_LABELS


def credit(entry: dict) -> str:
    """Who made a history entry: the engine for machine drafts (the person only started the job)."""
    origin = entry.get("origin") or ""
    if entry.get("after_status") == "mt_draft":
        if origin == "tm":
            machine = "translation memory (exact match)"
        else:
            machine = f"machine translation ({origin.removeprefix('mt:') or 'engine'})"
        by = entry.get("changed_by")
        if by and by.startswith("MT job "):  # the job itself is the author (services/actor.Actor.job)
            return f"{machine}, {by}"
        return machine + (f", job run by {by}" if by else "")
    return entry.get("changed_by") or "unknown"


def history_diff(before: str | None, after: str, marks: dict | None = None) -> Markup:
    """Word-level diff of two versions: only the words that changed are struck or inserted; inline
    codes shown as chips (with what they stand for, given the paragraph's `marks`)."""
    return chips.in_html(highlight.word_diff(before or "", after or ""), marks)


def init_app(app: Flask) -> None:
    app.add_template_global(counts.words, "word_count")
    app.add_template_global(counts.chars, "char_count")
    app.add_template_global(hints.quality, "mt_quality")
    app.add_template_global(credit, "history_credit")
    app.add_template_global(history_diff, "history_diff")
    app.add_template_global(chips.render, "chips")
    app.add_template_global(chips.in_html, "chips_in")
    app.add_template_global(codes.plain, "code_free")  # a unit's text without another paragraph's codes
    app.add_template_global(reports.unapproved, "unapproved_note")
    app.add_template_global(spelling.status, "spelling_status")
    app.add_template_global(lambda status: STATUS_LABELS.get(status, status), "status_label")
    app.add_template_filter(when, "when")
    app.add_template_filter(codes.to_labels, "code_labels")
    if not app.testing:
        threading.Thread(target=spelling.preload, args=(TARGET_LANGS,), daemon=True).start()


def when(stamp: str | None) -> Markup:
    """A stored UTC time as <time>: the page script shows it in the reader's own time zone."""
    return Markup('<time datetime="{0}">{0}</time>').format(stamp) if stamp else Markup("")
