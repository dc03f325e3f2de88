"""Term candidates page and the concept form's rules, through the test client."""

from workbench.data import termbase as store_terms

FORM = {"id": "place.ganja", "domain": "place", "note": "", "source": "",
        "terms_en": "Ganja", "terms_az": "Gəncə", "terms_tr": "Gence", "terms_ru": "Гянджа"}


def test_candidates_page_and_one_click_add(browser, instance, candidates_seed):
    db = instance.db()
    candidates_seed(db)
    tina, adam = browser("tina"), browser("adam")
    page = tina.get("/glossary/candidates/").text
    assert "Vusal Mammadli" in page and "Vüsal Məmmədli" in page and "Add concept" not in page
    admin_page = adam.get("/glossary/candidates/").text
    assert 'value="other.vusal_mammadli"' in admin_page and "Add concept" in admin_page
    form = {"en": "Vusal Mammadli", "id": "other.vusal_mammadli", "domain": "other",
            "glossary": "people-and-media", "term_az": "Vüsal Məmmədli", "term_tr": "Vusal Memmedli", "term_ru": ""}
    assert tina.post("/glossary/candidates/add", form, htmx=False).status_code == 403
    assert adam.post("/glossary/candidates/add", form, htmx=False).status_code == 302
    concept = store_terms.get_concept(db, "people-and-media", "other.vusal_mammadli")
    assert [(t.lang, t.text) for t in concept.terms] == [
        ("en", "Vusal Mammadli"), ("az", "Vüsal Məmmədli"), ("tr", "Vusal Memmedli")]
    assert "Vusal Mammadli" not in tina.get("/glossary/candidates/").text  # now in the glossary
    again = adam.post("/glossary/candidates/add", form, htmx=False)
    assert again.status_code == 400 and "exists already" in again.text
    no_domain = adam.post("/glossary/candidates/add", {**form, "id": "x.y", "domain": ""}, htmx=False)
    assert no_domain.status_code == 400 and "Choose a domain" in no_domain.text
    no_english = adam.post("/glossary/candidates/add", {**form, "id": "x.z", "en": ""}, htmx=False)
    assert no_english.status_code == 400 and "no English term" in no_english.text


def test_concept_form_needs_english_and_a_chosen_domain(browser):
    adam = browser("adam")
    assert 'value="" selected>choose a domain' in adam.get("/glossary/places-organisations/concepts/new").text
    no_domain = {k: v for k, v in FORM.items() if k != "domain"}
    refused = adam.post("/glossary/places-organisations/concepts/new", no_domain, htmx=False)
    assert refused.status_code == 400 and "choose a domain" in refused.text
    no_english = adam.post("/glossary/places-organisations/concepts/new", {**FORM, "terms_en": ""}, htmx=False)
    assert no_english.status_code == 400 and "no English term" in no_english.text
    assert adam.post("/glossary/places-organisations/concepts/new", FORM, htmx=False).status_code == 302


def test_the_candidates_page_recomputes_only_when_its_inputs_change(browser, instance, monkeypatch, candidates_seed, make_article, approve):
    from workbench.services import story_versions as article_versions, candidates
    from workbench.data import store
    from workbench.core.segment import segment_text
    from workbench.core.terms.model import Concept, Term

    db = instance.db()
    first, second = candidates_seed(db)
    computed = []
    real = candidates.candidates

    def counting(*args):
        computed.append(args[1:])
        return real(*args)

    monkeypatch.setattr(candidates, "candidates", counting)
    tina = browser("tina")

    def page(url="/glossary/candidates/"):
        response = tina.get(url)
        assert response.status_code == 200
        return response.text

    assert "Vusal Mammadli" in page() and "Vusal Mammadli" in page()
    assert len(computed) == 1  # the second request reused the first one's work
    segment = store.segments(db, first)[2]
    store.save_translation(db, segment["id"], "tr", "Hazar Enerji Forumu yetkilileri de geldi.",
                           base_version=None, user="t", status="edited")
    page()
    assert len(computed) == 1  # a draft is no input: candidates read approved translations only
    approve(db, first, "ru", ["Генерал-полковник Рагимов встретился с Вусалом Мамедли в Баку."])
    page()
    assert len(computed) == 2  # an approval changed the renderings
    store_terms.save_concept(db, "people-and-media", Concept("other.vusal_mammadli", "other", terms=[
        Term("en", "Vusal Mammadli")]), user="adam")
    assert "Vusal Mammadli" not in page()
    assert len(computed) == 3  # a glossary change
    article_versions.update_article(db, second, title=None, byline=None, filename=None, fmt="txt",
                                    segmentation=segment_text("Later Elnur Qasimli flew to Ankara."), user="cms")
    assert "Elnur Qasimli" in page()
    assert len(computed) == 4  # a new version of an article's text
    make_article(db, "Officials said Leyla Aliyeva met them.")
    assert "Leyla Aliyeva" in page() and len(computed) == 5  # a new article
    page(f"/glossary/candidates/?article={first}")
    page(f"/glossary/candidates/?article={first}")
    assert computed[5:] == [(first, None)]  # each view is computed once, apart from the others
    page()
    assert len(computed) == 6
    db.close()
