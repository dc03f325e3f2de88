"""Every page an admin can reach by following links renders in Chromium without a CSP violation."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from workbench.data import store, users

from .test_browser import PASSWORD, _login, chromium, pytestmark, server  # noqa: F401 (fixtures)

SKIP = ("export", "download", "/logout")  # downloads and actions, not pages


def test_every_linked_page_passes_the_content_security_policy(server, chromium, instance):  # noqa: F811
    db = instance.db()
    users.add_user(db, "adam", PASSWORD, "admin")
    segment = store.segments(db, server["article"])[1]
    store.save_translation(db, segment["id"], "az", "Rahimov Bakıda görüşdü 2020.", base_version=0, user="tina")
    db.close()
    page = chromium.new_page()
    _login(page, server["url"], "adam")
    queue, seen = [server["url"] + "/"], set()
    while queue and len(seen) < 60:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        page.wait_for_load_state("networkidle")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            if (urlsplit(target).netloc == urlsplit(server["url"]).netloc and target not in seen
                    and not any(s in target for s in SKIP)):
                queue.append(target)
    # The editor's htmx side panel and a save, so swapped-in partials are checked too.
    page.goto(f"{server['url']}/articles/{server['article']}/az/")
    box = page.get_by_label("Translation of segment 2", exact=True)
    box.focus()
    box.fill("Rahimov Bakıda görüşdü.")
    box.press("Control+Enter")
    page.wait_for_load_state("networkidle")
    assert len(seen) >= 8, sorted(seen)  # articles, editor, glossary, memory, effort, admin, ...
    # The chromium fixture fails this test if any of these pages reported a CSP violation.
