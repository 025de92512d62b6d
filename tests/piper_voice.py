"""A tiny Piper-format voice built in code: random weights, the real inputs, outputs and keys.

Real Piper voices (``vi_VN-vais1000-medium`` and the like) are 60 MB downloads; the tests and
``bench/voices.py`` need the engine's real load and synthesis path without one. This model has
exactly the interface piper-tts drives (inputs ``input`` int64 [1, N], ``input_lengths`` int64
[1], ``scales`` float32 [3]; output ``output`` float32 [1, 1, T]) and a config with the keys a
real voice's ``.onnx.json`` has. Its audio is NOISE, never speech: each phoneme id picks a
random frame of ``HOP`` samples and the result is stretched by the length scale, so T grows
with the phonemes and with ``length_scale`` as a real voice's does.

Needs the ``onnx`` package (the ``test`` extra) to build the file; loading it needs only
piper-tts and onnxruntime.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

SAMPLE_RATE = 22050
HOP = 256  # samples per phoneme id at length_scale 1 (a real voice's hop length)


def phoneme_id_map() -> dict[str, list[int]]:
    """Piper's own default espeak phoneme map (what the real Vietnamese voices use)."""
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    return {k: list(v) for k, v in DEFAULT_PHONEME_ID_MAP.items()}


def voice_config(**changes: Any) -> dict[str, Any]:
    """The ``.onnx.json`` of the tiny voice, with the keys of a real Piper voice."""
    ids = phoneme_id_map()
    config: dict[str, Any] = {
        "audio": {"sample_rate": SAMPLE_RATE, "quality": "x_low"},
        "espeak": {"voice": "vi"},
        "language": {
            "code": "vi_VN",
            "family": "vi",
            "region": "VN",
            "name_native": "Tiếng Việt",
            "name_english": "Vietnamese",
            "country_english": "Vietnam",
        },
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "phoneme_map": {},
        "phoneme_id_map": ids,
        "num_symbols": max(i for v in ids.values() for i in v) + 1,
        "num_speakers": 1,
        "speaker_id_map": {},
        "piper_version": "1.0.0",
        "dataset": "tiny-random-test-voice",
    }
    config.update(changes)
    return config


def model_bytes(num_symbols: int, *, seed: int = 7, input_name: str = "input") -> bytes:
    """The ONNX graph: Gather a [num_symbols, HOP] random table by the ids, flatten to
    [1, 1, 1, N*HOP], Resize the last axis by ``scales[1]`` (length scale), drop an axis.
    ``input_lengths`` is multiplied in as 0 so it is a real, used input."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(seed)
    table = rng.uniform(-0.6, 0.6, size=(num_symbols, HOP)).astype(np.float32)
    consts = [
        numpy_helper.from_array(table, "table"),
        numpy_helper.from_array(np.array([1, 1, 1, -1], dtype=np.int64), "shape4"),
        numpy_helper.from_array(np.array([1, 1, -1], dtype=np.int64), "shape3"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one_index"),
        numpy_helper.from_array(np.array([1.0, 1.0, 1.0], dtype=np.float32), "ones3"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        helper.make_node("Gather", ["table", input_name], ["frames"], axis=0),
        helper.make_node("Reshape", ["frames", "shape4"], ["flat"]),
        helper.make_node("Gather", ["scales", "one_index"], ["length_scale"], axis=0),
        helper.make_node("Concat", ["ones3", "length_scale"], ["resize_scales"], axis=0),
        helper.make_node("Resize", ["flat", "", "resize_scales"], ["stretched"], mode="nearest"),
        helper.make_node("Reshape", ["stretched", "shape3"], ["audio"]),
        helper.make_node("Cast", ["input_lengths"], ["lengths_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["lengths_f", "zero"], ["nothing"]),
        helper.make_node("Add", ["audio", "nothing"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_piper_voice",
        [
            helper.make_tensor_value_info(input_name, TensorProto.INT64, [1, "phonemes"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "time"])],
        consts,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    model.ir_version = 8  # readable by every onnxruntime the extra allows
    onnx.checker.check_model(model)
    return bytes(model.SerializeToString())


def write_voice(
    folder: Path,
    name: str = "vi_VN-thu-nghiem-x_low",
    *,
    config: dict[str, Any] | None = None,
    input_name: str = "input",
) -> Path:
    """Write ``NAME.onnx`` and ``NAME.onnx.json`` into ``folder``; returns the .onnx path."""
    folder.mkdir(parents=True, exist_ok=True)
    config = voice_config() if config is None else config
    symbols = int(config.get("num_symbols", 0)) or 256
    onnx_path = folder / f"{name}.onnx"
    onnx_path.write_bytes(model_bytes(symbols, input_name=input_name))
    (folder / f"{name}.onnx.json").write_text(
        json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return onnx_path
