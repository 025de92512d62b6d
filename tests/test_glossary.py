"""The shipped CCHC glossary and the loader's handling of bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadcast.errors import InputError
from broadcast.script.glossary import COLUMNS, Status, load_glossary

HEADER = "\t".join(COLUMNS)

REQUIRED_TERMS = (
    "UBND", "HĐND", "CCHC", "TTHC", "MTTQ", "CBCCVC", "CB", "CC", "VC", "CBCC", "PAR INDEX",
    "SIPAS", "PAPI", "PCI", "DTI", "ICT", "CNTT", "KT-XH", "QĐ", "KH", "NĐ-CP", "NQ", "TW",
    "TTg", "BTTTT", "VHXH", "VT", "PCT", "TTĐU", "ĐU", "BCH", "UBMTTQ", "TP", "AI", "CSDL",
    "VNeID", "DVC", "DVCTT", "MTTQVN", "TT", "CT", "KT", "UBKT", "HTX", "THCS", "THPT", "BHXH",
    "BHYT",
)  # fmt: skip


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "glossary.tsv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def test_shipped_glossary_loads_with_required_terms() -> None:
    glossary = load_glossary()
    missing = [t for t in REQUIRED_TERMS if t not in glossary]
    assert missing == []
    assert len(glossary) >= len(REQUIRED_TERMS)


def test_every_shipped_entry_has_a_status_and_a_source() -> None:
    for entry in load_glossary().entries:
        assert entry.status in ("approved", "proposed"), entry.term
        assert entry.source.strip(), entry.term
        assert entry.expansion.strip(), entry.term
        assert entry.term == entry.term.strip()


def test_shipped_readings() -> None:
    glossary = load_glossary()
    assert glossary.spoken("UBND") == "Ủy ban nhân dân"
    assert glossary.spoken("CCHC") == "cải cách hành chính"
    assert glossary.spoken("PAR INDEX") == "Chỉ số cải cách hành chính"
    assert glossary.spoken("SIPAS") == (
        "Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước"
    )
    assert glossary.spoken("KT-XH") == "kinh tế xã hội"
    assert glossary.spoken("NĐ-CP") == "Nghị định của Chính phủ"
    assert glossary.spoken("ubnd") is None  # capitals carry the meaning


def test_spoken_form_wins_over_expansion() -> None:
    entry = load_glossary().get("VNĐ")
    assert entry is not None
    assert entry.expansion == "Việt Nam đồng"
    assert entry.reading == "đồng"


def test_entries_defined_in_seed_documents_are_approved() -> None:
    glossary = load_glossary()
    for term in ("CCHC", "TTHC", "UBND", "PAR INDEX", "SIPAS", "PAPI", "PCI", "DTI", "AI"):
        entry = glossary.get(term)
        assert entry is not None and entry.status is Status.APPROVED, term


def test_explicit_path_and_optional_columns(tmp_path: Path) -> None:
    path = _write(tmp_path, "UBND\tỦy ban nhân dân\t\ttoolkit\tapproved\t", "# comment", "")
    glossary = load_glossary(path)
    assert [e.term for e in glossary.entries] == ["UBND"]
    assert glossary.entries[0].note == ""


def test_wrong_column_count_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "UBND\tỦy ban nhân dân\t\ttoolkit\tapproved\t", "CCHC\tcải cách")
    with pytest.raises(InputError) as caught:
        load_glossary(path)
    assert "dòng 3" in caught.value.message
    assert str(path) in caught.value.message
    assert "6 cột" in caught.value.message


def test_empty_term_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "\tỦy ban nhân dân\t\ttoolkit\tapproved\t")
    with pytest.raises(InputError, match="dòng 2: cột term đang để trống"):
        load_glossary(path)


def test_empty_source_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "UBND\tỦy ban nhân dân\t\t\tapproved\t")
    with pytest.raises(InputError, match="dòng 2: cột source"):
        load_glossary(path)


def test_unknown_status_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "UBND\tỦy ban nhân dân\t\ttoolkit\tok\t")
    with pytest.raises(InputError, match="dòng 2: cột status"):
        load_glossary(path)


def test_duplicate_term_names_both_lines(tmp_path: Path) -> None:
    row = "UBND\tỦy ban nhân dân\t\ttoolkit\tapproved\t"
    path = _write(tmp_path, row, row)
    with pytest.raises(InputError, match="dòng 3: thuật ngữ UBND đã có ở dòng 2"):
        load_glossary(path)


def test_wrong_header_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "glossary.tsv"
    path.write_text("term,expansion\nUBND,Ủy ban nhân dân\n", encoding="utf-8")
    with pytest.raises(InputError, match="dòng 1"):
        load_glossary(path)


def test_missing_and_undecodable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Không tìm thấy"):
        load_glossary(tmp_path / "absent.tsv")
    legacy = tmp_path / "legacy.tsv"
    legacy.write_bytes(HEADER.encode() + b"\nUBND\t\xday ban\t\ttoolkit\tapproved\t\n")
    with pytest.raises(InputError, match="UTF-8"):
        load_glossary(legacy)
