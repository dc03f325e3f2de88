"""The consistency page and the editor's consistency findings, through the test client."""

from workbench.data import store


def test_consistency_page_lists_and_links(browser, instance, consistency_seed):
    db = instance.db()
    first, second = consistency_seed(db)
    page = browser("tina").get("/consistency").text
    assert "Vusal Mammadli" in page and "Vüsal Məmmədli" in page and "Yukarı Karabağ" in page
    segment = store.segments(db, first)[1]
    assert f"/articles/{first}/tr/segments/{segment['id']}" in page
    assert "No inconsistencies." in browser("tina").get("/consistency?lang=az").text
    assert "Vusal Mammadli" in browser("tina").get("/consistency?lang=nonsense").text  # unknown: all


def test_editor_details_show_the_segments_inconsistencies(browser, instance, consistency_seed):
    db = instance.db()
    first, second = consistency_seed(db)
    segment = store.segments(db, second)[1]
    details = browser("tina").get(f"/articles/{second}/tr/segments/{segment['id']}/details", htmx=True).text
    assert "Consistency" in details
    assert "Vusal Memmedli" in details and f"{first}:2" in details  # the other article's rendering
    assert "Karabağ" in details
    # a segment whose renderings agree with the archive
    third = store.segments(db, first)[2]
    calm = browser("tina").get(f"/articles/{first}/tr/segments/{third['id']}/details", htmx=True).text
    assert "Consistent with the archive." in calm
