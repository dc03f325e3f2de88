"""TBX glossaries: read TBX 2008 / TBX-Basic (`martif`) and TBX v3 (ISO 30042:2019 `tbx`, DCA and
DCT styles), write TBX-Basic.

Read for every term: the administrativeStatus or normativeAuthorization (every standard value
mapped to the termbase's statuses, the value kept as written; an unknown value is a warning and
reads as admitted), part of speech, context, source and notes; per language: its definition,
note and source; per concept: subject field, definition, source and notes. A language tag with a
region or script (`az-Latn-AZ`, `tr-TR`) is filed under az, tr, ru or en (core/langs.py) and kept
as written for the export.

DCA style writes a data category as a type attribute (`<descrip type="definition">`), DCT style
as an element of its module's namespace (`<basic:definition>`, `<min:partOfSpeech>`); both read
the same. An entry that cannot be read is a problem naming its id and line (GlossaryRead), not
a reason to drop the others: the importing service decides.

XML is parsed safely (formats/xmlsafe.py): no network, no DTD, no entities.
"""

from __future__ import annotations

from lxml import etree

from workbench.core.hygiene import xml_text
from workbench.core.formats import xmlsafe
from workbench.core.langs import glossary_lang
from workbench.core.terms.model import (DOMAINS, Concept, GlossaryError, GlossaryRead, Term, drop_repeated_ids,
                                        validate)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# ISO 30042 / ISO 12620 values of administrativeStatus (…-admn-sts) and normativeAuthorization,
# TBX-Basic's included, by their name without the suffix, lower case.
STATUS_FROM_TBX = {
    "preferredterm": "preferred", "standardizedterm": "preferred", "legalterm": "preferred",
    "regulatedterm": "preferred", "admittedterm": "admitted", "deprecatedterm": "forbidden",
    "supersededterm": "forbidden", "notrecommendedterm": "forbidden", "obsoleteterm": "forbidden",
    "preferred": "preferred", "standardized": "preferred", "legal": "preferred", "regulated": "preferred",
    "admitted": "admitted", "deprecated": "forbidden", "superseded": "forbidden", "notrecommended": "forbidden",
    "obsolete": "forbidden",
}
STATUS_TO_TBX = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                 "forbidden": "deprecatedTerm-admn-sts"}
STATUS_CATEGORIES = ("administrativeStatus", "normativeAuthorization")
# Elements whose data category is their type attribute (DCA style), and the groups that wrap one
# such element with its source or note (read as if their children stood at the group's level).
TYPED = ("descrip", "termNote", "admin", "transac", "ref", "xref")
GROUPS = ("descripGrp", "adminGrp", "termNoteGrp", "transacGrp")


def safe_parse(data: bytes, name: str):
    return xmlsafe.safe_parse(data, name, GlossaryError)


_local = xmlsafe.local_name


def _children(element, *names):
    return [child for child in element if _local(child) in names]


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def _items(element):
    """(data category, element) for the element's children, groups opened: `descrip
    type="definition"` and DCT's `<basic:definition>` are both ("definition", element); a core
    element (term, note, langSec, termSec, ...) is its own name."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = _local(child)
        if local in GROUPS:
            yield from _items(child)
        elif local in TYPED:
            yield child.get("type", ""), child
        else:  # a core element, or DCT's data category element in its module's namespace
            yield local, child


def _status(term: Term, value: str, category: str, where: str, read: GlossaryRead) -> None:
    key = value.strip().lower().removesuffix("-admn-sts")
    if key in STATUS_FROM_TBX:
        term.status = STATUS_FROM_TBX[key]
        # kept when it says more than the status (standardizedTerm, supersededTerm, ...)
        term.status_value = None if value.strip() == STATUS_TO_TBX[term.status] else value.strip()
        return
    term.status_value = value.strip()
    term.status = "admitted"
    read.warnings.append(f"{where}: unknown {category} {value.strip()!r} of the {term.tag or term.lang} term "
                         f"{term.text!r}, read as admitted")


def _join(*texts: str | None) -> str | None:
    return "\n".join(t for t in texts if t) or None


def _read_term(holder, tag: str, name: str, read: GlossaryRead) -> Term:
    """A tig, ntig or termSec: the term and its data, wherever termGrp nests them."""
    items = list(_items(holder))
    for kind, element in list(items):
        if kind == "termGrp":
            items.extend(_items(element))
    terms = [e for kind, e in items if kind == "term"]
    if len(terms) != 1:
        raise GlossaryError(f"{name}: line {holder.sourceline}: <{_local(holder)}> must hold exactly one <term>")
    lang = glossary_lang(tag)
    term = Term(lang, _text(terms[0]), tag=tag if tag != lang else None)
    for kind, element in items:
        value = _text(element)
        if kind in STATUS_CATEGORIES:
            _status(term, value, kind, f"{name}: line {element.sourceline}", read)
        elif kind == "partOfSpeech":
            term.pos = value or None
        elif kind == "context":
            term.context = _join(term.context, value)
        elif kind == "source":
            term.source = _join(term.source, value)
        elif kind in ("note", "definition"):
            term.note = _join(term.note, value)
    return term


def _read_entry(entry, name: str, read: GlossaryRead) -> Concept:
    concept = Concept(id=entry.get("id", ""), line=entry.sourceline)
    for kind, child in _items(entry):
        value = _text(child)
        if kind == "subjectField":
            concept.domain = value.lower() if value.lower() in DOMAINS else "other"
            concept.subject = None if value.lower() in DOMAINS else value
        elif kind == "definition":
            concept.definition = _join(concept.definition, value)
        elif kind == "note":
            concept.note = _join(concept.note, value)
        elif kind == "source":
            concept.source = _join(concept.source, value)
        elif kind in ("langSet", "langSec"):
            tag = (child.get(XML_LANG) or "").strip()
            if not tag:
                raise GlossaryError(f"{name}: line {child.sourceline}: <{kind}> without xml:lang")
            info = {}
            for sub_kind, sub in _items(child):
                if sub_kind in ("tig", "ntig", "termSec"):
                    concept.terms.append(_read_term(sub, tag, name, read))
                elif sub_kind in ("definition", "note", "source"):
                    info[sub_kind] = _join(info.get(sub_kind), _text(sub))
            if info:
                held = concept.language_info.setdefault(tag, {})
                for key, text in info.items():
                    held[key] = _join(held.get(key), text)
    validate(concept, f"{name}: line {entry.sourceline}: <{_local(entry)}>")
    return concept


def read_tbx_entries(data: bytes, name: str) -> GlossaryRead:
    """Every entry of the file: the concepts read, the entries that could not be (problems), and
    the warnings. A file that is not TBX at all (not well-formed, another root, no entry) raises."""
    root = safe_parse(data, name)
    if _local(root) not in ("martif", "tbx"):
        raise GlossaryError(f"{name}: line {root.sourceline}: root element <{_local(root)}> is not "
                            "<martif> (TBX 2008/Basic) or <tbx> (TBX v3)")
    entries = [e for e in root.iter() if _local(e) in ("termEntry", "conceptEntry")]
    if not entries:
        raise GlossaryError(f"{name}: no <termEntry> or <conceptEntry> found")
    read = GlossaryRead([])
    for entry in entries:
        try:
            read.concepts.append(_read_entry(entry, name, read))
        except GlossaryError as err:
            read.add_problem(err, entry.get("id"), _line_in(str(err), name) or entry.sourceline, name)
    drop_repeated_ids(read, name)
    return read


def _line_in(message: str, name: str) -> int | None:
    rest = message.removeprefix(f"{name}: line ")
    number = rest.split(":", 1)[0]
    return int(number) if rest != message and number.isdigit() else None


def read_tbx(data: bytes, name: str) -> list[Concept]:
    """The concepts, strictly: the first entry that cannot be read raises."""
    read = read_tbx_entries(data, name)
    error = read.first_problem(name)
    if error:
        raise error
    return read.concepts


def _add(parent, tag: str, text: str | None, **attributes) -> None:
    if text:
        etree.SubElement(parent, tag, attributes).text = xml_text(text)


def write_tbx(concepts: list[Concept], source_lang: str = "en") -> bytes:
    """TBX-Basic (TBX 2008 `martif`), which translate-toolkit and most CAT tools read, with what
    an import kept: subject fields, definitions, language tags and status values as written,
    contexts, sources and notes."""
    E = etree.Element
    root = E("martif", {"type": "TBX-Basic", XML_LANG: source_lang})
    header = etree.SubElement(root, "martifHeader")
    file_desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(file_desc, "sourceDesc"), "p").text = "Exported by workbench"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for concept in concepts:
        entry = etree.SubElement(body, "termEntry", id=concept.id)
        etree.SubElement(entry, "descrip", type="subjectField").text = xml_text(concept.subject or concept.domain)
        _add(entry, "descrip", concept.definition, type="definition")
        _add(entry, "admin", concept.source, type="source")
        _add(entry, "note", concept.note)
        tags = []
        for lang in concept.languages():
            for term in concept.terms_in(lang):
                if (term.tag or term.lang) not in tags:
                    tags.append(term.tag or term.lang)
        for tag in tags:
            lang_set = etree.SubElement(entry, "langSet", {XML_LANG: tag})
            info = concept.language_info.get(tag) or {}
            _add(lang_set, "descrip", info.get("definition"), type="definition")
            _add(lang_set, "admin", info.get("source"), type="source")
            _add(lang_set, "note", info.get("note"))
            for term in (t for t in concept.terms if (t.tag or t.lang) == tag):
                tig = etree.SubElement(lang_set, "tig")
                etree.SubElement(tig, "term").text = xml_text(term.text)
                _add(tig, "termNote", term.pos, type="partOfSpeech")
                status = term.status_value if _maps_to(term.status_value, term.status) else STATUS_TO_TBX[term.status]
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = xml_text(status)
                _add(tig, "descrip", term.context, type="context")
                _add(tig, "admin", term.source, type="source")
                _add(tig, "note", term.note)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _maps_to(value: str | None, status: str) -> bool:
    """Whether the file's status value still says the term's status (an edit may have changed it);
    an unknown value read as admitted is written back as long as the term stays admitted."""
    if not value:
        return False
    known = STATUS_FROM_TBX.get(value.strip().lower().removesuffix("-admn-sts"))
    return known == status or (known is None and status == "admitted")
