"""A throw-away PostgreSQL server for the tests of the PostgreSQL store (issue 16).

Why a private server and not the machine's own cluster: the tests must not depend on a
service being configured, must never touch real data, and must leave nothing behind. Each
``PgServer`` runs ``initdb`` into a fresh temporary folder (unique per server, so a leftover
server of a killed run never collides with a new one; in memory, /dev/shm, when there is
room: see ``default_base``), listens on a Unix socket in that
folder only (``listen_addresses=''``: no TCP port to clash over), trades durability for speed
(``fsync=off``, ``full_page_writes=off``, ``synchronous_commit=off``: the data is thrown away)
and is stopped with ``pg_ctl -m immediate`` before its folder is removed.

PostgreSQL refuses to run as root, so when the tests run as root (CI containers, this
machine) every server command runs as the ``postgres`` account through ``runuser`` and the
folder is handed to that account. The binaries are Debian's (``scripts/test`` installs the
``postgresql`` package when ``initdb`` is missing).

Databases are created and dropped through psycopg over the socket; a database can be cloned
from a template (``CREATE DATABASE x TEMPLATE y``), which is how the tests get a migrated
schema per test without migrating each time.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import psycopg
from psycopg import sql

USER = "broadcast_test"
"""The role ``initdb`` creates (a superuser): the tests create and drop databases as it."""

STORE_USER = "broadcast_store"
"""An ordinary role (no superuser, no BYPASSRLS, as a province would make with ``createuser``)
that owns every test database and that the store connects as: the store refuses a role
that row-level security does not apply to."""

SERVER_SETTINGS = {
    "listen_addresses": "",
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
}
"""Settings given on the command line; the socket directory is added per server."""

_SYSTEM_ACCOUNT = "postgres"
"""Debian's account for PostgreSQL: the server runs as it when the tests run as root."""


def find_bindir() -> Path | None:
    """The folder holding ``initdb``/``pg_ctl``, or None when PostgreSQL is not installed.

    Debian keeps the server binaries out of ``PATH`` in ``/usr/lib/postgresql/<major>/bin``;
    ``pg_config --bindir`` names it when the matching server is installed (pg_config comes
    from libpq-dev and may name a folder without ``initdb``), otherwise the newest major there
    is used, and last ``initdb`` on ``PATH``.
    """
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out and (Path(out) / "initdb").is_file():
                return Path(out)
    majors = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        version = initdb.parent.parent.name
        if re.fullmatch(r"\d+(\.\d+)?", version):
            majors.append((tuple(int(p) for p in version.split(".")), initdb.parent))
    if majors:
        return max(majors)[1]
    initdb_on_path = shutil.which("initdb")
    return Path(initdb_on_path).resolve().parent if initdb_on_path else None


SHM = Path("/dev/shm")
"""Where servers live when it is a big enough memory file system (see ``default_base``)."""


def default_base() -> Path | None:
    """The folder new servers are made in: ``/dev/shm`` when it has 1 GiB free, else the
    system's temporary folder (None).

    Measured on this machine: ``CREATE DATABASE`` takes 11-15 ms on /dev/shm and 300-500 ms
    on the disk-backed /tmp, even with ``fsync=off``; a test suite that makes a database per
    test cannot pay the second figure. The data is thrown away, so memory is the right place.
    """
    try:
        stat = os.statvfs(SHM)
    except OSError:
        return None
    writable = os.access(SHM, os.W_OK | os.X_OK)
    return SHM if writable and stat.f_bavail * stat.f_frsize >= 1 << 30 else None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` still runs; a zombie (exited, not yet reaped) counts as gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    # The state follows the command name in parentheses, which may itself hold spaces.
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


class PgServer:
    """One private PostgreSQL server in its own temporary folder.

    Use as a context manager, or ``start()`` … ``stop()``. ``url(name)`` gives a libpq URL
    (``postgresql://broadcast_test@/name?host=<socket folder>``) for psycopg or for
    ``BROADCAST_DATABASE_URL``.
    """

    def __init__(self, bindir: Path | None = None, base: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise RuntimeError(
                "Không tìm thấy PostgreSQL (initdb): cài bằng 'apt-get install postgresql' "
                "(scripts/test tự cài)."
            )
        self.bindir = found
        self._base = base if base is not None else default_base()
        self.folder: Path | None = None
        self.pid: int | None = None
        self._as_account = os.geteuid() == 0
        self._names = 0

    # -- paths --------------------------------------------------------------------------

    @property
    def data_dir(self) -> Path:
        """The cluster's data directory (inside the server's folder)."""
        return self._folder / "data"

    @property
    def socket_dir(self) -> Path:
        """Where the server's Unix socket lives: the folder itself (short path: sockets are
        limited to ~107 bytes)."""
        return self._folder

    @property
    def log_file(self) -> Path:
        """The server's log (``pg_ctl -l``), read when starting fails."""
        return self._folder / "server.log"

    @property
    def _folder(self) -> Path:
        if self.folder is None:
            raise RuntimeError("PgServer chưa khởi động: gọi start() trước.")
        return self.folder

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> PgServer:
        """initdb a new cluster in a new temporary folder and start it (waits until ready)."""
        if self.folder is not None:
            raise RuntimeError("PgServer đã chạy rồi.")
        self.folder = Path(tempfile.mkdtemp(prefix="broadcast-pg-", dir=self._base))
        try:
            if self._as_account:
                try:
                    account = pwd.getpwnam(_SYSTEM_ACCOUNT)
                except KeyError:
                    raise RuntimeError(
                        "PostgreSQL không chạy dưới quyền root và máy không có tài khoản "
                        f"'{_SYSTEM_ACCOUNT}': cài gói postgresql (scripts/test tự cài) hoặc "
                        "chạy bài kiểm thử bằng một tài khoản thường."
                    ) from None
                os.chown(self.folder, account.pw_uid, account.pw_gid)
            self._run(
                "initdb",
                "-D",
                str(self.data_dir),
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "-U",
                USER,
            )
            settings = {**SERVER_SETTINGS, "unix_socket_directories": str(self.socket_dir)}
            options = " ".join(f"-c {key}={shlex.quote(value)}" for key, value in settings.items())
            self._run(
                "pg_ctl",
                "-w",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.log_file),
                "-o",
                options,
                "start",
            )
            self.pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
            with self.connect() as conn:
                conn.execute(
                    sql.SQL("CREATE ROLE {} LOGIN CREATEDB").format(sql.Identifier(STORE_USER))
                )
        except BaseException:
            # A server that came up although pg_ctl gave up waiting must not outlive us.
            with contextlib.suppress(Exception):
                self.stop()
            self._discard()
            raise
        # A session that ends by an exception or Ctrl-C still stops its server.
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop the server at once (no checkpoint: the data is thrown away) and remove its
        folder. Safe to call twice."""
        if self.folder is None:
            return
        atexit.unregister(self.stop)
        pid_file = self.data_dir / "postmaster.pid"
        pid = self.pid
        if pid is None:  # start() failed after the server came up
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int(pid_file.read_text().split()[0])
        if pid_file.exists():
            # Not checked: a server that died on its own leaves a pid file pg_ctl refuses.
            self._run(
                "pg_ctl", "-w", "-D", str(self.data_dir), "-m", "immediate", "stop", check=False
            )
        # pg_ctl returns when the pid file is gone; the postmaster exits right after.
        deadline = time.monotonic() + 10
        while pid is not None and _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if pid is not None and _alive(pid):
            raise RuntimeError(
                f"Máy chủ PostgreSQL thử nghiệm (pid {pid}) không dừng; thư mục {self.folder} "
                "được giữ lại để xem server.log."
            )
        self._discard()

    def running(self) -> bool:
        """Whether ``pg_ctl status`` sees the server (exit code 0)."""
        if self.folder is None or not self.data_dir.exists():
            return False
        return self._run("pg_ctl", "-D", str(self.data_dir), "status", check=False) == 0

    def _discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None

    def __enter__(self) -> PgServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, program: str, *args: str, check: bool = True) -> int:
        """Run one server binary (as the ``postgres`` account when we are root)."""
        command = [str(self.bindir / program), *args]
        if self._as_account:
            command = ["runuser", "-u", _SYSTEM_ACCOUNT, "--", *command]
        result = subprocess.run(
            command,
            cwd=self._folder,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )
        if check and result.returncode != 0:
            log = ""
            with contextlib.suppress(OSError):
                log = self.log_file.read_text(errors="replace")[-2000:]
            raise RuntimeError(
                f"PostgreSQL: lệnh {program} thất bại (mã {result.returncode}).\n"
                f"{result.stdout}{result.stderr}{log}"
            )
        return result.returncode

    # -- databases ----------------------------------------------------------------------

    def url(self, database: str = "postgres", user: str = STORE_USER) -> str:
        """A libpq URL for ``database`` over this server's socket, as the store's ordinary
        role (``user=USER``: the superuser, for the harness's own work)."""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{user}@/{quote(database, safe='')}?host={host}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """An autocommit psycopg connection as the superuser (CREATE/DROP DATABASE refuse
        transactions)."""
        return psycopg.connect(self.url(database, USER), autocommit=True)

    def new_name(self, hint: str = "t") -> str:
        """A database name unique in this server: ``<hint>_<n>``, cut to PostgreSQL's 63 bytes."""
        self._names += 1
        clean = re.sub(r"[^a-z0-9_]+", "_", hint.lower()).strip("_") or "t"
        return f"{clean[:50]}_{self._names}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database ``name`` (empty, or a copy of ``template``); returns its URL.

        The template must have no open connection while it is copied (PostgreSQL refuses
        with ObjectInUse); ``seal_template`` makes sure of it. ``STRATEGY FILE_COPY``
        (PostgreSQL 15+) copies the files instead of writing them all to the WAL: measured
        26 ms instead of 47 ms for a clone of the store's baseline schema.
        """
        statement = sql.SQL("CREATE DATABASE {} OWNER {}").format(
            sql.Identifier(name), sql.Identifier(STORE_USER)
        )
        if template is not None:
            statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
        with self.connect() as conn:
            if conn.info.server_version >= 150000:
                statement = sql.SQL("{} STRATEGY FILE_COPY").format(statement)
            conn.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` even if a test left a connection open to it (``WITH (FORCE)``)."""
        with self.connect() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def close_connections(self, name: str) -> None:
        """End every session connected to ``name`` (e.g. a kept connection of the code that
        filled a template) so that the database can be copied or dropped."""
        with self.connect() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )

    def seal_template(self, name: str) -> None:
        """Make ``name`` a template nobody connects to any more: its open sessions are ended
        and new connections refused, so every later clone is a copy of the same state."""
        self.close_connections(name)
        with self.connect() as conn:
            conn.execute(
                sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false").format(
                    sql.Identifier(name)
                )
            )

    def databases(self) -> list[str]:
        """Names of the databases made by the tests (not postgres/template0/template1)."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT datname FROM pg_database "
                "WHERE datname NOT IN ('postgres', 'template0', 'template1') ORDER BY datname"
            ).fetchall()
        return [row[0] for row in rows]


def as_superuser(url: str) -> str:
    """The same database's URL as the harness's superuser (``USER``), for what an ordinary
    role may not do (``session_replication_role``, reading past row-level security)."""
    return url.replace(f"postgresql://{STORE_USER}@", f"postgresql://{USER}@", 1)


@contextlib.contextmanager
def database(server: PgServer, hint: str = "t", template: str | None = None) -> Iterator[str]:
    """A fresh database's URL for the duration of the ``with`` block, dropped afterwards."""
    name = server.new_name(hint)
    url = server.create_database(name, template)
    try:
        yield url
    finally:
        server.drop_database(name)


class PgTemplate:
    """A database filled once per session and then copied per test (fixture
    ``pg_template``): ``CREATE DATABASE … TEMPLATE`` costs tens of milliseconds where migrating
    a schema costs seconds. Call it for a new clone's URL; ``drop(url)`` removes the copy, and
    ``clone()`` is the ``with`` form that does both."""

    def __init__(self, server: PgServer, name: str) -> None:
        self.server = server
        self.name = name

    def __call__(self, hint: str = "clone") -> str:
        return self.server.create_database(self.server.new_name(hint), template=self.name)

    def drop(self, url: str) -> None:
        self.server.drop_database(unquote(urlsplit(url).path.lstrip("/")))

    @contextlib.contextmanager
    def clone(self, hint: str = "clone") -> Iterator[str]:
        url = self(hint)
        try:
            yield url
        finally:
            self.drop(url)
