"""gunicorn.conf.py: the production server settings the docs and the benchmark use."""

import runpy
import sys
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_ACCESS_LOG", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_defaults_suit_one_server(monkeypatch):
    conf = load(monkeypatch)
    assert conf["preload_app"] is True
    assert conf["timeout"] == 30
    assert conf["workers"] >= 3
    assert conf["accesslog"] is None  # off unless asked for


def test_access_log_never_carries_the_query_string(monkeypatch):
    conf = load(monkeypatch, GUNICORN_ACCESS_LOG="-")
    assert conf["accesslog"] == "-"
    # %(U)s is the path alone; %(r)s, %(q)s and %(a)s would carry searches and places.
    assert "%(U)s" in conf["access_log_format"]
    for leaky in ("%(r)s", "%(q)s", "%(a)s", "%(f)s"):
        assert leaky not in conf["access_log_format"]


def test_the_environment_decides(monkeypatch):
    conf = load(monkeypatch, WEB_CONCURRENCY="5", GUNICORN_BIND="0.0.0.0:9000")
    assert (conf["workers"], conf["bind"]) == (5, "0.0.0.0:9000")


def test_the_master_builds_the_place_index_before_forking(monkeypatch):
    from listings import geo

    built = []
    monkeypatch.setattr(geo, "preload", lambda: built.append(True))
    load(monkeypatch)["when_ready"](server=None)
    assert built == [True]


def test_the_master_serves_each_kind_of_page_once_before_forking(monkeypatch):
    from recovery_directory import warmup

    served = []
    monkeypatch.setattr(warmup, "warm_up", lambda: served.append(True))
    load(monkeypatch)["when_ready"](server=None)
    assert served == [True]


def test_workers_serve_their_requests_inside_one_deep_frame(monkeypatch):
    from gunicorn.util import load_class
    from gunicorn.workers.sync import SyncWorker as GunicornSyncWorker

    from recovery_directory.framestack import run_deep

    worker_class = load_class(load(monkeypatch)["worker_class"])
    assert issubclass(worker_class, GunicornSyncWorker)
    callers = []

    def loop(self):
        callers.append(sys._getframe(1).f_code)
        return "served"

    monkeypatch.setattr(GunicornSyncWorker, "run", loop)
    worker = worker_class.__new__(worker_class)  # no server to serve: only the loop runs
    assert worker.run() == "served"
    assert callers == [run_deep.__code__]
