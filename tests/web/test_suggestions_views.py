"""Suggestions and glossary search through the test client."""

from workbench.data import termbase as store_terms

FORM = {"glossary": "places-organisations", "id": "place.ganja", "domain": "place", "note": "",
        "source": "", "terms_en": "Ganja", "terms_az": "Gəncə", "terms_tr": "", "terms_ru": "",
        "comment": "second city"}


def test_translator_suggests_admin_accepts_and_rejects(browser, instance):
    tina, adam = browser("tina"), browser("adam")
    assert "Suggest a new concept" in tina.get("/glossary/suggestions/").text
    assert tina.post("/glossary/suggestions/new", FORM, htmx=False).status_code == 302
    page = tina.get("/glossary/suggestions/").text
    assert "place.ganja" in page and "second city" in page and "Accept" not in page
    assert tina.post("/glossary/suggestions/1/accept", htmx=False).status_code == 403
    assert "Accept suggestion 1" in adam.get("/glossary/suggestions/").text
    assert adam.post("/glossary/suggestions/1/accept", {"note": "ok"}, htmx=False).status_code == 302
    assert store_terms.get_concept(instance.db(), "places-organisations", "place.ganja").terms_in("az")[0].text == "Gəncə"
    assert "accepted by adam" in tina.get("/glossary/suggestions/").text
    again = adam.post("/glossary/suggestions/1/reject", htmx=False)
    assert again.status_code == 409 and "accepted already" in again.text
    # a change of an existing concept, rejected: the concept stays as it was
    concept_page = tina.get("/glossary/places-organisations/concepts/place.baku").text
    assert "Suggest a change to this concept" in concept_page
    form = tina.get("/glossary/suggestions/new?glossary=places-organisations&concept=place.baku").text
    assert 'value="Bakı"' in form
    change = {**FORM, "id": "place.baku", "terms_en": "Baku", "terms_az": "Bakı | !Baku"}
    assert tina.post("/glossary/suggestions/new?glossary=places-organisations&concept=place.baku", change,
                     htmx=False).status_code == 302
    assert adam.post("/glossary/suggestions/2/reject", {"note": "house style"}, htmx=False).status_code == 302
    assert "rejected by adam" in tina.get("/glossary/suggestions/").text
    assert not store_terms.get_concept(instance.db(), "places-organisations", "place.baku").terms_in("az", "forbidden")


def test_suggestion_form_validates(browser):
    tina = browser("tina")
    no_english = tina.post("/glossary/suggestions/new", {**FORM, "terms_en": ""}, htmx=False)
    assert no_english.status_code == 400 and "no English term" in no_english.text
    no_domain = tina.post("/glossary/suggestions/new", {**FORM, "domain": ""}, htmx=False)
    assert no_domain.status_code == 400 and "choose a domain" in no_domain.text


def test_glossary_search_inflected_and_folded(browser):
    tina = browser("tina")
    assert "place.baku" in tina.get("/glossary/?q=Bakıda", htmx=True).text
    assert "place.shusha" in tina.get("/glossary/?q=susa", htmx=True).text
    assert "place.baku" not in tina.get("/glossary/?q=susa", htmx=True).text


def test_concept_notes_next_to_the_term_in_the_editor(browser, article):
    segment = article["segments"][1]  # "Col-Gen Rahimov met officials in Baku."
    details = browser("tina").get(f"/articles/{article['id']}/tr/segments/{segment['id']}/details", htmx=True).text
    assert 'aria-label="Note on rank.colonel_general"' in details
    assert "NO Turkish equivalent" in details  # the shipped note tells the translator why tr is empty
