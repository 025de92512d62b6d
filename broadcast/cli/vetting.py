"""``broadcast script submit|approve|return``: vetting a Vietnamese script's content.

Attached to the ``script`` group by ``broadcast.cli.script`` (``VETTING_COMMANDS``); the
rules are in ``broadcast.review.vetting``.
"""

from __future__ import annotations

import json

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.review.vetting import ScriptVetting

REF = click.argument("ref", metavar="KỊCH_BẢN")
COMMENT = click.option("--comment", default=None, help="Ghi chú / lời nhận xét. / Comment.")


def _report(slug: str, vetting: ScriptVetting, as_json: bool, extra: dict[str, object]) -> None:
    if as_json:
        click.echo(
            json.dumps(
                {
                    "script": slug,
                    "state": vetting.state.value,
                    "label": vetting.label,
                    "by": vetting.by,
                    "self_approved": vetting.self_approved,
                    "comment": vetting.comment,
                    **extra,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    who = f" ({vetting.by})" if vetting.by else ""
    self_note = " — tự duyệt, đã ghi lại" if vetting.self_approved else ""
    click.echo(f"Kịch bản '{slug}': {vetting.label}{who}{self_note}.")


@click.command("submit")
@REF
@json_option
@click.pass_obj
def submit(app: AppContext, ref: str, as_json: bool) -> None:
    """Gửi kịch bản chờ duyệt nội dung. / Submit a script for content approval."""
    from broadcast.review.vetting import submit_script
    from broadcast.store.records import find_script

    with app.workspace.open_db() as db:
        script = find_script(db, ref)
        vetting = submit_script(db, script.id, app.person)
    _report(script.slug, vetting, as_json, {})


@click.command("approve")
@REF
@COMMENT
@json_option
@click.pass_obj
def approve(app: AppContext, ref: str, comment: str | None, as_json: bool) -> None:
    """Duyệt nội dung kịch bản (người duyệt nội dung). / Approve a script's content."""
    from broadcast.review.vetting import approve_script
    from broadcast.schedule.campaign import replan_for_script
    from broadcast.store.records import find_script

    ws = app.workspace
    with ws.open_db() as db:
        script = find_script(db, ref)
        vetting = approve_script(
            db, script.id, app.person, comment=comment, four_eyes=ws.station.four_eyes
        )
    # Its items (if any) now play its approved renders: the days concerned are re-planned.
    playlists = replan_for_script(ws, script.id)
    _report(script.slug, vetting, as_json, {"playlists": [str(p) for p in playlists]})
    if not as_json and playlists:
        click.echo(f"Đã lập lại lịch: {len(playlists)} danh sách phát có kịch bản này.")


@click.command("return")
@REF
@click.option("--comment", required=True, help="Lý do trả lại. / What must change.")
@json_option
@click.pass_obj
def return_(app: AppContext, ref: str, comment: str, as_json: bool) -> None:
    """Trả lại kịch bản cho người sản xuất, kèm lý do. / Return a script with a comment."""
    from broadcast.cli.onair import refresh_on_air
    from broadcast.review.vetting import return_script
    from broadcast.store.records import find_script

    with app.workspace.open_db() as db:
        script = find_script(db, ref)
        vetting = return_script(db, script.id, app.person, comment=comment)
    _report(script.slug, vetting, as_json, {})
    refresh_on_air(app.workspace)  # an approval returned takes its renders off the air


VETTING_COMMANDS = (submit, approve, return_)
