"""The periodic report: its figures are checked against the as-run log it was made from.

The log is generated here (seeded), imported through ``broadcast asrun import``, and every
table of the .docx, the CSV files and the HTML page is compared with figures computed in
this file from the same generated plays, independently of the SQL the report uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from helpers import run
from PIL import Image
from schedule_fixtures import add_script, grid_workspace, open_db

from broadcast.errors import InputError
from broadcast.schedule.period import parse_period
from broadcast.script.model import Topic
from broadcast.store import schedule as schedule_store

ZONES = {
    "ban-muong": "Cụm loa bản Mường",
    "trung-tam": "Cụm loa trung tâm xã",
    "ban-mong": "Cụm loa bản Mông",
}
SCRIPTS = {  # slug -> (topic, seconds)
    "dvc-truc-tuyen": (Topic.DIGITAL_GOVERNMENT, 150.0),
    "mot-cua": (Topic.PROCEDURES, 120.0),
    "sap-xep-bo-may": (Topic.ORGANISATION, 90.0),
}


def vn_number(text: str) -> float:
    """'1.234' -> 1234, '12,5' -> 12.5: the docx writes numbers the Vietnamese way."""
    return float(text.replace(".", "").replace(",", "."))


@pytest.fixture()
def logged(tmp_path: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A workspace whose as-run log holds a seeded quarter of plays (and a few distractors).

    January and March air the three scripts; February airs only a song that is not ours, so
    February misses the "one CCHC item per month" target.
    """
    root = grid_workspace(tmp_path / "ws")
    renders: dict[str, int] = {}
    with open_db(root) as db:
        for slug, (topic, seconds) in SCRIPTS.items():
            script_id = add_script(db, slug, topic=topic, vi_seconds=seconds)
            renders[slug] = schedule_store.latest_audio_renders(db, script_id)["vi"].render_id
    rng = random.Random(5)
    plays: list[dict[str, Any]] = []
    for day in range(90):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        for zone in ZONES:
            start = dt.datetime.combine(date, dt.time(6, 0))
            if date.month != 2 and rng.random() < 0.7:
                slug = rng.choice(sorted(SCRIPTS))
                seconds = SCRIPTS[slug][1] if rng.random() < 0.9 else 40.0
                status = "played" if seconds != 40.0 else "partial"
                plays.append(
                    {
                        "zone": zone,
                        "start": start.isoformat(),
                        "render": renders[slug],
                        "duration": seconds,
                        "status": status,
                        "slug": slug,
                    }
                )
            if rng.random() < 0.2:
                plays.append(
                    {
                        "zone": zone,
                        "start": (start.replace(hour=17)).isoformat(),
                        "file": "nhac/dan-ca-thai.mp3",
                        "duration": 200,
                        "language": "blt",
                        "slug": None,
                    }
                )
    # Not counted: a missed play, and a play after the quarter.
    plays.append(
        {
            "zone": "ban-mong",
            "start": "2026-03-31T17:45",
            "render": renders["mot-cua"],
            "duration": 0,
            "status": "missed",
            "slug": "mot-cua",
        }
    )
    plays.append(
        {
            "zone": "ban-mong",
            "start": "2026-04-01T06:00",
            "render": renders["mot-cua"],
            "duration": 120,
            "status": "played",
            "slug": "mot-cua",
        }
    )
    export = root / "asrun-q1.json"
    export.write_text(json.dumps(plays, ensure_ascii=False), encoding="utf-8")
    result = run("-w", root, "asrun", "import", export)
    assert result.exit_code == 0, result.stderr
    counted = [p for p in plays if p.get("status") != "missed" and p["start"] < "2026-04-01"]
    return root, counted


def expected(plays: list[dict[str, Any]], key: Any) -> dict[str, tuple[int, float]]:
    out: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
    for play in plays:
        k = key(play)
        out[k][0] += 1
        out[k][1] += play["duration"] / 60
    return {k: (int(v[0]), v[1]) for k, v in out.items()}


def table_by_header(document: Any, second_column: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[c.text.strip() for c in r.cells] for r in table.rows]
        if len(rows[0]) > 1 and rows[0][1] == second_column:
            return rows
    raise AssertionError(f"no table with column {second_column!r}")


def check_tally(rows: list[list[str]], want: dict[str, tuple[int, float]]) -> None:
    """Rows are STT | name | plays | minutes, ending with the total row."""
    body, total = rows[1:-1], rows[-1]
    got = {r[1]: (int(vn_number(r[2])), vn_number(r[3])) for r in body if vn_number(r[2])}
    assert set(got) == set(want)
    for name, (plays, minutes) in want.items():
        assert got[name][0] == plays, name
        assert got[name][1] == pytest.approx(minutes, abs=0.051), name
    assert total[1] == "Tổng cộng"
    assert int(vn_number(total[2])) == sum(p for p, _ in want.values())


def test_report_docx_csv_html_match_the_log(logged: tuple[Path, list[dict[str, Any]]]) -> None:
    root, plays = logged
    result = run("-w", root, "report", "--period", "2026-Q1", "--date", "2026-04-05")
    assert result.exit_code == 0, result.stderr
    folder = root / "out" / "reports" / "bao-cao-2026-Q1"
    assert str(folder) in result.stdout

    document = Document(str(folder / "bao-cao-2026-Q1.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "Mường La, ngày 05 tháng 4 năm 2026" in header
    assert "TRUNG TÂM DỊCH VỤ TỔNG HỢP" in header
    assert "BÁO CÁO" in text
    assert (
        "Kết quả tuyên truyền cải cách hành chính trên hệ thống truyền thanh xã Mường La "
        "quý I năm 2026" in text
    )
    for heading in (
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "1. Tình hình chung",
        "2. Theo lĩnh vực",
        "7. Đánh giá việc thực hiện chỉ tiêu",
        "II. TỒN TẠI VÀ HẠN CHẾ",
        "III. NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG NHIỆM VỤ KỲ TỚI",
        "V. ĐỀ XUẤT KIẾN NGHỊ",
    ):
        assert heading in text
    assert "Số liệu tạm tính" not in text  # the quarter has ended (the machine's clock)
    # The figures' paragraph is drafted from the log: its total is the log's.
    assert (
        f"đã phát {len(plays)} lượt" in text
        or f"đã phát {len(plays):,} lượt".replace(",", ".") in text
    )

    topic_label = {t.value: t.label[0].upper() + t.label[1:] for t in Topic}
    by_topic = expected(
        plays,
        lambda p: (
            topic_label[SCRIPTS[p["slug"]][0].value]
            if p["slug"]
            else "Nội dung khác (chưa rõ lĩnh vực)"
        ),
    )
    check_tally(table_by_header(document, "Lĩnh vực"), by_topic)
    by_language = expected(
        plays, lambda p: "Tiếng Thái (Thái Đen, Tai Dam)" if p.get("language") else "Tiếng Việt"
    )
    rows = table_by_header(document, "Ngôn ngữ")
    assert {r[1] for r in rows} >= {"Tiếng Việt", "Tiếng Thái (Thái Đen, Tai Dam)"}
    check_tally(rows, by_language)
    check_tally(table_by_header(document, "Cụm loa"), expected(plays, lambda p: ZONES[p["zone"]]))
    by_month = expected(plays, lambda p: f"Tháng {int(p['start'][5:7])}/2026")
    check_tally(table_by_header(document, "Tháng"), by_month)

    segments = table_by_header(document, "Bản tin")
    aired = expected([p for p in plays if p["slug"]], lambda p: f"Bản tin {p['slug']}")
    assert {r[1]: int(vn_number(r[4])) for r in segments[1:]} == {k: v[0] for k, v in aired.items()}
    targets = table_by_header(document, "Số bản tin CCHC")
    verdicts = {r[0]: r[4] for r in targets[1:]}
    assert verdicts["Tháng 1/2026"] == "Đạt" and verdicts["Tháng 3/2026"] == "Đạt"
    assert verdicts["Tháng 2/2026"].startswith("Không đạt")
    assert "tháng 2/2026" in text  # named in the recommendations

    with (folder / "theo-thang.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows_csv = list(csv.DictReader(handle))
    by_month_key = expected(plays, lambda p: p["start"][:7])
    assert [r["Tháng"] for r in rows_csv] == ["2026-01", "2026-02", "2026-03"]
    for row in rows_csv:
        plays_n, minutes = by_month_key[row["Tháng"]]
        assert int(row["Số lượt phát"]) == plays_n
        assert float(row["Thời lượng (phút)"]) == pytest.approx(minutes, abs=0.006)
    with (folder / "chi-tieu.csv").open(encoding="utf-8-sig", newline="") as handle:
        met = {r["Tháng"]: r["Đạt"] for r in csv.DictReader(handle)}
    assert met["2026-01"] == "đạt" and met["2026-02"].startswith("không đạt")

    page = (folder / "bao-cao-2026-Q1.html").read_text(encoding="utf-8")
    parser = ImageCollector()
    parser.feed(page)
    assert 'lang="vi"' in page and "quý I năm 2026" in page
    assert len(parser.images) == 4
    for src in parser.images:
        with Image.open(folder / src) as image:
            assert image.format == "PNG" and image.width > 300
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no staging


class ImageCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.images.append(dict(attrs)["src"] or "")


def test_rerun_is_a_new_version_and_bad_period_writes_nothing(
    logged: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    root, _ = logged
    out = tmp_path / "bao-cao"
    assert run("-w", root, "report", "--period", "2026-03", "--out", out).exit_code == 0
    first = {p.name: p.read_bytes() for p in (out / "bao-cao-2026-03").iterdir() if p.is_file()}
    again = run("-w", root, "report", "--period", "2026-03", "--out", out)
    assert again.exit_code == 0 and "(bản 2)" in again.stdout
    # The first version is kept byte for byte; the second has its own folder.
    kept = {p.name: p.read_bytes() for p in (out / "bao-cao-2026-03").iterdir() if p.is_file()}
    assert kept == first
    assert sorted(p.name for p in out.iterdir()) == ["bao-cao-2026-03", "bao-cao-2026-03-ban-2"]
    second = out / "bao-cao-2026-03-ban-2"
    assert (second / "theo-thang.csv").read_bytes() == first["theo-thang.csv"]
    assert (second / "bao-cao-2026-03-ban-2.docx").stat().st_size > 10000

    bad = run("-w", root, "report", "--period", "2026-Q5", "--out", tmp_path / "none")
    assert bad.exit_code == 2
    assert "Kỳ báo cáo '2026-Q5' không hợp lệ" in bad.stderr
    assert not (tmp_path / "none").exists()


def test_empty_period_reports_zeros(logged: tuple[Path, list[dict[str, Any]]]) -> None:
    root, _ = logged
    assert run("-w", root, "report", "--period", "2025-H2").exit_code == 0
    document = Document(str(root / "out" / "reports" / "bao-cao-2025-H2" / "bao-cao-2025-H2.docx"))
    months = table_by_header(document, "Số bản tin CCHC")
    assert len(months) == 7 and all(r[4].startswith("Không đạt") for r in months[1:])


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026-Q1", (2026, 1, 1), (2026, 4, 1), "quý I năm 2026"),
        ("2026q4", (2026, 10, 1), (2027, 1, 1), "quý IV năm 2026"),
        ("Q2-2026", (2026, 4, 1), (2026, 7, 1), "quý II năm 2026"),
        ("2026-H1", (2026, 1, 1), (2026, 7, 1), "6 tháng đầu năm 2026"),
        ("2026-H2", (2026, 7, 1), (2027, 1, 1), "6 tháng cuối năm 2026"),
        ("2026", (2026, 1, 1), (2027, 1, 1), "năm 2026"),
        ("2026-02", (2026, 2, 1), (2026, 3, 1), "tháng 2 năm 2026"),
    ],
)
def test_parse_period(
    text: str, start: tuple[int, int, int], end: tuple[int, int, int], label: str
) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (dt.date(*start), dt.date(*end), label)


@pytest.mark.parametrize("text", ["2026-Q5", "2026-H3", "26", "quý 1", "2026-13", "1999", ""])
def test_parse_period_errors(text: str) -> None:
    with pytest.raises(InputError, match="2026-Q1"):
        parse_period(text)


def test_report_settings_from_station_toml(logged: tuple[Path, list[dict[str, Any]]]) -> None:
    root, plays = logged
    station = root / "station.toml"
    original = station.read_text(encoding="utf-8")
    station.write_text(
        original + '\n[report]\ncenter = "Trung tâm Văn hóa - Thông tin"\nsigner = "Lò Văn Minh"\n'
        "min_cchc_plays_per_month = 70\n",
        encoding="utf-8",
    )
    assert run("-w", root, "report", "--period", "2026-Q1").exit_code == 0
    document = Document(str(root / "out" / "reports" / "bao-cao-2026-Q1" / "bao-cao-2026-Q1.docx"))
    header = "\n".join(c.text for c in document.tables[0].rows[0].cells)
    assert "TRUNG TÂM VĂN HÓA - THÔNG TIN" in header
    assert "Lò Văn Minh" in document.tables[-1].rows[0].cells[1].text
    cchc = expected([p for p in plays if p["slug"]], lambda p: p["start"][:7])
    verdicts = {r[0]: r[4] for r in table_by_header(document, "Số bản tin CCHC")[1:]}
    for month, (count, _) in cchc.items():
        name = f"Tháng {int(month[5:])}/2026"
        assert verdicts[name].startswith("Đạt" if count >= 70 else "Không đạt"), (name, count)

    station.write_text(original + "\n[report]\nmin_items = 2\n", encoding="utf-8")
    bad = run("-w", root, "report", "--period", "2026-Q2")
    assert bad.exit_code == 2 and "min_items" in bad.stderr
    assert not (root / "out" / "reports" / "bao-cao-2026-Q2").exists()
