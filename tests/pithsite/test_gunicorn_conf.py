"""gunicorn.conf.py: workers from the CPU count unless WEB_CONCURRENCY says, no access log
(the app logs each request), gunicorn's own lines as JSON."""

import multiprocessing
import runpy
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
