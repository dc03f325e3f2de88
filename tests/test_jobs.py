"""Bulk translation: across articles, resumable, never over a human edit, batches atomic."""

from workbench.data import store
from workbench.services.machine_translation import translate_pending
from workbench.core.segment import segment_text


def _import(db, text):
    return store.create_article(db, title="t", byline=None, filename="a.txt", fmt="txt",
                                segmentation=segment_text(text))


def test_translates_pending_segments_of_all_articles_and_is_idempotent(db, fake_engine):
    first = _import(db, "One. Two. Three.")
    second = _import(db, "Four. Five.")
    engine = fake_engine("az")
    run = translate_pending(db, {"az": engine}, batch_size=2)
    assert run.to_json()["languages"]["az"]["translated"] == 5
    assert engine.calls == 3  # 5 segments in batches of 2, across both articles
    rows = store.article_translations(db, second, "az")
    texts = sorted(r["text"] for r in rows.values())
    assert texts == ["[az] Five.", "[az] Four."]
    row = next(iter(rows.values()))
    assert row["status"] == "mt_draft" and row["origin"] == "mt:fake-en_az"
    assert row["mt_text"] == row["text"] and len(row["alternatives"]) == 3
    assert store.progress(db, first, "az")["mt_draft"] == 3
    again = translate_pending(db, {"az": engine})
    assert again.to_json()["translated"] == 0


def test_force_redoes_drafts_but_never_a_human_edit(db, fake_engine):
    article = _import(db, "One. Two.")
    translate_pending(db, {"az": fake_engine("az")})
    one, two = store.segments(db, article)
    draft = store.get_translation(db, one["id"], "az")
    store.save_translation(db, one["id"], "az", "Bir.", base_version=draft["version"], user="ana")
    run = translate_pending(db, {"az": fake_engine("az", hypotheses=1)}, force=True)
    assert run.results[0].translated == 1
    assert store.get_translation(db, one["id"], "az")["text"] == "Bir."
    assert store.get_translation(db, two["id"], "az")["version"] == 2
    assert [h["after_text"] for h in store.history(db, one["id"], "az")] == ["Bir.", "[az] One."]


def test_interrupted_run_keeps_finished_batches_and_resumes(db, fake_engine):
    article = _import(db, "One. Two. Three. Four.")
    run = translate_pending(db, {"az": fake_engine("az", fail_on_call=2)}, batch_size=2)
    assert run.interrupted and run.results[0].translated == 2
    assert store.progress(db, article, "az") == {"untranslated": 2, "mt_draft": 2, "edited": 0,
                                                 "approved": 0, "source_changed": 0,
                                                 "needs_review": 0, "total": 4}
    resumed = translate_pending(db, {"az": fake_engine("az")}, batch_size=2)
    assert resumed.results[0].pending == 2 and resumed.results[0].translated == 2


def test_a_failing_batch_writes_nothing_of_itself(db, fake_engine, monkeypatch):
    article = _import(db, "One. Two.")
    calls = {"n": 0}
    real_put = store.put_translation

    def flaky_put(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real_put(*args, **kwargs)

    monkeypatch.setattr(store, "put_translation", flaky_put)
    try:
        translate_pending(db, {"az": fake_engine("az")})
    except RuntimeError:
        pass
    assert store.article_translations(db, article, "az") == {}


def test_segments_people_save_while_the_job_runs_are_not_machine_translated(db, fake_engine):
    """The job asks again what is pending before each chunk (it used to fix the list at the start)."""
    _import(db, " ".join(f"Sentence number {i} is here." for i in range(10)))
    segments = store.pending_segments(db, "az")
    engine = fake_engine("az")
    seen = []
    real_translate = engine.translate

    def translate(texts):
        seen.extend(texts)
        if engine.calls == 0:  # while the first chunk translates, a translator finishes three others
            for row in segments[-3:]:
                store.save_translation(db, row["id"], "az", "Bir insan.", base_version=None, user="ana")
        return real_translate(texts)

    engine.translate = translate
    run = translate_pending(db, {"az": engine}, batch_size=4)
    saved_by_people = {row["text"] for row in segments[-3:]}
    assert not saved_by_people & set(seen)
    assert len(seen) == 7
    assert run.results[0].translated == 7 and run.results[0].kept_human == 3
    assert {store.get_translation(db, row["id"], "az")["text"] for row in segments[-3:]} == {"Bir insan."}


def test_a_segment_whose_source_changes_while_it_translates_gets_no_stale_draft(db, fake_engine):
    article = _import(db, "One. Two.")
    one, two = store.segments(db, article)
    engine = fake_engine("az")
    real_translate = engine.translate

    def translate(texts):  # an editor updates the story while the engine works
        db.execute("UPDATE segments SET text = 'Uno.' WHERE id = ?", [one["id"]])
        return real_translate(texts)

    engine.translate = translate
    translate_pending(db, {"az": engine})
    assert store.get_translation(db, one["id"], "az") is None  # still pending, with its new source
    assert store.get_translation(db, two["id"], "az")["text"] == "[az] Two."
