"""Dashboard and progress reads at cohort scale, on a database filled by generate_load_data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dlmath_bench \\
        .venv/bin/python bench/scale.py [--runs 7] [--cohort-id N] [--username U]

Times (median of ``--runs``, after one warm-up) with query counts:
- the dashboard data: ``cohort_progress`` for a 200-learner cohort, and both CSV files;
- ``cohort_progress`` for cohorts of 10 / 200 / 1,000 learners (built inside a transaction
  that is rolled back), to show the query count does not grow with the cohort;
- ``progress_for_user`` for the learner with the most submissions.
Then EXPLAIN ANALYZE of each query issued, with the indexes (or sequential scans) serving it.

    .venv/bin/python bench/scale.py --workers 1,2,4 [--burst 120] \
        [--database-url postgres://postgres@127.0.0.1:5432/h21] [--redis-url redis://...]

instead measures grading throughput as Celery worker processes are added: for each count it
starts gunicorn (2 workers x 4 threads) and that many ``celery -A dlmath worker
--concurrency 1`` processes (one sandbox slot each) over Redis and PostgreSQL, warms every
worker's zygote, then ``--burst`` learners submit the softmax solution at once through the
API and follow it to the verdict as the exercise page does (``?wait=10``; past a web
process's limit of waiting requests, polling every 100 ms). Throughput is submissions /
(first created -> last stored), from the stored rows, next to the baseline and the load
average of the same run.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dlmath_bench"
SCAN = re.compile(r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: using| on) (\S+)")


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-scale-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlmath.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def measure(fn: Callable[[], Any], runs: int) -> tuple[float, int, list[str], Any]:
    """(median ms, queries per call, the SQL of one call, the last result)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: connection, caches, compiled querysets
    timings = []
    result = None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = fn()
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), len(captured), [q["sql"] for q in captured], result


def explain(sql: str) -> tuple[float, list[str]]:
    """(execution ms, 'Index Scan using x' / 'Seq Scan on t' nodes) of one query."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = [row[0] for row in cursor.fetchall()]
    execution = next(
        (float(line.split(":")[1].split()[0]) for line in plan if "Execution Time" in line), 0.0
    )
    nodes = []
    for line in plan:
        match = SCAN.search(line)
        if match:
            nodes.append(
                f"{match.group(1)} {'on' if 'Seq' in match.group(1) else 'using'} {match.group(2)}"
            )
    return execution, nodes


def print_plans(title: str, queries: list[str]) -> None:
    print(f"  plans, {title}:")
    for number, sql in enumerate(queries, 1):
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        execution, nodes = explain(sql)
        table = re.search(r'FROM "(\w+)"', sql)
        print(
            f"    q{number} FROM {table.group(1) if table else '?'}: {execution:.2f} ms in "
            f"PostgreSQL; {', '.join(dict.fromkeys(nodes)) or 'no table scans'}"
        )


def indexes(tables: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE tablename = ANY(%s) ORDER BY tablename, indexname",
            [tables],
        )
        rows = cursor.fetchall()
    print("indexes on the tables read:")
    for table, _, definition in rows:
        print(
            f"  {table}: {definition.split(' USING ')[0].replace('CREATE ', '')} "
            f"USING {definition.split(' USING ')[1]}"
        )


def start_workers(env: dict[str, str], count: int, log_dir: Path) -> None:
    from e2e import VENV_BIN, spawn

    for index in range(count):
        args = [
            str(VENV_BIN / "celery"),
            "-A",
            "dlmath",
            "worker",
            "--concurrency",
            "1",
            "--hostname",
            f"bench-scale-{count}-{index}@%h",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ]
        spawn(args, env, log_dir / f"celery-{count}-{index}.log")


def group_cpu_ms(groups: set[int]) -> dict[str, float]:
    """CPU (ms) so far of every live process in ``groups`` (process groups), with the children
    each has reaped (the zygote reaps its runs), split into web (gunicorn) and grading."""
    from e2e import processes_cpu_ms

    totals = {"web": 0.0, "grading": 0.0}
    for group, command, used in processes_cpu_ms():
        if group in groups:
            totals["web" if b"gunicorn" in command else "grading"] += used
    return totals


def worker_scaling(counts: list[int], burst_size: int, database_url: str, redis_url: str) -> None:
    """Grading throughput with 1, 2, 4... worker processes (see the module docstring)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from e2e import (
        _children,
        baseline_ms,
        bench_user,
        burst,
        django_setup,
        prepare_database,
        server_breakdown,
        service_env,
        start_gunicorn,
        stop_children,
        token_for,
    )

    log_dir = Path("/tmp/dlmath-bench-scale")
    log_dir.mkdir(parents=True, exist_ok=True)
    env = service_env(database_url, redis_url)
    base = baseline_ms(7)
    print(f"baseline (cold python -c, import numpy + softmax): {base:.1f} ms median")
    prepare_database(env)
    django_setup(env)
    _, password = bench_user("bench-scale-learner")
    rates = {}
    try:
        for count in counts:
            url = start_gunicorn(env, workers=2, threads=4, log_dir=log_dir)
            start_workers(env, count, log_dir)
            token = token_for(url, "bench-scale-learner", password)
            burst(url, token, 4 * count, 0.1)  # every worker's zygote started and self-tested
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            groups = {child.pid for child in _children}
            cpu_before = group_cpu_ms(groups)
            _, each, ids = burst(url, token, burst_size, 0.1, wait=10)
            cpu_after = group_cpu_ms(groups)
            span = server_breakdown(ids)["first created → last stored (not a median)"]
            rates[count] = burst_size / (span / 1000)
            web, grading = (
                (cpu_after[kind] - cpu_before[kind]) / burst_size for kind in ("web", "grading")
            )
            print(
                f"{count} worker process(es): {burst_size} submissions graded in {span:.0f} ms "
                f"(server side) = {rates[count]:.1f}/s = {rates[count] / rates[counts[0]]:.2f} x "
                f"{counts[0]} worker(s); per submission median {statistics.median(each):.0f} ms; "
                f"CPU per submission: grading (workers, zygotes, runs) {grading:.1f} ms, web "
                f"(submit, waits, polls every 100 ms past the waiting limit) {web:.1f} ms; "
                f"load average before: {load}"
            )
            stop_children()
            time.sleep(1)
    finally:
        stop_children()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", help="worker counts to measure grading with, e.g. 1,2,4")
    parser.add_argument("--burst", type=int, default=120, help="submissions at once (--workers)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    parser.add_argument("--cohort-id", type=int, help="default: the first 200-learner load cohort")
    parser.add_argument("--username", help="default: the learner with the most submissions")
    parser.add_argument("--no-plans", action="store_true")
    args = parser.parse_args()
    if args.workers:
        counts = [int(count) for count in args.workers.split(",")]
        worker_scaling(counts, args.burst, args.database_url, args.redis_url)
        return
    setup(args.database_url)

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.db.models import Count

    from apps.progress.exports import cohort_exercise_summary_csv, cohort_progress_csv
    from apps.progress.models import Cohort, Enrollment, ExerciseProgress
    from apps.progress.selectors import cohort_cells, cohort_progress, progress_for_user
    from apps.sandbox.models import Submission

    if connection.vendor != "postgresql":
        raise SystemExit("bench/scale.py measures PostgreSQL: set DATABASE_URL")
    user_model = get_user_model()
    submissions = Submission.objects.count()
    learners = user_model.objects.count()
    print(
        f"database: {connection.settings_dict['NAME']} on PostgreSQL "
        f"{connection.cursor().connection.info.server_version}: {learners} users, "
        f"{Enrollment.objects.count()} enrolments, {submissions} submissions, "
        f"{ExerciseProgress.objects.count()} exercise-progress rows"
    )
    if args.cohort_id:
        cohort = Cohort.objects.get(pk=args.cohort_id)
    else:
        cohort = (
            Cohort.objects.annotate(n=Count("enrollments"))
            .filter(n__gte=200)
            .order_by("name", "id")
            .first()
        )
        if cohort is None:
            raise SystemExit("no 200-learner cohort: run `manage.py generate_load_data` first")
    size = cohort.enrollments.count()

    def dashboard() -> Any:
        return cohort_progress(cohort=cohort)

    ms, queries, sql, progress = measure(dashboard, args.runs)
    print(
        f"dashboard data, cohort {cohort.pk} '{cohort.name}' ({size} learners, "
        f"{len(progress.exercises)} exercises), median of {args.runs}:"
    )
    print(f"  cohort_progress: {ms:.1f} ms, {queries} queries")
    csv_ms, csv_queries, _, text = measure(
        lambda: cohort_progress_csv(cohort_cells(cohort=cohort)), args.runs
    )
    print(
        f"  progress.csv (long format, the endpoint's work): {csv_ms:.1f} ms, "
        f"{csv_queries} queries, {len(text) / 1024:.0f} KiB"
    )
    summary_ms, summary_queries, _, summary = measure(
        lambda: cohort_exercise_summary_csv(cohort_progress(cohort=cohort)), args.runs
    )
    print(
        f"  exercise-summary.csv (the endpoint's work): {summary_ms:.1f} ms, "
        f"{summary_queries} queries, {len(summary) / 1024:.0f} KiB"
    )
    dashboard_sql = sql

    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.progress.models import Role
    from apps.progress.services import profile_ensure

    instructor, _ = user_model.objects.get_or_create(username="bench-scale-instructor")
    profile = profile_ensure(user=instructor, role=Role.INSTRUCTOR)
    if profile.role != Role.INSTRUCTOR:
        profile.role = Role.INSTRUCTOR
        profile.save(update_fields=["role"])
    client = Client()
    client.force_login(instructor)

    def page(cohort_id: int) -> tuple[float, int, int]:
        """(median ms, queries, status) of the dashboard page, rendered in-process."""
        client.get(f"/dashboard/{cohort_id}/")
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                status = client.get(f"/dashboard/{cohort_id}/").status_code
                timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), len(captured), status

    print("cohort size vs queries (temporary cohorts, rolled back):")
    pool = list(Enrollment.objects.exclude(cohort=cohort).values_list("user_id", flat=True)[:1000])
    for n in (10, 200, 1000):
        if len(pool) < n:
            print(f"  {n} learners: not enough learners in the database")
            continue
        with transaction.atomic():
            temp = Cohort.objects.create(name=f"bench scale {n}")
            Enrollment.objects.bulk_create(Enrollment(cohort=temp, user_id=u) for u in pool[:n])
            temp.instructors.add(instructor)
            t_ms, t_queries, _, _ = measure(lambda c=temp: cohort_progress(cohort=c), args.runs)
            p_ms, p_queries, p_status = page(temp.pk)
            print(
                f"  {n:>5} learners: cohort_progress {t_ms:.1f} ms, {t_queries} queries; "
                f"page /dashboard/<id>/ (in-process, {p_status}) {p_ms:.1f} ms, "
                f"{p_queries} queries"
            )
            transaction.set_rollback(True)

    if args.username:
        learner = user_model.objects.get(username=args.username)
        count = Submission.objects.filter(user=learner).count()
    else:
        top = Submission.objects.values("user_id").annotate(n=Count("id")).order_by("-n").first()
        if top is None:
            raise SystemExit("no submissions: run `manage.py generate_load_data` first")
        learner, count = user_model.objects.get(pk=top["user_id"]), top["n"]
    ms, queries, learner_sql, result = measure(lambda: progress_for_user(user=learner), args.runs)
    print(
        f"progress_for_user, {learner.username} ({count} submissions, "
        f"{result['exercises_passed']}/{result['exercises_total']} passed), "
        f"median of {args.runs}: {ms:.1f} ms, {queries} queries"
    )

    if not args.no_plans:
        print_plans("cohort_progress", dashboard_sql)
        print_plans("progress_for_user", learner_sql)
        indexes(
            [
                "progress_exerciseprogress",
                "progress_enrollment",
                "progress_moduleprogress",
                "progress_lessonprogress",
                "progress_activityday",
                "auth_user",
            ]
        )


if __name__ == "__main__":
    main()
