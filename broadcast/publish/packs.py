"""Social video packs: one approved segment, ready to upload by hand to each platform.

A pack re-uses the picture track of the vertical clip ``broadcast video`` already rendered
(title card, burnt-in subtitles), never redraws it. The clip holds each distinct picture once
(variable frame rate) and the platforms want a constant rate, so only those pictures are
re-encoded (scaled and padded for 1:1) and every repeat on the platform's frame grid is a
skipped picture costing a few bytes (``broadcast.video.constant_rate``); the audio, already
AAC, is copied. A segment longer than the platform allows is split into numbered parts in the
pause between two sentences (the sentences are found from the clip's own SRT sidecar, whose
cues the picture shows), so no part starts or ends inside a sentence. The track is made once
per frame size and rate, with an IDR in every pause between sentences, and kept in
``publish/.encoded/``; every platform's parts are cut from it by copying, so four packs cost
two small encodes (9:16 and 1:1).
Limits come from ``platforms.toml``, one row per platform with the documentation page it
was taken from.

Only a render that still voices the approved text is packed: the same gate the loudspeaker
exports use (``broadcast.review.gate.require_current_render``).
"""

from __future__ import annotations

import hashlib
import math
import shutil
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from broadcast.audio.ffmpeg import probe, run_ffmpeg
from broadcast.errors import EngineError, InputError
from broadcast.store.files import atomic_write_text
from broadcast.store.records import StoredScript
from broadcast.store.workspace import Workspace
from broadcast.video import constant_rate
from broadcast.video.subtitles import Cue, parse_srt

PLATFORMS_FILE = Path(__file__).with_name("platforms.toml")
BASE_TAGS = ("#CCHC", "#CaiCachHanhChinh")
COUNTINGS = ("chars", "utf16", "bytes")
SQUARE_PAD = "0x101820"  # the dark blue of the clip's gradient, so the bars look intended
TRACK_FORMAT = 2  # bump when the cached tracks in publish/.encoded/ are made differently


@dataclass(frozen=True)
class Platform:
    """One row of ``platforms.toml``."""

    key: str
    name: str
    width: int
    height: int
    fps_min: float
    fps_max: float
    fps: int
    max_part_s: float
    max_bytes: int
    caption_limit: int
    caption_count: str
    title_limit: int
    cover_width: int
    cover_height: int
    square: bool
    diacritic_hashtags: bool
    source: str
    note: str = ""


def load_platforms(path: Path = PLATFORMS_FILE) -> dict[str, Platform]:
    """Every platform row, checked: a wrong row fails here rather than in an upload."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    platforms = {}
    for key, row in data.items():
        platform = Platform(key=key, **row)
        if platform.caption_count not in COUNTINGS or not (
            platform.fps_min <= platform.fps <= platform.fps_max
        ):
            raise EngineError(
                f"Dòng '{key}' trong {path.name} sai (cách đếm chú thích hoặc tốc độ khung "
                "hình); sửa lại tệp."
            )
        platforms[key] = platform
    return platforms


def caption_length(text: str, counting: str) -> int:
    """Length of ``text`` as the platform counts it (see ``platforms.toml``)."""
    if counting == "bytes":
        return len(text.encode("utf-8"))
    if counting == "utf16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


def without_diacritics(text: str) -> str:
    """Vietnamese without its marks ("Mường La" -> "Muong La"); đ is a letter, not a mark."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def hashtags(commune: str, platform: Platform) -> list[str]:
    """#CCHC #CaiCachHanhChinh and the commune as Vietnamese write hashtags: words joined,
    each capitalised, first without diacritics (#MuongLa), then with them (#MườngLa)."""
    words = unicodedata.normalize("NFC", commune).split()
    joined = "".join(w[:1].upper() + w[1:] for w in words if w.isalnum())
    tags = [*BASE_TAGS, "#" + without_diacritics(joined)]
    if platform.diacritic_hashtags and joined != without_diacritics(joined):
        tags.append("#" + joined)
    return tags


def _shorten(text: str, fits: int, counting: str) -> str:
    """``text`` cut at a word boundary, with an ellipsis, so that it counts ``fits`` or less."""
    if caption_length(text, counting) <= fits:
        return text
    words = text.split()
    while words and caption_length(" ".join(words) + "…", counting) > fits:
        words.pop()
    return " ".join(words) + "…" if words else ""


def make_caption(title: str, sapo: str, tags: Sequence[str], platform: Platform) -> str:
    """Title, sapo and hashtags within the platform's limit; the sapo is shortened first
    (at a word), then the title, and the hashtags are always kept whole."""
    tail = " ".join(tags)
    limit, counting = platform.caption_limit, platform.caption_count
    room = limit - caption_length(tail, counting) - caption_length("\n\n" * 2, counting)
    if room <= 0:
        raise EngineError(f"Giới hạn chú thích của {platform.name} quá ngắn cho các thẻ #.")
    title = _shorten(title, room, counting)
    sapo = _shorten(sapo, room - caption_length(title, counting), counting)
    return "\n\n".join(part for part in (title, sapo, tail) if part)


def sentence_spans(cues: Sequence[Cue], written: Sequence[str]) -> list[tuple[float, float]]:
    """(start, end) of each sentence on screen: its consecutive cues, whose joined text is
    the sentence (a sentence too long for two lines is several screens)."""

    def flat(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).split())

    spans, at = [], 0
    for sentence in written:
        want, got, first = flat(sentence), "", at
        while at < len(cues) and len(got) < len(want):
            got = flat(f"{got} {cues[at].text}")
            at += 1
        if got != want:
            raise EngineError(
                "Phụ đề của video không khớp với kịch bản đã duyệt; dựng lại bằng "
                "'broadcast video' rồi đóng gói lại."
            )
        spans.append((cues[first].start, cues[at - 1].end))
    return spans


def pause_middles(spans: Sequence[tuple[float, float]]) -> list[float]:
    """The middle of each pause between two sentences: where a part may end."""
    return [(a[1] + b[0]) / 2 for a, b in zip(spans, spans[1:], strict=False)]


def part_ranges(
    spans: Sequence[tuple[float, float]], duration_s: float, max_s: float, fps: int | None = None
) -> list[tuple[float, float]]:
    """Cut [0, duration] into parts no longer than ``max_s``, each cut in the middle of the
    pause between two sentences (moved to the next frame at ``fps``, where the keyframe
    is), as few parts as possible (greedy, furthest cut first)."""
    cuts = [_on_grid(c, fps) if fps else c for c in pause_middles(spans)]
    parts, start = [], 0.0
    while duration_s - start > max_s:
        fitting = [c for c in cuts if start < c <= start + max_s]
        if not fitting:
            raise InputError(
                f"Có một câu dài hơn {max_s:g} giây, giới hạn một phần video của nền tảng: "
                "không cắt giữa câu được; hãy tách câu đó trong kịch bản."
            )
        parts.append((start, fitting[-1]))
        start = fitting[-1]
    parts.append((start, duration_s))
    return parts


@dataclass(frozen=True)
class SourceClip:
    """The vertical render a pack is made from, with what the caption needs."""

    video: Path
    srt: Path
    title: str
    sapo: str
    written: tuple[str, ...]
    duration_s: float


def find_clip(ws: Workspace, ref: str) -> tuple[str, SourceClip]:
    """The script's current vertical Vietnamese clip and SRT, through the on-air gate."""
    from broadcast.review.gate import require_approved, require_current_render
    from broadcast.store.lifecycle import script_renders
    from broadcast.store.records import find_script
    from broadcast.store.renders import stored_sentences

    with ws.open_db() as db:
        script = find_script(db, ref)
        require_approved(db, script.id, script.language)
        renders = script_renders(db, script.id)
        folder = Path("out") / script.slug
        found = {}
        for render in renders:  # oldest first: the newest of each name wins
            if render.language == script.language and Path(render.path).parent == folder:
                found[Path(render.path).name] = render
        clip, srt = found.get("video.mp4"), found.get("subtitles.srt")
        if clip is None or srt is None:
            raise InputError(
                f"Chưa có video dọc của '{script.slug}'; dựng trước bằng "
                f"'broadcast video {script.slug}' rồi đóng gói lại."
            )
        require_current_render(db, clip.id)
        sentences = stored_sentences(db, script.id)
    written = tuple(s.written for s in sentences)
    body = [s.written for s in sentences if s.role == "body"] or list(written)
    video = ws.root / clip.path
    return script.slug, SourceClip(
        video=video,
        srt=ws.root / srt.path,
        title=script.title,
        sapo=body[0],  # the lead sentence stands in for the article's sapo
        written=written,
        duration_s=probe(video).duration_s,
    )


def _on_grid(at: float, fps: int) -> float:
    """The time of the first frame at or after ``at`` (where a forced keyframe lands)."""
    return math.ceil(at * fps - 1e-6) / fps


def _full_encode(
    src: Path,
    work: Path,
    platform: Platform,
    size: tuple[int, int],
    keys: Sequence[float],
    duration_s: float,
) -> Path:
    """The whole clip at ``size`` and the platform's frame rate, with an IDR at every
    possible cut, so that any platform's parts are cut from it by copying.

    Only the clip's distinct pictures (and a second copy of each picture a cut falls in) go
    through x264; every repeat is a skipped P picture written by ``constant_rate``, and the
    clip's AAC audio is copied. Kept in ``work`` under a name made of the source's size and
    mtime, the frame size, the rate and the cuts: a later call (``publish`` runs one channel
    at a time) re-uses it while the clip is unchanged, and a re-rendered clip gets a new
    one."""
    source = src.stat()
    stamp = hashlib.sha256(
        repr(
            (TRACK_FORMAT, source.st_size, source.st_mtime_ns, [round(k, 3) for k in keys])
        ).encode()
    ).hexdigest()[:12]
    name = f"{size[0]}x{size[1]}-{platform.fps}"
    out = work / f"{name}-{stamp}.mp4"
    if not out.is_file():
        for old in work.glob(f"{name}-*.mp4"):
            old.unlink()
        work.mkdir(parents=True, exist_ok=True)
        resize = None if size == (platform.width, platform.height) else _box_filter(size)
        constant_rate.constant_rate_clip(
            src, out, platform.fps, duration_s=duration_s, cuts=keys, video_filter=resize,
            what=f"đóng gói video cho {platform.name}",
        )  # fmt: skip
    return out


def _box_filter(size: tuple[int, int]) -> str:
    """Scale into ``size`` keeping the aspect, padded with the clip's own dark blue."""
    width, height = size
    return (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2:color={SQUARE_PAD},setsar=1"
    )


def _encode(
    src: Path,
    folder: Path,
    stem: str,
    platform: Platform,
    parts: Sequence[tuple[float, float]],
    box: str,
    keys: Sequence[float],
) -> list[Path]:
    """The parts of one variant, cut by copying (segment muxer) from the full encode at
    its IDRs, which sit in the pauses between sentences; a part over the size limit is
    re-encoded with a capped bitrate."""
    width, height = (platform.width, platform.width) if box == "square" else (
        platform.width, platform.height)  # fmt: skip
    full = _full_encode(
        src, folder.parent / ".encoded", platform, (width, height), keys, parts[-1][1]
    )
    if len(parts) == 1:
        outs = [folder / f"{stem}.mp4"]
        shutil.copyfile(full, outs[0])
    else:
        outs = [folder / f"{stem}-part{n}.mp4" for n in range(1, len(parts) + 1)]
        run_ffmpeg(
            ["-i", str(full), "-map", "0", "-c", "copy", "-f", "segment",
             # by frame number, not time: the AAC priming shifts the timestamps a little
             "-segment_frames", ",".join(
                 str(constant_rate.on_grid(a, platform.fps)) for a, _ in parts[1:]),
             "-segment_start_number", "1", "-reset_timestamps", "1",
             "-segment_format_options", "movflags=+faststart",
             str(folder / f"{stem}-part%d.mp4")],
            what=f"cắt phần video cho {platform.name}",
        )  # fmt: skip
    for out, span in zip(outs, parts, strict=True):
        if out.stat().st_size > platform.max_bytes:
            # A speech clip of still pictures stays far below every limit; should one not,
            # a capped bitrate (80 % of the limit over the part's length) makes it fit.
            kbps = int(platform.max_bytes * 8 * 0.8 / max(span[1] - span[0], 1) / 1000)
            _ffmpeg_part(src, out, platform, (width, height), span, kbps)
        if out.stat().st_size > platform.max_bytes:
            raise EngineError(
                f"Phần video {out.name} vẫn lớn hơn giới hạn của {platform.name}; hãy tách "
                "câu trong kịch bản cho ngắn bớt rồi đóng gói lại."
            )
    return outs


def _ffmpeg_part(
    src: Path,
    out: Path,
    platform: Platform,
    size: tuple[int, int],
    span: tuple[float, float],
    kbps: int,
) -> None:
    """Encode ``span`` of ``src`` at a capped bitrate, every frame (the fallback for a part
    over the platform's size limit, which a speech clip never reaches). Trimming happens in
    the filter graph, after ``fps`` has made the still-picture clip constant-rate: seeking
    the input instead would start a part on a picture shown before its start and leave a
    hole (and the clip's last picture is held past its end, so even the whole clip is
    trimmed)."""
    trim = f"trim=start={span[0]:.3f}:end={span[1]:.3f},setpts=PTS-STARTPTS,"
    atrim = f"atrim=start={span[0]:.3f}:end={span[1]:.3f},asetpts=PTS-STARTPTS"
    video_filter = f"fps={platform.fps},{trim}{_box_filter(size)}"
    cap = ["-maxrate", f"{kbps}k", "-bufsize", f"{2 * kbps}k"]
    # ultrafast + stillimage, no lookahead: the picture changes a few times a minute, every
    # other frame is a repeat, and the platforms re-encode the upload anyway
    run_ffmpeg(
        ["-i", str(src), "-vf", video_filter, "-af", atrim,
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-crf", "23", *cap,
         "-x264-params", "rc-lookahead=0:sync-lookahead=0:scenecut=0",
         "-g", str(2 * platform.fps), "-pix_fmt", "yuv420p", "-r", str(platform.fps),
         "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-movflags", "+faststart", str(out)],
        what=f"đóng gói video cho {platform.name}",
    )  # fmt: skip


def make_pack(ws: Workspace, script: str, platform: str | Platform) -> list[Path]:
    """Write the pack of ``script`` for ``platform`` under out/<slug>/publish/<platform>/:
    video part(s), 1:1 part(s) where the platform favours them, caption.txt (and title.txt
    where the platform has a title field), cover.jpg. Returns every file written."""
    return make_packs(ws, script, [platform])[0]


def make_packs(ws: Workspace, script: str, platforms: Sequence[str | Platform]) -> list[list[Path]]:
    """The packs of ``script`` for several platforms (one list of files each, in order),
    encoding each distinct part once."""
    known = load_platforms()
    rows = []
    for platform in platforms:
        if isinstance(platform, str) and platform not in known:
            raise InputError(f"Không có nền tảng '{platform}'; chọn một trong: {', '.join(known)}.")
        rows.append(known[platform] if isinstance(platform, str) else platform)
    slug, clip = find_clip(ws, script)
    return packs_from_clip(ws, slug, clip, rows)


def packs_from_clip(
    ws: Workspace, slug: str, clip: SourceClip, platforms: Sequence[Platform]
) -> list[list[Path]]:
    """The packs of a clip already through the gate (``make_packs`` checks it; the benchmark
    calls this directly on a clip it rendered without a stored, approved script)."""
    cues = parse_srt(clip.srt.read_text(encoding="utf-8"))
    spans = sentence_spans(cues, clip.written)
    return [_pack(ws, slug, clip, cues, spans, row) for row in platforms]


def _pack(
    ws: Workspace,
    slug: str,
    clip: SourceClip,
    cues: Sequence[Cue],
    spans: Sequence[tuple[float, float]],
    platform: Platform,
) -> list[Path]:
    parts = part_ranges(spans, clip.duration_s, platform.max_part_s, platform.fps)
    keys = [_on_grid(c, platform.fps) for c in pause_middles(spans)]
    folder = ws.out_dir / slug / "publish" / platform.key
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*"):  # a re-made pack may have fewer parts than the last one
        if stale.is_file():
            stale.unlink()
    written: list[Path] = []
    boxes = ["vertical", "square"] if platform.square else ["vertical"]
    for box in boxes:
        stem = "video" if box == "vertical" else "video-1x1"
        written += _encode(clip.video, folder, stem, platform, parts, box, keys)
    title = clip.title if len(parts) == 1 else f"{clip.title} ({len(parts)} phần)"
    caption = make_caption(title, clip.sapo, hashtags(ws.station.commune, platform), platform)
    atomic_write_text(folder / "caption.txt", caption + "\n")
    written.append(folder / "caption.txt")
    if platform.title_limit:
        atomic_write_text(
            folder / "title.txt",
            _shorten(clip.title, platform.title_limit, platform.caption_count) + "\n",
        )
        written.append(folder / "title.txt")
    cover = folder / "cover.jpg"
    first_sentence = cues[0].start if cues else clip.duration_s
    at = min(0.5, first_sentence / 2)
    size = (platform.cover_width, platform.cover_height)
    # the same picture at the same size for every platform: taken once, then copied
    source = clip.video.stat()
    stamp = hashlib.sha256(repr((source.st_size, source.st_mtime_ns, at)).encode()).hexdigest()
    made = folder.parent / ".encoded" / f"cover-{size[0]}x{size[1]}-{stamp[:12]}.jpg"
    if not made.is_file():
        made.parent.mkdir(parents=True, exist_ok=True)
        for old in made.parent.glob(f"cover-{size[0]}x{size[1]}-*.jpg"):
            old.unlink()
        partial = made.with_name(f"partial-{made.name}")
        run_ffmpeg(
            ["-ss", f"{at:.3f}", "-i", str(clip.video), "-frames:v", "1",
             "-vf", f"scale={size[0]}:{size[1]}:force_original_aspect_ratio=decrease,"
             f"pad={size[0]}:{size[1]}:(ow-iw)/2:(oh-ih)/2",
             "-q:v", "3", "-f", "image2", str(partial)],
            what=f"lấy ảnh bìa cho {platform.name}",
        )  # fmt: skip
        partial.replace(made)
    shutil.copyfile(made, cover)
    written.append(cover)
    return written


def channel(key: str) -> Callable[[Workspace, StoredScript], list[Path]]:
    """The ``broadcast publish`` channel writing ``key``'s pack (the gate is checked inside
    ``make_pack`` too, so a channel called directly cannot bypass it)."""

    def write(ws: Workspace, script: StoredScript) -> list[Path]:
        return make_pack(ws, script.slug, key)

    return write


def social_channels() -> dict[str, Callable[[Workspace, StoredScript], list[Path]]]:
    """One publish channel per row of ``platforms.toml``."""
    return {key: channel(key) for key in load_platforms()}
