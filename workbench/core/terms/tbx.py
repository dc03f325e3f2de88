"""TBX glossaries: read TBX 2008 / TBX-Basic (`martif`) and TBX v3 (`tbx`), write TBX-Basic.

XML is parsed safely (formats/xmlsafe.py): no network, no DTD, no entities.
"""

from __future__ import annotations

from lxml import etree

from workbench.core.hygiene import xml_text
from workbench.core.formats import xmlsafe
from workbench.core.terms.model import DOMAINS, Concept, GlossaryError, Term, check_unique_ids, validate

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_FROM_TBX = {
    "preferredterm": "preferred", "admittedterm": "admitted", "deprecatedterm": "forbidden",
    "supersededterm": "forbidden", "notrecommended": "forbidden", "preferred": "preferred",
    "admitted": "admitted", "deprecated": "forbidden", "superseded": "forbidden",
}
STATUS_TO_TBX = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                 "forbidden": "deprecatedTerm-admn-sts"}


def safe_parse(data: bytes, name: str):
    return xmlsafe.safe_parse(data, name, GlossaryError)


_local = xmlsafe.local_name


def _children(element, *names):
    return [child for child in element if _local(child) in names]


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def _status(value: str, where: str) -> str:
    key = value.strip().lower().removesuffix("-admn-sts")
    if key not in STATUS_FROM_TBX:
        raise GlossaryError(f"{where}: unknown administrativeStatus {value!r}")
    return STATUS_FROM_TBX[key]


def _read_term(holder, lang: str, where: str) -> Term:
    """A tig, ntig or termSec: the term and its termNotes, wherever termGrp nests them."""
    groups = _children(holder, "termGrp") or [holder]
    term_elements = [t for g in groups for t in _children(g, "term")]
    if len(term_elements) != 1:
        raise GlossaryError(f"{where}: <{_local(holder)}> must hold exactly one <term>")
    term = Term(lang, _text(term_elements[0]))
    for note in [n for g in groups for n in _children(g, "termNote")] + _children(holder, "termNote"):
        kind = note.get("type", "")
        if kind in ("administrativeStatus", "normativeAuthorization"):
            term.status = _status(_text(note), f"{where}: line {note.sourceline}")
        elif kind == "partOfSpeech":
            term.pos = _text(note) or None
    notes = [_text(n) for n in _children(holder, "note") + [n for g in groups if g is not holder
                                                             for n in _children(g, "note")]]
    term.note = " ".join(n for n in notes if n) or None
    return term


def read_tbx(data: bytes, name: str) -> list[Concept]:
    root = safe_parse(data, name)
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"{name}: line {root.sourceline}: root element <{_local(root)}> is not "
                            "<martif> (TBX 2008/Basic) or <tbx> (TBX v3)")
    entries = [e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")]
    concepts = []
    for entry in entries:
        where = f"{name}: line {entry.sourceline}: <{_local(entry)}>"
        concept = Concept(id=entry.get("id", ""))
        for child in entry:
            kind, local = child.get("type", ""), _local(child)
            if local == "descrip" and kind == "subjectField":
                domain = _text(child).lower()
                concept.domain = domain if domain in DOMAINS else "other"
                if domain not in DOMAINS:
                    concept.note = " ".join(filter(None, [concept.note, f"subject field: {_text(child)}"]))
            elif local == "descrip" and kind == "definition" or local == "note":
                concept.note = " ".join(filter(None, [concept.note, _text(child)])) or None
            elif local in ("admin", "descrip") and kind == "source":
                concept.source = _text(child) or None
            elif local in ("langSet", "langSec"):
                lang = child.get(XML_LANG)
                if not lang:
                    raise GlossaryError(f"{name}: line {child.sourceline}: <{local}> without xml:lang")
                for holder in _children(child, "tig", "ntig", "termSec"):
                    concept.terms.append(_read_term(holder, lang, f"{name}: line {holder.sourceline}"))
        validate(concept, where)
        concepts.append(concept)
    if not concepts:
        raise GlossaryError(f"{name}: no <termEntry> or <conceptEntry> found")
    check_unique_ids(concepts, name)
    return concepts


def write_tbx(concepts: list[Concept], source_lang: str = "en") -> bytes:
    """TBX-Basic (TBX 2008 `martif`), which translate-toolkit and most CAT tools read."""
    E = etree.Element
    root = E("martif", {"type": "TBX-Basic", XML_LANG: source_lang})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = "Exported by workbench"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in concepts:
        entry = etree.SubElement(body, "termEntry", id=concept.id)
        etree.SubElement(entry, "descrip", type="subjectField").text = xml_text(concept.domain)
        if concept.source:
            etree.SubElement(entry, "admin", type="source").text = xml_text(concept.source)
        if concept.note:
            etree.SubElement(entry, "note").text = xml_text(concept.note)
        for lang in concept.languages():
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: lang})
            for term in concept.terms_in(lang):
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = xml_text(term.text)
                if term.pos:
                    etree.SubElement(tig, "termNote", type="partOfSpeech").text = xml_text(term.pos)
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = STATUS_TO_TBX[term.status]
                if term.note:
                    etree.SubElement(tig, "note").text = xml_text(term.note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
