"""``broadcast voice install``: check a downloaded Piper voice, copy it in, write its profile.

A Piper voice is two files, ``NAME.onnx`` (the network) and ``NAME.onnx.json`` (sample rate,
phoneme map, language, inference scales). A wrong pair fails only when piper-tts first reads
a sentence, in the middle of a render, with a message about tensors; so every check a real
voice passes is made here, before anything is copied, and each refusal is one Vietnamese
sentence naming the file. Accepted files are copied under ``voices/piper/`` with a checksum
in their names (a replaced model can never reuse the old model's cached sentences), then the
profile ``voices/piper-<name>.toml`` is written last, so a profile never points at a file
that is not there yet.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from broadcast.errors import InputError
from broadcast.safeparse import load_json
from broadcast.store.files import atomic_copy, atomic_write_text
from broadcast.voice.piper import config_path, packages_missing
from broadcast.voice.profiles import DEFAULT_PROFILE

if TYPE_CHECKING:
    from broadcast.store.workspace import Workspace

NOTHING = "chưa chép gì"
MAX_CONFIG_BYTES = 8 * 1024 * 1024  # real configs are 5-20 kB; a larger "config" is not one
# What piper-tts feeds a model (``sid`` only for voices with several speakers).
REQUIRED_INPUTS = {"input": "tensor(int64)", "input_lengths": "tensor(int64)"}
SCALES_INPUT = ("scales", "tensor(float)")
SPEAKER_INPUT = "sid"
PHONEME_TYPES = ("espeak", "text")  # the others download extra models on first use
SPECIAL = ("^", "$", "_")  # sentence start, end and the pad between phonemes


@dataclass(frozen=True)
class VoiceCheck:
    """A pair of files that passed every check, with what the profile needs from it."""

    model: Path
    config: Path
    language: str
    sample_rate: int
    speakers: int
    config_data: dict[str, Any]


@dataclass(frozen=True)
class InstalledVoice:
    """What ``install_voice`` did: the profile name and where the files went."""

    profile: str
    profile_path: Path
    model: Path
    config: Path
    language: str
    sample_rate: int
    unchanged: bool  # the same voice was already installed under this name


def _refuse(where: Path, problem: str) -> InputError:
    return InputError(f"{where.name}: {problem}; {NOTHING}.")


def _number(data: dict[str, Any], key: str, where: Path, low: int, high: int) -> int:
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _refuse(where, f"'{key}' phải là số nguyên từ {low} đến {high} (đang là {value!r})")
    return value


def voice_language(data: dict[str, Any]) -> str:
    """The voice's language code ('vi'): ``language.family``, else ``language.code``
    ('vi_VN'), else the espeak-ng voice ('vi')."""
    language = data.get("language")
    espeak = data.get("espeak")
    candidates = [
        language.get("family") if isinstance(language, dict) else None,
        language.get("code") if isinstance(language, dict) else None,
        espeak.get("voice") if isinstance(espeak, dict) else None,
    ]
    for value in candidates:
        if isinstance(value, str) and value.strip():
            return re.split(r"[_\-]", value.strip())[0].lower()
    return ""


def check_config(config: Path, languages: tuple[str, ...]) -> dict[str, Any]:
    """The parsed ``.onnx.json`` when it has every key piper-tts reads, with sane values."""
    if not config.is_file():
        raise InputError(
            f"Thiếu tệp cấu hình {config.name} bên cạnh mô hình: một giọng Piper gồm hai tệp "
            f"(.onnx và .onnx.json), hãy tải cả hai rồi cài lại; {NOTHING}."
        )
    raw = config.read_bytes()
    if len(raw) > MAX_CONFIG_BYTES:
        raise _refuse(config, "tệp quá lớn để là cấu hình giọng Piper")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(config, "không phải tệp văn bản UTF-8 (cấu hình giọng là JSON)") from None
    data = load_json(text, config.name, consequence=NOTHING)
    if not isinstance(data, dict):
        raise _refuse(config, "không phải cấu hình giọng Piper (cần một đối tượng JSON)")
    audio = data.get("audio")
    if not isinstance(audio, dict) or "sample_rate" not in audio:
        raise _refuse(config, "thiếu 'audio.sample_rate' (tần số lấy mẫu của giọng)")
    _number(audio, "sample_rate", config, 8000, 48000)
    espeak = data.get("espeak")
    if not isinstance(espeak, dict) or not isinstance(espeak.get("voice"), str):
        raise _refuse(config, "thiếu 'espeak.voice' (giọng espeak-ng dùng để phiên âm)")
    kind = data.get("phoneme_type", "espeak")
    if kind not in PHONEME_TYPES:
        raise _refuse(
            config, f"kiểu phiên âm '{kind}' không dùng được (chỉ {', '.join(PHONEME_TYPES)})"
        )
    ids = data.get("phoneme_id_map")
    if not isinstance(ids, dict) or not ids:
        raise _refuse(config, "thiếu bảng âm vị 'phoneme_id_map'")
    for phoneme, numbers in ids.items():
        if (
            not isinstance(numbers, list)
            or not numbers
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers)
        ):
            raise _refuse(config, f"bảng âm vị hỏng ở âm '{phoneme}' (cần danh sách số nguyên)")
    absent = [s for s in SPECIAL if s not in ids]
    if absent:
        raise _refuse(config, f"bảng âm vị thiếu ký hiệu {' '.join(absent)} (đầu, cuối, đệm câu)")
    symbols = _number(data, "num_symbols", config, 1, 100_000)
    highest = max(n for numbers in ids.values() for n in numbers)
    if highest >= symbols:
        raise _refuse(config, f"bảng âm vị dùng số {highest} nhưng 'num_symbols' chỉ là {symbols}")
    _number(data, "num_speakers", config, 1, 100_000)
    language = voice_language(data)
    if language != "vi" and language not in languages:
        raise _refuse(
            config,
            f"giọng đọc tiếng '{language or '?'}', không phải tiếng Việt hay ngôn ngữ của đài "
            f"({', '.join(languages)})",
        )
    return data


def check_model(model: Path, data: dict[str, Any]) -> None:
    """The ONNX file loads, has the inputs and output piper-tts uses, and reads the config's
    highest phoneme id (a model trained with another phoneme table fails right here)."""
    if not model.is_file():
        raise InputError(f"Không thấy tệp mô hình {model}; {NOTHING}.")
    problem = packages_missing()
    if problem:
        raise InputError(f"Chưa kiểm tra được {model.name}: {problem}")
    import numpy as np
    import onnxruntime

    try:
        session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    except Exception:  # onnxruntime's own exception types: not a model it can read
        raise _refuse(model, "không phải tệp mô hình ONNX đọc được") from None
    inputs = {i.name: i.type for i in session.get_inputs()}
    wanted = dict(REQUIRED_INPUTS)
    wanted[SCALES_INPUT[0]] = SCALES_INPUT[1]
    speakers = int(data["num_speakers"])
    extra = set(inputs) - set(wanted) - {SPEAKER_INPUT}
    wrong = [n for n, t in wanted.items() if inputs.get(n) != t]
    if wrong or extra or (speakers > 1 and SPEAKER_INPUT not in inputs):
        found = ", ".join(f"{n} ({t})" for n, t in inputs.items()) or "không có"
        raise _refuse(
            model,
            f"không phải mô hình giọng Piper: đầu vào là {found}, cần input (int64), "
            "input_lengths (int64), scales (float)" + (", sid" if speakers > 1 else ""),
        )
    outputs = session.get_outputs()
    if not outputs or outputs[0].type != "tensor(float)":
        raise _refuse(model, "không phải mô hình giọng Piper: đầu ra không phải âm thanh (float)")
    ids = data["phoneme_id_map"]
    highest = max(n for numbers in ids.values() for n in numbers)
    sequence = [ids["^"][0], ids["_"][0], highest, ids["_"][0], ids["$"][0]]
    feed: dict[str, Any] = {
        "input": np.array([sequence], dtype=np.int64),
        "input_lengths": np.array([len(sequence)], dtype=np.int64),
        "scales": np.array([0.667, 1.0, 0.8], dtype=np.float32),
    }
    if SPEAKER_INPUT in inputs:
        feed[SPEAKER_INPUT] = np.array([0], dtype=np.int64)
    try:
        audio = session.run(None, feed)[0]
    except Exception:
        raise _refuse(
            model,
            f"mô hình không đọc được bảng âm vị của {config_path(model).name} (hai tệp không "
            "cùng một giọng)",
        ) from None
    if audio.size == 0 or not np.isfinite(audio).all():
        raise _refuse(model, "mô hình không cho ra âm thanh khi đọc thử")


def check_voice(model: Path, config: Path | None, languages: tuple[str, ...]) -> VoiceCheck:
    """Every check of the pair, config first (it is cheap and its faults are the common
    ones); raises ``InputError`` with one sentence, having changed nothing."""
    config = config or config_path(model)
    if not model.is_file():
        raise InputError(f"Không thấy tệp mô hình {model}; {NOTHING}.")
    data = check_config(config, languages)
    check_model(model, data)
    return VoiceCheck(
        model=model,
        config=config,
        language=voice_language(data),
        sample_rate=int(data["audio"]["sample_rate"]),
        speakers=int(data["num_speakers"]),
        config_data=data,
    )


def profile_name(model: Path, language: str) -> str:
    """``vi_VN-vais1000-medium.onnx`` -> ``piper-vi-vais1000-medium``."""
    stem = model.name.removesuffix(".onnx")
    stem = re.sub(rf"^{re.escape(language)}_[A-Za-z]{{2}}(?=-)", language, stem)
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower().replace("_", "-")).strip("-")
    return f"piper-{slug or language}"


def _profile_text(check: VoiceCheck, name: str, relative_model: str) -> str:
    original = check.model.name
    return (
        f"# Giọng Piper (ngoại tuyến) cài bằng 'broadcast voice install {original}'.\n"
        "# Offline Piper voice; 'rate' 125 is the voice's own pace, the pause between\n"
        "# sentences is [audio] pause_ms. Without piper-tts the fallback reads instead.\n"
        f'description = "Piper, {original.removesuffix(".onnx")}"\n'
        'engine = "piper"\n'
        f'language = "{check.language}"\n'
        f'voice = "{relative_model}"\n'
        "rate = 125\n"
        f'fallback = "{DEFAULT_PROFILE}"\n'
    )


def install_voice(
    workspace: Workspace,
    model: Path,
    config: Path | None = None,
    *,
    name: str | None = None,
    replace: bool = False,
) -> InstalledVoice:
    """Check the pair, copy it into ``voices/piper/`` and write ``voices/<name>.toml``.

    An existing profile of that name is replaced only with ``replace`` (the same voice
    installed again is a no-op); shipped profile names are never taken.
    """
    from broadcast.shipped import shipped_dir

    languages = tuple(workspace.station.languages)
    check = check_voice(model, config, languages)
    profile = name or profile_name(model, check.language)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", profile):
        raise InputError(
            f"Tên giọng '{profile}' không hợp lệ: chỉ chữ thường không dấu, số và dấu '-'; "
            f"{NOTHING}."
        )
    if (shipped_dir("voices") / f"{profile}.toml").is_file():
        raise InputError(
            f"'{profile}' là tên một giọng có sẵn của bộ công cụ; chọn tên khác bằng --name; "
            f"{NOTHING}."
        )
    digest = hashlib.sha256()
    for path in (check.model, check.config):
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    stem = check.model.name.removesuffix(".onnx")
    folder = workspace.root / "voices" / "piper"
    target = folder / f"{stem}.{digest.hexdigest()[:10]}.onnx"
    relative = target.relative_to(workspace.root).as_posix()
    profile_path = workspace.root / "voices" / f"{profile}.toml"
    text = _profile_text(check, profile, relative)
    unchanged = profile_path.is_file() and profile_path.read_text("utf-8") == text
    if profile_path.is_file() and not unchanged and not replace:
        raise InputError(
            f"Đã có giọng '{profile}' ({profile_path}); thêm --replace để thay, hoặc đặt tên "
            f"khác bằng --name; {NOTHING}."
        )
    if not (target.is_file() and config_path(target).is_file()):
        atomic_copy(check.model, target)
        atomic_copy(check.config, config_path(target))
    if not unchanged:
        atomic_write_text(profile_path, text)
    return InstalledVoice(
        profile=profile,
        profile_path=profile_path,
        model=target,
        config=config_path(target),
        language=check.language,
        sample_rate=check.sample_rate,
        unchanged=unchanged,
    )
