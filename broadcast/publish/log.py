"""The publication log: who posted which approved script where, and when.

Posting to the portal and the platforms is done by hand (their accounts and the network are
not the toolkit's), so the person who posted records it here afterwards; reports then count
publications per channel and period (``counts_per_channel``). Only an approved script may
have been published, so the log refuses any other with the gate's sentence.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from broadcast.errors import InputError
from broadcast.model.people import Person, Role
from broadcast.model.time import VIETNAM, station_now
from broadcast.people.permissions import require_role
from broadcast.store import publications as store
from broadcast.store.publications import Publication
from broadcast.store.records import find_script
from broadcast.store.workspace import Workspace

# channel -> how people call it; the web channels need a URL as "where", the loudspeakers
# a place (a zone, a village).
LOG_CHANNELS: dict[str, str] = {
    "portal": "Trang thông tin điện tử",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "zalo": "Zalo OA",
    "loa": "loa truyền thanh",
}
_PLACE_CHANNELS = frozenset({"loa"})
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
MAX_PLACE = 2000
MAX_NOTE = 2000
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def _channel(name: str) -> str:
    channel = name.strip().lower()
    if channel not in LOG_CHANNELS:
        raise InputError(f"Không có kênh '{name}'; hãy chọn trong: {', '.join(LOG_CHANNELS)}.")
    return channel


def _clean(text: str) -> str:
    """NFC, no control characters, one line (it is printed in lists and reports)."""
    text = unicodedata.normalize("NFC", text)
    return " ".join(
        "".join(c for c in text if unicodedata.category(c)[0] != "C" or c in " \t\n").split()
    )


def parse_at(text: str | None, now: dt.datetime | None = None) -> dt.datetime:
    """'2026-12-03 09:30' (station time), '2026-12-03' (that day, 00:00) or an ISO time with
    an offset (converted to station time); None = now. A time in the future is refused."""
    current = now or station_now()
    if text is None or not text.strip():
        return current.replace(microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        raise InputError(
            f"Thời điểm đăng '{text}' không hợp lệ; dùng dạng NĂM-THÁNG-NGÀY GIỜ:PHÚT, ví dụ "
            "2026-12-03 09:30."
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(VIETNAM).replace(tzinfo=None)
    if moment > current + FUTURE_TOLERANCE:
        raise InputError(
            f"Thời điểm đăng {moment:%Y-%m-%d %H:%M} còn ở tương lai; chỉ ghi những tin đã "
            "đăng, sau khi đăng."
        )
    return moment.replace(microsecond=0)


def log_publication(
    ws: Workspace,
    ref: str,
    *,
    channel: str,
    where: str,
    person: Person,
    at: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Publication:
    """Record that the approved script ``ref`` went out on ``channel`` at ``where``.

    Needs the producer role (or the scheduler's, who records the loudspeakers)."""
    from broadcast.review.gate import require_approved

    require_role(person, Role.PRODUCER, alternatives=(Role.SCHEDULER, Role.ADMIN))
    name = _channel(channel)
    place = _clean(where)
    if not place:
        raise InputError("Chưa ghi nơi đăng; hãy ghi địa chỉ bài đăng (URL) hoặc nơi phát.")
    if len(place) > MAX_PLACE:
        raise InputError(f"Nơi đăng dài quá {MAX_PLACE} ký tự; hãy rút gọn rồi ghi lại.")
    if name not in _PLACE_CHANNELS and not _URL.match(place):
        raise InputError(
            f"Với kênh {LOG_CHANNELS[name]}, nơi đăng phải là địa chỉ bài đăng bắt đầu bằng "
            "http:// hoặc https://; hãy sao chép địa chỉ từ trình duyệt."
        )
    remark = _clean(note)
    if len(remark) > MAX_NOTE:
        raise InputError(f"Ghi chú dài quá {MAX_NOTE} ký tự; hãy rút gọn rồi ghi lại.")
    moment = parse_at(at, now)
    with ws.open_db() as db:
        script = find_script(db, ref)
        require_approved(db, script.id, script.language)
        row_id = store.record_publication(
            db,
            script_id=script.id,
            channel=name,
            place=place,
            published_at=moment,
            entered_by=person.login,
            note=remark,
        )
        return next(p for p in store.list_publications(db, script_id=script.id) if p.id == row_id)


def list_publications(
    ws: Workspace, ref: str | None = None, channel: str | None = None
) -> list[Publication]:
    """The log, newest first; for one script (name, slug or number) and/or one channel."""
    with ws.open_db() as db:
        script_id = find_script(db, ref).id if ref else None
        return store.list_publications(
            db, script_id=script_id, channel=_channel(channel) if channel else None
        )


def counts_per_channel(ws: Workspace, start: dt.date, end: dt.date) -> dict[str, int]:
    """Publications per channel in [start, end] (station days): for the periodic reports."""
    with ws.open_db() as db:
        return store.counts_per_channel(db, start, end)


def publication_json(p: Publication) -> dict[str, object]:
    return {
        "id": p.id,
        "script": p.script_slug,
        "title": p.script_title,
        "channel": p.channel,
        "where": p.place,
        "at": p.published_at.isoformat(),
        "by": p.entered_by,
        "note": p.note,
    }
