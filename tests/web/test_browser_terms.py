"""Terminology pages in a real browser: consistency, one-click candidates, suggestions."""

from __future__ import annotations

import os

import pytest

SHOTS = os.environ.get("WORKBENCH_SCREENSHOTS")


@pytest.fixture
def terms_server(live_servers, live_article, consistency_seed):
    """A server of its own (the consistency report, candidates and suggestion numbers are
    instance-wide): the consistency seed, then the three-segment article."""
    db = live_servers.get("terms")["instance"].db()
    consistency_seed(db)
    db.close()
    return live_article(kind="terms")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_consistency_candidates_and_suggestions(terms_server, chromium, login):
    from playwright.sync_api import expect

    url = terms_server["url"]
    tina = chromium.new_page()
    login(tina, url, "tina")
    tina.get_by_role("link", name="Consistency").click()
    expect(tina.locator("table.inconsistencies")).to_contain_text("Vusal Mammadli")
    expect(tina.locator("table.inconsistencies")).to_contain_text("Vüsal Məmmədli")
    _shot(tina, "consistency.png")
    tina.get_by_label("Language").select_option("az")
    tina.get_by_role("button", name="Show").click()
    expect(tina.get_by_text("No inconsistencies.")).to_be_visible()

    tina.goto(url + "/glossary/suggestions/new")
    tina.get_by_label("Glossary").select_option("places-organisations")
    tina.get_by_label("Concept id").fill("place.ganja")
    tina.get_by_label("Domain").select_option("place")
    tina.get_by_label("Terms (en)").fill("Ganja")
    tina.get_by_label("Terms (az)").fill("Gəncə")
    tina.get_by_label("Why (for the admin)").fill("second city")
    tina.get_by_role("button", name="Send suggestion").click()
    expect(tina.locator("#flash")).to_contain_text("Suggestion 1 sent")

    adam = chromium.new_page()
    login(adam, url, "adam")
    adam.goto(url + "/glossary/candidates/")
    expect(adam.get_by_label("Domain for Vusal Mammadli")).to_have_value("other")
    _shot(adam, "candidates.png")
    adam.get_by_role("button", name="Add Vusal Mammadli to the glossary").click()
    expect(adam.locator("#flash")).to_contain_text("Added concept other.vusal_mammadli")
    expect(adam.get_by_role("button", name="Add Vusal Mammadli to the glossary")).to_have_count(0)

    adam.goto(url + "/glossary/suggestions/")
    adam.get_by_label("Note on suggestion 1").fill("sourced")
    adam.get_by_role("button", name="Accept suggestion 1").click()
    expect(adam.locator("#suggestion-1")).to_contain_text("accepted by adam")
    _shot(adam, "suggestions.png")
    adam.goto(url + "/glossary/?q=gence")
    expect(adam.locator("#results")).to_contain_text("place.ganja")
