"""Every page an admin can reach by following links renders in Chromium without a CSP violation."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from workbench.data import store

SKIP = ("export", "download", "/logout")  # downloads and actions, not pages
TABS = 6


def test_every_linked_page_passes_the_content_security_policy(server, chromium, login):
    db = server["instance"].db()  # the shared server has the account adam (admin) already
    segment = store.segments(db, server["article"])[1]
    store.save_translation(db, segment["id"], "az", "Rahimov Bakıda görüşdü 2020.", base_version=0, user="tina")
    db.close()
    page = chromium.new_page()
    login(page, server["url"], "adam")
    # Breadth first, a batch of pages at a time in tabs of the signed-in context: each page is still
    # waited on until its network is idle (500 ms without a request), but the tabs wait together.
    tabs = [page] + [page.context.new_page() for _ in range(TABS - 1)]
    queue, seen = [server["url"] + "/"], set()
    while queue and len(seen) < 60:
        batch = []
        while queue and len(batch) < min(TABS, 60 - len(seen)):
            url = queue.pop(0)
            if url not in seen:
                seen.add(url)
                batch.append(url)
        for tab, url in zip(tabs, batch):
            tab.goto(url, wait_until="commit")
        for tab, url in zip(tabs, batch):
            tab.wait_for_load_state("load")
            tab.wait_for_load_state("networkidle")
            for href in tab.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
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
