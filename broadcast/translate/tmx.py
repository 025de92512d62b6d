"""The translation memory as TMX 1.4, the exchange format of every CAT tool.

One ``<tu>`` per stored pair: a Vietnamese ``<tuv>`` and a target ``<tuv>`` (``xml:lang``
with the language code), the previous source sentence as ``<prop type="x-context-pre">``
and where the pair came from as ``<prop type="x-origin">``. On import a ``<tu>`` may hold
several target languages (one pair each); ``xml:lang`` may be a full BCP 47 tag
('hmn-Latn-VN' is hmn); inline codes (``bpt``, ``ept``, ``ph``, ``it``) are dropped and the
text of ``hi``/``sub`` kept.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from broadcast import __version__
from broadcast.errors import InputError
from broadcast.languages import SOURCE_LANGUAGE, primary_code
from broadcast.translate.exchange import XML_LANG, children, local, parse_xml, xml_bytes
from broadcast.translate.values import TMUnit

CONTEXT_PROP = "x-context-pre"
ORIGIN_PROP = "x-origin"
_INLINE_CODES = {"bpt", "ept", "ph", "it", "ut"}


def read_tmx(data: bytes, name: str) -> list[TMUnit]:
    """Every (Vietnamese, target) pair of a TMX file, or one ``InputError``."""
    root = parse_xml(data, name, ("tmx",))
    headers = children(root, "header")
    bodies = children(root, "body")
    if len(headers) != 1 or len(bodies) != 1:
        raise InputError(f"{name}: TMX cần đúng một <header> và một <body>.")
    srclang = (headers[0].get("srclang") or "").strip()
    if not srclang:
        raise InputError(f"{name}: <header> thiếu thuộc tính srclang.")
    if srclang != "*all*" and primary_code(srclang) != SOURCE_LANGUAGE:
        raise InputError(f"{name}: ngôn ngữ nguồn là '{srclang}', cần tiếng Việt (srclang=\"vi\").")
    units = []
    tus = children(bodies[0], "tu")
    if not tus:
        raise InputError(f"{name} không có đơn vị dịch <tu> nào.")
    for number, tu in enumerate(tus, start=1):
        units.extend(_tu_units(tu, f"{name}, tu {tu.get('tuid') or number}"))
    return units


def _tu_units(tu: ET.Element, where: str) -> list[TMUnit]:
    props = {(p.get("type") or "").lower(): p.text or "" for p in children(tu, "prop")}
    created = _iso_date(tu.get("creationdate"), where)
    source = None
    targets: list[tuple[str, str]] = []
    for tuv in children(tu, "tuv"):
        tag = tuv.get(XML_LANG) or tuv.get("lang") or ""
        if not tag.strip():
            raise InputError(f"{where}: <tuv> thiếu thuộc tính xml:lang.")
        segs = children(tuv, "seg")
        if len(segs) != 1:
            raise InputError(f"{where}: mỗi <tuv> cần đúng một <seg>.")
        text = _seg_text(segs[0])
        if primary_code(tag) == SOURCE_LANGUAGE:
            if source is not None:
                raise InputError(f"{where}: có hai câu tiếng Việt trong một <tu>.")
            source = text
        else:
            targets.append((tag, text))
    if source is None:
        raise InputError(f'{where}: thiếu câu tiếng Việt (<tuv xml:lang="vi">).')
    if not targets:
        raise InputError(f"{where}: không có câu dịch nào.")
    return [
        TMUnit(
            source=source,
            target=text,
            language=tag,
            previous=props.get(CONTEXT_PROP, ""),
            origin=props.get(ORIGIN_PROP, "import"),
            created_at=created,
            where=where,
        )
        for tag, text in targets
    ]


def _seg_text(seg: ET.Element) -> str:
    """The text of a ``<seg>``: inline native codes dropped, highlighted text kept."""
    parts = [seg.text or ""]
    for child in seg:
        if local(child.tag) not in _INLINE_CODES:
            parts.append(_seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _iso_date(value: str | None, where: str) -> str | None:
    """TMX '20260127T080000Z' -> '2026-01-27T08:00:00Z' as the database keeps dates."""
    if not value:
        return None
    try:
        moment = dt.datetime.strptime(value.strip(), "%Y%m%dT%H%M%SZ")
    except ValueError:
        raise InputError(
            f"{where}: creationdate '{value}' không đúng dạng TMX (YYYYMMDDThhmmssZ)."
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _tmx_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return moment.strftime("%Y%m%dT%H%M%SZ")


def write_tmx(units: Iterable[TMUnit]) -> tuple[bytes, int]:
    """A TMX 1.4 document of ``units`` and how many it holds."""
    root = ET.Element("tmx", {"version": "1.4"})
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "broadcast",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "broadcast-sqlite",
            "adminlang": "en",
            "srclang": SOURCE_LANGUAGE,
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    count = 0
    for count, unit in enumerate(units, start=1):
        attributes = {"tuid": str(count)}
        if date := _tmx_date(unit.created_at):
            attributes["creationdate"] = date
        tu = ET.SubElement(body, "tu", attributes)
        if unit.previous:
            ET.SubElement(tu, "prop", {"type": CONTEXT_PROP}).text = unit.previous
        ET.SubElement(tu, "prop", {"type": ORIGIN_PROP}).text = unit.origin
        for language, text in ((SOURCE_LANGUAGE, unit.source), (unit.language, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: language})
            ET.SubElement(tuv, "seg").text = text
    return xml_bytes(root), count
