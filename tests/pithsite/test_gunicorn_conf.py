"""gunicorn.conf.py: workers from the CPU count unless WEB_CONCURRENCY says, no access log
(the app logs each request), gunicorn's own lines as JSON."""

import multiprocessing
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_workers_follow_the_cpu_count(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    conf = runpy.run_path(str(CONF))
    assert conf["workers"] == multiprocessing.cpu_count() * 2 + 1


def test_web_concurrency_sets_the_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(CONF))["workers"] == 3


def test_requests_are_logged_once_by_the_app_and_gunicorn_speaks_json(monkeypatch):
    conf = runpy.run_path(str(CONF))
    assert conf["accesslog"] is None
    formatter = conf["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "pithsite.request_log.JsonFormatter"


def test_a_response_streaming_past_the_timeout_is_not_cut_short():
    """A hub's whole export streams for about a minute at a million citing papers: the
    worker that streams it must outlive gunicorn's `timeout` (here 2 s, the stream 4.5 s)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(CONF), "--timeout", "2",
         "--workers", "1", "--bind", f"127.0.0.1:{port}", "tests.pithsite.slow_stream:app"],
        cwd=CONF.parent, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            body = response.read()
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1].decode()
    assert body == b"".join(f"{number}\n".encode() for number in range(10))
    assert "WORKER TIMEOUT" not in log
