"""Build a tiny but real ``.argosmodel`` for the tests: nothing is downloaded, nothing mocked.

A SentencePiece model is trained on a few hundred synthetic sentences, a one-layer
CTranslate2 transformer is filled with seeded random weights through ``ctranslate2.specs``,
and both go into a zip under one top-level folder with argostranslate's ``metadata.json``.
Random weights translate into garbage, which is all the tests need: the real tokenizer, the
real model loader and the real decoder run end to end.

The target language ``blt`` here is NOT Thái: every "target" string is obviously synthetic.
"""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import numpy as np

D_MODEL = 16
FFN = 32
HEADS = 2

# Real Vietnamese words for the source side; the target side is synthetic ("ZZ…" tokens).
_VI_TEXT = (
    "người dân nộp hồ sơ tại bộ phận một cửa của ủy ban nhân dân xã thủ tục hành chính "
    "được giải quyết trong ngày cán bộ hướng dẫn kê khai trực tuyến trên cổng dịch vụ công "
    "quốc gia căn cước công dân đăng ký khai sinh kết hôn chứng thực bản sao giấy tờ phí lệ"
)
_VI_WORDS = tuple(_VI_TEXT.split(" "))
_SYNTHETIC = ("ZZ-UBND-01", "ZZ-HS-02", "XX", "QQ", "blt", "test")


def synthetic_sentences(count: int = 400, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    sentences = []
    for _ in range(count):
        words = rng.choices(_VI_WORDS, k=rng.randint(4, 14))
        if rng.random() < 0.3:
            words += rng.choices(_SYNTHETIC, k=2)
        sentence = " ".join(words)
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".?!"))
    return sentences


def train_sentencepiece(sentences: list[str]) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=160,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return model.getvalue()


def _shape(name: str, vocab: int) -> tuple[int, ...]:
    d = D_MODEL
    if name.endswith(("/gamma", "/beta")):
        return (d,)
    if "embeddings" in name or name.endswith("projection/weight"):
        return (vocab, d)
    if "/ffn/linear_0/" in name:
        return (FFN, d)
    if "/ffn/linear_1/" in name:
        return (d, FFN)
    if "/self_attention/linear_0/" in name:
        return (3 * d, d)  # fused query, key, value
    if "/attention/linear_1/" in name:
        return (2 * d, d)  # fused key, value of the encoder output
    if name.endswith("/weight"):
        return (d, d)
    raise ValueError(f"no shape known for {name}")


def _set(spec: object, name: str, value: np.ndarray) -> None:
    """Set ``encoder/layer_0/ffn/linear_1/weight`` on the nested spec objects."""
    node = spec
    parts = name.split("/")
    for part in parts[:-1]:
        if hasattr(node, part):
            node = getattr(node, part)
        else:
            base, index = part.rsplit("_", 1)
            node = getattr(node, base)[int(index)]
    setattr(node, parts[-1], value)


def build_ctranslate2_model(folder: Path, vocabulary: list[str], seed: int = 11) -> None:
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(1, HEADS)
    for name, value in spec.variables().items():
        if value is not None:
            continue
        shape = _shape(name, len(vocabulary))
        if name.endswith("/gamma"):
            array = np.ones(shape, dtype=np.float32)
        elif name.endswith("/beta"):
            array = np.zeros(shape, dtype=np.float32)
        else:
            array = rng.normal(0.0, 0.5, size=shape).astype(np.float32)
        _set(spec, name, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=None)
    folder.mkdir(parents=True, exist_ok=True)
    spec.save(str(folder))


def build_argosmodel(
    out: Path, from_code: str = "vi", to_code: str = "blt", top: str | None = None
) -> Path:
    """Write ``out`` (a zip) and return it; ``top`` is the single top-level folder."""
    import sentencepiece as spm

    top = top or f"{from_code}_{to_code}"
    work = out.parent / f".build-{top}"
    model_dir = work / "model"
    sp_model = train_sentencepiece(synthetic_sentences())
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    build_ctranslate2_model(model_dir, vocabulary)
    metadata = {
        "package_version": "0.0.1-test",
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": "Vietnamese",
        "to_code": to_code,
        "to_name": "Synthetic test language (not Thai)",
        "type": "translate",
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{top}/metadata.json", json.dumps(metadata))
        zf.writestr(f"{top}/sentencepiece.model", sp_model)
        zf.writestr(f"{top}/README.md", "Tiny random-weight test package; translates nothing.\n")
        for path in sorted(model_dir.iterdir()):
            zf.write(path, f"{top}/model/{path.name}")
    return out
