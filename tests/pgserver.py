"""A throw-away PostgreSQL server for the tests: initdb + pg_ctl in a temp dir, on a free port.

PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (which
Debian's `postgresql` package creates), with its data and socket in a folder that user owns.
The superuser has a password and every login goes over TCP with scram-sha-256, so the tests
see real password checks and real roles.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: Debian's versioned folder, else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    bindir: Path
    root: Path
    port: int
    password: str
    _as_user: list[str]

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, db: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        pw = self.password if password is None and user == "postgres" else password
        auth = f"{user}:{pw}" if pw else user
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{db}"

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self._as_user, *args], capture_output=True, text=True, check=check)

    def start(self) -> None:
        res = self._pg(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "120", "-l", str(self.root / "log"),
            "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
            " -c fsync=off -c max_connections=120 -c shared_buffers=32MB",
            "start", check=False,
        )  # fmt: skip
        if res.returncode != 0:
            log = (self.root / "log").read_text(errors="replace") if (self.root / "log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {res.stderr.strip()} {log[-2000:]}")

    def stop(self) -> None:
        self._pg(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop", check=False)

    def admin(self):
        """A psycopg autocommit connection as the superuser (CREATE DATABASE, roles)."""
        import psycopg

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", password=self.password, dbname="postgres",
            autocommit=True,
        )  # fmt: skip

    def create_database(self) -> str:
        name = "t_" + secrets.token_hex(6)
        with self.admin() as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return name


def start_server() -> PgServer:
    bindir = find_bindir()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl)")
    root = Path(tempfile.mkdtemp(prefix="recall-pg-"))
    as_user: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        import pwd

        pw = pwd.getpwnam("postgres")
        os.chown(root, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    root.chmod(0o700)
    password = secrets.token_hex(12)
    pwfile = root / "pw"
    pwfile.write_text(password + "\n")
    if as_user:
        os.chown(pwfile, pw.pw_uid, pw.pw_gid)
    server = PgServer(bindir, root, _free_port(), password, as_user)
    res = server._pg(
        str(bindir / "initdb"), "-D", str(server.data), "-U", "postgres", "--auth=scram-sha-256",
        f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", check=False,
    )  # fmt: skip
    if res.returncode != 0:
        raise RuntimeError(f"initdb failed: {res.stderr.strip()}")
    pwfile.unlink()
    server.start()
    return server


def remove(server: PgServer) -> None:
    server.stop()
    shutil.rmtree(server.root, ignore_errors=True)
