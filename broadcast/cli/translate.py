"""``broadcast translate``: ethnic-language drafts of a stored script, for editors."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from broadcast.cli.context import AppContext

if TYPE_CHECKING:
    from broadcast.translate.draft import DraftResult, RefillResult


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
@click.option("--by", default=None, help="Người tạo bản nháp (tên đăng nhập, như --as). / Who.")
@click.option(
    "--update",
    is_flag=True,
    help="Điền lại các đoạn nháp chưa ai sửa hay duyệt của bản dịch đã có (sau khi bộ nhớ "
    "hoặc thuật ngữ được bổ sung). / Re-fill untouched draft segments of existing translations.",
)
@click.pass_obj
def translate(
    app: AppContext, script_ref: str, to: str, engine: str | None, by: str | None, update: bool
) -> None:
    """Tạo bản dịch nháp theo từng câu của kịch bản. / Draft translations of a script."""
    from broadcast.translate.draft import DraftResult, translate_script

    person = app.acting_as(by)
    script, results = translate_script(
        app.workspace, script_ref, to, person, engine=engine, update=update
    )
    for result in results:
        if isinstance(result, DraftResult):
            _echo_draft(result, script.slug)
        else:
            _echo_refill(result, script.slug)


def _echo_refill(result: RefillResult, slug: str) -> None:
    from broadcast.review.model import origin_label

    n = len(result.refilled)
    parts = [
        (
            "bộ nhớ",
            sum(result.count(o) for o in ("tm-exact", "tm-in-context", "tm-fuzzy")),
        ),
        ("máy dịch", sum(1 for s in result.refilled if s.origin.startswith("mt:"))),
        ("thuật ngữ", result.count("glossary")),
    ]
    detail = ", ".join(f"{label} {count}" for label, count in parts if count)
    changed = f"{n} đoạn được điền lại ({detail})" if n else "không đoạn nào được điền lại"
    click.echo(f"{result.language}: {changed}, {result.kept} đoạn giữ nguyên.")
    for s in result.refilled:
        click.echo(f"  [#{s.position + 1}] {origin_label(s.origin, s.score)}")
    if n:
        click.echo(f"  Xem và sửa: broadcast review show {slug} --lang {result.language}")


def _echo_draft(result: DraftResult, slug: str) -> None:
    from broadcast.review.model import origin_label
    from broadcast.review.report import terms_text

    click.echo(
        f"{result.language}: {len(result.segments)} đoạn — bộ nhớ "
        f"{sum(result.count(o) for o in ('tm-exact', 'tm-in-context', 'tm-fuzzy'))}, "
        f"máy dịch {sum(1 for s in result.segments if s.origin.startswith('mt:'))}, "
        f"thuật ngữ {result.count('glossary')}, trống {result.count('empty')}."
    )
    for s in result.segments:
        terms = f" · thuật ngữ: {terms_text(s.terms)}" if s.terms else ""
        click.echo(f"  [#{s.position + 1}] {origin_label(s.origin, s.score)}{terms}")
    click.echo(f"  Xem và sửa: broadcast review show {slug} --lang {result.language}")


COMMANDS = [translate]
