"""Start a real Celery worker process against the test database and the real broker."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _wait_until_ready(worker: WorkerProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.process.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {worker.process.returncode}:\n{worker.log()}")
        if app.control.ping(destination=[worker.nodename], timeout=0.5):
            return
    raise RuntimeError(f"the Celery worker did not answer within {timeout} s:\n{worker.log()}")


def start_worker(tmp_path: Path, *, queue: str | None = None, extra_args: tuple[str, ...] = ()) -> WorkerProcess:
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    nodename = f"{queue}@localhost"
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
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=service_environment(), stdout=log_file, stderr=subprocess.STDOUT
    )
    worker = WorkerProcess(process=process, queue=queue, nodename=nodename, log_path=log_path)
    _wait_until_ready(worker, timeout=60)
    return worker


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
