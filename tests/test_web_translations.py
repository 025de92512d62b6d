"""*Bản dịch* through the real application (Starlette TestClient, real SQLite, the real
review workflow): save, QA before saving and as the approval gate, four-eyes, batch approval,
per-language refusal, comments, history and revert.

Every target text is OBVIOUSLY SYNTHETIC (review_fixtures: '‹blt› XX-…' and arbitrary Tai
Viet code points labelled as such); nothing here is Thái or Mông.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import review_fixtures as rf
from starlette.testclient import TestClient
from web_support import csrf_from, signed_in_client, web_workspace

from broadcast.model.review import ReviewState, text_sha256
from broadcast.model.translation import Term, TermStatus
from broadcast.people.acting import resolve_person
from broadcast.review.workflow import save_edits
from broadcast.store.translations import audit_trail, load_translation
from broadcast.store.workspace import Workspace, find_workspace
from broadcast.web.app import create_app

# An approved glossary term of segment 4's source, with a synthetic Tai Viet target (three
# arbitrary code points of the block) and a forbidden variant.
TERM = "hồ sơ trực tuyến"
TERM_TARGET = "\uaa95\uaab1\uaa99"
TERM_FORBIDDEN = "\uaa8a\uaab8\uaa8b"
TM_TARGET = "‹blt› TM-B ZZ ZZ"  # a memory pair for segment 2 ("Cải cách hành chính")
REVIEWER = "reviewer"  # web_support: one person per role, per-language roles for 'blt'
TRANSLATOR = "translator"


def translated_workspace(root: Path) -> tuple[Workspace, int]:
    """A workspace with a vetted script whose blt translation the translator has filled:
    every segment clean except segment 4 (Tai Viet text lacking the approved term)."""
    from broadcast.translate import memory, termbase
    from broadcast.translate.draft import translate_script

    ws = web_workspace(root)
    with ws.open_db() as db:
        termbase.add_term(
            db,
            Term(
                TERM,
                "blt",
                TERM_TARGET,
                status=TermStatus.APPROVED,
                forbidden=(TERM_FORBIDDEN,),
            ),
            termbase.StationLanguages.of(ws.station),
        )
        memory.add(db, rf.SENTENCES[1][1], TM_TARGET, "blt")
        translator = resolve_person(db, TRANSLATOR, environ={}).person
    saved = rf.save(ws)
    translate_script(ws, str(saved.id), "blt", translator, engine="none")
    with ws.open_db() as db:
        draft = load_translation(db, saved.id, "blt")
        targets = {p: rf.synthetic_target(p) for p in range(len(rf.SENTENCES))}
        targets[3] = rf.TAVT_SEGMENT
        save_edits(db, draft, targets, actor=translator)
    return ws, saved.id


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    ws, script_id = translated_workspace(tmp_path_factory.mktemp("ban-dich") / "dai")
    return ws.root, script_id


@pytest.fixture
def ws(made: tuple[Path, int], tmp_path: Path) -> Workspace:
    """A fresh copy of the module's workspace for each test (making one takes seconds)."""
    copy = tmp_path / "dai"
    shutil.copytree(made[0], copy)
    return find_workspace(copy)


@pytest.fixture
def script_id(made: tuple[Path, int]) -> int:
    return made[1]


def _client(ws: Workspace, login: str) -> TestClient:
    return signed_in_client(create_app(ws), login)


def _page(client: TestClient, script_id: int, query: str = "") -> str:
    response = client.get(f"/ban-dich/blt/{script_id}{query}")
    assert response.status_code == 200, response.text[-500:]
    return response.text


def _seen(html: str) -> str:
    match = re.search(r'name="seen" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


def _segment(ws: Workspace, script_id: int, number: int) -> tuple[str, ReviewState]:
    with ws.open_db() as db:
        segment = load_translation(db, script_id, "blt").segments[number - 1]
    return segment.target, segment.state


def _form(html: str, number: int, **extra: str) -> dict[str, str]:
    return {"csrf": csrf_from(html), "doan": str(number), "seen": _seen(html), "loc": "tat-ca",
            **extra}  # fmt: skip


def test_list_shows_my_languages_and_the_page_marks_terms_and_suggests(
    ws: Workspace, script_id: int
) -> None:
    client = _client(ws, REVIEWER)
    listing = client.get("/ban-dich").text
    assert f"/ban-dich/blt/{script_id}" in listing and "/ban-dich/hmn/" not in listing
    four = _page(client, script_id, "?doan=4")
    # The glossary term is marked in the source, with its approved target and forbidden form.
    assert re.search(r'<mark class="thuat-ngu"[^>]*>hồ sơ trực tuyến</mark>', four)
    assert TERM_TARGET in four and TERM_FORBIDDEN in four
    # QA before anything is done: the missing term is a blocking badge on this segment.
    assert "Lỗi chặn duyệt" in four and f"Thiếu thuật ngữ đã duyệt &#39;{TERM_TARGET}&#39;" in four
    # The memory pair of segment 2 is offered with its percentage and one key to copy it
    # (in a fragment the page loads after itself), with a diff against the current target.
    two = _page(client, script_id, "?doan=2")
    assert f"/ban-dich/blt/{script_id}/goi-y?doan=2" in two
    offered = client.get(f"/ban-dich/blt/{script_id}/goi-y?doan=2").text
    assert "100%" in offered and f'data-text="{TM_TARGET}"' in offered
    assert "Dùng gợi ý 1 (Alt+1)" in offered
    assert "<del>XX</del><ins>TM</ins>-B ZZ ZZ<del> ZZ ZZ</del>" in offered
    assert 'Nguồn: <span class="nguon-goi-y">trạm này</span>' in offered  # where it came from
    assert "Ctrl+Shift+Enter" in two and "Ctrl+Enter" in two  # shortcuts shown on the page
    # The keyboard of a language written in Tai Viet has its letters.
    assert 'data-chen="\uaa80"' in two and 'aria-label="Thêm dấu sắc"' in two


def test_qa_check_runs_on_unsaved_text_and_saving_moves_on(ws: Workspace, script_id: int) -> None:
    client = _client(ws, TRANSLATOR)
    html = _page(client, script_id, "?doan=3")
    # Typing: the document code and the date dropped -> blocking badges, nothing stored.
    check = client.post(
        f"/ban-dich/blt/{script_id}/kiem-tra",
        data=_form(html, 3, text="‹blt› XX-C 15 ZZ ZZ ZZ ZZ."),
        headers={"HX-Request": "true"},
    )
    assert check.status_code == 200
    assert "Lỗi chặn duyệt" in check.text and "239/QĐ-UBND" in check.text
    before, _ = _segment(ws, script_id, 3)
    assert "239/QĐ-UBND" in before
    clean = client.post(
        f"/ban-dich/blt/{script_id}/kiem-tra",
        data=_form(html, 3, text=before),
        headers={"HX-Request": "true"},
    )
    assert "Không có lỗi kiểm tra" in clean.text
    # Save-and-next: stored as the translator's edit, then on to segment 4. A tone mark typed
    # after its letter (decomposed) is stored as one NFC character.
    text = "‹blt› XX-C 239/QĐ-UBND 27/01/2026 15 ZZ ZZ ZZ ZZ ba\u0301."
    saved = client.post(f"/ban-dich/blt/{script_id}/luu", data=_form(html, 3, text=text, tiep="4"))
    assert saved.status_code == 303 and saved.headers["location"].endswith("doan=4")
    target, state = _segment(ws, script_id, 3)
    assert target == text.replace("a\u0301", "á") and state is ReviewState.IN_REVIEW
    assert "Đã lưu đoạn 3" in client.get(saved.headers["location"]).text
    # A save from a page shown before that edit would overwrite it: refused, text kept.
    stale = client.post(
        f"/ban-dich/blt/{script_id}/luu", data=_form(html, 3, text="‹blt› cũ 239/QĐ-UBND.")
    )
    assert stale.status_code == 400 and "vừa được người khác sửa" in stale.text
    assert "‹blt› cũ 239/QĐ-UBND." in stale.text
    assert _segment(ws, script_id, 3)[0] == target


def test_a_blocking_finding_refuses_approval(ws: Workspace, script_id: int) -> None:
    client = _client(ws, REVIEWER)
    html = _page(client, script_id, "?doan=4")
    target, _ = _segment(ws, script_id, 4)
    refused = client.post(
        f"/ban-dich/blt/{script_id}/duyet", data=_form(html, 4, text=target, tiep="5")
    )
    assert refused.status_code == 400
    assert "Chưa duyệt được" in refused.text and TERM_TARGET in refused.text
    assert _segment(ws, script_id, 4)[1] is not ReviewState.APPROVED
    # A clean segment is approved, bound to its text and the reviewer.
    html = _page(client, script_id, "?doan=1")
    target, _ = _segment(ws, script_id, 1)
    done = client.post(
        f"/ban-dich/blt/{script_id}/duyet", data=_form(html, 1, text=target, tiep="2")
    )
    assert done.status_code == 303 and done.headers["location"].endswith("doan=2")
    with ws.open_db() as db:
        segment = load_translation(db, script_id, "blt").segments[0]
        trail = audit_trail(db, script_id, "blt")
    assert segment.state is ReviewState.APPROVED
    assert segment.approved_sha256 == text_sha256(target)
    assert any(e.action == "approve" and e.actor == REVIEWER and e.position == 0 for e in trail)


def test_approve_refuses_a_text_edited_in_the_box_and_four_eyes(
    ws: Workspace, script_id: int
) -> None:
    client = _client(ws, REVIEWER)
    html = _page(client, script_id, "?doan=2")
    # What is in the box is not what is stored: approving it would approve an unseen text.
    edited = client.post(
        f"/ban-dich/blt/{script_id}/duyet", data=_form(html, 2, text="‹blt› khác ZZ ZZ ZZ")
    )
    assert edited.status_code == 400 and "hãy lưu trước" in edited.text
    # The reviewer saves their fix, then may not approve it (four-eyes), with the reason.
    saved = client.post(
        f"/ban-dich/blt/{script_id}/luu",
        data=_form(html, 2, text="‹blt› XX-B sửa ZZ ZZ", **{"o-lai": "1"}),
    )
    assert saved.status_code == 303
    html = _page(client, script_id, "?doan=2")
    own = client.post(
        f"/ban-dich/blt/{script_id}/duyet", data=_form(html, 2, text="‹blt› XX-B sửa ZZ ZZ")
    )
    assert own.status_code == 400 and "bốn mắt" in own.text
    assert _segment(ws, script_id, 2)[1] is ReviewState.IN_REVIEW
    # The translator sees no approve buttons (and the workflow refuses them anyway).
    translator = _client(ws, TRANSLATOR)
    page = _page(translator, script_id, "?doan=1")
    assert "nut-duyet" not in page and "Duyệt loạt" not in page
    target, _ = _segment(ws, script_id, 1)
    refused = translator.post(f"/ban-dich/blt/{script_id}/duyet", data=_form(page, 1, text=target))
    assert refused.status_code == 400 and "duyệt bản dịch" in refused.text


def test_batch_approval_skips_findings_and_own_edits(ws: Workspace, script_id: int) -> None:
    client = _client(ws, REVIEWER)
    html = _page(client, script_id, "?doan=6")
    client.post(  # the reviewer's own edit of segment 6
        f"/ban-dich/blt/{script_id}/luu",
        data=_form(html, 6, text="‹blt› XX-F sửa ZZ ZZ ZZ.", **{"o-lai": "1"}),
    )
    html = _page(client, script_id)
    assert "Duyệt loạt 4 đoạn không có lỗi" in html
    shas = dict(re.findall(r'name="(s-\d+)" value="([0-9a-f]{64})"', html))
    assert len(shas) == 6
    done = client.post(
        f"/ban-dich/blt/{script_id}/duyet-loat",
        data={"csrf": csrf_from(html), "loc": "tat-ca", **shas},
    )
    assert done.status_code == 303
    states = [_segment(ws, script_id, n)[1] for n in range(1, 7)]
    assert states == [ReviewState.APPROVED] * 3 + [ReviewState.IN_REVIEW] + [
        ReviewState.APPROVED,
        ReviewState.IN_REVIEW,
    ]
    message = client.get(done.headers["location"]).text
    assert "Đã duyệt 4 đoạn" in message
    assert "bỏ qua đoạn 4: còn lỗi" in message and "bỏ qua đoạn 6: do chính bạn sửa" in message


def test_reviewer_of_blt_cannot_open_or_change_hmn(ws: Workspace, script_id: int) -> None:
    client = _client(ws, REVIEWER)
    token = csrf_from(client.get("/ban-dich").text)
    page = client.get(f"/ban-dich/hmn/{script_id}")
    assert page.status_code == 403 and "tiếng hmn" in page.text
    for action in ("luu", "duyet", "duyet-loat", "ghi-chu", "khoi-phuc", "tra-lai", "kiem-tra"):
        response = client.post(
            f"/ban-dich/hmn/{script_id}/{action}",
            data={"csrf": token, "doan": "1", "seen": "0" * 64, "text": "x", "loc": "tat-ca"},
        )
        assert response.status_code == 403, action
    # A language the station does not have is 'no such language', not a role refusal.
    unknown = client.get(f"/ban-dich/th/{script_id}")
    assert unknown.status_code == 400 and "không có bản dịch" in unknown.text


def test_comment_history_and_revert(ws: Workspace, script_id: int) -> None:
    client = _client(ws, TRANSLATOR)
    first, _ = _segment(ws, script_id, 5)
    html = _page(client, script_id, "?doan=5")
    client.post(
        f"/ban-dich/blt/{script_id}/luu",
        data=_form(html, 5, text="‹blt› XX-E lần hai ZZ ZZ.", **{"o-lai": "1"}),
    )
    html = _page(client, script_id, "?doan=5")
    comment = client.post(
        f"/ban-dich/blt/{script_id}/ghi-chu",
        data=_form(html, 5, comment="Kiểm tra lại cách gọi 'một cửa'."),
    )
    assert comment.status_code == 303
    html = client.get(comment.headers["location"]).text
    assert "Kiểm tra lại cách gọi" in html and "1 ghi chú" in html
    # The history shows the change as a diff, with a way back to the text before it.
    assert "<del>ZZ</del><ins>lần</ins> <del>ZZ</del><ins>hai</ins>" in html
    back = re.search(r'name="to" value="([0-9a-f]{64})"', html)
    assert back and back.group(1) == text_sha256(first)
    reverted = client.post(
        f"/ban-dich/blt/{script_id}/khoi-phuc", data=_form(html, 5, to=back.group(1))
    )
    assert reverted.status_code == 303
    assert _segment(ws, script_id, 5) == (first, ReviewState.IN_REVIEW)
    # Only texts from the segment's own history can be put back.
    html = _page(client, script_id, "?doan=5")
    forged = client.post(
        f"/ban-dich/blt/{script_id}/khoi-phuc", data=_form(html, 5, to=text_sha256("bịa"))
    )
    assert forged.status_code == 400 and "Không tìm thấy văn bản cũ" in forged.text


def test_filters_show_sent_back_and_my_segments(ws: Workspace, script_id: int) -> None:
    reviewer = _client(ws, REVIEWER)
    html = _page(reviewer, script_id, "?doan=2")
    sent = reviewer.post(
        f"/ban-dich/blt/{script_id}/tra-lai", data=_form(html, 2, note="Sai cách xưng hô.")
    )
    assert sent.status_code == 303
    needs = _page(reviewer, script_id, "?loc=can-sua")
    assert "Các đoạn (1)" in needs and "Sai cách xưng hô." in needs
    mine = _page(reviewer, script_id, "?loc=cua-toi")
    assert "Các đoạn (0)" in mine  # the reviewer edited nothing
    translator = _client(ws, TRANSLATOR)
    assert "Các đoạn (6)" in _page(translator, script_id, "?loc=cua-toi")


def test_a_draft_is_made_as_a_job_for_a_vetted_script(ws: Workspace) -> None:
    from broadcast.jobs import tasks
    from broadcast.model.jobs import JobState

    other = rf.save(ws, title="Thủ tục hành chính tháng mười hai")  # vetted by the fixture
    client = _client(ws, TRANSLATOR)
    listing = client.get("/ban-dich").text
    assert (
        f"/ban-dich/blt/{other.id}/nhap" in listing and f"/ban-dich/hmn/{other.id}" not in listing
    )
    started = client.post(f"/ban-dich/blt/{other.id}/nhap", data={"csrf": csrf_from(listing)})
    assert started.status_code == 303
    job_id = int(started.headers["location"].rstrip("/").rsplit("/", 1)[1])
    tasks.execute(ws.root, job_id)  # what a worker thread does with the queued job
    assert tasks.get(ws, job_id).state is JobState.DONE
    listing = client.get("/ban-dich").text
    assert (
        f"/ban-dich/blt/{other.id}?" in listing and f"/ban-dich/blt/{other.id}/nhap" not in listing
    )
    # The new draft's second segment is the memory's exact match (the pair for "Cải cách
    # hành chính"), labelled with where it came from.
    page = _page(client, other.id, "?doan=2")
    assert TM_TARGET in page and "bộ nhớ: khớp hoàn toàn" in page


def test_the_keyboard_follows_the_languages_script(ws: Workspace) -> None:
    from broadcast.review.workbench import keyboard

    known = ws.station.language_registry()
    thai = [k.text for g in keyboard(known["blt"]) for k in g.keys]
    mong = [k.text for g in keyboard(known["hmn"]) for k in g.keys]
    assert "\uaa80" in thai and "\uaadf" in thai and "\uaac3" not in thai  # unassigned left out
    assert not any("\uaa80" <= c <= "\uaadf" for c in mong)  # Mông is Latin only
    assert {"đ", "ư", "ơ", "ô", "ê", "â", "ă", "\u0301", "\u0323"} <= set(mong)


def test_machine_translation_is_suggested_where_a_model_is_installed(
    ws: Workspace, script_id: int, tmp_path: Path
) -> None:
    """A tiny random-weight vi->blt test model (tests/argos_model.py: garbage output, not
    Thái) installed as 'broadcast mt install' does: the page offers its output, labelled."""
    from argos_model import build_argosmodel
    from helpers import run

    client = _client(ws, REVIEWER)
    url = f"/ban-dich/blt/{script_id}/goi-y?doan=5"
    assert "máy dịch argos" not in client.get(url).text
    package = build_argosmodel(tmp_path / "model" / "vi_blt.argosmodel")
    installed = run("-w", ws.root, "mt", "install", package)
    assert installed.exit_code == 0, installed.stderr
    offered = client.get(url).text
    assert re.search(r'<span class="diem">máy</span> máy dịch argos', offered), offered
    assert "Dùng gợi ý 1 (Alt+1)" in offered
