"""Reading and writing exchange files (CSV, TBX, TMX): bytes in, one clear sentence on error.

Every exchange file is parsed completely before anything is written, so a file that fails
on its last row imports nothing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from broadcast.errors import InputError
from broadcast.safeparse import parse_xml_bytes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# A commune's whole term base or memory is a few MB; a parsed XML tree takes ~10 times its
# file, so this keeps any exchange import far below a gigabyte.
MAX_EXCHANGE_BYTES = 20 * 1024 * 1024


def read_file(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp {path}.") from None
    except IsADirectoryError:
        raise InputError(f"{path} là thư mục, không phải tệp.") from None
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path} ({exc.strerror}).") from None
    if not data.strip():
        raise InputError(f"Tệp {path} trống.")
    if len(data) > MAX_EXCHANGE_BYTES:
        raise InputError(
            f"Tệp {path} quá lớn ({len(data) / 1024 / 1024:.1f} MB, tối đa "
            f"{MAX_EXCHANGE_BYTES // 1024 // 1024} MB): hãy chia thành các tệp nhỏ hơn."
        )
    return data


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM, as Excel writes it); binary files are refused."""
    if b"\x00" in data:
        raise InputError(f"{name} là tệp nhị phân, không phải văn bản UTF-8.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # the last character was cut in half
            raise InputError(
                f"{name} bị cắt cụt giữa một chữ ở cuối tệp (chép hoặc tải về chưa hết); "
                "hãy lấy lại tệp đầy đủ rồi nhập lại."
            ) from None
        raise InputError(
            f"{name} không phải UTF-8 (byte lỗi ở vị trí {exc.start}); lưu lại tệp dạng UTF-8."
        ) from None


def parse_xml(data: bytes, name: str, roots: tuple[str, ...]) -> ET.Element:
    """Parse an XML file whose root element is one of ``roots`` (namespace ignored).

    Parsed by ``broadcast.safeparse``: no entity declarations, no external references and a
    bounded depth, so a hostile file cannot reach the disk or the network, exhaust memory or
    overflow a recursive walk of the tree.
    """
    root = parse_xml_bytes(data, name)
    if local(root.tag) not in roots:
        raise InputError(
            f"{name} có phần tử gốc <{local(root.tag)}>, cần <{'> hoặc <'.join(roots)}>."
        )
    return root


def local(tag: object) -> str:
    """'{urn:iso:std:iso:30042:ed-2}termSec' -> 'termSec'; comments and PIs -> ''."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def children(element: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in element if local(c.tag) in names]


def descendants(element: ET.Element, *names: str) -> list[ET.Element]:
    return [c for c in element.iter() if local(c.tag) in names]


def xml_bytes(root: ET.Element) -> bytes:
    """Indented UTF-8 XML with a declaration; text inside leaf elements is left untouched."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
