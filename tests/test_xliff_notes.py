"""Issue 22 item 4: notes survive a round trip through another tool — the segment's comments go out
as notes, and a note the other tool's translator adds comes back as a comment (once)."""

from __future__ import annotations

import re

from lxml import etree

from workbench.core.formats.articles import parse_article
from workbench.data import comments, store
from workbench.services import articles, interchange
from workbench.services.actor import Actor

RITA = Actor.person({"name": "rita", "role": "reviewer"})
NS = {"x": "urn:oasis:names:tc:xliff:document:1.2", "y": "urn:oasis:names:tc:xliff:document:2.0"}


def test_comments_go_out_as_notes_and_notes_come_back_as_comments(db):
    created = articles.create_article(db, RITA, parse_article(b"Talks\nThe ministers met in Baku.\n", "t.txt"))
    seg = store.segments(db, created["article"])[1]
    comments.add(db, seg["id"], "az", author="rita", body="Use the ministry's own spelling of Baku.")
    data = interchange.export_xliff(db, created["article"], "az")
    unit = etree.fromstring(data).find(f".//x:trans-unit[@id='{seg['id']}']", NS)
    (note,) = unit.findall("x:note", NS)
    assert (note.get("from"), note.text) == ("rita", "Use the ministry's own spelling of Baku.")
    two = etree.fromstring(interchange.export_xliff(db, created["article"], "az", "2.0"))
    assert [n.text for n in two.findall(".//y:note[@category='comment']", NS)] == ["Use the ministry's own spelling of Baku."]

    # the freelancer translates the unit and leaves a note of their own
    text = data.decode()
    text = re.sub(r'(<trans-unit id="%d"[^>]*>.*?)<target state="new">[^<]*</target>' % seg["id"],
                  r'\1<target state="translated">Nazirlər Bakıda görüşdülər.</target>', text, flags=re.S)
    text = text.replace('<note from="rita">', '<note from="freelancer">Is "Baku" here the city or the region?</note>'
                        '<note from="rita">')
    back = interchange.import_xliff(db, text.encode(), "back.xlf", Actor.importer("back.xlf", RITA))
    assert back["updated"] == 1 and back["notes"] == 1
    bodies = [c["body"] for c in comments.for_segment(db, seg["id"], "az")]
    assert bodies == ["Use the ministry's own spelling of Baku.", 'Is "Baku" here the city or the region?']
    again = interchange.import_xliff(db, text.encode(), "back.xlf", Actor.importer("back.xlf", RITA))
    assert again["notes"] == 0 and len(comments.for_segment(db, seg["id"], "az")) == 2
