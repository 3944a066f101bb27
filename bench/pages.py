"""CPU per page, in process, and the pages under 20 clients with no think time (DESIGN.md).

    .venv/bin/python bench/pages.py [-n 40] [--duration 15] [--clients 20] [--profile PAGE]
        [--database-url postgres://postgres@127.0.0.1:5432/dlmath_pages] [--skip-load]

Against PostgreSQL (``--database-url``; created if missing, migrated, synced, and given a
200-learner cohort by ``generate_load_data --learners 200 --cohorts 1``) and Redis
(``--redis-url``, the cache and sessions, a database of its own), it measures the four pages
of the target, the course map, a lesson, an exercise page and the 200-learner instructor
dashboard:

1. In process, through Django's test client (the whole middleware stack, templates and
   queries, no network): the median CPU time of this process per request
   (``time.process_time``; PostgreSQL's and Redis's own CPU is not in it), and the queries
   and Redis commands (each a round trip) each page makes, after a warm-up (so caches
   filled on first view are warm, as they are on a site in use). Target: median CPU <= 8 ms
   per page.
2. Over loopback against gunicorn (2 workers x 8 threads), ``--clients`` clients cycling
   through the pages with no think time: median and p95 latency per page, and the CPU per
   response of the server (gunicorn's process group, from /proc) and of the load client
   (this process). Target: median <= 50 ms with 20 clients. The client shares the cores
   with the server: by default it is ``load.RawClient`` (keep-alive sockets, ~0.2-0.4 ms of
   CPU a response against ~0.6-0.8 ms with http.client, ``--http-client httplib``).

Both are printed against the DESIGN.md baseline measured in the same run (a cold ``python -c``
that imports numpy and runs the softmax solution), with the load average: the machine is
shared, so compare within one run. ``--profile PAGE`` prints where one page's CPU goes
(cProfile, cumulative) instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import e2e
from e2e import (
    ROOT,
    baseline_ms,
    django_setup,
    manage,
    percentile,
    prepare_database,
    service_env,
    start_gunicorn,
    stop_children,
    verdict,
)
from load import LOAD_COHORT, accounts, run_load, session_cookie

CPU_TARGET_MS = 8.0
MEDIAN_TARGET_MS = 50.0
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dlmath_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
LESSON = "/learn/probability/softmax-and-cross-entropy/"
EXERCISE = "/exercises/softmax/"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (gunicorn's master and
    workers: spawn() starts it in a session of its own), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, pgrp, ... utime (14th field), stime (15th).
        if int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def ensure_database(database_url: str) -> None:
    """Create the PostgreSQL database named in the URL if it does not exist."""
    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        if conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            return
        conn.execute(f'create database "{name}"')


def ensure_cohort(env: dict[str, str]) -> None:
    """A 200-learner cohort with a history (generate_load_data), unless there is one."""
    probe = (
        "import django; django.setup()\n"
        "from apps.progress.models import Cohort\n"
        f"print(Cohort.objects.filter(name={LOAD_COHORT!r}).exists())\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "dlmath.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if found != "True":
        manage(
            env,
            "generate_load_data",
            "--learners",
            "200",
            "--cohorts",
            "1",
            "--submissions",
            "20000",
        )


def pages(cohort_id: int) -> list[tuple[str, str, str]]:
    """(name, path, who) of the four pages of the target."""
    return [
        ("course map /learn/", "/learn/", "learner"),
        ("lesson softmax-and-cross-entropy", LESSON, "learner"),
        ("exercise page /exercises/softmax/", EXERCISE, "learner"),
        (
            f"dashboard /dashboard/{cohort_id}/ (200 learners)",
            f"/dashboard/{cohort_id}/",
            "teacher",
        ),
    ]


def clients(acc: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    logged_in = {}
    for who, (username, _) in (("learner", acc["learner"]), ("teacher", acc["instructor"])):
        client = Client()
        client.force_login(users.get(username=username))
        logged_in[who] = client
    return logged_in


def cpu_per_request(client: Any, path: str, n: int) -> tuple[float, float, int, int]:
    """(median CPU ms, median wall ms, queries, Redis commands) of ``n`` requests after a
    warm-up."""
    import redis
    from django.db import connection

    for _ in range(3):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    queries: list[str] = []

    def count(execute: Any, sql: str, *rest: Any) -> Any:
        queries.append(sql)
        return execute(sql, *rest)

    commands: list[object] = []
    real_execute = redis.Redis.execute_command

    def counted(self: Any, *args: Any, **options: Any) -> Any:
        commands.append(args[0])
        return real_execute(self, *args, **options)

    redis.Redis.execute_command = counted  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(count):
            client.get(path)
    finally:
        redis.Redis.execute_command = real_execute  # type: ignore[method-assign]
    cpus, walls = [], []
    for _ in range(n):
        wall, cpu = time.perf_counter(), time.process_time()
        client.get(path)
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return statistics.median(cpus), statistics.median(walls), len(queries), len(commands)


def profile_page(client: Any, path: str, n: int) -> None:
    for _ in range(3):
        client.get(path)
    # CPU time, not wall: on a shared machine wall time is mostly waiting for a core.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(30)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="requests per page, in process")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=8, help="gunicorn threads per worker (1: sync workers)"
    )
    parser.add_argument(
        "--http-client",
        choices=("raw", "httplib"),
        default="raw",
        help="the load client: keep-alive plain sockets (raw) or http.client",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--baseline-runs", type=int, default=7)
    parser.add_argument("--skip-load", action="store_true", help="only the in-process figures")
    parser.add_argument("--profile", metavar="PAGE", help="profile the page whose name has this")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/dlmath-bench-pages"))
    args = parser.parse_args()
    args.log_dir.mkdir(parents=True, exist_ok=True)

    env = service_env(args.database_url, args.redis_url)
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    ensure_database(args.database_url)
    prepare_database(env)
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    ensure_cohort(env)
    django_setup(env)
    acc = accounts()
    logged_in = clients(acc)
    targets = pages(acc["cohort_id"])
    if args.profile:
        for name, path, who in targets:
            if args.profile in name:
                profile_page(logged_in[who], path, args.n)
        return

    base = baseline_ms(args.baseline_runs)
    print(f"baseline (cold python -c, import numpy + softmax): {base:.1f} ms median")
    print(f"load average: {load_average()}")
    print(f"in process (Django test client), median of {args.n} after a warm-up:")
    for name, path, who in targets:
        cpu, wall, queries, commands = cpu_per_request(logged_in[who], path, args.n)
        print(
            f"  {name}: CPU {cpu:.2f} ms = {cpu / base:.4f} x baseline, wall {wall:.2f} ms, "
            f"{queries} queries, {commands} Redis commands (target CPU <= {CPU_TARGET_MS:.0f} ms) "
            f"{verdict(cpu <= CPU_TARGET_MS)}"
        )
    if args.skip_load:
        return
    try:
        url = start_gunicorn(env, args.workers, args.threads, args.log_dir)
        server_group = e2e._children[-1].pid
        lean = args.http_client == "raw"
        cookies = {
            "learner": {"Cookie": session_cookie(url, *acc["learner"])},
            "teacher": {"Cookie": session_cookie(url, *acc["instructor"])},
        }
        loaded = [(name, path, cookies[who]) for name, path, who in targets]
        run_load(url, loaded, args.clients, 2.0, lean=lean)  # warm every gunicorn thread
        print(f"load average: {load_average()}")
        server_before, client_before = group_cpu_seconds(server_group), time.process_time()
        timings, errors, elapsed = run_load(url, loaded, args.clients, args.duration, lean=lean)
        server_cpu = group_cpu_seconds(server_group) - server_before
        client_cpu = time.process_time() - client_before
        total = sum(len(t) for t in timings.values())
        print(
            f"{args.clients} clients, no think time, {elapsed:.1f} s against gunicorn "
            f"(--workers {args.workers} --threads {args.threads}, {args.http_client} client): "
            f"{total} responses, {total / elapsed:.0f}/s; load average {load_average()}"
        )
        if total:
            print(
                f"  CPU per response: server {server_cpu * 1000 / total:.2f} ms, load client "
                f"{client_cpu * 1000 / total:.2f} ms (PostgreSQL and Redis not counted)"
            )
        for name, values in timings.items():
            if not values:
                print(f"  {name}: no successful responses, {errors[name]} errors FAIL")
                continue
            median = statistics.median(values)
            print(
                f"  {name}: median {median:.1f} ms = {median / base:.3f} x baseline, "
                f"p95 {percentile(values, 95):.1f} ms, {len(values)} ok, {errors[name]} errors "
                f"(target median <= {MEDIAN_TARGET_MS:.0f} ms) "
                f"{verdict(median <= MEDIAN_TARGET_MS and not errors[name])}"
            )
    finally:
        stop_children()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_children()
        raise SystemExit(130) from None
