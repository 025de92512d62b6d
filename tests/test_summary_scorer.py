"""The learned sentence scorer: shipped, reproducible, and evaluated as it was trained.

The sentences are written for these tests in the style of commune news.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib import resources
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from broadcast.script.scorer import FEATURES, Model, features, load_model
from broadcast.script.summarize import lexrank, similarity_matrix

ROOT = Path(__file__).resolve().parents[1]

NEWS = [
    "Ngày 5/3, Ủy ban nhân dân xã Mường La triển khai đăng ký khai sinh trực tuyến.",
    "Nhiều gia đình ở các bản vùng cao phải đi hàng chục cây số để làm thủ tục khai sinh.",
    "Xã cử cán bộ tư pháp hướng dẫn người dân đăng ký khai sinh trực tuyến tại nhà văn hóa.",
    "Theo ông Lò Văn Minh, chủ tịch xã, đã có 120 trẻ được đăng ký khai sinh trực tuyến.",
    "Thời tiết những ngày này nắng đẹp, bà con lên nương từ sớm.",
    "Ngoài ra, xã tổ chức tập huấn cho trưởng bản vào cuối tháng.",
]


def _shipped() -> dict[str, object]:
    text = resources.files("broadcast.script").joinpath("scorer.json").read_text("utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def _trainer() -> ModuleType:
    """bench/train_scorer.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("train_scorer", ROOT / "bench/train_scorer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_scorer", module)
    spec.loader.exec_module(module)
    return module


def _rows(texts: list[str]) -> np.ndarray:
    matrix = similarity_matrix(texts)
    return features(texts, matrix, lexrank(matrix))


def test_the_shipped_scorer_loads_and_scores_every_sentence() -> None:
    model = load_model()
    assert model is not None, "scorer.json ships with the package (bench/train_scorer.py)"
    rows = _rows(NEWS)
    assert rows.shape == (len(NEWS), len(FEATURES))
    predicted = model.predict(rows)
    assert np.isfinite(predicted).all() and (predicted > -0.1).all() and (predicted < 1).all()
    assert predicted[0] > predicted[-1], "the dated lead outranks a late 'Ngoài ra' sentence"
    assert predicted[0] > predicted[4], "the lead outranks the weather"


def test_the_shipped_file_records_the_trainer_defaults() -> None:
    trainer = _trainer()
    meta = _shipped()["meta"]
    assert isinstance(meta, dict)
    assert meta["params"] == trainer.PARAMS, "rerun bench/train_scorer.py after changing it"
    assert meta["articles"] == trainer.LIMIT
    assert _shipped()["features"] == list(FEATURES)


def test_the_shipped_file_holds_one_shallow_tree_per_boosting_round() -> None:
    data = _shipped()
    trees = data["trees"]
    assert isinstance(trees, list)
    assert len(trees) == _trainer().PARAMS["n_estimators"]
    depth = _trainer().PARAMS["max_depth"]
    assert all(len(t["feature"]) <= 2 ** (depth + 1) - 1 for t in trees)


def test_the_runtime_trees_predict_what_scikit_learn_predicts() -> None:
    pytest.importorskip("sklearn")
    trainer = _trainer()
    rows = _rows(NEWS * 4)
    rng = np.random.default_rng(0)
    x = rows + rng.normal(0, 0.05, rows.shape)
    y = 0.3 * x[:, FEATURES.index("first")] + rng.uniform(0, 0.2, len(x))
    params = {**trainer.PARAMS, "min_samples_leaf": 1, "n_estimators": 20}
    fitted = trainer.fit(x, y, params)
    base, trees = trainer.export(fitted)
    ours = Model(base, json.loads(trainer.to_json(base, trees, {}))["trees"])
    assert np.allclose(ours.predict(x), fitted.predict(x), atol=1e-9)
    assert not np.allclose(ours.predict(x), ours.predict(x)[0]), "the trees do split"
