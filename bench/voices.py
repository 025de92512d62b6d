"""Benchmark: the installed voices side by side, on the seed articles' scripts.

For every voice (the shipped espeak-ng profiles, every Piper profile of the workspace given
with ``--workspace``, every ``*.onnx`` + ``.onnx.json`` pair in ``--voice-dir``) one child
process voices every spoken sentence of the seed articles' scripts (``../shared/seeds`` and
``examples/articles``) on one core, and this process reports:

* real-time factor: synthesis wall time / seconds of audio (model loading excluded, shown
  apart as ``load``), and the child's peak memory (its own ``VmHWM``; ``os.wait4`` rusage
  where /proc is absent);
* an intelligibility proxy that needs no listener: the fraction of sentences whose audio
  length agrees (within ``--tolerance``) with their syllable count at the voice's own rate,
  calibrated on the first ``--calibrate`` sentences. A voice that swallows or stretches
  sentences fails it; a voice that speaks every syllable at an even pace passes it, so it
  catches broken output, not unpleasant voices;
* word error rate of a recogniser on the audio, only with ``--asr faster-whisper|vosk`` and
  ``--asr-model PATH`` (a model the user downloaded) and that package installed.

With no Piper voice installed, a tiny voice with random weights is generated (needs the
``onnx`` package of the ``test`` extra): its figures are those of the engine (piper-tts +
onnxruntime at that model size), not of a real voice, and its audio is noise, so its proxy
and WER mean nothing; this is said in the output. What cannot be measured is printed with the
reason. Nothing is asserted.

    .venv/bin/python bench/voices.py [--workspace WS] [--voice-dir DIR] [--minutes 1]
        [--asr faster-whisper --asr-model PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLES = ROOT / "examples" / "articles"
ESPEAK = ("espeak-vi-north", "espeak-vi-central", "espeak-vi-south")
TINY_NOTE = "giọng thử ngẫu nhiên: số liệu của bộ máy Piper, không phải của một giọng thật"


@dataclass
class Spec:
    """One voice to measure: a profile name (with its workspace) or a Piper model file."""

    label: str
    profile: str | None = None
    workspace: str | None = None
    model: str | None = None
    note: str = ""


def sentences(minutes: float) -> list[str]:
    """Spoken sentences of every seed and example article's script."""
    from broadcast.script.build import build_script
    from broadcast.script.glossary import load_glossary
    from broadcast.store.station import Station
    from broadcast.text.ingest import read_article

    station = Station(name="Đài truyền thanh xã Mường La", commune="Mường La", province="Sơn La")
    glossary = load_glossary()
    paths = sorted(SEEDS.glob("*.txt")) + sorted(
        p for p in EXAMPLES.glob("*.md") if p.stem != "README"
    )
    texts: list[str] = []
    for path in paths:
        try:
            script = build_script(read_article(path), station, minutes, glossary)
        except Exception as exc:  # a seed the pipeline refuses is reported, not fatal
            print(f"(bỏ qua {path.name}: {getattr(exc, 'message', exc)})")
            continue
        texts += [s.spoken for s in script.sentences]
    return texts


def _profile(spec: Spec) -> Any:
    from broadcast.store.workspace import find_workspace
    from broadcast.voice.profiles import VoiceProfile, load_profile

    if spec.model is not None:
        return VoiceProfile(name=spec.label, engine="piper", voice=spec.model)
    ws = find_workspace(Path(spec.workspace)) if spec.workspace else None
    return load_profile(spec.profile or "", ws)


def _peak_mb() -> float | None:
    """This process's peak resident memory since exec (Linux ``VmHWM``). getrusage's
    ru_maxrss is not used for it: Linux keeps it across exec, so a child started from this
    benchmark (100 MB after building the scripts) would start at the parent's size."""
    try:
        status = Path("/proc/self/status").read_text("utf-8")
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) / 1024 if found else None


def child(spec: Spec, texts: list[str], out: Path, wav_dir: Path | None) -> None:
    """Runs in its own process so its peak memory is the voice's alone."""
    from broadcast.voice.synth import synthesize_profile

    profile = _profile(spec)
    began = time.perf_counter()
    synthesize_profile(profile, texts[:1], workers=1)  # loads the model
    load_s = time.perf_counter() - began
    began = time.perf_counter()
    result = synthesize_profile(profile, texts, workers=1)
    synth_s = time.perf_counter() - began
    if result.fallback_used:
        raise SystemExit(f"{spec.label}: {result.notice}")
    if wav_dir is not None:
        for index, clip in enumerate(result.clips):
            with wave.open(str(wav_dir / f"{index:04d}.wav"), "wb") as handle:
                handle.setnchannels(1)
                handle.setsampwidth(2)
                handle.setframerate(clip.sample_rate)
                handle.writeframes(clip.pcm)
    data = {
        "peak_mb": _peak_mb(),
        "engine": profile.engine,
        "load_s": load_s,
        "synth_s": synth_s,
        "durations": [c.duration_s for c in result.clips],
        "sample_rate": result.clips[0].sample_rate,
    }
    out.write_text(json.dumps(data), encoding="utf-8")


def syllables(text: str) -> int:
    """Vietnamese writes one syllable per space-separated word."""
    return len(re.findall(r"\w+", text))


def agreement(
    texts: list[str], durations: list[float], calibrate: int, tolerance: float
) -> tuple[float, float, int]:
    """(syllables per second calibrated on the first sentences, fraction of the others
    whose length is within ``tolerance`` of syllables / that rate, how many were judged)."""
    counts = [syllables(t) for t in texts]
    head = min(calibrate, len(texts) // 2)
    rate = sum(counts[:head]) / max(sum(durations[:head]), 1e-9)
    judged = [
        abs(d * rate / c - 1) <= tolerance
        for c, d in zip(counts[head:], durations[head:], strict=True)
        if c > 0
    ]
    return rate, (sum(judged) / len(judged) if judged else float("nan")), len(judged)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def wer(reference: list[str], hypothesis: list[str]) -> tuple[int, int]:
    """(word edits, reference words): Levenshtein distance over words."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1], len(reference)


def recogniser(kind: str, model: str) -> Any:
    """A function wav path -> text, or a string saying why there is none."""
    if kind == "faster-whisper":
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            return "faster-whisper chưa được cài (pip install faster-whisper)"
        whisper = WhisperModel(model, device="cpu", compute_type="int8")

        def whisper_text(path: Path) -> str:
            segments, _ = whisper.transcribe(str(path), language="vi")
            return " ".join(s.text for s in segments)

        return whisper_text
    try:
        from vosk import KaldiRecognizer, Model
    except ImportError:
        return "vosk chưa được cài (pip install vosk)"
    vosk_model = Model(model)

    def vosk_text(path: Path) -> str:
        with wave.open(str(path), "rb") as handle:
            rec = KaldiRecognizer(vosk_model, handle.getframerate())
            rec.AcceptWaveform(handle.readframes(handle.getnframes()))
        return str(json.loads(rec.FinalResult()).get("text", ""))

    return vosk_text


def measure(spec: Spec, texts_file: Path, wav_dir: Path | None) -> tuple[dict[str, Any], float]:
    """Run the child; its results and peak memory in MB."""
    out = texts_file.with_name(f"result-{os.getpid()}-{time.monotonic_ns()}.json")
    command = [
        sys.executable,
        __file__,
        "--child",
        json.dumps(spec.__dict__),
        "--texts",
        str(texts_file),
        "--out",
        str(out),
    ]
    if wav_dir is not None:
        command += ["--wav-dir", str(wav_dir)]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0 or not out.is_file():
        raise RuntimeError(f"{spec.label}: tiến trình đo lỗi (mã {process.returncode})")
    data = json.loads(out.read_text("utf-8"))
    return data, data.get("peak_mb") or usage.ru_maxrss / 1024


def specs(args: argparse.Namespace, tmp: Path, missing: list[str]) -> list[Spec]:
    found = [Spec(label=name, profile=name) for name in ESPEAK]
    if args.workspace:
        from broadcast.store.workspace import find_workspace
        from broadcast.voice.profiles import load_profile, profile_names

        ws = find_workspace(Path(args.workspace))
        for name in profile_names(ws):
            if load_profile(name, ws).engine == "piper":
                found.append(Spec(label=name, profile=name, workspace=str(ws.root)))
    if args.voice_dir:
        for model in sorted(Path(args.voice_dir).glob("*.onnx")):
            if model.with_name(model.name + ".json").is_file():
                found.append(Spec(label=model.stem, model=str(model)))
    if not any(s.profile not in ESPEAK for s in found):
        try:
            sys.path.insert(0, str(ROOT / "tests"))
            from piper_voice import write_voice

            model = write_voice(tmp / "tiny")
            found.append(Spec(label="piper-thu-nghiem", model=str(model), note=TINY_NOTE))
        except ImportError as exc:
            missing.append(f"Piper: không có giọng nào và không tạo được giọng thử ({exc}).")
    from broadcast.voice.piper import packages_missing

    problem = packages_missing()
    if problem:
        missing.append(problem)
        found = [s for s in found if s.profile in ESPEAK]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workspace", default=None, help="workspace whose Piper voices to include")
    parser.add_argument("--voice-dir", default=None, help="folder of NAME.onnx + NAME.onnx.json")
    parser.add_argument("--minutes", type=float, default=1.0, help="script length per article")
    parser.add_argument("--calibrate", type=int, default=8)
    parser.add_argument("--tolerance", type=float, default=0.25)
    parser.add_argument("--asr", choices=["faster-whisper", "vosk"], default=None)
    parser.add_argument("--asr-model", default=None)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--texts", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--wav-dir", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        texts = json.loads(Path(args.texts).read_text("utf-8"))
        wav_dir = Path(args.wav_dir) if args.wav_dir else None
        child(Spec(**json.loads(args.child)), texts, Path(args.out), wav_dir)
        return

    missing: list[str] = []
    asr: Any = None
    if args.asr and args.asr_model:
        asr = recogniser(args.asr, args.asr_model)
        if isinstance(asr, str):
            missing.append(f"WER: {asr}.")
            asr = None
    else:
        missing.append(
            "WER: cần --asr faster-whisper|vosk và --asr-model ĐƯỜNG_DẪN (mô hình tiếng Việt "
            "người dùng tự tải); không đo."
        )
    texts = sentences(args.minutes)
    words = sum(syllables(t) for t in texts)
    print(f"{len(texts)} câu, {words} âm tiết (kịch bản {args.minutes:g} phút của mỗi bài mẫu)")
    print(
        f"tải máy lúc bắt đầu: {os.getloadavg()[0]:.1f} trên {os.cpu_count()} lõi; "
        "mỗi giọng một tiến trình, đọc tuần tự"
    )
    header = (
        f"{'giọng':<26}{'bộ đọc':<8}{'âm thanh':>9}{'đọc':>8}{'RTF':>8}{'nạp':>7}{'RAM MB':>8}"
        f"{'âm tiết/s':>10}{'khớp':>7}{'WER':>7}"
    )
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        texts_file = tmp / "texts.json"
        texts_file.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
        voices = specs(args, tmp, missing)
        print(header)
        notes: list[str] = []
        judged = 0
        for spec in voices:
            wav_dir = None
            if asr is not None:
                wav_dir = tmp / f"wav-{spec.label}"
                wav_dir.mkdir()
            data, peak_mb = measure(spec, texts_file, wav_dir)
            durations = data["durations"]
            audio_s = sum(durations)
            rate, agree, judged = agreement(texts, durations, args.calibrate, args.tolerance)
            error = "—"
            if asr is not None and wav_dir is not None:
                edits = total = 0
                for index, text in enumerate(texts):
                    e, n = wer(_words(text), _words(asr(wav_dir / f"{index:04d}.wav")))
                    edits, total = edits + e, total + n
                error = f"{edits / max(total, 1):.0%}"
            label = spec.label + (" †" if spec.note else "")
            print(
                f"{label:<26}{data['engine']:<8}{audio_s:>8.1f}s{data['synth_s']:>7.2f}s"
                f"{data['synth_s'] / audio_s:>8.3f}{data['load_s']:>6.2f}s{peak_mb:>8.0f}"
                f"{rate:>10.2f}{agree:>7.0%}{error:>7}"
            )
            if spec.note:
                notes.append(
                    f"† {spec.label}: {spec.note}; âm thanh là tiếng ồn nên 'khớp' và WER vô nghĩa."
                )
    print(
        f"khớp: tỉ lệ câu có độ dài lệch ≤ {args.tolerance:.0%} so với số âm tiết / tốc độ hiệu "
        f"chỉnh trên {args.calibrate} câu đầu ({judged} câu được xét)."
    )
    print("RTF: thời gian đọc / thời lượng âm thanh, không kể nạp mô hình ('nạp').")
    for note in notes:
        print(note)
    for line in missing:
        print(f"Không đo được — {line}")


if __name__ == "__main__":
    main()
