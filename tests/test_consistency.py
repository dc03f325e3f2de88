"""Consistency across the archive: sentences, glossary concepts and names rendered differently."""

from workbench.data import store
from workbench.data.consistency import for_translation, inconsistencies


def test_sentences_concepts_and_names(db, consistency_seed):
    first, second = consistency_seed(db)
    found = inconsistencies(db)
    by_source = {(i["source"], i["lang"]): i["renderings"] for i in found}
    assert by_source[("Officials met in Karabakh on Monday.", "tr")] == [
        {"text": "Yetkililer pazartesi Karabağ'da bir araya geldi.",
         "segments": [{"article": first, "segment": 1}]},
        {"text": "Yetkililer pazartesi günü Karabağ'da görüştü.",
         "segments": [{"article": second, "segment": 1}]}]
    assert by_source[("Karabakh", "tr")] == [
        {"text": "Karabağ", "segments": [{"article": first, "segment": 1}, {"article": second, "segment": 1}]},
        {"text": "Yukarı Karabağ", "segments": [{"article": second, "segment": 2}]}]
    # a name outside the glossary, paired by position; the inflected "Memmedli ile" is one rendering
    assert by_source[("Vusal Mammadli", "tr")] == [
        {"text": "Vusal Memmedli", "segments": [{"article": first, "segment": 2}]},
        {"text": "Vüsal Məmmədli", "segments": [{"article": second, "segment": 2}]}]
    # one rendering only: no inconsistency; az has a single approved segment
    assert not [i for i in found if i["lang"] == "az"]
    assert len(found) == 3


def test_inflected_forms_of_one_name_are_one_rendering(db, make_article, approve):
    article = make_article(db, "Envoy Elnur Qasimli spoke. Then the envoy met Elnur Qasimli. "
                               "They thanked Elnur Qasimli.")
    approve(db, article, "az", ["Səfir Elnur Qasımlı danışıb.", "Sonra səfir Elnur Qasımlı ilə görüşüb.",
                                "Onlar Elnur Qasımlıya təşəkkür edib."])
    assert inconsistencies(db, "az") == []


def test_only_approved_segments_and_lang_filter(db, consistency_seed, make_article, save_as):
    consistency_seed(db)
    article = make_article(db, "Officials met in Karabakh on Monday.")
    segment = store.segments(db, article)[0]
    save_as(db, segment["id"], "az", "Başqa mətn.", base_version=None, user="t")
    assert inconsistencies(db, "az") == []  # the draft does not count
    assert {i["lang"] for i in inconsistencies(db, "tr")} == {"tr"}


def test_cli_json_shape(cli, instance, consistency_seed):
    db = instance.db()
    first, _ = consistency_seed(db)
    data = cli.json("qa", "--consistency", "--lang", "tr")
    assert list(data) == ["inconsistencies"]
    for item in data["inconsistencies"]:
        assert list(item) == ["source", "lang", "renderings"]
        for rendering in item["renderings"]:
            assert list(rendering) == ["text", "segments"]
            assert all(list(s) == ["article", "segment"] for s in rendering["segments"])
    assert len(data["inconsistencies"]) == 3
    assert "Vusal Mammadli" in cli("qa", "--consistency").stdout
    assert cli("qa", "--consistency", "--lang", "ru").stdout.strip() == "No inconsistencies."
    assert "ARTICLE_ID" in cli("qa", ok=False).output


def test_kept_result_is_renewed_when_an_approval_changes(db, make_article, approve):
    article = make_article(db, "Officials met in Ganja. Officials met in Ganja.")
    approve(db, article, "az", ["Rəsmilər Gəncədə görüşüb.", None])
    assert inconsistencies(db, "az") == []
    approve(db, article, "az", [None, "Rəsmilər Gəncədə görüşdülər."])
    assert [i["source"] for i in inconsistencies(db, "az")] == ["Officials met in Ganja."]


def test_renderings_that_differ_only_in_letter_case_are_consistent(db, make_article, approve):
    """The same source translated identically, once in capitals or with another initial: one
    rendering (Turkish casing: TÜRKİYE'DE is türkiye'de, not türki̇ye'de)."""
    first = make_article(db, "Prices rose by 3 percent. Elections in Turkey.")
    second = make_article(db, "Prices rose by 3 percent. Elections in Turkey.")
    approve(db, first, "tr", ["Fiyatlar yüzde 3 arttı.", "Türkiye'de seçim."])
    approve(db, second, "tr", ["FİYATLAR YÜZDE 3 ARTTI.", "TÜRKİYE'DE SEÇİM."])
    approve(db, first, "az", ["Qiymətlər 3 faiz artıb.", None])
    approve(db, second, "az", ["qiymətlər 3 faiz artıb.", None])
    assert inconsistencies(db) == []
    segment = store.segments(db, second)[0]
    translation = store.get_translation(db, segment["id"], "tr")
    assert for_translation(db, translation["id"]) == []
    # a different letter is still a different rendering (dotless ı is not i)
    third = make_article(db, "Prices rose by 3 percent.")
    approve(db, third, "tr", ["Fiyatlar yüzde 3 artti."])
    (found,) = inconsistencies(db, "tr")
    assert [r["text"] for r in found["renderings"]] == ["Fiyatlar yüzde 3 arttı.", "Fiyatlar yüzde 3 artti."]


def test_different_sources_sharing_a_term_are_consistent(db, consistency_seed, make_article, approve):
    """Different sentences that share a glossary term or a name, rendered with the same term
    (inflected or not), are not an inconsistency."""
    consistency_seed(db)
    third = make_article(db, "Trade with Karabakh grew. Vusal Mammadli was not there.")
    approve(db, third, "tr", ["Karabağ ile ticaret arttı.", "Vusal Memmedli orada değildi."])
    fourth = make_article(db, "KARABAKH TALKS END. The envoy thanked Vusal Mammadli.")
    approve(db, fourth, "tr", ["KARABAĞ GÖRÜŞMELERİ BİTTİ.", "Elçi Vusal Memmedli'ye teşekkür etti."])
    new = {(i["source"], i["lang"]) for i in inconsistencies(db, "tr")}
    # what seed() made inconsistent stays so; the new sentences add nothing of their own
    assert new == {("Officials met in Karabakh on Monday.", "tr"), ("Karabakh", "tr"), ("Vusal Mammadli", "tr")}
    for article in (third, fourth):
        for segment in store.segments(db, article):
            translation = store.get_translation(db, segment["id"], "tr")
            for item in for_translation(db, translation["id"]):
                assert item["source"] in {"Karabakh", "Vusal Mammadli"}  # the groups seed() made, not new ones
