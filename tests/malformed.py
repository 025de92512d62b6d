"""Malformed-file corpora for the fuzz test of every importer, and the loop that runs them.

``corpus(kind, seed, count, rng)`` turns one valid file into ``count`` damaged ones, seeded so
a failure can be replayed: the damage a commune PC or a hostile sender produces (a download
cut short, flipped bytes, the wrong encoding, binary garbage, an empty or BOM-only file) and
the attacks on each format (XML entity bombs and external entities, nesting thousands deep,
huge attributes, zip bombs, 5,000-digit JSON numbers, TOML arrays nested past the recursion
limit). Each sample says whether it MUST be refused ("bad") or may be accepted ("any": a
flipped byte inside a sentence still leaves a valid file).

Run as ``python malformed.py MANIFEST RESULTS``, it feeds every sample of a manifest to the
real CLI in one process (click's CliRunner: ~0.7 s of start-up paid once, not per file) and
records, per sample, the exit code, the output, whether the database and the workspace's
files changed, and at the end the process's peak resident memory.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import random
import re
import resource
import sqlite3
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BAD = "bad"  # must be refused
ANY = "any"  # may be accepted (exit 0) or refused (exit 2)


@dataclass(frozen=True)
class Sample:
    label: str
    data: bytes
    expect: str


Mutation = Callable[[bytes, random.Random], tuple[bytes, str]]


# --- generic damage -----------------------------------------------------------------------


def truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data[: rng.randrange(1, max(2, len(data) * 9 // 10))], ANY


def flip_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    out = bytearray(data)
    for _ in range(rng.randint(1, 12)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out), ANY


def insert_garbage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 200)) + data[at:], ANY


def random_garbage(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.randbytes(rng.randint(1, 5000)), BAD


def empty(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"", b" ", b"\n\n", b"\r\n\t "]), BAD


def bom_only(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]), BAD


def utf16(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Re-encoded as UTF-16 (as old Word "Unicode text" saves), sometimes cut by one byte."""
    text = data.decode("utf-8", errors="replace")
    raw = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if rng.random() < 0.5:
        return raw[:-1], ANY  # odd length
    return raw, ANY


def legacy_encoding(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    text = data.decode("utf-8", errors="replace")
    return text.encode(rng.choice(["cp1258", "latin-1", "cp1252"]), errors="replace"), ANY


def nul_bytes(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at] + b"\x00" * rng.randint(1, 8) + data[at:], ANY


def cut_utf8_character(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data + "ệ".encode()[: rng.randint(1, 2)], ANY


def repeat_slice(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randint(1, 64)]
    return data[:start] + piece * rng.randint(100, 20000) + data[start:], ANY


GENERIC: tuple[Mutation, ...] = (
    truncate,
    flip_bytes,
    insert_garbage,
    random_garbage,
    empty,
    bom_only,
    utf16,
    legacy_encoding,
    nul_bytes,
    cut_utf8_character,
    repeat_slice,
)


# --- XML (TMX, TBX, XLIFF) ------------------------------------------------------------------


def _into_first_text(data: bytes, inner: bytes) -> bytes:
    """``inner`` placed right after the last start tag's ``>`` before the middle of the file."""
    at = data.rfind(b">", 0, max(1, len(data) // 2)) + 1
    return data[:at] + inner + data[at:]


def xml_deep(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([100, 1000, 20000])
    tag = rng.choice([b"hi", b"g", b"x", b"sub"])
    return _into_first_text(
        data,
        b"<" + tag + b">" * 1 + (b"<" + tag + b">") * (depth - 1) + (b"</" + tag + b">") * depth,
    ), BAD


def xml_laughs(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    entities = (
        b'<!ENTITY a "'
        + b"ha" * 10
        + b'">'
        + b"".join(
            b"<!ENTITY " + bytes([98 + i]) + b' "' + (b"&" + bytes([97 + i]) + b";") * 10 + b'">'
            for i in range(9)
        )
    )
    body = re.sub(rb"<\?xml[^>]*\?>", b"", data, count=1)
    root = re.search(rb"<([A-Za-z]+)", body)
    name = root.group(1) if root else b"x"
    return b"<!DOCTYPE " + name + b" [" + entities + b"]>" + _into_first_text(body, b"&j;"), BAD


def xml_external(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    target = rng.choice([b"file:///etc/passwd", b"http://127.0.0.1:9/x", b"/dev/zero"])
    body = re.sub(rb"<\?xml[^>]*\?>", b"", data, count=1)
    root = re.search(rb"<([A-Za-z]+)", body)
    name = root.group(1) if root else b"x"
    decl = b"<!DOCTYPE " + name + b' [<!ENTITY e SYSTEM "' + target + b'">]>'
    return decl + _into_first_text(body, b"&e;"), BAD


def xml_huge_attribute(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = data.find(b">", data.find(b"<", 40)) if b"<" in data[40:] else data.find(b">")
    value = b"A" * rng.choice([10_000, 1_000_000])
    return data[:at] + b' x-huge="' + value + b'"' + data[at:], ANY


def xml_unclosed(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    closes = [m.start() for m in re.finditer(rb"</", data)]
    at = rng.choice(closes) if closes else len(data) // 2
    end = data.find(b">", at) + 1
    return data[:at] + data[end:], BAD


def xml_wrong_root(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"<html><body>x</body></html>", b"<?xml version='1.0'?><a/>"]), BAD


def xml_encoding_lie(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    body = re.sub(rb"<\?xml[^>]*\?>", b"", data, count=1)
    label = rng.choice([b"x-unknown-42", b"UTF-32", b"ISO-8859-1", b"UTF-16"])
    return b'<?xml version="1.0" encoding="' + label + b'"?>' + body, ANY


def xml_many_pis(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    junk = rng.choice([b"<!-- c -->", b"<?pi x?>", b"<![CDATA[x]]>"]) * rng.randint(10, 50000)
    return _into_first_text(data, junk), ANY


XML: tuple[Mutation, ...] = (
    xml_deep,
    xml_laughs,
    xml_external,
    xml_huge_attribute,
    xml_unclosed,
    xml_wrong_root,
    xml_encoding_lie,
    xml_many_pis,
)


def _xml_truncate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """Cut before the root's end tag: never well-formed."""
    return data[: rng.randrange(1, data.rfind(b"</"))], BAD


# --- JSON (as-run) --------------------------------------------------------------------------


def json_deep(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([100, 5000, 200_000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    return opener * depth + b"1" + closer * depth, BAD


def json_long_number(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    number = b"9" * rng.choice([50, 5000, 100_000])
    if rng.random() < 0.3:
        number = b"1" + b"0" * 400 + b".5e" + b"9" * 30
    return re.sub(rb'"duration": [^,}]+', b'"duration": ' + number, data, count=1), BAD


def json_constants(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    word = rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999"])
    return re.sub(rb'"duration": [^,}]+', b'"duration": ' + word, data, count=1), BAD


def json_wrong_types(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    key = rng.choice([b"zone", b"start", b"file", b"duration", b"status"])
    value = rng.choice([b"null", b"true", b"[]", b"{}", b"[[1]]", b'{"x": {}}', b"-1", b"0.0"])
    return re.sub(rb'"' + key + rb'": [^,}]+', b'"' + key + b'": ' + value, data, count=1), ANY


def json_scalar(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"1", b'"plays"', b"null", b"[1, 2]", b'{"plays": 3}', b"[[]]"]), BAD


def json_huge_string(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return re.sub(rb'"zone": "[^"]*"', b'"zone": "' + b"x" * 2_000_000 + b'"', data), BAD


JSON: tuple[Mutation, ...] = (
    json_deep,
    json_long_number,
    json_constants,
    json_wrong_types,
    json_scalar,
    json_huge_string,
)


# --- CSV (glossary, as-run) -----------------------------------------------------------------


def csv_lone_quote(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = rng.randrange(data.find(b"\n") + 1, len(data))
    return data[:at] + b'"' + data[at:], ANY


def csv_ragged(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    lines = data.split(b"\n")
    row = rng.randrange(1, max(2, len(lines) - 1))
    lines[row] = lines[row] + b",extra,cells" if rng.random() < 0.5 else lines[row][:3]
    return b"\n".join(lines), BAD


def csv_huge_field(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    header, _, rest = data.partition(b"\n")
    return header + b"\n" + b'"' + b"x" * rng.choice([200_000, 2_000_000]) + b'",' + rest, BAD


def csv_header_only(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data.split(b"\n")[0] + rng.choice([b"", b"\n", b"\n\n\n"]), BAD


def csv_newlines(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data.replace(b"\n", rng.choice([b"\r", b"\r\r\n", b"\x0b", "\u2028".encode()])), ANY


def csv_delimiter(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data.replace(b",", rng.choice([b";", b"\t", b"|", b""])), ANY


CSV: tuple[Mutation, ...] = (
    csv_lone_quote,
    csv_ragged,
    csv_huge_field,
    csv_header_only,
    csv_newlines,
    csv_delimiter,
)


# --- HTML -----------------------------------------------------------------------------------


def html_unclosed(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    tag = rng.choice([b"div", b"b", b"li", b"font", b"table", b"p", b"span"])
    return _into_first_text(data, (b"<" + tag + b">x ") * rng.choice([300, 3000, 30000])), ANY


def html_tag_bomb(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return b"<p>" * rng.choice([110_000, 500_000]), BAD


def html_char_refs(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    ref = rng.choice([b"&#xD800;", b"&#99999999999;", b"&#0;", b"&#x110000;", b"&nosuch;"])
    return _into_first_text(data, ref * rng.randint(1, 1000)), ANY


def html_unterminated(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    opener = rng.choice([b"<!--", b"<script>", b"<![CDATA[", b"<style>", b"<title>", b"<a href='"])
    return _into_first_text(data, opener), ANY


def html_huge_attribute(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return data.replace(b"<p>", b'<p data-x="' + b"y" * 1_000_000 + b'">', 1), ANY


HTML: tuple[Mutation, ...] = (
    html_unclosed,
    html_tag_bomb,
    html_char_refs,
    html_unterminated,
    html_huge_attribute,
)


# --- PDF ------------------------------------------------------------------------------------


def pdf_header_only(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"%PDF-1.4\n", b"%PDF-1.7\n%%EOF\n", b"%PDF-"]), BAD


def pdf_deep_array(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([500, 5000, 50000])
    deep = b"[" * depth + b"]" * depth
    return data.replace(b"/Type /Page ", b"/Type /Page /Junk " + deep + b" ", 1), ANY


def pdf_broken_xref(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    at = data.rfind(b"xref")
    return data[:at] + b"xref\n0 999999999\n" + data[at + 4 :], ANY


def pdf_huge_length(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return re.sub(rb"/Length \d+", b"/Length 99999999999", data, count=1), ANY


def pdf_text_operator(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    noise = rng.choice([b"(x) Tj ", b"1 0 0 1 0 0 Tm ", b"[(a) -1e999 (b)] TJ ", b"q " * 1000])
    return data.replace(b"BT", b"BT " + noise * rng.randint(1, 2000), 1), ANY


PDF: tuple[Mutation, ...] = (
    pdf_header_only,
    pdf_deep_array,
    pdf_broken_xref,
    pdf_huge_length,
    pdf_text_operator,
)


# --- DOCX -----------------------------------------------------------------------------------


def _rezip(data: bytes, replace: dict[str, bytes], drop: tuple[str, ...] = ()) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            payload = replace.pop(info.filename, None)
            dst.writestr(
                info,
                src.read(info) if payload is None else payload,
                compress_type=zipfile.ZIP_DEFLATED,
            )
        for name, payload in replace.items():
            dst.writestr(name, payload, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml")


def docx_xml_mutation(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """A damage of word/document.xml (XML mutations and generic ones), zipped back.

    Only a broken structure must be refused: python-docx's parser never expands entities
    (an entity bomb stays one unexpanded reference) and skips elements it does not know.
    """
    mutate = rng.choice((*XML[:5], flip_bytes, truncate, random_garbage))
    inner, _ = mutate(_document_xml(data), rng)
    broken = mutate in (xml_unclosed, random_garbage)
    return _rezip(data, {"word/document.xml": inner}), BAD if broken else ANY


def docx_zip_bomb(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    size = rng.choice([40, 64]) * 1024 * 1024  # past the bound on one XML part
    body = _document_xml(data)
    at = body.find(b"<w:body>") + len(b"<w:body>")
    bomb = body[:at] + b" " * size + body[at:]
    return _rezip(data, {"word/document.xml": bomb}), BAD


def docx_missing_part(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    part = rng.choice(["word/document.xml", "[Content_Types].xml", "_rels/.rels"])
    return _rezip(data, {}, drop=(part,)), BAD


def docx_not_zip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"PK\x03\x04" + rng.randbytes(300), data[: len(data) // 3]]), BAD


DOCX: tuple[Mutation, ...] = (
    docx_xml_mutation,
    docx_xml_mutation,
    docx_xml_mutation,
    docx_zip_bomb,
    docx_missing_part,
    docx_not_zip,
)


# --- station.toml ---------------------------------------------------------------------------

_TOML_VALUES = (
    "0",
    "-1",
    "100000000",
    "-100000000",
    "1e400",
    "nan",
    "inf",
    "-inf",
    '"x"',
    '""',
    "true",
    "[]",
    "{}",
    "99999999999999999999999999",
    "0.0001",
    '"{0}"',
    '"{station:>999999999}"',
    '"{station.__class__}"',
    '"{"',
)
_TOML_KEYS = (
    ("script", "syllables_per_minute"),
    ("script", "pace"),
    ("script", "opening"),
    ("script", "southern_readings"),
    ("audio", "speech_rate"),
    ("audio", "pause_ms"),
    ("audio", "loudness_lufs"),
    ("audio", "true_peak_db"),
    ("audio", "voice"),
    ("station", "name"),
    ("station", "languages"),
    ("schedule", "ident_seconds"),
    ("mix.loudspeaker", "pause_ms"),
    ("mix.web", "bitrate"),
    ("mix.broadcast", "loudness_lufs"),
    ("video", "progress_bar"),
    ("video", "background"),
)


def toml_bad_value(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    table, key = rng.choice(_TOML_KEYS)
    value = rng.choice(_TOML_VALUES)
    text = data.decode("utf-8")
    text = re.sub(rf"(?m)^{key} = .*\n", "", text) if f"[{table}]" in text else text
    if f"[{table}]\n" in text:
        text = text.replace(f"[{table}]\n", f"[{table}]\n{key} = {value}\n", 1)
    else:
        text = f"{text}\n[{table}]\n{key} = {value}\n"
    return text.encode(), ANY


def toml_deep(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    depth = rng.choice([300, 3000, 100_000])
    opener, closer = rng.choice([("[", "]"), ("{a = ", "}")])
    deep = f"\n[deep]\nx = {opener * depth}1{closer * depth}\n".encode()
    return data + deep, BAD if depth > 300 else ANY  # 300 parses: an unknown table, ignored


def toml_bad_slot(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    slot = rng.choice(
        [
            'days = ["mon"]\nstart = "25:00"\nminutes = 10',
            'days = ["xyz"]\nstart = "06:00"\nminutes = 10',
            'days = ["mon"]\nstart = "06:00"\nminutes = 0',
            'days = ["mon"]\nstart = "06:00"\nminutes = 99999999',
            'days = "mon"\nstart = 6\nminutes = "ten"',
            'days = ["mon"]\nstart = "23:50"\nminutes = 30',
        ]
    )
    # Past midnight is refused by the grid (schedule plan), not by the glossary's reading.
    return data + f"\n[[slots]]\n{slot}\n".encode(), ANY if "23:50" in slot else BAD


def toml_not_toml(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    return rng.choice([b"[station", b"name = ", b"= 1", b"[[[", b'a = """', b"\x00\x01"]), BAD


TOML: tuple[Mutation, ...] = (
    toml_bad_value,
    toml_bad_value,
    toml_bad_value,
    toml_deep,
    toml_bad_slot,
    toml_not_toml,
)


SPECIFIC: dict[str, tuple[Mutation, ...]] = {
    "xml": (*XML, _xml_truncate),
    "json": JSON,
    "csv": CSV,
    "html": HTML,
    "pdf": PDF,
    "docx": DOCX,
    "toml": TOML,
}
# Generic damage applied to a zip or a PDF is mostly "not a valid file"; these keep it so.
_GENERIC_FOR = {"docx": (truncate, flip_bytes, random_garbage, empty, insert_garbage)}


def corpus(family: str, seed: bytes, count: int, rng: random.Random) -> list[Sample]:
    """``count`` damaged variants of ``seed``: half generic damage, half format attacks,
    every mutation of both lists used at least once."""
    generic = _GENERIC_FOR.get(family, GENERIC)
    specific = SPECIFIC[family]
    plan = list(generic) + list(specific)
    while len(plan) < count:
        plan.append(rng.choice(generic if len(plan) % 2 else specific))
    samples = []
    for number, mutate in enumerate(plan[:count]):
        data, expect = mutate(seed, rng)
        samples.append(Sample(f"{number:03d}-{mutate.__name__}", data, expect))
    return samples


# --- the loop the child process runs --------------------------------------------------------


def state(root: Path) -> str:
    """A hash of the database's content and of every file in the workspace but logs/."""
    digest = hashlib.sha256()
    db = root / "broadcast.db"
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            for line in conn.iterdump():
                digest.update(line.encode())
        finally:
            conn.close()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("logs") or rel.startswith("broadcast.db") or not path.is_file():
            continue
        digest.update(rel.encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def run_manifest(manifest: list[dict[str, object]]) -> list[dict[str, object]]:
    from click.testing import CliRunner

    from broadcast.cli import cli

    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        runner = CliRunner()
    results = []
    for entry in manifest:
        root = Path(str(entry["workspace"]))
        install = entry.get("install")
        if isinstance(install, dict):  # a damaged station.toml is put in place first
            Path(install["to"]).write_bytes(Path(install["from"]).read_bytes())
        before = state(root)
        started = time.perf_counter()
        result = runner.invoke(cli, [str(a) for a in entry["args"]])  # type: ignore[union-attr]
        results.append(
            {
                "label": entry["label"],
                "expect": entry["expect"],
                "exit_code": result.exit_code,
                "stdout": result.stdout[-2000:],
                "stderr": result.stderr[-2000:],
                "exception": repr(result.exception) if result.exit_code == 1 else "",
                "seconds": round(time.perf_counter() - started, 3),
                "changed": state(root) != before,
            }
        )
    return results


def main(argv: list[str]) -> None:
    manifest = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    results = run_manifest(manifest)
    Path(argv[2]).write_text(
        json.dumps({"results": results, "peak_rss_kib": peak_rss_kib()}, ensure_ascii=False),
        encoding="utf-8",
    )


def peak_rss_kib() -> int:
    """This process's peak resident memory. ``VmHWM`` belongs to the program's own memory
    map; ``ru_maxrss`` would also count the parent's size at fork (Linux keeps it over exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    main(sys.argv)
