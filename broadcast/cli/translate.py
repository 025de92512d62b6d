"""``broadcast translate``: ethnic-language drafts of a stored script, for editors."""

from __future__ import annotations

import os

import click

from broadcast.cli.context import AppContext


@click.command()
@click.argument("script_ref", metavar="KỊCH_BẢN")
@click.option(
    "--to",
    "to",
    required=True,
    help="Ngôn ngữ đích của đài, vd. blt,hmn. / Target station languages.",
)
@click.option(
    "--engine",
    default=None,
    help="Bộ dịch máy (mặc định argos nếu đã cài mô hình; 'none' để tắt). / MT engine.",
)
@click.option("--by", default=None, help="Người tạo bản nháp. / Who drafts.")
@click.pass_obj
def translate(
    app: AppContext, script_ref: str, to: str, engine: str | None, by: str | None
) -> None:
    """Tạo bản dịch nháp theo từng câu của kịch bản. / Draft translations of a script."""
    from broadcast.review.model import origin_label
    from broadcast.review.report import terms_text
    from broadcast.store.records import find_script
    from broadcast.translate.draft import DEFAULT_ENGINE, draft_all, target_languages

    ws = app.workspace
    codes = target_languages(ws, to)
    with ws.open_db() as db:
        script = find_script(db, script_ref)
        results = draft_all(
            ws,
            db,
            script,
            codes,
            actor=by or os.environ.get("USER") or "editor",
            engine_name=engine or DEFAULT_ENGINE,
            engine_chosen=engine is not None,
        )
    for result in results:
        click.echo(
            f"{result.language}: {len(result.segments)} đoạn — bộ nhớ "
            f"{sum(result.count(o) for o in ('tm-exact', 'tm-in-context', 'tm-fuzzy'))}, "
            f"máy dịch {sum(1 for s in result.segments if s.origin.startswith('mt:'))}, "
            f"thuật ngữ {result.count('glossary')}, trống {result.count('empty')}."
        )
        for s in result.segments:
            terms = f" · thuật ngữ: {terms_text(s.terms)}" if s.terms else ""
            click.echo(f"  [#{s.position}] {origin_label(s.origin, s.score)}{terms}")
        click.echo(f"  Xem và sửa: broadcast review show {script.slug} --lang {result.language}")


COMMANDS = [translate]
