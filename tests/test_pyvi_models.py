"""pyvi's models loaded without scikit-learn give pyvi's own output.

The reference is pyvi itself (imported here, which costs its 2-3 s of scikit-learn once),
run on the shipped example article, paragraph by paragraph, and on the 271 real
sentences of the normalisation benchmark.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from broadcast.script import pyvi_models

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "articles"
CASES = ROOT / "bench" / "data" / "normalize_cases.tsv"  # real sentences with numbers, dates


def paragraphs() -> list[str]:
    found = []
    for path in sorted(EXAMPLES.glob("*.md")) + sorted(EXAMPLES.glob("*.txt")):
        found += [p.strip("# ").strip() for p in path.read_text("utf-8").split("\n") if p.strip()]
    for line in CASES.read_text("utf-8").splitlines()[1:]:
        found.append(line.split("\t")[1])
    return found + ["Tp. HCM, https://dichvucong.gov.vn 1.234,5 người; UBND xã Mường La..."]


def test_segmentation_and_tags_equal_pyvi_on_real_articles() -> None:
    from pyvi import ViPosTagger, ViTokenizer

    texts = paragraphs()
    assert len(texts) > 200
    for text in texts:
        segmented = ViTokenizer.tokenize(text)
        assert pyvi_models.tokenize(text) == segmented, text
        words, tags = ViPosTagger.postagging(segmented)
        assert pyvi_models.pos_tag(segmented) == (list(words), [str(t) for t in tags]), text
    assert "cải_cách hành_chính" in pyvi_models.tokenize("Cải cách hành chính").lower()


def test_a_pickle_naming_anything_else_is_refused() -> None:
    class Evil:
        def __reduce__(self):  # what a tampered model file would carry
            return (os.system, ("echo pwned",))

    with pytest.raises(pickle.UnpicklingError):
        pyvi_models._ModelUnpickler(__import__("io").BytesIO(pickle.dumps(Evil()))).load()


def test_empty_text_is_returned_as_is() -> None:
    assert pyvi_models.tokenize("") == ""
    assert pyvi_models.tokenize("   ") == "   "
