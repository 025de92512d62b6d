"""`broadcast backup` / `broadcast restore`: one archive, restored and verified.

A backup taken while a real mix job runs in a WorkerPool restores into a workspace whose
database passes SQLite's integrity check and whose re-plan equals the plan it holds; a
hostile or damaged archive (names leaving the folder, links, a changed byte) is refused and
leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import time
from pathlib import Path

import pytest
from helpers import run
from render_support import SLUG, store_script
from schedule_fixtures import add_render, add_script, grid_workspace, open_db, translate

from broadcast.backup import backup_workspace, restore_workspace
from broadcast.errors import InputError, StoreError, WorkspaceError
from broadcast.jobs import get, submit
from broadcast.jobs.workers import WorkerPool
from broadcast.model.jobs import JobKind, JobState
from broadcast.store import schedule as schedule_store
from broadcast.store.people import first_admin
from broadcast.store.snapshot import integrity_problems
from broadcast.store.workspace import Workspace, find_workspace


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = grid_workspace(tmp_path_factory.mktemp("backup") / "ws")
    with open_db(root) as db:
        one = add_script(db, "mot-cua", vi_seconds=90.0, title="Một cửa, liên thông")
        translate(db, one, "blt", approve=True)
        add_render(db, one, "blt", 100.0)
        add_script(db, "dich-vu-cong", vi_seconds=60.0)
    store_script(root)  # a real script for the mix job
    for args in (
        ["mot-cua", "--from", "2026-03-02", "--to", "2026-03-31", "--min-plays", "3"],
        ["dich-vu-cong", "--from", "2026-03-02", "--to", "2026-03-08", "--priority", "priority"],
    ):
        added = run("-w", root, "schedule", "add", *args)
        assert added.exit_code == 0, added.stderr
    planned = run("-w", root, "schedule", "plan", "--from", "2026-03-02", "--days", "14")
    assert planned.exit_code == 0, planned.stderr
    (root / "glossary" / "tram.csv").write_text("vi,blt\nxã,[blt] xã\n", encoding="utf-8")
    (root / ".cache").mkdir(exist_ok=True)
    (root / ".cache" / "nhap.wav").write_bytes(b"cache")
    return find_workspace(root)


def test_a_backup_taken_during_a_mix_job_restores_with_the_same_plan(
    ws: Workspace, tmp_path: Path
) -> None:
    with ws.open_db() as db:
        admin = first_admin(db)
        assert admin is not None
        original = schedule_store.load_plan(db, *schedule_store.plan_range(db))  # type: ignore[misc]
    job_id = submit(ws, JobKind.MIX, {"script": SLUG}, admin)
    with WorkerPool(ws, workers=1):
        deadline = time.monotonic() + 30
        while get(ws, job_id).state is not JobState.RUNNING:
            assert time.monotonic() < deadline, get(ws, job_id)
            time.sleep(0.02)
        taken = backup_workspace(ws, tmp_path)
        during = get(ws, job_id).state
        while not get(ws, job_id).state.finished:
            assert time.monotonic() < deadline + 60
            time.sleep(0.05)
    assert get(ws, job_id).state is JobState.DONE
    assert during is JobState.RUNNING  # the backup was taken while the mix job wrote
    assert taken.path.parent == tmp_path and taken.path.name.endswith(".tar.gz")

    with tarfile.open(taken.path) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert names[-1] == "manifest.json"
    assert {"broadcast.db", "station.toml", "glossary/tram.csv"} <= set(manifest["files"])
    assert not [n for n in names if n.startswith((".cache", ".web", ".staging"))]
    assert not [n for n in names if n.endswith(("-wal", "-shm"))]

    restored = restore_workspace(taken.path, tmp_path / "moi")
    assert restored.files == len(manifest["files"])
    assert integrity_problems(restored.workspace.db_path) == []
    assert restored.plan_days is not None and restored.plan_slots == len(original) > 0
    assert restored.plan_same, restored.plan_differences
    with restored.workspace.open_db() as db:
        again = schedule_store.load_plan(db, *restored.plan_days)
    assert again == original  # the restore compared without replacing the stored plan
    copied = restored.workspace.root / "glossary" / "tram.csv"
    assert copied.read_text(encoding="utf-8") == "vi,blt\nxã,[blt] xã\n"
    assert restored.workspace.station.name == ws.station.name
    # The mix job was running in the snapshot: the copy has no queue for it, so it is closed.
    assert restored.jobs_closed == 1
    closed = get(restored.workspace, job_id)
    assert closed.state is JobState.FAILED and closed.error and "sao lưu" in closed.error


def test_restore_refuses_an_existing_workspace_or_a_folder_in_use(
    ws: Workspace, tmp_path: Path
) -> None:
    taken = backup_workspace(ws, tmp_path / "a.tar.gz")
    with pytest.raises(WorkspaceError, match="đã là một không gian làm việc"):
        restore_workspace(taken.path, ws.root)
    busy = tmp_path / "dang-dung"
    busy.mkdir()
    (busy / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="đã có nội dung"):
        restore_workspace(taken.path, busy)
    assert [p.name for p in busy.iterdir()] == ["ghi-chu.txt"]
    with pytest.raises(InputError, match="đã có"):
        backup_workspace(ws, taken.path)  # never overwrites an earlier backup
    with pytest.raises(InputError, match="ra ngoài thư mục làm việc"):
        backup_workspace(ws, ws.root / "out")


def _rebuilt(
    source: Path,
    dest: Path,
    *,
    extra: tarfile.TarInfo | None = None,
    data: bytes = b"",
    change: str | None = None,
    swap: tuple[str, bytes] | None = None,
) -> Path:
    """A copy of a backup with one hostile member added (listed in the manifest, so only
    the name or type check can refuse it), one member's bytes changed behind the
    manifest's back, or one member swapped for other bytes with a manifest to match."""
    with tarfile.open(source) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    manifest = json.loads(members[-1][1])
    body = members[:-1]
    if swap is not None:
        name, content = swap
        body = [(m, content if m.name == name else b) for m, b in body]
        for m, _ in body:
            if m.name == name:
                m.size = len(content)
        manifest["files"][name] = {
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        }
    if change is not None:
        body = [(m, b + b"!" if m.name == change else b) for m, b in body]
        for m, _ in body:
            if m.name == change:
                m.size += 1
                manifest["files"][change]["size"] += 1
    if extra is not None:
        manifest["files"][extra.name] = {
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }
        body.append((extra, data))
    with tarfile.open(dest, "w:gz") as tar:
        for member, content in body:
            tar.addfile(member, io.BytesIO(content) if member.isreg() else None)
        raw = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(raw)
        tar.addfile(info, io.BytesIO(raw))
    return dest


def _member(name: str, kind: bytes = tarfile.REGTYPE, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = size
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    return info


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_member("../ngoai.txt", size=2), "không an toàn"),
        (_member("/tmp/tuyet-doi.txt", size=2), "không an toàn"),
        (_member("out/../../ngoai.txt", size=2), "không an toàn"),
        (_member("out/lien-ket", tarfile.SYMTYPE), "không phải tệp thường"),
        (_member("out/cung", tarfile.LNKTYPE), "không phải tệp thường"),
    ],
)
def test_restore_refuses_hostile_members_and_leaves_nothing(
    ws: Workspace, tmp_path: Path, member: tarfile.TarInfo, message: str
) -> None:
    taken = backup_workspace(ws, tmp_path / "goc.tar.gz")
    hostile = _rebuilt(
        taken.path, tmp_path / "xau.tar.gz", extra=member, data=b"xx" if member.isreg() else b""
    )
    target = tmp_path / "moi"
    with pytest.raises(InputError, match=message):
        restore_workspace(hostile, target)
    assert not target.exists()
    assert not (tmp_path.parent / "ngoai.txt").exists() and not (tmp_path / "ngoai.txt").exists()


def test_restore_refuses_a_changed_byte(ws: Workspace, tmp_path: Path) -> None:
    taken = backup_workspace(ws, tmp_path / "goc.tar.gz")
    damaged = _rebuilt(taken.path, tmp_path / "hong.tar.gz", change="station.toml")
    with pytest.raises(InputError, match="SHA-256"):
        restore_workspace(damaged, tmp_path / "moi")
    assert not (tmp_path / "moi").exists()
    not_backup = tmp_path / "khac.tar.gz"
    not_backup.write_bytes(b"not a tar")
    with pytest.raises(InputError, match="Không đọc được"):
        restore_workspace(not_backup, tmp_path / "moi")


def test_cli_backup_and_restore(ws: Workspace, tmp_path: Path) -> None:
    made = run("-w", ws.root, "backup", tmp_path)
    assert made.exit_code == 0, made.stderr
    assert "Đã sao lưu" in made.stdout
    archive = next(tmp_path.glob("sao-luu-*.tar.gz"))
    back = run("restore", archive, tmp_path / "moi")
    assert back.exit_code == 0, back.stderr
    assert "integrity_check: ok" in back.stdout and "cho đúng lịch đã lưu" in back.stdout
    again = run("restore", archive, tmp_path / "moi")
    assert again.exit_code != 0 and "không gian làm việc" in again.stderr
    added = run("-w", ws.root, "user", "add", "xem", "--name", "Người Xem", "--role", "viewer")
    assert added.exit_code == 0, added.output
    refused = run("-w", ws.root, "--as", "xem", "backup", tmp_path / "x.tar.gz")
    assert refused.exit_code == 2 and not (tmp_path / "x.tar.gz").exists()


def test_restore_refuses_a_database_that_fails_its_integrity_check(
    ws: Workspace, tmp_path: Path
) -> None:
    taken = backup_workspace(ws, tmp_path / "goc.tar.gz")
    with tarfile.open(taken.path) as tar:
        db = bytearray(tar.extractfile("broadcast.db").read())  # type: ignore[union-attr]
    page = 4096
    assert len(db) > 8 * page
    db[3 * page : 6 * page] = bytes(range(256)) * (3 * page // 256)  # pages torn mid-file
    broken = _rebuilt(taken.path, tmp_path / "hong.tar.gz", swap=("broadcast.db", bytes(db)))
    with pytest.raises(StoreError, match="không toàn vẹn"):
        restore_workspace(broken, tmp_path / "moi")
    assert not (tmp_path / "moi").exists()


@pytest.mark.postgres
def test_a_station_on_postgresql_is_not_backed_up_without_its_records(
    tmp_path: Path, pg_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its records are in the province's database, not in broadcast.db: the archive would
    miss them, so the command says who backs them up instead, and writes nothing."""
    monkeypatch.setenv("BROADCAST_DATABASE_URL", pg_store_url)
    root = tmp_path / "dai"
    made = run("init", root, "--station", "Đài xã", "--commune", "Mường La", "--province", "Sơn La")
    assert made.exit_code == 0, made.output
    assert not (root / "broadcast.db").exists()
    dest = tmp_path / "sao-luu"
    dest.mkdir()
    result = run("-w", root, "backup", str(dest))
    assert result.exit_code != 0
    assert "pg_dump" in result.stderr and "PostgreSQL" in result.stderr, result.stderr
    assert "postgresql://" not in result.stderr, "the URL (and any password) is not shown"
    assert list(dest.iterdir()) == []
