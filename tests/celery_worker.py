"""Start a real Celery worker (and beat) process against the test database and the real broker."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from celery import Celery
from django.conf import settings

from config.celery_app import app

PROJECT_DIR = Path(__file__).resolve().parent.parent


def test_database_url() -> str:
    """The URL of the database pytest-django made, for processes started by a test."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def service_environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": test_database_url()}
    env.update(extra)
    return env


@dataclass
class WorkerProcess:
    process: subprocess.Popen[bytes]
    queue: str
    nodename: str
    log_path: Path
    control: Celery = app  # the app whose broker reaches the worker

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _wait_until_ready(worker: WorkerProcess, timeout: float, control: Celery = app) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.process.returncode}:\n{worker.log()}")
        if control.control.ping(destination=[worker.nodename], timeout=0.5):
            return
    raise RuntimeError(f"the Celery worker did not answer within {timeout} s:\n{worker.log()}")


def start_worker(
    tmp_path: Path,
    *,
    queue: str | None = None,
    extra_args: tuple[str, ...] = (),
    environment: dict[str, str] | None = None,
    name: str | None = None,
    wait: bool = True,
) -> WorkerProcess:
    """``environment``: extra variables for the worker (e.g. its own ``REDIS_URL``, then it is
    pinged through that broker); ``name``: the node name before ``@localhost`` (default the queue);
    ``wait=False``: return at once (then ``wait_until_ready``), to start several in parallel."""
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    nodename = f"{name or queue}@localhost"
    log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "-Q",
        queue,
        "-n",
        nodename,
        "--loglevel=INFO",
        *extra_args,
    ]
    log_file = log_path.open("wb")
    environment = environment or {}
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=service_environment(**environment), stdout=log_file, stderr=subprocess.STDOUT
    )
    worker = WorkerProcess(process=process, queue=queue, nodename=nodename, log_path=log_path)
    worker.control = celery_app_for(environment["REDIS_URL"]) if "REDIS_URL" in environment else app
    if wait:
        wait_until_ready(worker)
    return worker


def wait_until_ready(worker: WorkerProcess, timeout: float = 60) -> None:
    _wait_until_ready(worker, timeout=timeout, control=worker.control)


def stop_process(process: subprocess.Popen[bytes], *, timeout: float = 15) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


@contextmanager
def running_worker(tmp_path: Path, **kwargs: object) -> Iterator[WorkerProcess]:
    worker = start_worker(tmp_path, **kwargs)  # type: ignore[arg-type]
    try:
        yield worker
    finally:
        stop_process(worker.process)


def wait_for(condition, *, timeout: float = 30, interval: float = 0.2, message: str = "condition"):  # type: ignore[no-untyped-def]
    """Poll `condition()` until it returns something truthy; return that or fail with `message`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


# --- Additions for the report jobs (issue 7): beat, an isolated broker, a killed worker ---------------


def isolated_redis_url() -> str:
    """``REDIS_URL`` with a database number of its own (``CELERY_TEST_REDIS_DB``, default 15), for
    workers started with a short visibility timeout: such a worker hands every message that has
    been unacknowledged longer than that back to its queue, in its whole Redis database, and must
    not do so to the long tasks of other workers (a development worker, another test run) on the
    usual database. Its queues are unique per test, so leftovers of earlier runs do no harm."""
    parsed = urlparse(os.environ["REDIS_URL"])
    return urlunparse(parsed._replace(path=f"/{os.environ.get('CELERY_TEST_REDIS_DB', '15')}"))


@cache
def celery_app_for(broker_url: str) -> Celery:
    """A Celery app of this project's configuration on another broker URL, to send to and ping
    workers started with that ``REDIS_URL``."""
    other = Celery("caseload-tests", set_as_current=False)
    other.config_from_object("django.conf:settings", namespace="CELERY")
    other.conf.broker_url = broker_url
    return other


@dataclass
class BeatProcess:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def start_beat(tmp_path: Path, *, environment: dict[str, str] | None = None) -> BeatProcess:
    """``celery beat`` with the project's DatabaseScheduler on the test database: it sends the
    enabled PeriodicTasks of that database. It checks its schedule every second."""
    log_path = tmp_path / f"beat-{uuid.uuid4().hex[:6]}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel=INFO",
        "--max-interval=1",
        f"--schedule={tmp_path / 'beat-schedule'}",
        f"--pidfile={tmp_path / f'beat-{uuid.uuid4().hex[:6]}.pid'}",
    ]
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=PROJECT_DIR,
        env=service_environment(**(environment or {})),
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    return BeatProcess(process=process, log_path=log_path)


@contextmanager
def running_beat(tmp_path: Path, **kwargs: object) -> Iterator[BeatProcess]:
    beat = start_beat(tmp_path, **kwargs)  # type: ignore[arg-type]
    try:
        yield beat
    finally:
        stop_process(beat.process)
