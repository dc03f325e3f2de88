"""Every view through Flask's test client: login, roles, CSRF, htmx partials, conflicts, escaping."""

import io

import pytest

from workbench.data import store


def _editor(article, lang="az"):
    return f"/articles/{article['id']}/{lang}/"


def _save_url(article, index, lang="az"):
    return f"/articles/{article['id']}/{lang}/segments/{article['segments'][index]['id']}"


@pytest.mark.parametrize("url", ["/", "/glossary/", "/admin/", "/jobs/1", "/articles/1/az/",
                                 "/articles/1/export?lang=az"])
def test_every_page_needs_a_login(app, url):
    response = app.test_client().get(url)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_htmx_request_without_login_is_told_to_redirect(app):
    response = app.test_client().get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"


def test_login_page_and_static_files_are_public(app):
    client = app.test_client()
    page = client.get("/login")
    assert page.status_code == 200
    assert '<label for="username">Username</label>' in page.text
    assert '<label for="password">Password</label>' in page.text and ">Sign in</button>" in page.text
    assert client.get("/static/htmx.min.js").status_code == 200


def test_wrong_password(app):
    client = app.test_client()
    import re
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"username": "tina", "password": "nope", "csrf_token": token})
    assert response.status_code == 401 and "Wrong username or password" in response.text


def test_login_refused_without_csrf(app):
    response = app.test_client().post("/login", data={"username": "tina", "password": "correct horse"})
    assert response.status_code == 400 and "CSRF" in response.text


def test_unsafe_request_without_csrf_token_is_refused(browser, article):
    tina = browser("tina")
    response = tina.post(_save_url(article, 1), {"text": "x", "base_version": 0}, csrf=False)
    assert response.status_code == 400
    assert store.get_translation(tina.client.application.config["INSTANCE"].db(),
                                 article["segments"][1]["id"], "az") is None


def test_dashboard_full_page_and_partial(browser, article):
    tina = browser()
    full = tina.get("/")
    assert full.status_code == 200 and "<html" in full.text and "Talks in Baku" in full.text
    assert "HX-Request" in full.headers["Vary"]
    partial = tina.get("/", htmx=True)
    assert "<html" not in partial.text and partial.text.lstrip().startswith('<section id="article-list">')
    history_restore = tina.client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in history_restore.text


def test_import_by_paste_and_upload(browser):
    tina = browser()
    response = tina.post("/articles", {"text": "Pasted title\nOne. Two.", "format": "txt"}, htmx=False)
    assert response.status_code == 302
    upload = tina.post("/articles", {"file": (io.BytesIO(b"# Uploaded\n\nBody text."), "a.md")},
                       htmx=False, content_type="multipart/form-data")
    assert upload.status_code == 302
    page = tina.get("/").text
    assert "Pasted title" in page and "Uploaded" in page
    bad = tina.post("/articles", {"file": (io.BytesIO(b"MZ\x00"), "virus.exe")}, htmx=False,
                    content_type="multipart/form-data")
    assert bad.status_code == 400 and "virus.exe: not an article file" in bad.text


def test_upload_size_limit(browser):
    tina = browser()
    big = io.BytesIO(b"a" * (6 * 1024 * 1024))
    response = tina.post("/articles", {"file": (big, "big.txt")}, htmx=False, content_type="multipart/form-data")
    assert response.status_code == 413 and "<html" in response.text and "Traceback" not in response.text


def test_editor_labels_statuses_and_escaping(browser, article):
    page = browser().get(_editor(article)).text
    assert 'aria-label="Translation of segment 1"' in page and 'aria-label="Save segment 3"' in page
    assert "Approve segment" not in page  # translators do not approve
    assert page.count(">untranslated</span>") == 3
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<mark class="term" title="rank.colonel_general: general-polkovnik" data-term="general-polkovnik">Col-Gen</mark>' in page


def test_save_returns_the_segment_and_oob_counters_then_conflict(browser, article, instance):
    tina, rita = browser("tina"), browser("rita")
    url = _save_url(article, 1)
    saved = tina.post(url, {"text": "Col-Gen Rəhimov Bakıda görüşdü.", "base_version": 0, "action": "save"})
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith(f'<li class="seg status-edited" id="seg-{article["segments"][1]["id"]}"')
    assert '<div id="counters" class="counters" aria-live="polite" hx-swap-oob="true">' in saved.text
    assert "1 edited" in saved.text and ">edited</span>" in saved.text
    stale = rita.post(url, {"text": "Başqa mətn.", "base_version": 0, "action": "save"})
    assert stale.status_code == 409
    assert "Başqa mətn." in stale.text and "Col-Gen Rəhimov Bakıda görüşdü." in stale.text
    assert "Keep mine" in stale.text and "Take theirs" in stale.text
    db = instance.db()
    assert store.get_translation(db, article["segments"][1]["id"], "az")["text"] == "Col-Gen Rəhimov Bakıda görüşdü."
    keep = rita.post(url, {"text": "Başqa mətn.", "base_version": 1, "action": "save"})
    assert keep.status_code == 200
    history = store.history(db, article["segments"][1]["id"], "az")
    assert [(h["changed_by"], h["after_text"]) for h in history] == [
        ("rita", "Başqa mətn."), ("tina", "Col-Gen Rəhimov Bakıda görüşdü.")]


def test_term_findings_are_stored_and_shown(browser, article, instance):
    tina = browser()
    tina.post(_save_url(article, 1), {"text": "Rəhimov Baki şəhərində görüşdü.", "base_version": 0})
    details = tina.get(_save_url(article, 1) + "/details", htmx=True)
    assert "rank.colonel_general: <strong>missing</strong>" in details.text
    assert "<html" not in details.text and 'aria-label="Insert Bakı"' in details.text


def test_only_reviewers_approve(browser, article):
    url = _save_url(article, 0)
    assert browser("tina").post(url, {"text": "Bakıda danışıqlar", "base_version": 0, "action": "approve"}).status_code == 403
    rita = browser("rita")
    assert 'aria-label="Approve segment 1"' in rita.get(_editor(article)).text
    approved = rita.post(url, {"text": "Bakıda danışıqlar", "base_version": 0, "action": "approve"})
    assert approved.status_code == 200 and ">approved</span>" in approved.text


def test_restore_an_earlier_version(browser, article, instance):
    tina = browser()
    url = _save_url(article, 0)
    tina.post(url, {"text": "Birinci", "base_version": 0})
    tina.post(url, {"text": "İkinci", "base_version": 1})
    restored = tina.post(url + "/restore/1", {"base_version": 2})
    assert restored.status_code == 200 and "Birinci" in restored.text
    row = store.get_translation(instance.db(), article["segments"][0]["id"], "az")
    assert (row["text"], row["version"]) == ("Birinci", 3)


def test_filters(browser, article):
    tina = browser()
    tina.post(_save_url(article, 1), {"text": "Bakıda görüşdü.", "base_version": 0})
    with_findings = tina.get(_editor(article) + "?only=findings").text
    assert with_findings.count('class="seg ') == 1
    assert tina.get(_editor(article) + "?only=unapproved").text.count('class="seg ') == 3


def test_background_translation_job(browser, article, cli, tiny_packages):
    cli("models", "install", str(tiny_packages["en_az"]))
    tina = browser()
    started = tina.post(f"/articles/{article['id']}/translate", {"lang": "az"})
    assert started.status_code == 200 and "MT job" in started.text
    job_id = int(started.text.split('id="job-')[1].split('"')[0])
    status = tina.get(f"/jobs/{job_id}", htmx=True)
    assert "done" in status.text and "hx-trigger" not in status.text
    assert "3 MT draft" in tina.get(_editor(article)).text
    missing = tina.post(f"/articles/{article['id']}/translate", {"lang": "tr"})
    assert missing.status_code == 400 and "en-&gt;tr" in missing.text
    assert 'value="az" checked' in tina.get("/").text and 'value="tr" checked' not in tina.get("/").text
    none = tina.post(f"/articles/{article['id']}/translate", {})
    assert none.status_code == 400 and "tick at least one language" in none.text


def test_export_download(browser, article):
    response = browser().get(f"/articles/{article['id']}/export?lang=az&format=html")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "attachment" in response.headers["Content-Disposition"]


def test_glossary_search_and_admin_edits(browser):
    tina, adam = browser("tina"), browser("adam")
    results = tina.get("/glossary/?q=bakı", htmx=True).text
    assert "place.baku" in results and "<html" not in results
    assert "place.baku" in tina.get("/glossary/?q=Баку").text
    assert "rank.colonel" in tina.get("/glossary/?domain=rank").text and "place.baku" not in tina.get("/glossary/?domain=rank").text
    form = {"id": "place.ganja", "domain": "place", "note": "test", "source": "",
            "terms_en": "Ganja", "terms_az": "Gəncə", "terms_tr": "Gence", "terms_ru": "Гянджа"}
    assert tina.post("/glossary/places-organisations/concepts/new", form, htmx=False).status_code == 403
    assert adam.post("/glossary/places-organisations/concepts/new", form, htmx=False).status_code == 302
    assert "Gəncə" in tina.get("/glossary/?q=ganja").text
    duplicate = adam.post("/glossary/places-organisations/concepts/new", {**form, "id": "place.baku"}, htmx=False)
    assert duplicate.status_code == 400 and "exists already" in duplicate.text
    bad = adam.post("/glossary/places-organisations/concepts/place.ganja", {**form, "domain": "planet"}, htmx=False)
    assert bad.status_code == 400 and "unknown domain" in bad.text
    assert adam.post("/glossary/places-organisations/concepts/place.ganja/delete", htmx=False).status_code == 302
    assert "place.ganja" not in tina.get("/glossary/?q=ganja").text


def test_glossary_import_and_export_in_the_browser(browser):
    adam = browser("adam")
    csv = b"id,domain,note,en,az\nplace.lankaran,place,,Lankaran,L\xc9\x99nk\xc9\x99ran\n"
    response = adam.post("/glossary/import", {"file": (io.BytesIO(csv), "south.csv")}, htmx=False,
                         content_type="multipart/form-data")
    assert response.status_code == 302
    exported = adam.get("/glossary/export?format=csv&glossary=south")
    assert "place.lankaran" in exported.text and "Lənkəran" in exported.text
    bad = adam.post("/glossary/import", {"file": (io.BytesIO(b"id,domain\n,place\n"), "bad.csv")},
                    htmx=False, content_type="multipart/form-data")
    assert bad.status_code == 400 and "bad.csv: 1 invalid entry; nothing was imported" in bad.text
    assert "concept (line 2): the concept has no id" in bad.text


def test_admin_pages_need_the_admin_role(browser):
    assert browser("rita").get("/admin/").status_code == 403
    adam = browser("adam")
    assert adam.get("/admin/").status_code == 200
    added = adam.post("/admin/users", {"name": "new", "password": "long enough", "role": "reviewer"}, htmx=False)
    assert added.status_code == 302 and "new" in adam.get("/admin/").text


def test_errors_are_pages_without_tracebacks(browser):
    tina = browser()
    missing = tina.get("/articles/999/az/")
    assert missing.status_code == 404 and "article 999 does not exist" in missing.text
    assert "<html" in missing.text and "Traceback" not in missing.text
    assert tina.get("/articles/1/xx/").status_code == 404


def test_approving_a_segment_with_an_error_needs_a_reason(browser, article, instance):
    rita = browser("rita")
    url = _save_url(article, 1)
    same = "Col-Gen Rahimov met officials in Baku."  # left in English: an error
    refused = rita.post(url, {"text": same, "base_version": 0, "action": "approve"})
    assert refused.status_code == 422
    assert "This translation has errors" in refused.text and "Reason for approving it anyway" in refused.text
    assert "The translation is the same as the English source." in refused.text
    assert store.get_translation(instance.db(), article["segments"][1]["id"], "az") is None
    approved = rita.post(url, {"text": same, "base_version": 0, "action": "approve",
                               "reason": "quoted in English on purpose"})
    assert approved.status_code == 200 and ">approved</span>" in approved.text
    (entry,) = store.history(instance.db(), article["segments"][1]["id"], "az")
    assert entry["note"] == "approved despite errors: quoted in English on purpose"


def test_details_show_memory_matches_and_qa(browser, article, instance):
    from workbench.data import tm

    tm.add_unit(instance.db(), "Col-Gen Rahimov met officials in Ganja.", "General-polkovnik Rəhimov Gəncədə görüşdü.", "az")
    tina = browser()
    tina.post(_save_url(article, 1), {"text": "Rəhimov  görüşdü", "base_version": 0})
    details = tina.get(_save_url(article, 1) + "/details", htmx=True).text
    assert "General-polkovnik Rəhimov Gəncədə görüşdü." in details and "<del>Ganja.</del>" in details
    assert "Double space inside the translation." in details and "<h3>Findings</h3>" in details


def test_memory_stats_and_xliff_pages(browser, article, instance, fake_engine):
    from workbench.services.machine_translation import translate_pending

    translate_pending(instance.db(), {"az": fake_engine("az")})
    adam = browser("adam")
    xliff = adam.get(f"/articles/{article['id']}/export?lang=az&format=xliff")
    assert xliff.status_code == 200 and b"<trans-unit" in xliff.data
    edited = xliff.data.replace(b"[az] They discussed", b"Onlar m\xc3\xbczakir\xc9\x99 etdil\xc9\x99r")
    back = adam.post("/articles/import-xliff", {"file": (io.BytesIO(edited), "a.xlf")}, htmx=False,
                     content_type="multipart/form-data")
    assert back.status_code == 302
    assert "1 segment updated," in adam.get(back.headers["Location"]).text
    stats = adam.get("/stats")
    assert stats.status_code == 200 and '<svg class="chart"' in stats.text and "mt:fake-en_az" in stats.text
    assert adam.get("/memory").status_code == 200
    tmx = b'<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>Hi</seg></tuv><tuv xml:lang="tr"><seg>Selam</seg></tuv></tu></body></tmx>'
    assert adam.post("/memory/import", {"file": (io.BytesIO(tmx), "m.tmx")}, htmx=False,
                     content_type="multipart/form-data").status_code == 302
    assert b"Selam" in adam.get("/memory/export?lang=tr").data


def test_a_save_without_htmx_still_posts_and_returns_to_the_editor(browser, article, instance):
    tina = browser()
    page = tina.get(_editor(article)).text
    assert f'method="post" action="{_save_url(article, 1)}"' in page
    saved = tina.post(_save_url(article, 1), {"text": "Bakıda görüşdülər.", "base_version": 0}, htmx=False)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#seg-{article['segments'][1]['id']}")
    assert store.get_translation(instance.db(), article["segments"][1]["id"], "az")["text"] == "Bakıda görüşdülər."
    stale = tina.post(_save_url(article, 1), {"text": "Köhnə.", "base_version": 0}, htmx=False)
    assert stale.status_code == 409 and "<html" in stale.text and "Keep mine" in stale.text


def test_admin_chooses_the_engine_per_language(browser, instance, tiny_packages):
    import re

    from workbench.core.mt import packages
    from workbench.core.mt.synthetic import build_family_model

    packages.install(tiny_packages["en_az"], instance.models_dir)
    from workbench.core.mt import families
    families.install(build_family_model(instance.path / "src" / "m2m", "m2m100", seed=5),
                     instance.models_dir, name="m2m-tiny")
    instance.settings_file.write_text("# ours\n[mt]\nbeam_size = 2\n", encoding="utf-8")
    adam = browser("adam")
    page = adam.get("/admin/").text
    assert 'id="engine-az"' in page and ">m2m-tiny</option>" in page and "MIT" in page.upper()
    version = re.search(r'name="settings_version" value="([^"]+)"', page).group(1)
    assert browser("rita").post("/admin/engines", {"engine_az": "m2m-tiny", "settings_version": version},
                                htmx=False).status_code == 403
    saved = adam.post("/admin/engines", {"engine_az": "m2m-tiny", "engine_tr": "", "engine_ru": "",
                                         "settings_version": version}, htmx=False)
    assert saved.status_code == 302
    assert instance.mt_engines() == {"az": "m2m-tiny"} and instance.mt_settings().beam_size == 2
    assert "# ours" in instance.settings_file.read_text()
    assert '<option value="m2m-tiny" selected>' in adam.get("/admin/").text
    stale = adam.post("/admin/engines", {"engine_az": "", "settings_version": version}, htmx=False)
    assert stale.status_code == 409 and instance.mt_engines() == {"az": "m2m-tiny"}  # older page: refused
    bad = adam.post("/admin/engines", {"engine_az": "translate-en_tr-1_0",
                                       "settings_version": re.search(r'name="settings_version" value="([^"]+)"',
                                                                     adam.get("/admin/").text).group(1)},
                    htmx=False)
    assert bad.status_code == 400 and instance.mt_engines() == {"az": "m2m-tiny"}
