"""Soak: learners keep submitting and reading while the worker and Redis are killed.

    .venv/bin/python bench/soak.py [--duration 240] [--clients 20] [--database-url ...]

Loopback only, bounded by ``--duration``. Starts, on free ports: a redis-server of its own
(no persistence: a restart loses every queued task), gunicorn (``dlmath.wsgi``, 2 workers x 4
threads) and ``celery -A dlmath worker --concurrency 2``, on ``--database-url`` (migrated
and synced here). ``--clients`` learners each log in (session cookie for pages, a token for
the API) and loop: submit softmax (correct or not, at random), poll the verdict for up to
``--poll-for`` seconds while reading the course map and ``progress/me/``, then pause (mean
``--think`` s). Meanwhile, at fixed fractions of the run:

    20 %  the worker is SIGKILLed (its process group), restarted 5 s later
    45 %  Redis is SIGKILLed, restarted empty on the same port 5 s later
    65 %  the worker is SIGKILLed again, restarted 5 s later

Then it waits (``--drain``, default visibility timeout + requeue delay + 60 s) for every
accepted submission to get its verdict, and prints: submissions accepted (202), refused (503,
while Redis was down: the learner was told), graded, lost (accepted, never graded: must be 0),
whether each graded one was counted exactly once in progress, and latency percentiles
(p50/p95/p99) before the first fault, during the faults and after the last recovery: of
reads, of pages, of the submit request, and of a submission's verdict (created → graded, from
the database). Every process it started is stopped at exit, on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e import (
    ROOT,
    SOLUTION,
    VENV_BIN,
    bench_user,
    django_setup,
    free_port,
    manage,
    percentile,
    prepare_database,
    service_env,
    spawn,
    start_gunicorn,
    stop_children,
    token_for,
)
from load import Client, session_cookie

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dlmath_soak"
WRONG = "import numpy as np\n\ndef softmax(z):\n    return np.exp(z) / np.exp(z).sum()\n"
SUBMIT = "/api/v1/exercises/softmax/submissions/"
PENDING = {"queued", "running"}
PHASES = ("before", "during", "after")


@dataclass
class Timeline:
    """When each fault happened (seconds since the start of the run)."""

    start: float = field(default_factory=time.monotonic)
    events: list[tuple[float, str]] = field(default_factory=list)
    first_fault: float | None = None
    recovered: float | None = None  # the last restart, plus the worker's boot

    def now(self) -> float:
        return time.monotonic() - self.start

    def note(self, what: str) -> None:
        # The 1-minute load average too: these machines are shared, and it shows.
        what = f"{what}  (load average {os.getloadavg()[0]:.1f})"
        self.events.append((self.now(), what))
        print(f"  t={self.now():6.1f} s  {what}", flush=True)

    def phase(self, t: float) -> str:
        if self.first_fault is None or t < self.first_fault:
            return "before"
        if self.recovered is None or t < self.recovered:
            return "during"
        return "after"


@dataclass
class Record:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    accepted: dict[int, float] = field(default_factory=dict)  # id -> t of the submit

    def add(self, kind: str, phase: str, status: int, ms: float) -> None:
        with self.lock:
            self.statuses[(kind, phase, status)] += 1
            if status < 500:
                self.latencies[(kind, phase)].append(ms)


class Services:
    """Redis, gunicorn and the worker this run started, each killable on its own."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.redis_port = int(env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])
        self.redis: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.workers_started = 0

    def start_redis(self) -> None:
        args = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.redis = spawn(args, self.env, self.log_dir / "redis.log")
        deadline = time.monotonic() + 20
        import redis

        while time.monotonic() < deadline:
            try:
                redis.Redis(port=self.redis_port, socket_timeout=1).ping()
                return
            except redis.RedisError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def start_worker(self) -> None:
        args = [str(VENV_BIN / "celery"), "-A", "dlmath", "worker", "--concurrency", "2"]
        args += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
        self.workers_started += 1  # a log per worker: a restart must not truncate the last
        self.worker = spawn(args, self.env, self.log_dir / f"celery-{self.workers_started}.log")

    @staticmethod
    def kill(process: subprocess.Popen[bytes] | None) -> None:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def learner(
    index: int,
    pages: Client,
    api: Client,
    args: argparse.Namespace,
    timeline: Timeline,
    record: Record,
    stop: threading.Event,
) -> None:
    rng = random.Random(index)

    def timed(kind: str, client: Client, method: str, path: str, body: str | None = None):  # type: ignore[no-untyped-def]
        t = timeline.now()
        started = time.perf_counter()
        try:
            status, _, data = client.request(method, path, body=body)
        except OSError:
            status, data = 0, b""
        record.add(kind, timeline.phase(t), status, (time.perf_counter() - started) * 1000)
        return status, data

    while not stop.is_set():
        code = SOLUTION if rng.random() < 0.7 else WRONG
        t = timeline.now()
        status, data = timed("submit", api, "POST", SUBMIT, json.dumps({"code": code}))
        if status == 202:
            submission_id = json.loads(data)["id"]
            with record.lock:
                record.accepted[submission_id] = t
            polled_until = time.monotonic() + args.poll_for
            while not stop.is_set() and time.monotonic() < polled_until:
                time.sleep(0.5)
                status, data = timed("read", api, "GET", f"/api/v1/submissions/{submission_id}/")
                if status == 200 and json.loads(data)["status"] not in PENDING:
                    break
        timed("page", pages, "GET", "/learn/")
        timed("read", api, "GET", "/api/v1/progress/me/")
        stop.wait(rng.expovariate(1 / args.think))


def run_faults(services: Services, timeline: Timeline, duration: float, boot: float) -> None:
    """The schedule in the module docstring; returns once the last restart is done."""

    def at(fraction: float) -> None:
        time.sleep(max(0.0, fraction * duration - timeline.now()))

    at(0.20)
    timeline.first_fault = timeline.now()
    services.kill(services.worker)
    timeline.note("worker SIGKILLed")
    time.sleep(5)
    services.start_worker()
    timeline.note("worker restarted")
    at(0.45)
    services.kill(services.redis)
    timeline.note("Redis SIGKILLed (queue lost)")
    time.sleep(5)
    services.start_redis()
    timeline.note("Redis restarted, empty")
    at(0.65)
    services.kill(services.worker)
    timeline.note("worker SIGKILLed")
    time.sleep(5)
    services.start_worker()
    timeline.note("worker restarted")
    timeline.recovered = timeline.now() + boot


def summary(values: list[float]) -> str:
    if not values:
        return "           -"
    figures = "  ".join(f"{percentile(values, q):8.1f}" for q in (50, 95, 99))
    return f"{figures}  {max(values):8.1f}  (n={len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=240, help="seconds of load")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--think", type=float, default=2.0, help="mean pause, seconds")
    parser.add_argument("--poll-for", type=float, default=10.0, help="seconds to await a verdict")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--visibility-timeout", type=int, default=120, help="as deployed")
    parser.add_argument("--requeue-after", type=int, default=90, help="as deployed")
    parser.add_argument("--drain", type=float, help="seconds to await the last verdicts")
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/dlmath-bench-soak"))
    args = parser.parse_args()
    args.log_dir.mkdir(parents=True, exist_ok=True)
    drain = args.drain or args.visibility_timeout + args.requeue_after + 60

    env = service_env(args.database_url, f"redis://127.0.0.1:{free_port()}/0")
    env.update(
        CELERY_VISIBILITY_TIMEOUT=str(args.visibility_timeout),
        DLMATH_REQUEUE_AFTER=str(args.requeue_after),
        DLMATH_LOG_LEVEL="INFO",
    )
    services = Services(env, args.log_dir)
    try:
        services.start_redis()
        _ensure_database(args.database_url)
        prepare_database(env)
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():
            manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        url = start_gunicorn(env, workers=2, threads=4, log_dir=args.log_dir)
        booted = time.monotonic()
        services.start_worker()
        django_setup(env)
        from apps.sandbox.models import Submission

        # Logged in before the clock starts (a login hashes the password: ~0.3 s of CPU).
        users, pages, apis = [], [], []
        for index in range(args.clients):
            user, password = bench_user(f"soak-learner-{index:02d}")
            users.append(user)
            token = token_for(url, user.username, password)
            pages.append(Client(url, {"Cookie": session_cookie(url, user.username, password)}))
            apis.append(
                Client(url, {"Authorization": f"Token {token}", "Content-Type": "application/json"})
            )
        # The worker's first grading starts its zygotes: wait for one before timing anything.
        status, _, data = apis[0].request("POST", SUBMIT, json.dumps({"code": SOLUTION}))
        assert status == 202, data
        warm_id = json.loads(data)["id"]
        while Submission.objects.get(pk=warm_id).status in PENDING:
            time.sleep(0.2)
        boot = time.monotonic() - booted
        attempts_before = _attempts(users)
        print(
            f"services up (worker's first verdict {boot:.1f} s after it started); "
            f"{args.clients} learners for {args.duration:.0f} s",
            flush=True,
        )

        timeline = Timeline()
        record = Record()
        stop = threading.Event()
        clients = [
            threading.Thread(
                target=learner,
                args=(i, pages[i], apis[i], args, timeline, record, stop),
                daemon=True,
            )
            for i in range(args.clients)
        ]
        for thread in clients:
            thread.start()
        faults = threading.Thread(
            target=run_faults, args=(services, timeline, args.duration, boot), daemon=True
        )
        faults.start()
        time.sleep(max(0.0, args.duration - timeline.now()))
        stop.set()
        for thread in clients:
            thread.join(timeout=60)
        faults.join()
        timeline.note(f"load stopped; draining (up to {drain:.0f} s)")

        accepted = dict(record.accepted)
        deadline = time.monotonic() + drain
        while time.monotonic() < deadline:
            if not Submission.objects.filter(pk__in=accepted, status__in=PENDING).exists():
                break
            time.sleep(1)
        timeline.note("drained")
        report(accepted, record, timeline, users, attempts_before)
    finally:
        stop_children()
        Services.kill(services.worker)
        Services.kill(services.redis)


def _ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _attempts(users: list[Any]) -> int:
    from django.db.models import Sum

    from apps.progress.models import ExerciseProgress

    return ExerciseProgress.objects.filter(user__in=users).aggregate(n=Sum("attempts"))["n"] or 0


def report(
    accepted: dict[int, float],
    record: Record,
    timeline: Timeline,
    users: list[Any],
    attempts_before: int,
) -> None:
    from apps.progress.models import CountedSubmission
    from apps.sandbox.models import Submission

    rows = {s.pk: s for s in Submission.objects.filter(pk__in=accepted)}
    graded = {pk: s for pk, s in rows.items() if s.status not in PENDING}
    lost = sorted(set(accepted) - set(graded))
    verdicts = Counter(s.status for s in graded.values())
    attempts = _attempts(users) - attempts_before
    counted = CountedSubmission.objects.filter(submission_id__in=graded).count()
    refused = Counter(
        phase
        for (kind, phase, status), n in record.statuses.items()
        for _ in range(n)
        if kind == "submit" and status == 503
    )
    errors = {k: n for k, n in record.statuses.items() if k[2] not in (200, 202, 503)}
    runs = Counter(s.runs for s in graded.values())

    print("\nfaults:")
    for t, what in timeline.events:
        print(f"  t={t:6.1f} s  {what}")
    print(
        f"phases: before < {timeline.first_fault:.0f} s <= during < {timeline.recovered:.0f} s "
        "<= after (the last restart plus the worker's boot)"
    )
    print("\nsubmissions:")
    print(f"  accepted (202)        {len(accepted)}")
    print(f"  refused (503, told)   {sum(refused.values())}  {dict(refused)}")
    print(f"  graded                {len(graded)}  {dict(verdicts)}")
    print(f"  lost                  {len(lost)}  {lost[:20]}")
    print(
        f"  started twice or more {sum(n for r, n in runs.items() if r > 1)} (runs: {dict(runs)})"
    )
    print(
        f"  counted in progress   {attempts} attempts added, {counted} submissions marked "
        f"counted (each should equal graded: {len(graded)})"
    )
    print(f"  other responses       {errors or 'none'}")

    verdict_ms: dict[str, list[float]] = defaultdict(list)
    for pk, s in graded.items():
        ms = (s.finished_at - s.created_at).total_seconds() * 1000
        verdict_ms[timeline.phase(accepted[pk])].append(ms)
    print(f"\n  {'latency, ms':24} {'':6} {'p50':>8}  {'p95':>8}  {'p99':>8}  {'max':>8}")
    for label, kind in (
        ("reads (API GET)", "read"),
        ("pages (/learn/)", "page"),
        ("submit (POST)", "submit"),
    ):
        for phase in PHASES:
            print(f"  {label:24} {phase:6} {summary(record.latencies[(kind, phase)])}")
    for phase in PHASES:
        print(f"  {'verdict (created→graded)':24} {phase:6} {summary(verdict_ms[phase])}")
    if lost:
        raise SystemExit(f"{len(lost)} accepted submission(s) were never graded")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_children()
        raise SystemExit(130) from None
