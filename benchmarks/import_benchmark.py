"""`import_dataset` against PostgreSQL's own COPY of the same CSV files (issue 16).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/caseload_bench \\
      .venv/bin/python -m benchmarks.import_benchmark --rows 1000000

Generates a dataset in the CSV contract of SPEC §6 with about ``--rows`` rows (time entries most
of them) into a temporary folder, then on a database of its own (``--database``, created and
migrated when missing, its case data emptied first):

1. the first import: ``manage.py import_dataset DIR`` in a child process into empty tables;
2. the re-import of the same files (changes nothing);
3. a COPY of the same files (psycopg ``COPY ... FROM STDIN``, what ``\\copy`` does) into unindexed
   tables with typed columns, one per file, in one transaction; best of three;

and prints each time, rows per second, the ratios to the COPY and the peak memory (maximum
resident set size) of each import process beside the size of the files. Wall times of the imports
include starting Django (about 1 s). Deterministic: the same ``--rows`` give the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import database_create, database_url

ROOT = Path(__file__).resolve().parent.parent
BASE_DAY = dt.date(2023, 1, 1)
APPROACHES = [f"Aanpak {number}" for number in range(1, 11)]
TEAM_SIZE = 20
CATEGORIES = ("client_direct", "client_direct", "client_direct", "client_indirect", "overhead")
OUTCOMES = ("work", "school", "startkwalificatie", "daytime_activity", "out_of_sight")
EDUCATION = ("vmbo-basis", "vmbo-kader", "mbo-2", "havo", "none", "")

# Typed columns of the COPY target, per file (no keys, no indexes: the floor a loader can reach).
COPY_COLUMNS = {
    "workers.csv": "worker_id text, name text, organisation text, team text, fte numeric, fte_from date",
    "youths.csv": "youth_id text, birth_date date, target_group text, education_level text, "
    "has_startkwalificatie boolean, complexity text, municipality text, referral_route text",
    "trajectories.csv": "trajectory_id text, youth_id text, worker_id text, approach text, start_date date, "
    "end_date date",
    "periods.csv": "trajectory_id text, phase text, role text, start_date date, end_date date, worker_id text",
    "time_entries.csv": "worker_id text, date date, minutes integer, category text, trajectory_id text",
    "outcomes.csv": "trajectory_id text, date date, outcome text",
}
# Case data the import writes, emptied before the first import (names stay: organisations etc.
# are emptied too, so the first import creates everything).
CASE_TABLES = (
    "cases_timeentry",
    "cases_costitem",
    "cases_followup",
    "cases_outcome",
    "cases_period",
    "cases_handover",
    "cases_trajectory_working_elements",
    "cases_trajectory",
    "cases_complexitychange",
    "cases_youth",
    "core_fteperiod",
    "core_worker",
)


@dataclass(frozen=True)
class Sizes:
    workers: int
    youths: int
    periods: int
    time_entries: int
    outcomes: int

    @classmethod
    def of_rows(cls, rows: int) -> Sizes:
        """About `rows` rows in all: 2% youths (one trajectory, three periods each), 1% outcomes,
        one worker (two fte rows) per 100 youths, the rest time entries."""
        youths = max(rows // 50, 20)
        workers = max(youths // 100, 2)
        outcomes = youths // 2
        periods = youths * 3
        time_entries = max(rows - 2 * workers - 2 * youths - periods - outcomes, 10)
        return cls(workers, youths, periods, time_entries, outcomes)

    @property
    def total(self) -> int:
        return 2 * self.workers + 2 * self.youths + self.periods + self.time_entries + self.outcomes


def _trajectory(number: int) -> tuple[dt.date, dt.date | None]:
    """Start and end of trajectory `number` (1-based): one per youth, a third still open."""
    start = BASE_DAY + dt.timedelta(days=(number * 7) % 900)
    end = None if number % 3 == 0 else start + dt.timedelta(days=200)
    return start, end


def dataset_write(directory: Path, sizes: Sizes) -> None:
    """Write the six required files of SPEC §6 (deterministic arithmetic, no randomness)."""

    with (directory / "workers.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["worker_id", "name", "organisation", "team", "fte", "fte_from"])
        for w in range(1, sizes.workers + 1):
            team = f"Team {(w - 1) // TEAM_SIZE + 1}"
            out.writerow([f"W{w}", f"Begeleider {w}", "Regio Import", team, "0.8", "2022-01-01"])
            out.writerow([f"W{w}", f"Begeleider {w}", "Regio Import", team, "1" if w % 4 else "0.6", "2025-03-01"])
    with (directory / "youths.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(
            [
                "youth_id",
                "birth_date",
                "target_group",
                "education_level",
                "has_startkwalificatie",
                "complexity",
                "municipality",
                "referral_route",
            ]
        )
        for y in range(1, sizes.youths + 1):
            complexity = "licht" if y % 10 < 6 else "meervoudig" if y % 10 < 9 else "complex"
            out.writerow(
                [
                    f"Y{y}",
                    (dt.date(2000, 1, 1) + dt.timedelta(days=(y * 37) % 3650)).isoformat(),
                    "Uitvallers" if y % 2 else "",
                    EDUCATION[y % len(EDUCATION)],
                    "true" if y % 7 == 0 else "false",
                    complexity,
                    f"Gemeente {y % 12}",
                    "school" if y % 3 else "self",
                ]
            )
    with (
        (directory / "trajectories.csv").open("w", newline="", encoding="utf-8") as trajectories_handle,
        (directory / "periods.csv").open("w", newline="", encoding="utf-8") as periods_handle,
        (directory / "outcomes.csv").open("w", newline="", encoding="utf-8") as outcomes_handle,
    ):
        trajectories = csv.writer(trajectories_handle, lineterminator="\n")
        trajectories.writerow(["trajectory_id", "youth_id", "worker_id", "approach", "start_date", "end_date"])
        periods = csv.writer(periods_handle, lineterminator="\n")
        periods.writerow(["trajectory_id", "phase", "role", "start_date", "end_date", "worker_id"])
        outcomes = csv.writer(outcomes_handle, lineterminator="\n")
        outcomes.writerow(["trajectory_id", "date", "outcome"])
        for t in range(1, sizes.youths + 1):
            start, end = _trajectory(t)
            worker = f"W{t % sizes.workers + 1}"
            trajectories.writerow(
                [f"T{t}", f"Y{t}", worker, APPROACHES[t % 10], start.isoformat(), end.isoformat() if end else ""]
            )
            intake_end = start + dt.timedelta(days=30)
            coaching_end = start + dt.timedelta(days=150)
            periods.writerow([f"T{t}", "intake", "regie", start, intake_end, ""])
            periods.writerow(
                [f"T{t}", "begeleiding", "coaching" if t % 2 else "uitvoering", intake_end, coaching_end, ""]
            )
            periods.writerow([f"T{t}", "nazorg", "monitoring", coaching_end, end.isoformat() if end else "", ""])
            if t <= sizes.outcomes:
                outcomes.writerow([f"T{t}", start + dt.timedelta(days=120), OUTCOMES[t % len(OUTCOMES)]])
    with (directory / "time_entries.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["worker_id", "date", "minutes", "category", "trajectory_id"])
        for e in range(sizes.time_entries):
            t = e % sizes.youths + 1
            category = CATEGORIES[e % len(CATEGORIES)]
            start, _end = _trajectory(t)
            day = start + dt.timedelta(days=(e // sizes.youths) % 150)
            worker = f"W{t % sizes.workers + 1}"
            trajectory = f"T{t}" if category != "overhead" else ""
            out.writerow([worker, day.isoformat(), 15 + (e * 13) % 120, category, trajectory])


@dataclass(frozen=True)
class Run:
    seconds: float  # the import itself, inside the child (without starting Python and Django)
    wall_seconds: float  # the child process from start to end
    max_rss_mb: float  # peak resident memory of the child
    base_rss_mb: float  # the child's resident memory after starting Django, before the import
    output: str


def _child(directory: Path) -> None:
    """In the child: start Django, then time `import_dataset DIR` alone."""
    import resource
    from io import StringIO

    import django

    django.setup()
    from django.core.management import call_command

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = StringIO()
    started = time.perf_counter()
    call_command("import_dataset", str(directory), stdout=out)
    seconds = time.perf_counter() - started
    print(out.getvalue(), end="")
    print(f"BENCHMARK seconds={seconds} base_rss_kib={base}")


def import_run(url: str, directory: Path) -> Run:
    """`import_dataset DIR` in a child process; its own peak memory from wait4."""
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.import_benchmark", "--child", str(directory)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall_seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0 or "BENCHMARK " not in output:
        raise SystemExit(f"import_dataset failed:\n{output[-5000:]}")
    output, _, measured = output.rpartition("BENCHMARK ")
    values = dict(part.split("=") for part in measured.split())
    # ru_maxrss is in KiB on Linux.
    return Run(
        float(values["seconds"]), wall_seconds, usage.ru_maxrss / 1024, int(values["base_rss_kib"]) / 1024, output
    )


def copy_run(url: str, directory: Path) -> float:
    """COPY every file into a fresh unindexed table of typed columns, in one transaction."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as connection:
        for name, columns in COPY_COLUMNS.items():
            table = "import_bench_" + name.removesuffix(".csv")
            connection.execute(f"DROP TABLE IF EXISTS {table}")
            connection.execute(f"CREATE TABLE {table} ({columns})")
            with (
                (directory / name).open("rb") as handle,
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy,
            ):
                while block := handle.read(1 << 20):
                    copy.write(block)
        connection.commit()
    seconds = time.perf_counter() - started
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        for name in COPY_COLUMNS:
            connection.execute(f"DROP TABLE IF EXISTS import_bench_{name.removesuffix('.csv')}")
    return seconds


def database_prepare(url: str) -> None:
    """Migrate, then empty the case data and the names, so the first import starts from nothing."""
    import psycopg

    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0"], cwd=ROOT, env=environment, check=True
    )
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        tables = [
            *CASE_TABLES,
            "cases_approach_working_elements",
            "cases_approach",
            "cases_targetgroup",
            "cases_municipality",
            "cases_workingelement",
            "core_team",
        ]
        connection.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        connection.execute("VACUUM ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in all files together (about)")
    parser.add_argument(
        "--database", default="caseload_import_bench", help="database name on the DATABASE_URL server (emptied)"
    )
    parser.add_argument("--keep", type=Path, help="write the files here and keep them (default: a temp folder)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    if args.database in ("caseload", "test_caseload"):
        raise SystemExit(f"{args.database} is not a benchmark database: its data would be emptied")
    url = database_url(os.environ.get("DATABASE_URL", ""), args.database)
    database_create(url)

    sizes = Sizes.of_rows(args.rows)
    with tempfile.TemporaryDirectory(prefix="import_bench_") as temporary:
        directory = args.keep or Path(temporary)
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        dataset_write(directory, sizes)
        megabytes = sum((directory / name).stat().st_size for name in COPY_COLUMNS) / 2**20
        print(
            f"Dataset: {sizes.total:,} rows ({sizes.workers} workers, {sizes.youths:,} youths and trajectories, "
            f"{sizes.periods:,} periods, {sizes.time_entries:,} time entries, {sizes.outcomes:,} outcomes), "
            f"{megabytes:.1f} MB, written in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        database_prepare(url)
        first = import_run(url, directory)
        print(f"first import   {first.seconds:8.1f} s  peak {first.max_rss_mb:6.0f} MB", flush=True)
        print(f"(a child process with Django started holds {first.base_rss_mb:.0f} MB before importing)")
        again = import_run(url, directory)
        print(f"re-import      {again.seconds:8.1f} s  peak {again.max_rss_mb:6.0f} MB", flush=True)
        # COPY moves most with the load of a shared machine: its best of three is the yardstick.
        copy_times = [copy_run(url, directory) for _ in range(3)]
        copy_seconds = min(copy_times)
        print(
            f"COPY           {copy_seconds:8.1f} s  (best of {', '.join(f'{t:.2f}' for t in copy_times)})", flush=True
        )
        print()
        print(
            f"{'run':<14}{'seconds':>9}{'rows/s':>10}{'x COPY':>8}{'process s':>11}{'peak MB':>9}{'x files':>9}"
            f"{'growth MB':>11}{'x files':>9}"
        )
        for label, run in (("first import", first), ("re-import", again)):
            growth = run.max_rss_mb - run.base_rss_mb
            print(
                f"{label:<14}{run.seconds:9.1f}{sizes.total / run.seconds:10,.0f}"
                f"{run.seconds / copy_seconds:8.1f}{run.wall_seconds:11.1f}{run.max_rss_mb:9.0f}"
                f"{run.max_rss_mb / megabytes:9.1f}{growth:11.0f}{growth / megabytes:9.1f}"
            )
        print(f"{'COPY':<14}{copy_seconds:9.1f}{sizes.total / copy_seconds:10,.0f}{1:8.1f}")
        print()
        print("re-import output:", *again.output.strip().splitlines(), sep="\n  ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
