"""Throwaway PostgreSQL servers and a live site on them, for tests that stop databases.

`make test`'s server (bin/with-postgres) is shared by the whole suite, so tests that stop
a server, stream a replica or restore a backup work on a copy of it: `pg_basebackup`
of the test database's cluster (migrated, about a second), started on its own Unix
socket in a temporary directory, no TCP port. As root, the servers run as `postgres`
(PostgreSQL refuses root), as in bin/with-postgres.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


def pg_bin() -> Path | None:
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


class Server:
    """One PostgreSQL server: a copy (or a streaming replica) of a running one."""

    def __init__(self, directory: Path):
        self.directory = directory  # holds data/, the socket and server.log
        self.data = directory / "data"

    @classmethod
    def copy_of(cls, source_host: str, *, standby: bool = False) -> "Server":
        directory = Path(tempfile.mkdtemp(prefix="pithsite-pgcopy."))
        directory.chmod(0o755)
        if os.getuid() == 0:
            shutil.chown(directory, "postgres")
        server = cls(directory)
        server._run(
            pg_bin() / "pg_basebackup",
            f"--host={source_host}",
            "--username=postgres",
            f"--pgdata={server.data}",
            "--wal-method=stream",
            "--checkpoint=fast",
            *(["--write-recovery-conf"] if standby else []),
        )
        server.start()
        return server

    def _run(self, *command) -> None:
        result = subprocess.run(
            _as_postgres([str(part) for part in command]),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            log = self.directory / "server.log"
            raise RuntimeError(
                f"{command[0]} failed: {result.stderr}\n{log.read_text() if log.exists() else ''}"
            )

    def start(self) -> None:
        # Durable commits (a 2xx write must survive the crash a test causes); no fsync,
        # which guards only against the operating system going down.
        options = f"-k {self.directory} -c listen_addresses='' -c fsync=off"
        self._run(
            pg_bin() / "pg_ctl", "-D", self.data, "-l", self.directory / "server.log",
            "-w", "-o", options, "start",
        )  # fmt: skip

    def kill(self) -> None:
        """Stop as a crash does: no checkpoint, clients cut off (recovery on start)."""
        self._run(pg_bin() / "pg_ctl", "-D", self.data, "-m", "immediate", "stop")

    def destroy(self) -> None:
        subprocess.run(
            _as_postgres(
                [str(pg_bin() / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    @property
    def host(self) -> str:
        return str(self.directory)

    def url(self, database: str) -> str:
        return f"postgres:///{self.directory}/{database}"

    def connect(self, database: str) -> psycopg.Connection:
        return psycopg.connect(host=self.host, user="postgres", dbname=database, autocommit=True)


def django_env(**variables: str) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="pithsite.settings.test", **variables)
    return environment


def django_script(code: str, **variables: str) -> dict:
    """Run `code` in a fresh Django process on the given databases; it prints one JSON."""
    result = subprocess.run(
        [sys.executable, "-c", "import django, json\ndjango.setup()\n" + code],
        cwd=ROOT,
        env=django_env(**variables),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def manage(*arguments: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=django_env(**variables),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


class Site:
    """gunicorn serving the site on a free loopback port, the test settings."""

    def __init__(self, **variables: str):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "pithsite.wsgi", f"--bind=127.0.0.1:{self.port}",
             "--workers=1", "--threads=8", "--timeout=30", "--log-level=warning"],
            cwd=ROOT,
            env=django_env(**variables),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.request("GET", "/robots.txt")
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def request(self, method: str, path: str, *, body=None, headers=None, timeout=10):
        """(status, headers, body text); HTTP errors are answers too."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            data=data,
            method=method,
            headers={**({"Content-Type": "application/json"} if data else {}), **(headers or {})},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
