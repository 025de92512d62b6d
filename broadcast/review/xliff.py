"""XLIFF 2.0 (OASIS) export and import of a translation, for editors' own CAT tools.

One ``<file>`` per translation, ``original`` naming the stored script; one ``<unit>`` per
script sentence with unit id ``u<position>`` and segment id ``s<position>``, so ids survive
a round trip through any conforming tool. States map both ways through the standard
``state`` attribute, and ``subState="broadcast:<state>"`` keeps our exact state:

=================  ============  ===================================
ours               XLIFF state   back from a file without subState
=================  ============  ===================================
draft              initial       initial -> draft
in_review          translated    translated -> in_review
changes_requested  reviewed      reviewed -> in_review
approved           final         final -> in_review (reported: approval is recorded
                                 only by ``broadcast review approve``)
=================  ============  ===================================

Each unit also records what it was exported from, in the standard Metadata module
(``<mda:metadata>``, which conforming tools keep): a ``metaGroup`` of category
``broadcast:exported-from`` holding the SHA-256 of the target and of the source as they were
at export. An import uses it to refuse overwriting a text changed since (see
``broadcast.review.exchange``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from broadcast.errors import InputError
from broadcast.review.exchange import ExportBase, ImportedFile, ImportedSegment
from broadcast.review.model import ReviewState, Translation
from broadcast.safeparse import parse_xml_bytes
from broadcast.store.files import atomic_write_text
from broadcast.translate.exchange import read_file

NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
EXPORTED_FROM = "broadcast:exported-from"
_SHA256 = re.compile(r"[0-9a-f]{64}")
SUBSTATE_PREFIX = "broadcast:"
PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
TO_XLIFF = {
    ReviewState.DRAFT: "initial",
    ReviewState.IN_REVIEW: "translated",
    ReviewState.CHANGES_REQUESTED: "reviewed",
    ReviewState.APPROVED: "final",
}
FROM_XLIFF = {
    "initial": ReviewState.DRAFT,
    "translated": ReviewState.IN_REVIEW,
    "reviewed": ReviewState.IN_REVIEW,
    "final": ReviewState.APPROVED,
}


def to_xliff(translation: Translation) -> str:
    ET.register_namespace("", NS)
    ET.register_namespace("mda", MDA)
    root = ET.Element(
        f"{{{NS}}}xliff", {"version": "2.0", "srcLang": "vi", "trgLang": translation.language}
    )
    file_el = ET.SubElement(
        root, f"{{{NS}}}file", {"id": "f1", "original": f"broadcast:{translation.slug}"}
    )
    notes = ET.SubElement(file_el, f"{{{NS}}}notes")
    title = ET.SubElement(notes, f"{{{NS}}}note", {"id": "title", "category": "title"})
    title.text = translation.title
    for s in translation.segments:
        unit = ET.SubElement(file_el, f"{{{NS}}}unit", {"id": f"u{s.position}", "name": s.role})
        _write_base(unit, ExportBase.of(s))  # modules come before <notes> in a unit
        unit_notes = ET.SubElement(unit, f"{{{NS}}}notes")
        origin = ET.SubElement(unit_notes, f"{{{NS}}}note", {"category": "origin"})
        origin.text = s.origin_label
        for term in s.terms:
            note = ET.SubElement(unit_notes, f"{{{NS}}}note", {"category": "term"})
            note.text = f"{term.source} = {term.target or '(chưa có bản dịch duyệt)'}"
        if s.note:
            note = ET.SubElement(unit_notes, f"{{{NS}}}note", {"category": "review"})
            note.text = s.note
        seg = ET.SubElement(
            unit,
            f"{{{NS}}}segment",
            {
                "id": f"s{s.position}",
                "state": TO_XLIFF[s.state],
                "subState": f"{SUBSTATE_PREFIX}{s.state.value}",
            },
        )
        source = ET.SubElement(seg, f"{{{NS}}}source", PRESERVE)
        source.text = s.source
        target = ET.SubElement(seg, f"{{{NS}}}target", PRESERVE)
        target.text = s.target
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_xliff(translation: Translation, path: Path) -> None:
    atomic_write_text(path, to_xliff(translation))


def read_xliff(path: Path) -> ImportedFile:
    """Parse and validate an XLIFF 2.x file; every fault is one InputError naming it."""
    raw = read_file(path)
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise InputError(f"{path.name}: tệp XLIFF không được chứa DOCTYPE/ENTITY.")
    root = parse_xml_bytes(raw, path.name, allow_doctype=False)
    ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    version = root.get("version", "")
    if root.tag != f"{{{ns}}}xliff" or not ns.startswith("urn:oasis:names:tc:xliff:document:2"):
        raise InputError(f"{path.name} không phải tệp XLIFF 2.x (thiếu <xliff> của OASIS 2.x).")
    if not version.startswith("2."):
        raise InputError(f"{path.name}: chỉ nhận XLIFF 2.x (tệp ghi phiên bản '{version}').")
    src_lang, trg_lang = root.get("srcLang"), root.get("trgLang")
    if not src_lang or not trg_lang:
        raise InputError(f"{path.name}: thiếu srcLang hoặc trgLang.")
    files = root.findall(f"{{{ns}}}file")
    if len(files) != 1:
        raise InputError(f"{path.name}: cần đúng một <file> (một bản dịch), có {len(files)}.")
    original = files[0].get("original", "")
    if not original.startswith("broadcast:"):
        raise InputError(
            f"{path.name}: <file original> không ghi kịch bản (cần 'broadcast:<tên>'); "
            "hãy dùng tệp xuất bằng 'broadcast review export'."
        )
    bases = _read_bases(files[0], ns, path)
    segments: list[ImportedSegment] = []
    for seg in files[0].iter(f"{{{ns}}}segment"):
        seg_id = seg.get("id", "")
        if not re.fullmatch(r"s[0-9]{1,6}", seg_id):  # "²" is a digit to isdigit(), not to int()
            raise InputError(f"{path.name}: mã đoạn '{seg_id}' không hợp lệ (cần s<số>).")
        # Ids count from 0 (they must survive round trips of older files); people count
        # sentences from 1, so messages name both.
        named = f"{seg_id} (câu {int(seg_id[1:]) + 1})"
        source = seg.find(f"{{{ns}}}source")
        target = seg.find(f"{{{ns}}}target")
        if source is None:
            raise InputError(f"{path.name}: đoạn {named} thiếu <source>.")
        segments.append(
            ImportedSegment(
                position=int(seg_id[1:]),
                source=_text(source, ns, path, named),
                target="" if target is None else _text(target, ns, path, named),
                state=_state(seg.get("state"), seg.get("subState"), path, named),
                base=bases.get(seg_id),
            )
        )
    if not segments:
        raise InputError(f"{path.name}: không có đoạn nào.")
    return ImportedFile(
        script_ref=original[len("broadcast:") :],
        source_language=src_lang,
        language=trg_lang,
        segments=tuple(segments),
    )


def _write_base(unit: ET.Element, base: ExportBase) -> None:
    metadata = ET.SubElement(unit, f"{{{MDA}}}metadata")
    group = ET.SubElement(metadata, f"{{{MDA}}}metaGroup", {"category": EXPORTED_FROM})
    for kind, digest in (
        ("target-sha256", base.target_sha256),
        ("source-sha256", base.source_sha256),
    ):
        meta = ET.SubElement(group, f"{{{MDA}}}meta", {"type": kind})
        meta.text = digest


def _read_bases(file_el: ET.Element, ns: str, path: Path) -> dict[str, ExportBase]:
    """Segment id -> what it was exported from, for the units that still record it."""
    bases: dict[str, ExportBase] = {}
    for unit in file_el.iter(f"{{{ns}}}unit"):
        for group in unit.iter(f"{{{MDA}}}metaGroup"):
            if group.get("category") != EXPORTED_FROM:
                continue
            found = {m.get("type"): (m.text or "").strip() for m in group.iter(f"{{{MDA}}}meta")}
            target, source = found.get("target-sha256", ""), found.get("source-sha256", "")
            if not (_SHA256.fullmatch(target) and _SHA256.fullmatch(source)):
                raise InputError(
                    f"{path.name}: đơn vị {unit.get('id', '?')} có ghi chú '{EXPORTED_FROM}' "
                    "bị hỏng (cần hai mã SHA-256); hãy xuất lại tệp, không nhập gì."
                )
            for seg in unit.iter(f"{{{ns}}}segment"):
                bases[seg.get("id", "")] = ExportBase(target, source)
    return bases


def _text(element: ET.Element, ns: str, path: Path, seg_id: str) -> str:
    if len(element):
        raise InputError(
            f"{path.name}: đoạn {seg_id} chứa thẻ nội dòng (<{element[0].tag.split('}')[-1]}>), "
            "mà kịch bản phát thanh không có; hãy xóa thẻ đó."
        )
    return element.text or ""


def _state(state: str | None, sub: str | None, path: Path, seg_id: str) -> ReviewState | None:
    if sub and sub.startswith(SUBSTATE_PREFIX):
        try:
            ours = ReviewState(sub[len(SUBSTATE_PREFIX) :])
        except ValueError:
            raise InputError(f"{path.name}: đoạn {seg_id} có subState lạ '{sub}'.") from None
        # A tool that changed the state but kept our subState: the state is the newer word.
        if state is None or TO_XLIFF[ours] == state:
            return ours
    if state is None:
        return None
    if state not in FROM_XLIFF:
        raise InputError(
            f"{path.name}: đoạn {seg_id} có state '{state}' không thuộc XLIFF 2 "
            "(initial, translated, reviewed, final)."
        )
    return FROM_XLIFF[state]
