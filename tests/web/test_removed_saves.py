"""Issue 19 item 1: a save into a segment a story update removed keeps the text, says so in words,
and the editor shows it under "Removed in version N"."""

import io

import pytest

from workbench.data import store
from workbench.services import translations
from workbench.services.actor import Actor

V2 = "Talks in Baku\nCol-Gen Rahimov met officials in Baku.\n"  # the second sentence is gone


def _upload_v2(client, article_id):
    response = client.post(f"/articles/{article_id}/versions/", htmx=False, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(V2.encode()), "talks-v2.txt"), "base_version": "1"})
    assert response.status_code == 302


def test_web_save_into_a_removed_segment_keeps_the_text_and_says_where(instance, browser, article):
    tina = browser("tina")
    gone = article["segments"][2]  # "They discussed … plans."
    _upload_v2(browser("rita"), article["id"])
    typed = "Onlar planları müzakirə etdilər."
    response = tina.post(f"/articles/{article['id']}/az/segments/{gone['id']}",
                         data={"text": typed, "base_version": "0", "action": "save"})
    assert response.status_code == 409
    message = ("This paragraph was removed from the story in version 2; your text is kept under "
               "Removed in version 2.")
    assert message in response.text
    assert str(gone["id"]) not in response.text.replace(f'id="seg-{gone["id"]}"', "").replace(
        f'data-segment="{gone["id"]}"', "")  # no internal id in what a person reads
    assert typed in response.text
    page = tina.get(f"/articles/{article['id']}/az/")
    assert "Removed in version 2" in page.text
    assert "They discussed" in page.text and typed in page.text and "typed by tina" in page.text
    # the Turkish editor doesn't show the Azerbaijani text
    assert typed not in tina.get(f"/articles/{article['id']}/tr/").text


def test_service_keeps_every_save_and_refuses_unknown_segments_in_words(instance, article):
    db = instance.db()
    gone = article["segments"][2]
    from workbench.core.segment import segment_text
    from workbench.services import story_versions
    story_versions.update_article(db, article["id"], title=None, byline=None, filename=None, fmt="txt",
                                  segmentation=segment_text(V2), user="cms")
    for text in ("birinci", "ikinci"):
        with pytest.raises(translations.SegmentRemoved) as refused:
            translations.save(db, Actor.person({"name": "tina", "role": "translator"}), gone["id"], "az",
                              text, base_version=0, article_id=article["id"])
        assert refused.value.status == 409
    (removed,) = story_versions.removed_segments(db, article["id"])
    assert [k["text"] for k in removed["kept_saves"]] == ["birinci", "ikinci"]
    assert {k["by"] for k in removed["kept_saves"]} == {"tina"}
    with pytest.raises(store.NotFound) as missing:
        translations.save(db, Actor.person({"name": "tina", "role": "translator"}), 10**6, "az", "x",
                          base_version=0)
    assert "10000" not in str(missing.value)
    db.close()
