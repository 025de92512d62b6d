"""What editors read in the terminal: translations side by side, QA findings, history."""

from __future__ import annotations

from collections.abc import Sequence

from broadcast.model.labels import action_label, role_label, sentence_role_label
from broadcast.model.time import local
from broadcast.review.model import AuditEntry, SegmentTerm, Translation, TranslationSummary
from broadcast.review.qa import Finding
from broadcast.store.translations import language_name


def terms_text(terms: Sequence[SegmentTerm]) -> str:
    return "; ".join(f"{t.source} = {t.target or '(chưa duyệt)'}" for t in terms)


def translation_text(translation: Translation, findings: Sequence[Finding]) -> str:
    lang = translation.language
    approved = sum(1 for s in translation.segments if s.approval_valid)
    lines = [
        f"{translation.title}",
        f"Kịch bản '{translation.slug}' (số {translation.script_id}) — "
        f"{language_name(lang)} ({lang}): {translation.state.label}, "
        f"đã duyệt {approved}/{len(translation.segments)} đoạn.",
        "",
    ]
    by_position: dict[int, list[Finding]] = {}
    for finding in findings:
        by_position.setdefault(finding.position, []).append(finding)
    for s in translation.segments:
        role = sentence_role_label(s.role)
        lines.append(f"[#{s.position + 1}] {role} · {s.state.label} · {s.origin_label}")
        lines.append(f"  vi:  {s.source}")
        lines.append(f"  {lang}: {s.target}")
        if s.terms:
            lines.append(f"  thuật ngữ: {terms_text(s.terms)}")
        if s.note:
            lines.append(f"  ghi chú duyệt: {s.note}")
        for f in by_position.get(s.position, []):
            lines.append(f"  {f.severity.label}: {f.message}")
        lines.append("")
    blocking = sum(1 for f in findings if f.blocking)
    lines.append(f"Kiểm tra: {blocking} lỗi chặn duyệt, {len(findings) - blocking} cảnh báo.")
    return "\n".join(lines)


def summaries_text(items: Sequence[TranslationSummary]) -> str:
    if not items:
        return "Chưa có bản dịch nào; tạo bằng 'broadcast translate KỊCH_BẢN --to blt'."
    return "\n".join(
        f"{i.script_id:>4}  {i.slug}  {i.language:<4} {i.state.label:<10} "
        f"{i.approved}/{i.segments} đoạn đã duyệt"
        for i in items
    )


def history_text(entries: Sequence[AuditEntry]) -> str:
    if not entries:
        return "Chưa có thao tác nào."
    lines = []
    for e in entries:
        where = f" đoạn {e.position + 1}" if e.position is not None else ""  # numbered from 1
        who = f"{e.actor}" + (f" ({role_label(e.role)})" if e.role else "")
        digest = f" sha256 {e.sha256[:12]}" if e.sha256 else ""
        detail = f" — {e.detail}" if e.detail else ""
        lines.append(
            f"{local(e.at)}  {e.language}{where}  {action_label(e.action)}  {who}{digest}{detail}"
        )
    return "\n".join(lines)
