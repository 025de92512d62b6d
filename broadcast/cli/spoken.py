"""``broadcast spoken``: the station's spoken-form dictionary (how the voice reads a form)."""

from __future__ import annotations

import json

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option


@click.group()
def spoken() -> None:
    """Từ điển cách đọc của đài: chữ viết tắt, địa danh mà giọng đọc đọc sai.

    The station's spoken-form dictionary: readings that win over the shipped ones.
    """


@spoken.command("add")
@click.argument("written", metavar="CÁCH_VIẾT")
@click.argument("reading", metavar="CÁCH_ĐỌC")
@json_option
@click.pass_obj
def add_command(app: AppContext, written: str, reading: str, as_json: bool) -> None:
    """Lưu cách đọc, ví dụ: broadcast spoken add HTX "hợp tác xã". / Save a reading."""
    from broadcast.script.spoken.station import add_reading

    saved, replaced = add_reading(app.workspace, written, reading, by=app.person)
    if as_json:
        data = {**saved.as_json(), "replaced": replaced.spoken if replaced else None}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    was = f" (trước đây đọc là '{replaced.spoken}')" if replaced else ""
    click.echo(
        f"Đã lưu: '{saved.written}' đọc là '{saved.spoken}'{was}; áp dụng từ lần làm kịch bản "
        "tiếp theo."
    )


@spoken.command("list")
@json_option
@click.pass_obj
def list_command(app: AppContext, as_json: bool) -> None:
    """Liệt kê cách đọc đã lưu. / List the saved readings."""
    from broadcast.model.time import local
    from broadcast.script.spoken.station import list_readings

    readings = list_readings(app.workspace)
    if as_json:
        click.echo(json.dumps([r.as_json() for r in readings], ensure_ascii=False, indent=2))
        return
    if not readings:
        click.echo("Từ điển của đài chưa có cách đọc nào; thêm bằng 'broadcast spoken add'.")
        return
    for r in readings:
        click.echo(f"{r.written} → {r.spoken}  ({r.saved_by}, {local(r.saved_at)})")


@spoken.command("remove")
@click.argument("written", metavar="CÁCH_VIẾT")
@json_option
@click.pass_obj
def remove_command(app: AppContext, written: str, as_json: bool) -> None:
    """Xoá một cách đọc đã lưu. / Remove a saved reading."""
    from broadcast.script.spoken.station import remove_reading

    removed = remove_reading(app.workspace, written, by=app.person)
    if as_json:
        click.echo(json.dumps({**removed.as_json(), "removed": True}, ensure_ascii=False))
        return
    click.echo(f"Đã xoá cách đọc của '{removed.written}' ('{removed.spoken}').")


COMMANDS = [spoken]
