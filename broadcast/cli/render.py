"""``broadcast voice``, ``broadcast mix`` and ``broadcast video`` on a stored script."""

from __future__ import annotations

import json

import click

from broadcast.cli.context import AppContext
from broadcast.cli.options import json_option
from broadcast.model.people import Role

SCRIPT = click.argument("script")
LANG = click.option(
    "--lang",
    "language",
    default="vi",
    show_default=True,
    help="Ngôn ngữ (bản dịch phải được duyệt). / Language (translations must be approved).",
)
VOICE = click.option(
    "--voice",
    "voice_profile",
    default=None,
    help="Hồ sơ giọng đọc (mặc định: giọng của đài). / Voice profile (default: the station's).",
)
NO_BED = click.option(
    "--no-bed",
    is_flag=True,
    help="Không dùng nhạc nền audio/bed.* dù có. / Leave out the music bed.",
)


def _reuse(flag: bool) -> str:
    return "dùng lại" if flag else "làm mới"


@click.command()
@SCRIPT
@LANG
@VOICE
@json_option
@click.pass_obj
def voice(
    app: AppContext, script: str, language: str, voice_profile: str | None, as_json: bool
) -> None:
    """Đọc kịch bản thành giọng nói (lưu đệm từng câu). / Voice a stored script."""
    app.require(Role.PRODUCER)
    from broadcast.render.jobs import run_voice

    job = run_voice(app.workspace, script, language=language, voice_profile=voice_profile)
    stage = job.voice
    if stage.notice:
        click.echo(f"Lưu ý: {stage.notice}", err=True)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "script": job.slug,
                    "language": job.language,
                    "sentences": len(stage.clips),
                    "synthesized": stage.synthesized,
                    "seconds": round(stage.seconds, 2),
                    "engine": stage.engine_label,
                    "reused": stage.reused,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Xong: {len(stage.clips)} câu, {stage.seconds:.1f} giây giọng đọc "
        f"({stage.synthesized} câu đọc mới, giọng {stage.engine_label})."
    )


@click.command()
@SCRIPT
@click.option(
    "--profile",
    type=click.Choice(["loudspeaker", "web", "broadcast"]),
    default="loudspeaker",
    show_default=True,
    help="Nơi phát: loa (MP3 mono), web (AAC mono), đài (WAV 48 kHz, EBU R 128). "
    "/ Destination profile.",
)
@LANG
@VOICE
@NO_BED
@json_option
@click.pass_obj
def mix(
    app: AppContext,
    script: str,
    profile: str,
    language: str,
    voice_profile: str | None,
    no_bed: bool,
    as_json: bool,
) -> None:
    """Trộn âm thanh theo cấu hình nơi phát. / Mix a stored script for a destination."""
    app.require(Role.PRODUCER)
    from broadcast.render.jobs import run_mix

    job = run_mix(
        app.workspace,
        script,
        profile=profile,
        language=language,
        voice_profile=voice_profile,
        with_bed=not no_bed,
    )
    if job.voice.notice:
        click.echo(f"Lưu ý: {job.voice.notice}", err=True)
    loud = job.loudness
    if as_json:
        click.echo(
            json.dumps(
                {
                    "script": job.slug,
                    "language": job.language,
                    "profile": job.profile,
                    "path": str(job.path),
                    "duration_s": round(job.duration_s, 2),
                    "loudness_lufs": loud.integrated_lufs,
                    "loudness_range_lu": loud.range_lu,
                    "true_peak_db": loud.true_peak_db,
                    "reused": {"voice": job.voice.reused, "mix": job.mix.reused},
                    "written": job.written,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Xong ({_reuse(job.mix.reused)}): {job.duration_s:.1f} giây, "
        f"{loud.integrated_lufs:.1f} LUFS, LRA {loud.range_lu:.1f} LU, "
        f"đỉnh {loud.true_peak_db:.1f} dBTP."
    )
    click.echo(f"  {job.path}")


@click.command()
@SCRIPT
@click.option(
    "--format",
    "video_format",
    type=click.Choice(["vertical", "landscape"]),
    default="vertical",
    show_default=True,
    help="Khổ dọc 1080x1920 hoặc ngang 1920x1080. / Vertical or landscape.",
)
@click.option(
    "--cfr",
    is_flag=True,
    help="Tốc độ khung hình cố định 25 hình/giây (cho nền tảng đòi hỏi; chậm hơn). "
    "/ Constant frame rate (slower).",
)
@click.option(
    "--progress-bar/--no-progress-bar",
    default=None,
    help="Thanh tiến độ ở cạnh dưới (mặc định theo station.toml). / Progress bar.",
)
@LANG
@VOICE
@NO_BED
@json_option
@click.pass_obj
def video(
    app: AppContext,
    script: str,
    video_format: str,
    cfr: bool,
    progress_bar: bool | None,
    language: str,
    voice_profile: str | None,
    no_bed: bool,
    as_json: bool,
) -> None:
    """Dựng video có phụ đề, tệp SRT/WebVTT và ảnh bìa. / Render a subtitled clip."""
    app.require(Role.PRODUCER)
    from broadcast.render.jobs import run_video

    job = run_video(
        app.workspace,
        script,
        video_format=video_format,
        language=language,
        voice_profile=voice_profile,
        cfr=cfr,
        progress_bar=progress_bar,
        with_bed=not no_bed,
    )
    if job.voice.notice:
        click.echo(f"Lưu ý: {job.voice.notice}", err=True)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "script": job.slug,
                    "language": job.language,
                    "format": video_format,
                    **{k: str(v) for k, v in job.paths.items()},
                    "duration_s": round(job.video.duration_s, 2),
                    "cues": len(job.video.cues),
                    "reused": {
                        "voice": job.voice.reused,
                        "mix": job.mix.reused,
                        "video": job.video.reused,
                    },
                    "written": job.written,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo(
        f"Xong ({_reuse(job.reused)}): {job.video.duration_s:.1f} giây, "
        f"{len(job.video.cues)} phụ đề."
    )
    for label, path in job.paths.items():
        click.echo(f"  {label:<10}{path}")


# ``voice`` is run as ``broadcast voice SCRIPT`` by the ``voice`` group (cli/voice.py).
COMMANDS = [mix, video]
