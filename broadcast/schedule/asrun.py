"""The as-run log: what the loudspeakers actually played, and how it differs from the plan.

Loudspeaker systems export their play logs as CSV or JSON with their own column names, often
from a Vietnamese Excel (UTF-8 with BOM, ``;`` between columns). The format accepted:

* one row (CSV) or one object (JSON: a list, or ``{"plays": [...]}``) per play;
* ``zone`` (cụm loa): the zone id of station.toml;
* ``start`` (thời gian bắt đầu): ISO 8601 local time, with or without seconds
  (``2026-03-03T06:00``, ``2026-03-03 06:00:05``, an offset such as ``+07:00`` is converted
  to Vietnam time), or ``03/03/2026 06:00``;
* what was played, one of: ``render`` (số bản thu, the render id), ``item`` (mục lịch, the
  campaign item id, with ``language`` when the item has several), or ``file`` (tệp, the path
  the player used; matched on its last folder and file name);
* ``duration`` (thời lượng, seconds, or ``mm:ss``; empty = the render's length);
* ``status`` (trạng thái): played / partial / missed, or đã phát / phát dở / không phát
  (empty = played).

Headers are matched without case or tones (``Thời lượng (giây)`` = ``thoi luong``). A file
is read and checked whole before anything is stored: a bad row stops the import with one
sentence naming the row. The same file imported twice is recognised by its hash, and a play
already logged (same zone, start and item) is never counted twice.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import io
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from broadcast.csvsafe import looks_cut
from broadcast.errors import InputError
from broadcast.safeparse import load_json
from broadcast.schedule.asrun_model import (
    DayZone,
    Deviation,
    Difference,
    ImportResult,
    NewPlay,
    PlannedPlay,
    Play,
    PlayStatus,
    Reconciliation,
)
from broadcast.schedule.model import VIETNAM
from broadcast.store import asrun as store
from broadcast.store.db import Database
from broadcast.store.workspace import Workspace
from broadcast.text.markers import fold

# Folded header -> field. Folding drops tones and case; see _header().
HEADERS: Mapping[str, str] = {
    **dict.fromkeys(["zone", "zone id", "cum loa", "cum", "khu vuc", "vung"], "zone"),
    **dict.fromkeys(
        [
            "start",
            "started",
            "started at",
            "start time",
            "time",
            "datetime",
            "thoi gian",
            "thoi diem",
            "gio phat",
            "bat dau",
            "thoi gian bat dau",
            "ngay gio",
        ],
        "start",
    ),
    **dict.fromkeys(["render", "render id", "ban thu", "ma ban thu", "so ban thu"], "render"),
    **dict.fromkeys(["item", "item id", "muc", "ma muc", "muc lich"], "item"),
    **dict.fromkeys(
        ["file", "path", "file path", "filename", "tep", "ten tep", "duong dan"], "file"
    ),
    **dict.fromkeys(
        ["duration", "duration s", "seconds", "length", "thoi luong", "so giay"], "duration"
    ),
    **dict.fromkeys(["status", "result", "trang thai", "ket qua", "tinh trang"], "status"),
    **dict.fromkeys(["language", "lang", "ngon ngu"], "language"),
}

STATUSES: Mapping[str, PlayStatus] = {
    **dict.fromkeys(
        ["", "played", "ok", "done", "success", "completed", "da phat", "phat", "xong"],
        PlayStatus.PLAYED,
    ),
    **dict.fromkeys(
        ["partial", "interrupted", "cut", "truncated", "phat do", "bi cat", "dang do"],
        PlayStatus.PARTIAL,
    ),
    **dict.fromkeys(
        [
            "missed",
            "failed",
            "error",
            "skipped",
            "not played",
            "khong phat",
            "loi",
            "bo qua",
            "chua phat",
        ],
        PlayStatus.MISSED,
    ),
}

# A year of plays of a large commune (20 zones, 30 plays a day) is about 20 MB of CSV.
MAX_ASRUN_BYTES = 50 * 1024 * 1024

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True)
class RawPlay:
    """One row as written in the file, before it is checked and resolved."""

    where: str  # "dòng 5" / "mục thứ 3": how the user finds the row
    fields: Mapping[str, str]


@functools.lru_cache(maxsize=256)
def _header(name: str) -> str:
    text = re.sub(r"\(.*?\)", " ", fold(name))
    return " ".join(re.sub(r"[_\-./]", " ", text).split())


@functools.lru_cache(maxsize=256)
def _status(text: str) -> PlayStatus | None:
    return STATUSES.get(" ".join(fold(text).split()))


def _fail(source: str, where: str, problem: str) -> InputError:
    return InputError(f"{source}, {where}: {problem}; không có lượt phát nào được nhập.")


def _decode(data: bytes, source: str) -> str:
    if not data.strip():
        raise InputError(f"Tệp nhật ký phát {source} trống; không có lượt phát nào được nhập.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(data, source)
    if b"\x00" in data:
        raise InputError(
            f"Tệp {source} không phải văn bản (CSV hoặc JSON); không có lượt phát nào được nhập."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            raise InputError(
                f"Tệp {source} bị cắt cụt giữa một chữ ở cuối (chép hoặc tải về chưa hết); "
                "hãy lấy lại tệp đầy đủ; không có lượt phát nào được nhập."
            ) from None
        raise InputError(
            f"Tệp {source} không phải UTF-8; hãy lưu lại dạng CSV UTF-8 rồi nhập lại."
        ) from None


def _decode_utf16(data: bytes, source: str) -> str:
    """UTF-16 with a BOM (Excel's "Unicode text"); a cut or damaged file is named as such."""
    if len(data) % 2:
        raise InputError(
            f"Tệp {source} là UTF-16 nhưng có số byte lẻ, tức là bị cắt cụt (chép hoặc tải về "
            "chưa hết); hãy lấy lại tệp đầy đủ; không có lượt phát nào được nhập."
        )
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"Tệp {source} là UTF-16 nhưng hỏng ở byte {exc.start} (cặp ký tự thay thế "
            "không khớp); hãy xuất lại tệp hoặc lưu dạng CSV UTF-8; "
            "không có lượt phát nào được nhập."
        ) from None


def _fields(raw: Mapping[str, object], source: str, where: str) -> dict[str, str]:
    return _mapped(((HEADERS.get(_header(str(k))), v) for k, v in raw.items()), source, where)


def _mapped(pairs: Iterable[tuple[str | None, object]], source: str, where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for field, value in pairs:
        if field is None:
            continue
        text = "" if value is None else str(value).strip()
        if field in out and out[field] and text and out[field] != text:
            raise _fail(source, where, f"hai cột cùng nghĩa '{field}' có giá trị khác nhau")
        out[field] = out.get(field) or text
    return out


def _check_columns(names: Iterable[str], source: str) -> None:
    fields = {HEADERS.get(_header(n)) for n in names}
    missing = [f for f in ("zone", "start") if f not in fields]
    if not fields & {"render", "item", "file"}:
        missing.append("render/item/file")
    if missing:
        raise InputError(
            f"{source}: thiếu cột {', '.join(missing)} (cần zone, start, render hoặc item hoặc "
            "file, duration, status); không có lượt phát nào được nhập."
        )


def read_rows(data: bytes, source: str) -> tuple[str, list[RawPlay]]:
    """The rows of an as-run file as ("csv"|"json", rows); format errors name the row."""
    text = _decode(data, source)
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        return "json", _json_rows(stripped, source)
    return "csv", _csv_rows(text, source)


def _json_rows(text: str, source: str) -> list[RawPlay]:
    data = load_json(text, source, consequence="không có lượt phát nào được nhập")
    if isinstance(data, dict):
        data = next((data[k] for k in ("plays", "asrun", "items", "log") if k in data), None)
    if not isinstance(data, list):
        raise InputError(
            f'{source}: JSON phải là một danh sách lượt phát, hoặc {{"plays": [...]}}; '
            "không có lượt phát nào được nhập."
        )
    rows = []
    for n, obj in enumerate(data, start=1):
        where = f"mục thứ {n}"
        if not isinstance(obj, dict):
            raise _fail(source, where, "mỗi lượt phát phải là một đối tượng {...}")
        _check_columns(obj.keys(), f"{source}, {where}")
        rows.append(RawPlay(where, _fields(obj, source, where)))
    return rows


def _csv_rows(text: str, source: str) -> list[RawPlay]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    # strict: an unclosed quote at the end of a cut file is an error, not a shorter cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise InputError(f"{source}: không đọc được dòng tiêu đề CSV.") from None
    _check_columns(header, source)
    columns = [HEADERS.get(_header(name)) for name in header]  # mapped once, not per row
    known = [f for f in columns if f]
    # Each field in one column (the usual file): a row is a dict comprehension, not a merge.
    simple = len(known) == len(set(known))
    indexed = [(f, i) for i, f in enumerate(columns) if f]
    rows = []
    last: list[str] = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            where = f"dòng {reader.line_num}"
            last = values
            if len(values) != len(header):
                raise _fail(source, where, f"có {len(values)} cột, tiêu đề có {len(header)} cột")
            fields = (
                {f: values[i].strip() for f, i in indexed}
                if simple
                else _mapped(zip(columns, values, strict=True), source, where)
            )
            rows.append(RawPlay(where, fields))
    except csv.Error as exc:
        raise _fail(source, f"dòng {reader.line_num}", f"CSV hỏng ({exc})") from None
    if rows and looks_cut(text, last):
        # A last row cut right after a delimiter reads its empty status as "played".
        raise _fail(
            source, rows[-1].where, "tệp kết thúc giữa dòng, ngay sau một ô trống (tệp bị cắt?)"
        )
    return rows


def parse_moment(text: str) -> dt.datetime:
    """A local time from ISO 8601 (seconds optional, offset converted) or dd/mm/yyyy HH:MM."""
    value = text.strip()
    if len(value) == 19 and value[10] in " T" and value[4] == "-" and value[16] == ":":
        return dt.datetime.fromisoformat(value)  # the common case: no offset, seconds given
    match = _DMY.match(value)
    if match:
        d, m, y, hh, mm, ss = match.groups()
        moment = dt.datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0))
    else:
        if not re.match(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", value):
            raise ValueError(value)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def parse_seconds(text: str) -> float:
    """Seconds as '185', '185.5', '185,5', '3:05' or '0:03:05'."""
    value = text.strip()
    if ":" in value:
        parts = [float(p) for p in value.split(":")]
        if len(parts) > 3 or any(p < 0 for p in parts):
            raise ValueError(value)
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + part
    else:
        seconds = float(value.replace(",", "."))
    if seconds < 0 or seconds != seconds or seconds > 86400:
        raise ValueError(value)
    return seconds


class RenderIndex:
    """What the rows of an as-run file name, looked up once per file rather than per row:
    render ids in one batch, each distinct file path once, campaign items on first use."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.by_id: dict[int, store.RenderInfo] = {}
        self._files: dict[str, store.RenderInfo | None] = {}
        self._items: dict[int, dict[str, int]] | None = None

    def prefetch(self, ids: Iterable[int]) -> None:
        missing = [i for i in ids if i not in self.by_id]
        if missing:
            self.by_id.update(store.renders_by_id(self.db, missing))

    @property
    def items(self) -> dict[int, dict[str, int]]:
        if self._items is None:
            self._items = store.item_renders(self.db)
            self.prefetch(r for langs in self._items.values() for r in langs.values())
        return self._items

    def by_file(self, path: str) -> store.RenderInfo | None:
        """The exact stored path, else the newest render with the same folder and name."""
        posix = _posix(path)
        if posix not in self._files:
            name = posix.rsplit("/", 1)[-1]
            candidates = store.renders_named(self.db, name) if name else []
            exact = [r for r in candidates if _posix(r.path) == posix]
            tail = [r for r in candidates if _tail(_posix(r.path)) == _tail(posix)]
            matches = exact or tail
            found = matches[-1] if matches else None
            self._files[posix] = found
        return self._files[posix]


def _posix(path: str) -> str:
    return path.strip().replace("\\", "/")


def _tail(path: str) -> str:
    """Folder and file name: players copy files elsewhere but keep the segment's folder."""
    return "/".join(path.rstrip("/").rsplit("/", 2)[-2:]).casefold()


def _int(text: str) -> int:
    """An id as written ('12', '#12', 'r12'); ValueError for anything SQLite could not hold."""
    value = text.strip().lstrip("#").removeprefix("r").removeprefix("R")
    if not value.isascii() or len(value) > 18:
        raise ValueError(text)
    return int(value)


def resolve(
    raw: RawPlay,
    index: RenderIndex,
    source: str,
    zones: Sequence[str] | None = None,
    languages: Collection[str] | None = None,
) -> NewPlay:
    """Check one row and tie it to our renders; raises naming the row."""
    f = raw.fields
    language = f.get("language", "")
    if language and languages and language not in languages:
        raise _fail(source, raw.where, f"không biết mã ngôn ngữ '{language}'")
    zone = f.get("zone", "")
    if not zone:
        raise _fail(source, raw.where, "thiếu cụm loa (zone)")
    if zones and zone not in zones:
        raise _fail(
            source, raw.where, f"cụm loa '{zone}' không có trong station.toml ({', '.join(zones)})"
        )
    try:
        started = parse_moment(f.get("start", ""))
    except (ValueError, OverflowError):  # OverflowError: an offset pushing past year 1 or 9999
        raise _fail(
            source,
            raw.where,
            f"thời gian '{f.get('start', '')}' không đúng dạng (vd. 2026-03-03T06:00 hoặc "
            "2026-03-03 06:00:05)",
        ) from None
    status = _status(f.get("status", ""))
    if status is None:
        raise _fail(
            source,
            raw.where,
            f"trạng thái '{f.get('status')}' không rõ (played/partial/missed hoặc "
            "đã phát/phát dở/không phát)",
        )
    render = _render_of(raw, index, source)
    path = f.get("file") or None
    duration_text = f.get("duration", "")
    if duration_text:
        try:
            duration = parse_seconds(duration_text)
        except ValueError:
            raise _fail(
                source, raw.where, f"thời lượng '{duration_text}' không phải số giây"
            ) from None
    elif status is PlayStatus.MISSED:
        duration = 0.0
    elif render is not None and render.duration_s is not None:
        duration = float(render.duration_s)
    else:
        raise _fail(source, raw.where, "thiếu thời lượng (duration, số giây)")
    if render is not None:
        return NewPlay(
            zone=zone,
            started_at=started,
            duration_s=duration,
            status=status,
            item_key=f"r{render.id}",
            render_id=render.id,
            script_id=render.script_id,
            language=render.language,
            path=path,
        )
    assert path is not None  # _render_of returns a render for every id-based row
    return NewPlay(
        zone=zone,
        started_at=started,
        duration_s=duration,
        status=status,
        item_key=f"f{_posix(path)}",
        language=f.get("language") or None,
        path=path,
    )


def _render_of(raw: RawPlay, index: RenderIndex, source: str) -> store.RenderInfo | None:
    f = raw.fields
    if f.get("render"):
        try:
            render = index.by_id.get(_int(f["render"]))
        except ValueError:
            raise _fail(source, raw.where, f"số bản thu '{f['render']}' không phải số") from None
        if render is None:
            raise _fail(source, raw.where, f"không có bản thu số {f['render']}")
        return render
    if f.get("item"):
        try:
            item = _int(f["item"])
        except ValueError:
            raise _fail(source, raw.where, f"mục lịch '{f['item']}' không phải số") from None
        languages = index.items.get(item)
        if not languages:
            raise _fail(source, raw.where, f"không có mục lịch số {item} có bản thu")
        language = f.get("language", "")
        if not language and len(languages) == 1:
            language = next(iter(languages))
        if language not in languages:
            raise _fail(
                source,
                raw.where,
                f"mục lịch {item} có các ngôn ngữ {', '.join(sorted(languages))}; "
                "ghi rõ cột language",
            )
        return index.by_id[languages[language]]
    if f.get("file"):
        return index.by_file(f["file"])  # a file we did not make (music, relay) stays unknown
    raise _fail(source, raw.where, "thiếu nội dung đã phát (render, item hoặc file)")


def parse_asrun(
    data: bytes,
    source: str,
    index: RenderIndex,
    zones: Sequence[str] | None = None,
    languages: Collection[str] | None = None,
) -> tuple[str, list[NewPlay]]:
    """Read and check a whole file; the first bad row raises and nothing is returned."""
    fmt, rows = read_rows(data, source)
    if not rows:
        raise InputError(f"{source} không có lượt phát nào; không có gì được nhập.")
    ids = []
    for row in rows:
        with contextlib.suppress(ValueError):
            ids.append(_int(row.fields.get("render") or "x"))
    index.prefetch(ids)
    return fmt, [resolve(row, index, source, zones, languages) for row in rows]


def import_asrun(
    db: Database,
    path: Path,
    zones: Sequence[str] | None = None,
    languages: Collection[str] | None = None,
) -> ImportResult:
    """Import one exported log; a file seen before (same bytes) changes nothing."""
    try:
        size = path.stat().st_size
        if size > MAX_ASRUN_BYTES:
            raise InputError(
                f"Tệp nhật ký phát {path} quá lớn ({size / 1024 / 1024:.0f} MB, tối đa "
                f"{MAX_ASRUN_BYTES // 1024 // 1024} MB): hãy xuất từng tháng một rồi nhập lần "
                "lượt; không có lượt phát nào được nhập."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp nhật ký phát {path}.") from None
    except IsADirectoryError:
        raise InputError(f"{path} là thư mục, không phải tệp nhật ký phát.") from None
    except OSError as exc:
        raise InputError(f"Không đọc được {path}: {exc.strerror}.") from None
    return import_data(db, data, path.name, str(path), zones, languages)


def import_data(
    db: Database,
    data: bytes,
    source: str,
    origin: str,
    zones: Sequence[str] | None = None,
    languages: Collection[str] | None = None,
) -> ImportResult:
    """Import the bytes of one log (read from a file, or uploaded on the web page):
    ``source`` names it in messages, ``origin`` is what the import record keeps."""
    if len(data) > MAX_ASRUN_BYTES:
        raise InputError(
            f"Tệp nhật ký phát {source} quá lớn (tối đa {MAX_ASRUN_BYTES // 1024 // 1024} MB): "
            "hãy xuất từng tháng một rồi nhập lần lượt; không có lượt phát nào được nhập."
        )
    sha = hashlib.sha256(data).hexdigest()
    if store.import_seen(db, sha):
        return ImportResult(source, "", 0, 0, 0, already_imported=True)
    fmt, plays = parse_asrun(data, source, RenderIndex(db), zones, languages)
    added = store.save_import(db, source=origin, sha256=sha, fmt=fmt, plays=plays)
    return ImportResult(source, fmt, len(plays), added, len(plays) - added)


def confirm_slot(
    db: Database,
    zone: str,
    slot_start: dt.datetime,
    *,
    all_items: bool = False,
    played: Sequence[int] = (),
    missed: Sequence[int] = (),
) -> list[NewPlay]:
    """Mark the items of one planned slot as played or missed by hand.

    Items are numbered 1, 2, ... in playing order (idents not counted), as the printed plan
    lists them. Played items are logged at their planned start and length.
    """
    plan = store.slot_plan(db, zone, slot_start)
    when = f"{slot_start:%Y-%m-%d %H:%M}"
    if not plan:
        raise InputError(f"Không có kế hoạch phát cho cụm loa '{zone}' lúc {when}.")
    if not (all_items or played or missed):
        raise InputError("Hãy chọn --all, --item N hoặc --missed N.")
    both = sorted(set(played) & set(missed))
    if both:
        raise InputError(f"Mục {both[0]} vừa được đánh dấu đã phát vừa không phát.")
    wrong = sorted(n for n in (*played, *missed) if not 1 <= n <= len(plan))
    if wrong:
        raise InputError(
            f"Khung giờ {when} ở cụm loa '{zone}' có {len(plan)} mục; không có mục số {wrong[0]}."
        )
    chosen = set(range(1, len(plan) + 1)) if all_items else set(played)
    plays = []
    for number, entry in enumerate(plan, start=1):
        if number in missed:
            status = PlayStatus.MISSED
        elif number in chosen:
            status = PlayStatus.PLAYED
        else:
            continue
        plays.append(
            NewPlay(
                zone=zone,
                started_at=entry.planned_start,
                duration_s=entry.duration_s if status.aired else 0.0,
                status=status,
                item_key=f"r{entry.render_id}",
                render_id=entry.render_id,
                script_id=entry.script_id,
                language=entry.language,
            )
        )
    store.save_manual(db, plays)
    return plays


def reconcile(
    planned: Sequence[PlannedPlay],
    plays: Sequence[Play],
    *,
    late_tolerance_s: float = 300.0,
    window_s: float = 7200.0,
    report_from: dt.datetime | None = None,
    report_to: dt.datetime | None = None,
) -> Reconciliation:
    """Pair each planned item with the aired play of the same render in the same zone.

    Plans are taken in time order and each takes the earliest unpaired play of its render
    within ``window_s`` of its planned start; a paired play that started more than
    ``late_tolerance_s`` after the planned start is late. Plays outside ``[report_from,
    report_to)`` are only there to pair with plans near the edges and are never "extra".
    """
    pool: dict[tuple[str, int], list[Play]] = {}
    for play in sorted(plays, key=lambda p: (p.started_at, p.id)):
        if play.render_id is not None:
            pool.setdefault((play.zone, play.render_id), []).append(play)
    used: set[int] = set()
    differences: list[Difference] = []
    on_time = aired = 0
    window = dt.timedelta(seconds=window_s)
    for plan in sorted(planned, key=lambda p: (p.planned_start, p.zone, p.position)):
        match = next(
            (
                p
                for p in pool.get((plan.zone, plan.render_id), [])
                if p.id not in used and abs(p.started_at - plan.planned_start) <= window
            ),
            None,
        )
        if match is None or not match.status.aired:
            if match is not None:
                used.add(match.id)
            differences.append(
                Difference(Deviation.MISSED, plan.zone, plan.planned_start, plan, match)
            )
            continue
        used.add(match.id)
        aired += 1
        delay = (match.started_at - plan.planned_start).total_seconds()
        if delay > late_tolerance_s:
            differences.append(
                Difference(Deviation.LATE, plan.zone, match.started_at, plan, match, delay)
            )
        else:
            on_time += 1
    for play in plays:
        inside = (report_from is None or play.started_at >= report_from) and (
            report_to is None or play.started_at < report_to
        )
        if play.id not in used and play.status.aired and inside:
            differences.append(Difference(Deviation.EXTRA, play.zone, play.started_at, None, play))
    differences.sort(key=lambda d: (d.when, d.zone, d.kind.value))
    return Reconciliation(
        planned=len(planned),
        aired=aired,
        on_time=on_time,
        differences=tuple(differences),
        days=_per_day_zone(planned, differences),
    )


def _per_day_zone(
    planned: Sequence[PlannedPlay], differences: Sequence[Difference]
) -> tuple[DayZone, ...]:
    """Counts per day and zone: a plan counts on its planned day, an extra on its own."""
    counts: dict[tuple[dt.date, str], dict[str, int]] = {}

    def tally(day: dt.date, zone: str) -> dict[str, int]:
        return counts.setdefault((day, zone), dict.fromkeys(("planned", *Deviation), 0))

    for plan in planned:
        tally(plan.planned_start.date(), plan.zone)["planned"] += 1
    for d in differences:
        day = d.planned.planned_start.date() if d.planned is not None else d.when.date()
        tally(day, d.zone)[d.kind] += 1
    rows = []
    for (day, zone), c in sorted(counts.items()):
        on_time = c["planned"] - c[Deviation.MISSED] - c[Deviation.LATE]
        rows.append(
            DayZone(
                day,
                zone,
                planned=c["planned"],
                on_time=on_time,
                late=c[Deviation.LATE],
                missed=c[Deviation.MISSED],
                extra=c[Deviation.EXTRA],
            )
        )
    return tuple(rows)


def diff(
    db: Database,
    start: dt.date,
    end: dt.date,
    *,
    late_tolerance_s: float = 300.0,
    window_s: float = 7200.0,
) -> Reconciliation:
    """Plan against as-run for the days ``start`` to ``end`` inclusive."""
    if end < start:
        raise InputError(f"Ngày cuối {end} trước ngày đầu {start}.")
    begin = dt.datetime.combine(start, dt.time())
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    margin = dt.timedelta(seconds=window_s)
    planned = _numbered(store.planned_between(db, begin, stop))
    plays = store.plays_between(db, begin - margin, stop + margin)
    return reconcile(
        planned,
        plays,
        late_tolerance_s=late_tolerance_s,
        window_s=window_s,
        report_from=begin,
        report_to=stop,
    )


def _numbered(planned: Sequence[PlannedPlay]) -> list[PlannedPlay]:
    """Each entry with its number in its slot (1, 2, ... by position, idents not counted),
    the number ``confirm_slot`` takes, so a missed play can be marked from where it shows."""
    seen: dict[tuple[str, dt.datetime], int] = {}
    out = []
    for plan in sorted(planned, key=lambda p: (p.zone, p.slot_start, p.position)):
        key = (plan.zone, plan.slot_start)
        seen[key] = seen.get(key, 0) + 1
        out.append(replace(plan, number=seen[key]))
    out.sort(key=lambda p: (p.planned_start, p.zone, p.position))
    return out


# --- a workspace's as-run log: what the commands call ---------------------------------------


def _zones(ws: Workspace) -> tuple[str, ...]:
    from broadcast.schedule.grid import workspace_grid

    return workspace_grid(ws).zone_ids


def import_into(ws: Workspace, path: Path) -> ImportResult:
    """``broadcast asrun import FILE``: zones are checked against the station grid."""
    zones = _zones(ws)
    with ws.open_db() as db:
        return import_asrun(db, path, zones, ws.station.language_registry())


def upload_into(ws: Workspace, data: bytes, filename: str) -> ImportResult:
    """An as-run file uploaded on the web page: the same checks and import as
    ``broadcast asrun import`` (the record names it as uploaded, there is no path)."""
    name = Path(filename or "nhat-ky-phat").name
    zones = _zones(ws)
    with ws.open_db() as db:
        return import_data(
            db, data, name, f"tải lên: {name}", zones, ws.station.language_registry()
        )


def confirm_in(
    ws: Workspace,
    zone: str,
    slot: str,
    *,
    all_items: bool = False,
    played: Sequence[int] = (),
    missed: Sequence[int] = (),
) -> list[NewPlay]:
    """``broadcast asrun confirm``: mark a planned slot's items as played or missed."""
    zones = _zones(ws)
    if zone not in zones:
        raise InputError(f"Không có cụm loa '{zone}' trong station.toml ({', '.join(zones)}).")
    try:
        slot_start = parse_moment(slot)
    except ValueError:
        raise InputError(
            f"Giờ khung phát '{slot}' không đúng dạng; viết như \"2026-03-03 06:00\"."
        ) from None
    with ws.open_db() as db:
        return confirm_slot(db, zone, slot_start, all_items=all_items, played=played, missed=missed)


def parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{option} '{text}' không phải ngày dạng YYYY-MM-DD.") from None


def diff_in(ws: Workspace, start: str, end: str) -> Reconciliation:
    """``broadcast asrun diff``: tolerances come from station.toml ``[asrun]``."""
    from broadcast.schedule.report_settings import load_asrun_settings

    settings = load_asrun_settings(ws.root, ws.station)
    with ws.open_db() as db:
        return diff(
            db,
            parse_day(start, "--from"),
            parse_day(end, "--to"),
            late_tolerance_s=settings.late_tolerance_minutes * 60,
            window_s=settings.match_window_minutes * 60,
        )
