"""Segment comments: anyone comments, the author or a reviewer resolves, counts and filter."""

from __future__ import annotations

import re

import pytest

from workbench.core.hygiene import LIMITS

from workbench.data import comments, store, users
from workbench.core.errors import UserError


def _comments_url(article, number):
    return f"/articles/{article['id']}/az/segments/{article['segments'][number - 1]['id']}/comments"


def _shown(html):
    return re.search(r'class="filter-line"[^>]*>([^<]*)<', html).group(1).strip()


def test_comment_badge_filter_and_resolve_rules(browser, article, instance):
    db = instance.db()
    users.add_user(db, "toby", "correct horse", "translator")
    db.close()
    rita, tina, toby = browser("rita"), browser("tina"), browser("toby")
    added = rita.post(_comments_url(article, 2), {"body": "Use <b>general-polkovnik</b> here, please."})
    assert added.status_code == 200
    assert "Use &lt;b&gt;general-polkovnik&lt;/b&gt; here, please." in added.text
    assert 'hx-swap-oob="true"' in added.text and "1 open comment" in added.text  # the segment's badge
    tina.post(_comments_url(article, 2), {"body": "Done, thanks."})
    editor = tina.get(f"/articles/{article['id']}/az/").text
    assert "2 open comments" in editor
    only_open = tina.get(f"/articles/{article['id']}/az/?comments=open").text
    assert _shown(only_open) == "1 of 3 segments shown" and 'aria-label="Translation of segment 2"' in only_open

    first, second = comments.for_segment(instance.db(), article["segments"][1]["id"], "az")
    resolve = f"/articles/{article['id']}/az/comments/{{}}/resolve"
    # Another translator may not resolve someone else's comment; the author and reviewers may.
    assert toby.post(resolve.format(first["id"]), {"resolved": "1"}).status_code == 403
    assert toby.post(resolve.format(second["id"]), {"resolved": "1"}).status_code == 403
    assert tina.post(resolve.format(first["id"]), {"resolved": "1"}).status_code == 403
    assert tina.post(resolve.format(second["id"]), {"resolved": "1"}).status_code == 200
    done = rita.post(resolve.format(first["id"]), {"resolved": "1"})
    assert done.status_code == 200 and "0 open of 2" in done.text and "resolved by rita" in done.text
    assert _shown(tina.get(f"/articles/{article['id']}/az/?comments=open").text) == "0 of 3 segments shown"
    reopened = rita.post(resolve.format(first["id"]), {"resolved": "0"})
    assert "1 open of 2" in reopened.text
    # Comments belong to one language's translation.
    assert "No comments yet." in tina.get(_comments_url(article, 2).replace("/az/", "/tr/"), htmx=True).text
    assert rita.post(resolve.format(first["id"]).replace("/az/", "/tr/"), {"resolved": "1"}).status_code == 404


def test_empty_or_misplaced_comments_are_refused(browser, article, instance):
    tina = browser("tina")
    empty = tina.post(_comments_url(article, 1), {"body": "   "})
    assert empty.status_code == 422 and "write the comment first" in empty.text
    assert tina.post(f"/articles/{article['id'] + 1}/az/segments/{article['segments'][0]['id']}/comments",
                     {"body": "x"}).status_code == 404
    assert instance.db()["segment_comments"].count == 0
    with pytest.raises(UserError):
        # the one limit for every door (core/hygiene.py LIMITS), the data layer's backstop included
        comments.add(instance.db(), article["segments"][0]["id"], "az", author="tina",
                     body="x" * (LIMITS["comment"] + 1))


def test_a_saved_segment_keeps_its_comment_badge(browser, article, instance):
    db = instance.db()
    comments.add(db, article["segments"][0]["id"], "az", author="rita", body="Check the title.")
    db.close()
    tina = browser("tina")
    saved = tina.post(f"/articles/{article['id']}/az/segments/{article['segments'][0]['id']}",
                      {"text": "Bakıda danışıqlar", "base_version": 0})
    assert "1 open comment" in saved.text
    assert store.get_translation(instance.db(), article["segments"][0]["id"], "az")["version"] == 1
