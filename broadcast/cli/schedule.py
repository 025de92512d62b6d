"""``broadcast schedule``: campaign items, the plan of every zone, exports and the week view."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from broadcast.cli.context import AppContext
from broadcast.cli.onair import refresh_on_air
from broadcast.cli.options import json_option
from broadcast.errors import InputError
from broadcast.model.people import Role
from broadcast.model.time import station_now
from broadcast.schedule import campaign
from broadcast.schedule.exports import ExportFormat, week_text
from broadcast.schedule.items import PlanChange
from broadcast.schedule.model import Plan, Priority
from broadcast.store.lifecycle import ItemRow


@click.group()
def schedule() -> None:
    """Lịch phát theo cụm loa: mục phát, lập lịch, xuất danh sách phát.

    Campaign items, per-zone loudspeaker plans and their exports.
    """


def _zones(text: str) -> tuple[str, ...]:
    zones = tuple(dict.fromkeys(z.strip() for z in text.split(",") if z.strip()))
    if not zones:
        raise InputError("Chưa có cụm loa (--zones), ví dụ --zones ban-muong,ban-hin hoặc all.")
    return zones


def _codes(text: str) -> tuple[str, ...]:
    """Exactly the languages asked for (unlike ``parse_languages``, vi is not added)."""
    return tuple(dict.fromkeys(c.strip().lower() for c in text.split(",") if c.strip()))


@schedule.command("add")
@click.argument("script")
@click.option(
    "--from",
    "from_text",
    default=None,
    help="Ngày bắt đầu phát (2026-03-02; khẩn cấp: 2026-03-02T14:05); bắt buộc trừ khi "
    "dùng --now. / First day (required unless --now).",
)
@click.option(
    "--to",
    "to_text",
    default=None,
    help="Ngày cuối cùng phát, tính cả ngày đó (với --now mặc định là hôm nay). "
    "/ Last day, inclusive (with --now: today by default).",
)
@click.option(
    "--now",
    "now_flag",
    is_flag=True,
    help="Tin khẩn cấp phát ngay bây giờ: ghi danh sách phát ngắt chương trình cho mọi cụm "
    "loa liên quan (out/playlists/khan-cap_...). Chỉ dùng với --priority emergency. "
    "/ Interrupt every zone concerned now (emergency only).",
)
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority]),
    default="normal",
    show_default=True,
    help="Loại tin theo Thông tư 39/2020/TT-BTTTT: thông thường, ưu tiên (phát trước), "
    "khẩn cấp (phát ngay khung giờ kế tiếp). / Priority class.",
)
@click.option(
    "--min-plays",
    type=int,
    default=0,
    show_default=True,
    help="Số lần phát tối thiểu mỗi tuần ở mỗi cụm loa. / Minimum plays per week in each zone.",
)
@click.option(
    "--zones",
    "zones_text",
    default="all",
    show_default=True,
    help="Các cụm loa, cách nhau bằng dấu phẩy, hoặc all. / Zones.",
)
@click.option(
    "--languages",
    "languages_text",
    default=None,
    help="Các ngôn ngữ phát (mặc định: mọi bản thu đã duyệt). / Languages "
    "(default: every approved render).",
)
@click.option(
    "--topic", default=None, help="Chủ đề CCHC (mặc định: chủ đề của kịch bản). / CCHC topic."
)
@json_option
@click.pass_obj
def add(
    app: AppContext,
    script: str,
    from_text: str | None,
    to_text: str | None,
    now_flag: bool,
    priority: str,
    min_plays: int,
    zones_text: str,
    languages_text: str | None,
    topic: str | None,
    as_json: bool,
) -> None:
    """Đưa một kịch bản đã duyệt vào lịch phát. / Put an approved script on air."""
    app.require(Role.SCHEDULER)
    if now_flag:
        _add_now(
            app, script, from_text, to_text, priority, zones_text, languages_text, topic, as_json
        )
        return
    if from_text is None or to_text is None:
        raise InputError(
            "Thiếu ngày bắt đầu (--from) hoặc ngày kết thúc (--to); tin khẩn cấp phát ngay thì "
            "dùng --priority emergency --now."
        )
    starts = campaign.parse_moment(from_text, "Ngày bắt đầu")
    last_day = campaign.parse_day(to_text, "Ngày kết thúc")
    refresh_on_air(app.workspace)  # takes stale renders off the air, and says so
    result = campaign.add_item(
        app.workspace,
        script,
        starts=starts,
        last_day=last_day,
        priority=Priority(priority),
        min_plays=min_plays,
        zones=_zones(zones_text),
        languages=_codes(languages_text) if languages_text else None,
        topic=topic,
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "item_id": result.item_id,
                    "script": result.slug,
                    "languages": list(result.languages),
                    "skipped_unapproved": list(result.skipped),
                    "zones": list(result.zones),
                    "next_slots": [
                        {"zone": z, "start": t.isoformat(timespec="minutes")}
                        for z, t in result.next_slots
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Đã thêm mục #{result.item_id}: {result.title} ({', '.join(result.languages)}), "
        f"cụm loa {', '.join(result.zones)}."
    )
    if result.skipped:
        click.echo(f"Chưa duyệt nên chưa phát: {', '.join(result.skipped)}.", err=True)
    for zone, start in result.next_slots:
        click.echo(f"Tin khẩn cấp phát ở cụm loa {zone} lúc {start:%H:%M %d/%m/%Y}.")
    if result.replanned is not None:
        click.echo(
            f"Đã lập lại lịch từ {result.replanned.first_day:%d/%m/%Y} đến "
            f"{result.replanned.last_day:%d/%m/%Y}."
        )


def _add_now(
    app: AppContext,
    script: str,
    from_text: str | None,
    to_text: str | None,
    priority: str,
    zones_text: str,
    languages_text: str | None,
    topic: str | None,
    as_json: bool,
) -> None:
    """``schedule add --priority emergency --now``: on air in every zone concerned now."""
    if priority != Priority.EMERGENCY.value:
        raise InputError("--now chỉ dùng cho tin khẩn cấp: thêm --priority emergency.")
    if from_text is not None:
        raise InputError("--now bắt đầu phát ngay nên không dùng cùng --from.")
    last_day = campaign.parse_day(to_text, "Ngày kết thúc") if to_text else None
    refresh_on_air(app.workspace)
    added, interrupts = campaign.add_emergency_now(
        app.workspace,
        script,
        now=station_now(),
        last_day=last_day,
        zones=_zones(zones_text),
        languages=_codes(languages_text) if languages_text else None,
        topic=topic,
        actor=app.person.login,
    )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "item_id": added.item_id,
                    "script": added.slug,
                    "languages": list(added.languages),
                    "zones": list(added.zones),
                    "interrupts": [
                        {
                            "zone": i.zone,
                            "start": i.starts_at.isoformat(timespec="minutes"),
                            "playlist": str(i.playlist),
                        }
                        for i in interrupts
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Đã thêm tin khẩn cấp #{added.item_id}: {added.title} ({', '.join(added.languages)})."
    )
    for i in interrupts:
        click.echo(f"Phát ngay ở cụm loa {i.zone} từ {i.starts_at:%H:%M %d/%m/%Y}: {i.playlist}")
    for zone, start in added.next_slots:
        click.echo(f"Sau đó phát ở cụm loa {zone} lúc {start:%H:%M %d/%m/%Y}.")


def _print_findings(plan: Plan) -> None:
    for finding in plan.findings:
        click.echo(f"! {finding.message}", err=True)


@schedule.command("plan")
@click.option("--from", "from_text", required=True, help="Ngày đầu tiên. / First day.")
@click.option(
    "--days", type=int, default=7, show_default=True, help="Số ngày lập lịch. / Number of days."
)
@click.option(
    "--strict",
    is_flag=True,
    help="Trả mã lỗi 4 nếu lịch có điều chưa đáp ứng. / Exit 4 on any finding.",
)
@json_option
@click.pass_obj
def plan(app: AppContext, from_text: str, days: int, strict: bool, as_json: bool) -> None:
    """Lập lịch phát cho mọi cụm loa và lưu lại. / Plan every zone and store the plan."""
    app.require(Role.SCHEDULER)
    first = campaign.parse_day(from_text, "Ngày")
    refresh_on_air(app.workspace)
    result = campaign.plan_days(app.workspace, first, days)
    local = [s for s in result.slots if not s.relay_url]
    plays = sum(1 for s in local for e in s.entries if e.item_id is not None)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "first_day": result.first_day.isoformat(),
                    "last_day": result.last_day.isoformat(),
                    "slots": len(result.slots),
                    "plays": plays,
                    "findings": [
                        {
                            "kind": f.kind.value,
                            "day": f.day.isoformat(),
                            "zone": f.zone,
                            "item_id": f.item_id,
                            "message": f.message,
                        }
                        for f in result.findings
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        click.echo(
            f"Đã lập lịch {result.first_day:%d/%m/%Y}–{result.last_day:%d/%m/%Y}: "
            f"{len(result.slots)} khung giờ, {plays} lượt phát, "
            f"{len(result.findings)} điều chưa đáp ứng."
        )
        _print_findings(result)
    if strict and result.findings:
        raise click.exceptions.Exit(4)


@schedule.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in ExportFormat]),
    required=True,
    help="Định dạng xuất. / Export format.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Thư mục ghi tệp. / Output folder.",
)
@click.option(
    "--from", "from_text", default=None, help="Ngày đầu (mặc định: đầu lịch đã lưu). / First day."
)
@click.option("--days", type=int, default=None, help="Số ngày. / Number of days.")
@click.pass_obj
def export(
    app: AppContext, fmt: str, out_dir: Path, from_text: str | None, days: int | None
) -> None:
    """Xuất lịch: M3U8, JSON cho loa IP, iCalendar, bảng tuần HTML. / Export the plan."""
    app.require(Role.SCHEDULER)
    ws = app.workspace
    first = campaign.parse_day(from_text, "Ngày") if from_text else None
    refresh_on_air(ws)
    written = campaign.export_schedule(ws, first, days, ExportFormat(fmt), out_dir)
    click.echo(f"Đã ghi {len(written)} tệp vào {out_dir}.")


@schedule.command("show")
@click.option(
    "--from",
    "from_text",
    default=None,
    help="Một ngày trong tuần cần xem (mặc định: tuần đầu của lịch). / A day of the week to show.",
)
@click.option("--zone", default=None, help="Chỉ một cụm loa. / One zone only.")
@click.pass_obj
def show(app: AppContext, from_text: str | None, zone: str | None) -> None:
    """Vẽ lịch một tuần trong cửa sổ lệnh. / Draw a week of the plan in the terminal."""
    ws = app.workspace
    day = campaign.parse_day(from_text, "Ngày") if from_text else None
    refresh_on_air(ws)
    monday = day - dt.timedelta(days=day.weekday()) if day else None
    stored = campaign.read_plan(ws, monday, 7 if monday else None)
    if zone is not None:
        stored.grid.zone(zone)
    start = monday or stored.plan.first_day - dt.timedelta(days=stored.plan.first_day.weekday())
    click.echo(week_text(stored, start, zone), nl=False)


def _item_json(item: ItemRow) -> dict[str, object]:
    return {
        "number": item.id,
        "script": item.slug,
        "script_number": item.script_id,
        "title": item.title,
        "priority": item.priority,
        "valid_from": item.valid_from,
        "valid_to": item.valid_to,
        "zones": list(item.zones),
        "languages": list(item.languages),
        "min_plays_per_week": item.min_plays_per_week,
        "removed": item.removed_at is not None,
    }


def _item_line(item: ItemRow) -> str:
    plays = f", ít nhất {item.min_plays_per_week} lượt/tuần" if item.min_plays_per_week else ""
    removed = " [đã gỡ]" if item.removed_at else ""
    return (
        f"#{item.id:<4} {item.slug} ({', '.join(item.languages) or '—'}) "
        f"{item.valid_from} → {item.valid_to}, {Priority(item.priority).label}"
        f", cụm loa {', '.join(item.zones)}{plays}{removed}"
    )


@schedule.command("list")
@click.option("--all", "show_all", is_flag=True, help="Cả mục đã gỡ. / Removed items too.")
@json_option
@click.pass_obj
def list_items_command(app: AppContext, show_all: bool, as_json: bool) -> None:
    """Liệt kê các mục phát (số mục dùng cho remove/edit). / List campaign items."""
    from broadcast.schedule.items import list_items

    found = list_items(app.workspace, include_removed=show_all)
    if as_json:
        click.echo(json.dumps([_item_json(i) for i in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Chưa có mục phát nào; thêm bằng 'broadcast schedule add KỊCH_BẢN'.")
    for item in found:
        click.echo(_item_line(item))


def _print_change(change: PlanChange) -> None:
    for line in change.lines():
        click.echo(line)


@schedule.command("remove")
@click.argument("ref", metavar="SỐ_MỤC")
@json_option
@click.pass_obj
def remove_command(app: AppContext, ref: str, as_json: bool) -> None:
    """Gỡ một mục khỏi lịch từ bây giờ (lịch sử đã phát vẫn giữ). / Remove an item."""
    from broadcast.model.people import Role
    from broadcast.schedule.items import remove_item

    person = app.require(Role.SCHEDULER)
    item, change = remove_item(app.workspace, ref, by=person.login)
    if as_json:
        click.echo(
            json.dumps(
                {
                    **_item_json(item),
                    "removed": True,
                    "deleted": item.id in change.deleted_items,
                    "rewritten": [str(p) for p in change.rewritten],
                    "withdrawn": [str(p) for p in change.withdrawn],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(f"Đã gỡ mục #{item.id} ({item.slug}) khỏi lịch phát từ bây giờ.")
    _print_change(change)


@schedule.command("edit")
@click.argument("ref", metavar="SỐ_MỤC")
@click.option("--until", "until_text", default=None, help="Ngày cuối mới. / New last day.")
@click.option("--zones", "zones_text", default=None, help="Các cụm loa mới, hoặc all. / Zones.")
@click.option(
    "--priority",
    type=click.Choice([p.value for p in Priority]),
    default=None,
    help="Loại tin mới. / New priority class.",
)
@click.option("--min-plays", type=int, default=None, help="Số lần tối thiểu mỗi tuần. / Minimum.")
@json_option
@click.pass_obj
def edit_command(
    app: AppContext,
    ref: str,
    until_text: str | None,
    zones_text: str | None,
    priority: str | None,
    min_plays: int | None,
    as_json: bool,
) -> None:
    """Sửa ngày cuối, cụm loa, loại tin hoặc số lần phát của một mục. / Edit an item."""
    from broadcast.model.people import Role
    from broadcast.schedule.items import edit_item

    app.require(Role.SCHEDULER)
    item, change = edit_item(
        app.workspace,
        ref,
        until=campaign.parse_day(until_text, "Ngày cuối (--until)") if until_text else None,
        zones=_zones(zones_text) if zones_text is not None else None,
        priority=Priority(priority) if priority else None,
        min_plays=min_plays,
    )
    if as_json:
        click.echo(json.dumps(_item_json(item), ensure_ascii=False, indent=2))
        return
    click.echo(f"Đã sửa mục phát: {_item_line(item)}")
    _print_change(change)


COMMANDS = [schedule]
