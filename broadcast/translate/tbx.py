"""The term base as TBX (ISO 30042), the exchange format of terminology tools.

Written as TBX-Basic in the 2019 structure (``<tbx>``, ``conceptEntry``, ``langSec``,
``termSec``); read from that structure and from the 2008 one (``<martif>``, ``termEntry``,
``langSet``, ``tig``/``ntig``) that older tools still write. Statuses travel as
``termNote type="administrativeStatus"``:

* ``preferredTerm-admn-sts`` <-> approved,
* ``admittedTerm-admn-sts`` <-> proposed (also the default when no status is given),
* ``deprecatedTerm-admn-sts`` / ``supersededTerm-admn-sts`` <-> forbidden variant.

A ``termNote type="processStatus"`` (finalized / provisionallyProcessed / unprocessed), if
present, decides approved versus proposed. ``<note>`` is the note and ``<admin
type="source">`` the source. The Vietnamese ``langSec`` holds the source term.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Sequence

from broadcast.errors import InputError
from broadcast.languages import SOURCE_LANGUAGE, primary_code
from broadcast.translate.exchange import (
    XML_LANG,
    children,
    descendants,
    local,
    parse_xml,
    xml_bytes,
)
from broadcast.translate.values import Term, TermStatus

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed-2"
PREFERRED = "preferredTerm-admn-sts"
ADMITTED = "admittedTerm-admn-sts"
DEPRECATED = "deprecatedTerm-admn-sts"
_FORBIDDEN_STATUSES = {DEPRECATED, "supersededTerm-admn-sts"}
_STATUS_OUT = {TermStatus.APPROVED: PREFERRED, TermStatus.PROPOSED: ADMITTED}


def read_terms_tbx(data: bytes, name: str) -> list[Term]:
    """Every (Vietnamese term, target term) pair of a TBX file, or one ``InputError``."""
    root = parse_xml(data, name, ("tbx", "martif"))
    entries = descendants(root, "conceptEntry", "termEntry")
    if not entries:
        raise InputError(f"{name} không có mục thuật ngữ nào (conceptEntry/termEntry).")
    terms: list[Term] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{name}, mục {entry.get('id') or number}"
        terms.extend(_entry_terms(entry, where))
    if not terms:
        raise InputError(f"{name} không có cặp thuật ngữ tiếng Việt – ngôn ngữ đích nào.")
    return terms


def _entry_terms(entry: ET.Element, where: str) -> list[Term]:
    sources: list[str] = []
    targets: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for lang_sec in children(entry, "langSec", "langSet"):
        tag = lang_sec.get(XML_LANG) or lang_sec.get("lang") or ""
        if not tag.strip():
            raise InputError(f"{where}: langSec thiếu thuộc tính xml:lang.")
        for term_sec in children(lang_sec, "termSec", "tig", "ntig"):
            text, status, note, source = _term_sec(term_sec, where)
            if primary_code(tag) == SOURCE_LANGUAGE:
                if status != DEPRECATED:
                    sources.append(text)
            else:
                targets[tag].append((text, status, note, source))
    if not sources:
        raise InputError(f'{where}: thiếu thuật ngữ tiếng Việt (langSec xml:lang="vi").')
    terms = []
    for tag, items in targets.items():
        forbidden = tuple(text for text, status, _, _ in items if status == DEPRECATED)
        kept = [item for item in items if item[1] != DEPRECATED]
        if not kept:
            raise InputError(
                f"{where}: ngôn ngữ {tag} chỉ có biến thể bị cấm, chưa có bản dịch nào."
            )
        for source_term in sources:
            for text, status, note, source in kept:
                terms.append(
                    Term(
                        term=source_term,
                        language=tag,
                        target=text,
                        status=TermStatus.APPROVED if status == PREFERRED else TermStatus.PROPOSED,
                        note=note,
                        source=source,
                        forbidden=forbidden,
                        where=where,
                    )
                )
    return terms


def _term_sec(term_sec: ET.Element, where: str) -> tuple[str, str, str, str]:
    """(term, administrative status, note, source) of one termSec / tig / ntig."""
    found = descendants(term_sec, "term")
    if len(found) != 1 or list(found[0]):
        raise InputError(f"{where}: mỗi termSec cần đúng một <term> chỉ chứa chữ.")
    status = ADMITTED
    process = None
    note = source = ""
    for element in term_sec.iter():
        kind = element.get("type", "")
        value = (element.text or "").strip()
        if local(element.tag) == "termNote" and kind == "administrativeStatus":
            if value not in (PREFERRED, ADMITTED, *_FORBIDDEN_STATUSES):
                raise InputError(f"{where}: administrativeStatus '{value}' không hợp lệ.")
            status = DEPRECATED if value in _FORBIDDEN_STATUSES else value
        elif local(element.tag) == "termNote" and kind == "processStatus":
            process = value
        elif local(element.tag) == "note" or (local(element.tag) == "descrip" and kind == "note"):
            note = value
        elif local(element.tag) == "admin" and kind == "source":
            source = value
    if process is not None and status != DEPRECATED:
        status = PREFERRED if process == "finalized" else ADMITTED
    return found[0].text or "", status, note, source


def write_terms_tbx(terms: Sequence[Term]) -> bytes:
    """One conceptEntry per Vietnamese term, one langSec per language, forbidden last."""
    root = ET.Element(
        "tbx",
        {"xmlns": TBX_NAMESPACE, "type": "TBX-Basic", "style": "dca", XML_LANG: SOURCE_LANGUAGE},
    )
    header = ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = "broadcast term base"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    concepts: dict[str, list[Term]] = defaultdict(list)
    for t in terms:
        concepts[t.key].append(t)
    for number, rows in enumerate(concepts.values(), start=1):
        entry = ET.SubElement(body, "conceptEntry", {"id": f"c{number}"})
        vi = ET.SubElement(entry, "langSec", {XML_LANG: SOURCE_LANGUAGE})
        ET.SubElement(ET.SubElement(vi, "termSec"), "term").text = rows[0].term
        by_language: dict[str, list[Term]] = defaultdict(list)
        for t in rows:
            by_language[t.language].append(t)
        for language, items in by_language.items():
            lang_sec = ET.SubElement(entry, "langSec", {XML_LANG: language})
            for t in items:
                _write_term_sec(lang_sec, t.target, _STATUS_OUT[t.status], t.note, t.source)
            for variant in items[0].forbidden:
                _write_term_sec(lang_sec, variant, DEPRECATED, "", "")
    return xml_bytes(root)


def _write_term_sec(parent: ET.Element, text: str, status: str, note: str, source: str) -> None:
    term_sec = ET.SubElement(parent, "termSec")
    ET.SubElement(term_sec, "term").text = text
    ET.SubElement(term_sec, "termNote", {"type": "administrativeStatus"}).text = status
    if source:
        ET.SubElement(term_sec, "admin", {"type": "source"}).text = source
    if note:
        ET.SubElement(term_sec, "note").text = note
