"""What ingestion made of a file, for a person checking it before anything is produced.

A producer who gets a strange radio script needs to see where it went wrong: a legacy encoding
guessed wrongly, a page number left in, a scan with no tone marks. ``broadcast ingest`` shows
the cleaned text beside these facts; the verdict is a report, not a refusal, so a user can
inspect a bad file as easily as a good one.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from broadcast.text.clean import Removed
from broadcast.text.ingest import ingest
from broadcast.text.quality import QualityReport, assess_quality
from broadcast.text.sentences import split_sentences
from broadcast.text.syllable import words

REMOVED_LABELS = {
    "page_number": "số trang",
    "url": "đường link",
    "stamp": "dấu chữ ký số",
    "distribution": "nơi nhận và khối chữ ký",
    "header": "dòng đầu văn bản (cơ quan, số, ngày, quốc hiệu)",
    "rule": "dòng kẻ",
    "table": "bảng",
    "title": "tiêu đề gốc (thay bằng tiêu đề đã nhập)",
    "repaired": "chỗ đã tự sửa (thẻ HTML, mã ký tự, ảnh Markdown, chữ gõ VNI)",
    "caption": "chú thích ảnh",
    "byline": "dòng tác giả, nguồn tin",
    "agency": "ký hiệu tên báo, hãng tin",
    "related": "tin liên quan, lời mời chia sẻ",
}


@dataclass(frozen=True)
class IngestReport:
    source: Path
    format: str
    encoding: str
    title: str
    paragraphs: tuple[str, ...]
    sentences: int
    syllables: int
    removed: tuple[Removed, ...]
    quality: QualityReport

    def removed_counts(self) -> dict[str, int]:
        return dict(Counter(item.kind for item in self.removed))

    def cleaned_text(self) -> str:
        """Title and paragraphs as they will reach the script stage."""
        return "\n\n".join((self.title, *self.paragraphs))

    def verdict(self) -> str:
        label = "ĐẠT" if self.quality.ok else "KHÔNG ĐẠT"
        return f"Chất lượng văn bản: {label} ({self.quality.kind.value}). {self.quality.message}"

    def summary(self) -> str:
        """The facts, one per line, in Vietnamese."""
        removed = ", ".join(
            f"{count} {REMOVED_LABELS.get(kind, kind)}"
            for kind, count in self.removed_counts().items()
        )
        return "\n".join(
            (
                f"Tệp: {self.source}",
                f"Định dạng: {self.format}; bảng mã: {self.encoding}",
                f"Số đoạn: {len(self.paragraphs)}; số câu: {self.sentences}; "
                f"số âm tiết: {self.syllables}",
                f"Đã bỏ khỏi bài: {removed or 'không có gì'}",
            )
        )

    def to_json(self) -> str:
        data = {
            "source": str(self.source),
            "format": self.format,
            "encoding": self.encoding,
            "title": self.title,
            "paragraphs": list(self.paragraphs),
            "counts": {
                "paragraphs": len(self.paragraphs),
                "sentences": self.sentences,
                "syllables": self.syllables,
            },
            "removed": [{"kind": item.kind, "text": item.text} for item in self.removed],
            "removed_counts": self.removed_counts(),
            "quality": self.quality.as_dict(),
        }
        return json.dumps(data, ensure_ascii=False, indent=2)


def ingest_report(path: Path) -> IngestReport:
    """Ingest ``path`` and measure the result; errors are the same InputErrors as ingestion."""
    ingested = ingest(path)
    article = ingested.article
    text = f"{article.title}\n\n{article.body}"
    return IngestReport(
        source=article.source,
        format=article.format,
        encoding=ingested.encoding,
        title=article.title,
        paragraphs=tuple(article.paragraphs),
        sentences=sum(len(split_sentences(p)) for p in article.paragraphs),
        syllables=len(words(text)),
        removed=ingested.removed,
        quality=assess_quality(text),
    )
