"""Helpers that start real services for tests, and decide whether a missing one may skip.

CI sets AFTERGLOW_REQUIRE_SERVICES=1: then a missing chromium or PostgreSQL
fails the run instead of skipping, so a green CI always means they ran.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def services_required() -> bool:
    return os.environ.get("AFTERGLOW_REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    """Skip on a developer machine; fail where the services are required (CI)."""
    if services_required():
        pytest.fail(f"{reason} (AFTERGLOW_REQUIRE_SERVICES=1, so this may not skip)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_path() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None)


def postgres_bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)
    return versions[0].parent if versions else None


@dataclass
class PostgresCluster:
    """A throwaway cluster in a temp folder, on a free loopback port, fsync off."""

    bin_dir: Path
    root: Path
    port: int
    as_postgres_user: bool

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres_user:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start_server()

    def start_server(self) -> None:
        """Start (or restart, after stop_server) the server on the cluster's port."""
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    def stop_server(self, mode: str = "fast") -> None:
        """Stop the server, cutting every connection, and keep its data for start_server.

        "fast" writes out what was committed (synchronous_commit is off here, so an "immediate"
        stop would lose the last commits, which a production server would not).
        """
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def stop(self) -> None:
        try:
            self.stop_server("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_postgres() -> PostgresCluster:
    bin_dir = postgres_bin_dir()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        unavailable("PostgreSQL binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="afterglow-pg-"))
    if as_root:  # initdb refuses to run as root: hand the folder to the postgres user
        shutil.chown(root, "postgres", "postgres")
    cluster = PostgresCluster(bin_dir=bin_dir, root=root, port=free_port(), as_postgres_user=as_root)
    try:
        cluster.start()
    except subprocess.CalledProcessError as error:
        shutil.rmtree(root, ignore_errors=True)
        unavailable(f"could not start PostgreSQL: {error.stderr or error.stdout}")
    return cluster


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class LiveServer:
    """The real app behind werkzeug's threaded server, on SQLite migrated by Alembic."""

    def __init__(self, app, port: int):
        from werkzeug.serving import make_server

        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "LiveServer":
        self.thread.start()
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        self.server.shutdown()


@dataclass
class RedisServer:
    """Debian's redis-server on a free loopback port, nothing written to disk."""

    port: int
    process: subprocess.Popen

    def url(self, database: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def flush(self) -> None:
        import redis

        with redis.Redis(host="127.0.0.1", port=self.port) as client:
            client.flushall()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_redis() -> RedisServer:
    executable = shutil.which("redis-server")
    if executable is None:
        unavailable("Debian's redis-server is not installed: apt-get install redis-server")
    port = free_port()
    process = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
         "--logfile", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
    except TimeoutError:
        process.kill()
        unavailable(f"redis-server did not start on port {port}")
    return RedisServer(port, process)
