"""Fuzz test of every importer (issue 9): 110 malformed files each, through the real commands.

For each of HTML, PDF, DOCX (``broadcast ingest``), XLIFF and bilingual DOCX (``review
import``), TBX and CSV (``glossary import``), TMX (``tm import``), CSV and JSON as-run logs
(``asrun import``) and station.toml (``glossary list`` and ``schedule plan``, which read the
station and its grid), a seeded corpus from ``malformed.py`` is run in ONE child process per
importer, so that process's peak memory is measured (``VmHWM``) and start-up is paid once.
Every sample must end in exit 0 (the file is acceptable) or 2 (refused), never 1 (a Python
traceback) nor the boundary's "unexpected error"; a refusal is a Vietnamese sentence and
leaves the database and the workspace's files exactly as they were; samples marked "bad"
(an entity bomb, a truncated XML, nesting past the limits, an empty or BOM-only file...)
must be refused. The whole module takes about 45 s on a 2-core machine.
"""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from helpers import run
from malformed import BAD, Sample, corpus
from review_fixtures import save, workspace
from test_hostile_inputs import ARTICLE, has_vietnamese
from test_ingest_formats import PAGE, PDF_PAGES, make_pdf

from broadcast.translate.tbx import write_terms_tbx
from broadcast.translate.termcsv import write_terms_csv
from broadcast.translate.tmx import write_tmx
from broadcast.translate.values import Term, TermStatus, TMUnit

pytestmark = pytest.mark.slow

PER_IMPORTER = 110
MEMORY_LIMIT_KIB = 1024 * 1024  # 1 GiB
TESTS = Path(__file__).resolve().parent

# Synthetic targets: labelled test strings, not Thái or Mông.
TERMS = [
    Term("một cửa", "blt", "[blt] thuật ngữ 1 thử nghiệm", TermStatus.APPROVED, note="ghi chú"),
    Term("hồ sơ", "blt", "[blt] thuật ngữ 2 thử nghiệm", forbidden=("[blt] sai 2",)),
    Term("trực tuyến", "hmn", "[hmn] thuật ngữ 3 thử nghiệm", TermStatus.APPROVED),
]
UNITS = [
    TMUnit("Bà con mang theo căn cước.", "[blt] câu 1 thử nghiệm", "blt"),
    TMUnit("UBND xã hướng dẫn bà con.", "[hmn] câu 2 thử nghiệm", "hmn", previous="Kính thưa."),
]
PLAYS = [
    {
        "zone": "all",
        "start": f"2026-03-0{day}T06:00",
        "file": f"nhac/bai-{day}.mp3",
        "duration": 60 + day,
        "status": "played",
    }
    for day in range(1, 6)
]


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Xã Mường La hướng dẫn nộp hồ sơ trực tuyến", level=1)
    for sentence in ARTICLE.split(". "):
        document.add_paragraph(sentence)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _asrun_csv() -> bytes:
    rows = ["zone,start,file,duration,status"]
    rows += [f"{p['zone']},{p['start']},{p['file']},{p['duration']},đã phát" for p in PLAYS]
    return ("\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One workspace with a translated script (for XLIFF), one for station.toml damage."""
    base = tmp_path_factory.mktemp("fuzz")
    ws = workspace(base / "ws")
    saved = save(ws)
    assert run("-w", ws.root, "translate", saved.slug, "--to", "blt").exit_code == 0
    xliff = base / "seed.xlf"
    exported = run("-w", ws.root, "review", "export", saved.slug, "--lang", "blt", "-o", xliff)
    assert exported.exit_code == 0, exported.output
    bilingual = base / "seed.docx"
    exported = run("-w", ws.root, "review", "export", saved.slug, "--lang", "blt", "-o", bilingual)
    assert exported.exit_code == 0, exported.output
    station_ws = workspace(base / "station-ws").root
    return {
        "base": base,
        "ws": ws.root,
        "xliff": xliff,
        "bilingual": bilingual,
        "station_ws": station_ws,
    }


def importers(setup: dict[str, object]) -> dict[str, tuple[str, str, bytes, list[list[str]]]]:
    """name -> (mutation family, file suffix, valid seed, command argument lists)."""
    ws = str(setup["ws"])
    station_ws = str(setup["station_ws"])
    plan = ["-w", station_ws, "schedule", "plan", "--from", "2026-03-02", "--days", "1"]
    return {
        "html": ("html", ".html", PAGE.encode("utf-8"), [["ingest", "{}"]]),
        "pdf": ("pdf", ".pdf", make_pdf(PDF_PAGES), [["ingest", "{}"]]),
        "docx": ("docx", ".docx", _docx(), [["ingest", "{}"]]),
        "xliff": (
            "xml",
            ".xlf",
            Path(str(setup["xliff"])).read_bytes(),
            [["-w", ws, "review", "import", "{}"]],
        ),
        "review-docx": (
            "docx",
            ".docx",
            Path(str(setup["bilingual"])).read_bytes(),
            [["-w", ws, "review", "import", "{}"]],
        ),
        "tbx": ("xml", ".tbx", write_terms_tbx(TERMS), [["-w", ws, "glossary", "import", "{}"]]),
        "tmx": ("xml", ".tmx", write_tmx(UNITS)[0], [["-w", ws, "tm", "import", "{}"]]),
        "glossary-csv": (
            "csv",
            ".csv",
            write_terms_csv(TERMS),
            [["-w", ws, "glossary", "import", "{}"]],
        ),
        "asrun-csv": ("csv", ".csv", _asrun_csv(), [["-w", ws, "asrun", "import", "{}"]]),
        "asrun-json": (
            "json",
            ".json",
            json.dumps({"plays": PLAYS}, ensure_ascii=False).encode("utf-8"),
            [["-w", ws, "asrun", "import", "{}"]],
        ),
        "station-toml": (
            "toml",
            ".toml",
            (Path(station_ws) / "station.toml").read_bytes(),
            [["-w", station_ws, "glossary", "list"], plan],
        ),
    }


def _manifest(
    name: str, setup: dict[str, object], samples: list[Sample], commands: list[list[str]]
) -> list[dict[str, object]]:
    folder = Path(str(setup["base"])) / name
    folder.mkdir()
    suffix = importers(setup)[name][1]
    entries: list[dict[str, object]] = []
    for sample in samples:
        path = folder / f"{sample.label}{suffix}"
        path.write_bytes(sample.data)
        for args in commands:
            entry: dict[str, object] = {
                "label": f"{name}/{sample.label}",
                "expect": sample.expect,
                "args": [a.replace("{}", str(path)) for a in args],
                "workspace": str(setup["station_ws" if name == "station-toml" else "ws"]),
            }
            if name == "station-toml":
                entry["install"] = {"from": str(path), "to": f"{setup['station_ws']}/station.toml"}
            entries.append(entry)
    return entries


@pytest.mark.parametrize(
    "name",
    [
        "html",
        "pdf",
        "docx",
        "xliff",
        "review-docx",
        "tbx",
        "tmx",
        "glossary-csv",
        "asrun-csv",
        "asrun-json",
        "station-toml",
    ],
)
def test_malformed_files_end_in_one_sentence_and_change_nothing(
    setup: dict[str, object], name: str
) -> None:
    family, _suffix, seed, commands = importers(setup)[name]
    samples = corpus(family, seed, PER_IMPORTER, random.Random(f"issue9-{name}"))
    assert len(samples) >= 100
    manifest = _manifest(name, setup, samples, commands)
    folder = Path(str(setup["base"])) / name
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    child = subprocess.run(
        [
            sys.executable,
            str(TESTS / "malformed.py"),
            folder / "manifest.json",
            folder / "results.json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=folder,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    problems = []
    for r in report["results"]:
        out = r["stdout"] + r["stderr"]
        why = []
        if r["exit_code"] not in (0, 2):
            why.append(f"exit {r['exit_code']} {r['exception']}")
        if r["expect"] == BAD and r["exit_code"] == 0:
            why.append("accepted a file that must be refused")
        if "Traceback" in out or "không lường trước" in out:
            why.append("traceback or unexpected error")
        if r["exit_code"] == 2 and not has_vietnamese(r["stderr"]):
            why.append("refusal without a Vietnamese sentence")
        if r["exit_code"] != 0 and r["changed"]:
            why.append("refused but the workspace changed")
        if why:
            problems.append(f"{r['label']}: {'; '.join(why)}: {r['stderr'][-300:]!r}")
    assert not problems, f"{len(problems)} of {len(report['results'])}:\n" + "\n".join(
        problems[:25]
    )
    refused = sum(1 for r in report["results"] if r["exit_code"] == 2)
    assert refused >= len(report["results"]) // 3, "the corpus should be mostly damage"
    peak = report["peak_rss_kib"]
    seconds = sum(r["seconds"] for r in report["results"])
    print(
        f"{name}: {len(report['results'])} runs, {refused} refused, {seconds:.1f} s in commands, "
        f"peak RSS {peak // 1024} MiB"
    )
    assert peak < MEMORY_LIMIT_KIB, f"{name}: peak resident memory {peak // 1024} MiB"
