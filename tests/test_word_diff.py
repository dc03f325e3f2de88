"""The word diff (history, source changes, TM matches): exact on ordinary edits, bounded on hostile text."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core import alignment as versions
from workbench.core.alignment import word_diff_ops

WORDS = st.lists(st.sampled_from(["Bakı", "12", "x", "talks", "in", "Baku", "<b>"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS)
def test_the_diff_rebuilds_both_texts(old, new):
    ops = word_diff_ops(" ".join(old), " ".join(new))
    assert " ".join(w for kind, w in ops if kind != "insert").split() == old
    assert " ".join(w for kind, w in ops if kind != "delete").split() == new


def test_an_edit_in_a_long_sentence_is_still_shown_word_by_word():
    words = [f"w{i}" for i in range(1000)]
    edited = words[:500] + ["changed"] + words[501:]
    ops = word_diff_ops(" ".join(words), " ".join(edited))
    assert [kind for kind, _ in ops] == ["equal", "delete", "insert", "equal"]
    assert ops[1:3] == [("delete", "w500"), ("insert", "changed")]


def test_a_long_repetitive_change_is_shown_replaced_whole_without_the_quadratic_matcher(monkeypatch):
    """A translator's save may hold any text: 1,000 repetitive words took SequenceMatcher 4.6 s."""
    calls = []
    real = difflib.SequenceMatcher
    monkeypatch.setattr(versions.difflib, "SequenceMatcher", lambda *a, **k: calls.append(1) or real(*a, **k))
    old, new = "Bakı 12 " * 350, "Bakı 12 x " * 233
    ops = word_diff_ops(old, new)
    assert calls == []
    assert " ".join(w for kind, w in ops if kind != "insert").split() == old.split()
    assert " ".join(w for kind, w in ops if kind != "delete").split() == new.split()
    word_diff_ops("a b c d", "a x c d")
    assert calls == [1]  # an ordinary edit still goes through the matcher
