"""Bounded parsers for the files users hand us: JSON, XML and TOML that cannot exhaust us.

The standard parsers trust their input: ``json.loads`` recurses once per nested bracket (a
file of 100,000 ``[`` ends in ``RecursionError``), turns a 5,000-digit number into a
``ValueError`` that is not a ``JSONDecodeError``, and ``xml.etree`` expands entities and
builds a tree as deep as the file asks. Every JSON and XML input goes through here instead,
so the limits live in one place and every failure is one ``InputError`` sentence.

XML is parsed by ``defusedxml`` (no entity declarations, no external references, so neither
"billion laughs" nor a file that reads ``/etc/passwd`` gets anywhere), with the depth counted
while the parser runs: a hostile file is stopped at the first element too deep, before a
tree is built.
"""

from __future__ import annotations

import io
import json
import re
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from broadcast.errors import BroadcastError, InputError

# Exchange files nest a handful of levels (TBX: tbx/text/body/conceptEntry/langSec/termSec/
# term, a TMX seg with a few inline codes); a JSON as-run log two. Far above real files,
# far below what a recursive walk of the tree could not survive.
MAX_XML_DEPTH = 64
MAX_JSON_DEPTH = 32
# A number longer than this is not a duration, an id or a count; Python would spend
# quadratic time on it (and refuses over 4,300 digits anyway).
MAX_NUMBER_CHARS = 40

# A JSON string literal, unrolled so that matching it is linear even when it never ends.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class _Refused(Exception):
    """Raised from inside a parser callback; carries the user's sentence out of it."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def json_depth(text: str) -> int:
    """The deepest bracket nesting of a JSON text, counted without recursion."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(f"có một số dài {len(text)} chữ số (tối đa {MAX_NUMBER_CHARS})")
        value = kind(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise _Refused(f"có số {text} vượt quá giới hạn số thực")
        return value

    return parse


def _constant(name: str) -> Any:
    raise _Refused(f"có giá trị {name}, không phải số JSON hợp lệ")


def load_json(text: str, name: str, *, consequence: str = "không có gì được nhập") -> Any:
    """Parse JSON with bounded depth and number length; every fault is one ``InputError``.

    ``consequence`` ends the sentence ("không có lượt phát nào được nhập"), so the user
    learns both what is wrong and that nothing was changed.
    """
    depth = json_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise InputError(
            f"{name}: JSON lồng nhau {depth} tầng (tối đa {MAX_JSON_DEPTH}), không phải tệp "
            f"do hệ thống xuất ra; {consequence}."
        )
    try:
        return json.loads(
            text,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name} không phải JSON hợp lệ: JSON hỏng ở dòng {exc.lineno}, cột {exc.colno}; "
            f"{consequence}."
        ) from None
    except _Refused as exc:
        raise InputError(f"{name}: JSON {exc.problem}; {consequence}.") from None
    except (RecursionError, ValueError) as exc:  # a limit above was not enough: still refuse
        raise InputError(
            f"{name}: JSON không đọc được ({type(exc).__name__}); {consequence}."
        ) from None


class _DepthLimit(ET.TreeBuilder):
    """A tree builder that refuses to open an element deeper than ``MAX_XML_DEPTH``."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self._depth = 0
        self._limit = limit

    def start(self, tag: Any, attrs: dict[str, str]) -> ET.Element:
        self._depth += 1
        if self._depth > self._limit:
            raise _Refused(f"lồng nhau quá {self._limit} tầng")
        return super().start(tag, attrs)

    def end(self, tag: Any) -> ET.Element:
        self._depth -= 1
        return super().end(tag)


def parse_xml_bytes(
    data: bytes, name: str, *, allow_doctype: bool = True, max_depth: int = MAX_XML_DEPTH
) -> ET.Element:
    """The root element of an XML file, parsed safely; every fault is one ``InputError``.

    A bare ``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``, as CAT tools write, is allowed unless
    ``allow_doctype`` is false; entity declarations and external references never are.
    """
    parser = DefusedXMLParser(
        target=_DepthLimit(max_depth),
        forbid_dtd=not allow_doctype,
        forbid_entities=True,
        forbid_external=True,
    )
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line, column = exc.position
        raise InputError(
            f"{name} không phải XML hợp lệ (dòng {line}, cột {column + 1}); không nhập gì."
        ) from None
    except _Refused as exc:
        raise InputError(f"{name}: XML {exc.problem}; không nhập gì.") from None
    except DefusedXmlException as exc:
        kind = "DOCTYPE" if "DTD" in type(exc).__name__ else "thực thể hoặc tham chiếu ngoài"
        raise InputError(
            f"{name} khai báo {kind} (<!DOCTYPE>/<!ENTITY>), điều mà tệp trao đổi không cần và "
            "có thể dùng để tấn công; không nhập gì."
        ) from None
    except LookupError:
        raise InputError(
            f"{name} khai báo một bảng mã XML không biết; hãy lưu lại tệp dạng UTF-8."
        ) from None
    except (RecursionError, ValueError, UnicodeError) as exc:
        raise InputError(
            f"{name}: XML không đọc được ({type(exc).__name__}); không nhập gì."
        ) from None
    if not isinstance(root, ET.Element):
        raise InputError(f"{name} không có phần tử XML nào; không nhập gì.")
    return root


def load_toml(text: str, name: str, error: type[BroadcastError] = InputError) -> dict[str, Any]:
    """Parse TOML (station.toml, a voice profile); every fault is one ``error`` sentence.

    ``tomllib`` recurses once per nested array or inline table, so ``a = [[[[...`` a few
    hundred deep ends in RecursionError: that is reported as damage like any syntax error.
    """
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{name} không đọc được: {exc}; hãy sửa lỗi cú pháp TOML đó.") from None
    except RecursionError:
        raise error(
            f"{name} có mảng hoặc bảng lồng nhau quá sâu, không phải cấu hình do người viết; "
            "hãy sửa lại tệp."
        ) from None


def read_toml(path: Path, error: type[BroadcastError] = InputError) -> dict[str, Any]:
    """``load_toml`` of a file, with a missing, unreadable or non-UTF-8 file said plainly."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Notepad on Windows adds a BOM
    except FileNotFoundError:
        raise error(f"Không tìm thấy {path}.") from None
    except UnicodeDecodeError as exc:
        raise error(
            f"{path.name} không phải UTF-8 (byte lỗi ở vị trí {exc.start}); hãy lưu lại tệp "
            "dạng UTF-8."
        ) from None
    except OSError as exc:
        raise error(f"Không đọc được {path} ({exc.strerror}).") from None
    return load_toml(text, path.name, error)


# A .docx is a zip: its pictures may be large, its XML parts are a few MB. The sizes in the
# zip's directory are what ``zipfile`` will let each member grow to, so checking them bounds
# what python-docx reads into memory: a 500 KB "zip bomb" cannot become 500 MB of XML.
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024
MAX_XML_PART_BYTES = 30 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000


def check_zip(raw: bytes, name: str) -> None:
    """Refuse a zip (.docx) that is not one, or that would unpack beyond sane sizes."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise InputError(
            f"{name} không phải tệp .docx hợp lệ (tệp zip hỏng hoặc tải về chưa hết): hãy mở "
            "tệp bằng Word và lưu lại dưới dạng .docx."
        ) from None
    total = sum(m.file_size for m in members)
    too_big_xml = [
        m.filename
        for m in members
        if m.filename.endswith((".xml", ".rels")) and m.file_size > MAX_XML_PART_BYTES
    ]
    if len(members) > MAX_ZIP_MEMBERS or total > MAX_UNZIPPED_BYTES or too_big_xml:
        raise InputError(
            f"{name} giải nén ra quá lớn ({total / 1024 / 1024:.0f} MB, {len(members)} phần), "
            "không giống một tài liệu Word bình thường: hãy mở tệp bằng Word, lưu lại rồi thử lại."
        )
