"""End-to-end grading latency over HTTP against the DESIGN.md baseline.

    .venv/bin/python bench/e2e.py [-n 30] [--burst 50] [--wait 10] [--url http://127.0.0.1:8000]

Submit → Celery over Redis → sandbox → grade → store → fetch, through the real services:
gunicorn (``dlmath.wsgi``) and a Celery worker (``--concurrency 2``) on PostgreSQL and Redis.
Unless ``--url`` is given it starts both itself, on a free port, against its own database
(``--database-url``, migrated and synced here) and its own Redis database number (so no
other worker on the machine takes its tasks), and stops them at exit, Ctrl-C or error.
With ``--url`` the server and a worker must already run against ``--database-url``.

Measures the baseline first (a cold ``python -c`` that imports numpy and runs the reference
softmax on a 64×10 array), then N correct submissions one after another followed to their
verdict three ways: polled every ~5 ms; waited for (``GET ...?wait=``, which the server
holds until the status changes; a server that answers at once is polled every ``--poll``
seconds instead, so the same script measures a server without waiting); and submitted with
``POST ...?wait=``, which the server holds until the verdict (one request). Then ``--burst``
submissions at once, waited for. Prints medians, p95 and ratios against the baseline, with
PASS/FAIL for the target (median ≤ 0.3 × baseline), and, when it started the services, the
CPU each sequential submission cost each side: web (gunicorn), worker (Celery), sandbox
(zygotes and runs), PostgreSQL (this database's backends) and this client.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
SOLUTION_PATH = ROOT / "apps/curriculum/content/probability/exercises/softmax/solution.py"
SOLUTION = SOLUTION_PATH.read_text()
BASELINE_SCRIPT = SOLUTION + "\nz = np.random.default_rng(0).normal(size=(64, 10))\nsoftmax(z)\n"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/dlmath_bench"
# A Redis database of its own: another worker on this machine must not pick up our tasks.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
MEDIAN_TARGET = 0.3  # issue 21 (was 1.0)
PENDING = {"queued", "running"}
EXERCISE = "softmax"

_children: list[subprocess.Popen[bytes]] = []


def verdict(passed: bool) -> str:
    return "PASS" if passed else "FAIL"


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def baseline_ms(runs: int) -> float:
    """Median wall time of a cold interpreter that imports numpy and runs the solution."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", BASELINE_SCRIPT], check=True)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


# --- services --------------------------------------------------------------------------


def service_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DLMATH_SUBMISSION_RATE="100000/min",
        DLMATH_LOGIN_RATE="100000/min",
        DLMATH_LOG_LEVEL=env.get("DLMATH_LOG_LEVEL", "WARNING"),
    )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_children() -> None:
    """Stop every process group we started: TERM, then KILL whatever is left."""
    for child in _children:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for child in _children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    _children.clear()


def _on_sigterm(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


atexit.register(stop_children)
signal.signal(signal.SIGTERM, _on_sigterm)


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own, so stop_children() can signal the whole tree (gunicorn and
    # celery fork workers) without touching anything else.
    handle = log.open("wb")
    child = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    _children.append(child)
    return child


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare_database(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "sync_curriculum")


def start_gunicorn(env: dict[str, str], workers: int, threads: int, log_dir: Path) -> str:
    port = free_port()
    args = [
        str(VENV_BIN / "gunicorn"),
        "dlmath.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        "90",
    ]
    child = spawn(args, env, log_dir / "gunicorn.log")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log_dir / 'gunicorn.log'}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/healthz", timeout=2).status_code < 500:
                return url
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def start_worker(env: dict[str, str], log_dir: Path) -> None:
    args = [
        str(VENV_BIN / "celery"),
        "-A",
        "dlmath",
        "worker",
        "--concurrency",
        "2",
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
    ]
    child = spawn(args, env, log_dir / "celery.log")
    time.sleep(0.5)
    if child.poll() is not None:
        raise SystemExit(f"the Celery worker exited early; see {log_dir / 'celery.log'}")


def django_setup(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlmath.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_user(username: str, role: str = "learner") -> tuple[Any, str]:
    """Create (or reset the password of) a benchmark account; returns (user, password)."""
    from django.contrib.auth import get_user_model

    from apps.progress.services import profile_ensure

    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    profile = profile_ensure(user=user, role=role)
    if profile.role != role:
        profile.role = role
        profile.save(update_fields=["role"])
    return user, password


def token_for(url: str, username: str, password: str) -> str:
    response = requests.post(
        f"{url}/api/v1/auth/token/", data={"username": username, "password": password}, timeout=30
    )
    response.raise_for_status()
    return response.json()["token"]


# --- the measurement -------------------------------------------------------------------


def submit_and_wait(
    session: requests.Session,
    url: str,
    poll: float,
    timeout: float = 120,
    wait: float = 0.0,
    submit_waits: bool = False,
) -> tuple[float, dict[str, Any]]:
    """Submit the solution, follow it to a verdict; (elapsed ms, final body).

    ``wait`` > 0: ask the server to hold each answer until the status changes (``?wait=``);
    an answer that comes back pending well before that (a server that does not wait, or is
    at its limit of waiting requests) is followed by a pause of ``poll``, as in polling.
    ``submit_waits``: the submit itself asks to be held until the verdict (``POST ?wait=``),
    so a submission usually costs one request instead of two or three.
    """
    params = {"wait": f"{wait:g}"} if wait > 0 else None
    started = time.perf_counter()
    response = session.post(
        f"{url}/api/v1/exercises/{EXERCISE}/submissions/",
        json={"code": SOLUTION},
        params=params if submit_waits else None,
        timeout=30 + wait,
    )
    if response.status_code != 202:
        raise SystemExit(f"submit answered {response.status_code}: {response.text[:300]}")
    body = response.json()
    submission_id = body["id"]
    held = True  # no pause before the first wait
    while body["status"] in PENDING:
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"submission {submission_id} still {body['status']} after {timeout}s")
        if not (params and held):
            time.sleep(poll)
        asked, seen = time.perf_counter(), body["status"]
        reply = session.get(
            f"{url}/api/v1/submissions/{submission_id}/", params=params, timeout=30 + wait
        )
        reply.raise_for_status()
        body = reply.json()
        # Held until the status changed, or for most of the wait: ask again at once.
        held = body["status"] != seen or time.perf_counter() - asked >= wait / 2
    elapsed = (time.perf_counter() - started) * 1000
    if body["status"] != "passed":
        raise SystemExit(f"the reference solution was graded {body['status']}: {body}")
    return elapsed, body


def session_for(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    return session


def burst(
    url: str, token: str, count: int, poll: float, wait: float = 0.0
) -> tuple[float, list[float], list[int]]:
    """``count`` clients submit at once; (ms until all graded, each latency, their ids)."""
    barrier = threading.Barrier(count + 1)
    latencies: list[float] = []
    ids: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def client() -> None:
        session = session_for(token)
        barrier.wait()
        try:
            elapsed, body = submit_and_wait(session, url, poll, wait=wait)
        except BaseException as exc:  # SystemExit from a thread must reach the main thread
            with lock:
                errors.append(exc)
            return
        with lock:
            latencies.append(elapsed)
            ids.append(body["id"])

    threads = [threading.Thread(target=client, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    total = (time.perf_counter() - started) * 1000
    if errors:
        raise SystemExit(f"{len(errors)} burst submissions failed, first: {errors[0]}")
    return total, latencies, ids


def server_breakdown(ids: list[int]) -> dict[str, float]:
    """Medians of where the time went, from the stored rows (ms)."""
    from apps.sandbox.models import Submission

    rows = list(Submission.objects.filter(pk__in=ids))
    span = max(r.finished_at for r in rows) - min(r.created_at for r in rows)
    queue = [(r.started_at - r.created_at).total_seconds() * 1000 for r in rows]
    grade = [(r.finished_at - r.started_at).total_seconds() * 1000 for r in rows]
    sandbox = [r.duration_ms or 0.0 for r in rows]
    return {
        "queued, median (created → worker claims)": statistics.median(queue),
        "graded, median (claim → stored)": statistics.median(grade),
        "of which sandbox run, median (duration_ms)": statistics.median(sandbox),
        "first created → last stored (not a median)": span.total_seconds() * 1000,
    }


def processes_cpu_ms() -> Iterator[tuple[int, bytes, float]]:
    """(process group, command line, CPU ms with the children it reaped) of every live process."""
    tick = 1000 / os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue  # exited meanwhile
        yield int(fields[2]), command, sum(int(value) for value in fields[11:15]) * tick


def cpu_ms(groups: set[int], database: str) -> dict[str, float]:
    """CPU (ms) so far: every live process of ``groups`` (process groups) with the children
    each reaped, as web (gunicorn), worker (Celery) and sandbox (zygotes with the runs they
    reaped); the PostgreSQL backends serving ``database``; this process (the client)."""
    totals = {"web": 0.0, "worker": 0.0, "sandbox": 0.0, "postgres": 0.0}
    needle = f" {database} ".encode()
    for group, command, used in processes_cpu_ms():
        if group in groups:
            if b"gunicorn" in command:
                totals["web"] += used
            elif b"apps.sandbox.runner.zygote" in command:
                totals["sandbox"] += used
            else:
                totals["worker"] += used
        elif command.startswith(b"postgres: ") and needle in command:
            totals["postgres"] += used
    usage = resource.getrusage(resource.RUSAGE_SELF)
    totals["client"] = (usage.ru_utime + usage.ru_stime) * 1000
    return totals


class Sequence:
    """Submissions one after another in one mode, measured over one or more blocks."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.ids: list[int] = []
        self.cpu: dict[str, float] = {}

    def measure(
        self,
        session: requests.Session,
        url: str,
        count: int,
        poll: float,
        wait: float,
        groups: set[int],
        database_url: str,
        submit_waits: bool = False,
    ) -> None:
        database = database_url.rsplit("/", 1)[-1]
        before = cpu_ms(groups, database)
        for _ in range(count):
            elapsed, body = submit_and_wait(
                session, url, poll, wait=wait, submit_waits=submit_waits
            )
            self.latencies.append(elapsed)
            self.ids.append(body["id"])
        after = cpu_ms(groups, database)
        for name, value in after.items():
            self.cpu[name] = self.cpu.get(name, 0.0) + value - before[name]

    def report(self, title: str, base: float, with_cpu: bool) -> None:
        latencies = self.latencies
        median, p95 = statistics.median(latencies), percentile(latencies, 95)
        print(f"{title}:")
        print(
            f"  median {median:.1f} ms = {median / base:.3f} x baseline "
            f"(target <= {MEDIAN_TARGET}) {verdict(median / base <= MEDIAN_TARGET)}"
        )
        print(f"  p95    {p95:.1f} ms = {p95 / base:.3f} x baseline")
        print(f"  min {min(latencies):.1f} ms, max {max(latencies):.1f} ms")
        for name, value in server_breakdown(self.ids).items():
            print(f"  server side, {name}: {value:.1f} ms")
        if with_cpu:
            n = len(latencies)
            parts = ", ".join(f"{name} {value / n:.1f}" for name, value in self.cpu.items())
            total = sum(self.cpu.values()) / n
            print(f"  CPU per submission (ms, 10 ms ticks summed): {parts}; total {total:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=30, help="sequential submissions")
    parser.add_argument("--burst", type=int, default=50, help="simultaneous submissions")
    parser.add_argument("--poll", type=float, default=0.005, help="poll interval, seconds")
    parser.add_argument(
        "--burst-poll",
        type=float,
        default=0.05,
        help="poll interval in the burst (50 clients polling every 5 ms would load the "
        "two cores more than the grading does)",
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=10.0,
        help="seconds a waiting client asks the server to hold its answer (0: poll only)",
    )
    parser.add_argument("--baseline-runs", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--url", help="use this running server (and its worker)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/dlmath-bench-e2e"))
    args = parser.parse_args()
    args.log_dir.mkdir(parents=True, exist_ok=True)

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    base = baseline_ms(args.baseline_runs)
    print(f"load average {load}")
    print(f"baseline (cold python -c, import numpy + softmax 64x10): {base:.1f} ms median")

    env = service_env(args.database_url, args.redis_url)
    try:
        url = args.url
        if url is None:
            prepare_database(env)
            url = start_gunicorn(env, workers=2, threads=4, log_dir=args.log_dir)
            start_worker(env, args.log_dir)
        django_setup(env)
        _, password = bench_user("bench-e2e-learner")
        token = token_for(url, "bench-e2e-learner", password)
        session = session_for(token)
        # Each Celery child starts its sandbox zygote on its first task: warm both of them
        # (concurrent warm-up submissions), then a few in a row.
        burst(url, token, 4, args.burst_poll)
        for _ in range(args.warmup):
            submit_and_wait(session, url, args.poll)

        groups = {child.pid for child in _children}
        modes = {"polled": (0.0, False)}
        if args.wait > 0:
            modes |= {"waited": (args.wait, False), "submit waits": (args.wait, True)}
        runs = {mode: Sequence() for mode in modes}
        # Alternate blocks of each mode, so a change in the machine's load hits all alike.
        block = max(1, min(10, args.n))
        for start in range(0, args.n, block):
            for mode, (wait, submit_waits) in modes.items():
                count = min(block, args.n - start)
                runs[mode].measure(
                    session, url, count, args.poll, wait, groups, args.database_url, submit_waits
                )
        for mode, (wait, submit_waits) in modes.items():
            how = f"polled every {args.poll * 1000:.0f} ms"
            if submit_waits:
                how = f"the submit waited (POST ?wait={wait:g})"
            elif wait:
                how = f"waited (GET ?wait={wait:g})"
            runs[mode].report(f"sequential, {args.n} submissions, {how}", base, bool(groups))

        if args.burst:
            total, each, burst_ids = burst(url, token, args.burst, args.burst_poll, args.wait)
            serial = args.burst * base
            how = f"?wait={args.wait:g}, else poll" if args.wait else "poll"
            print(
                f"burst, {args.burst} at once ({how} every {args.burst_poll * 1000:.0f} ms): "
                f"all graded in {total:.0f} ms = {total / serial:.3f} x ({args.burst} x baseline "
                f"= {serial:.0f} ms), i.e. {args.burst / (total / 1000):.1f} gradings/s = "
                f"{serial / total:.1f} x the baseline's rate"
            )
            print(
                f"  per submission: median {statistics.median(each):.0f} ms, "
                f"p95 {percentile(each, 95):.0f} ms"
            )
            for name, value in server_breakdown(burst_ids).items():
                print(f"  server side, {name}: {value:.1f} ms")
    finally:
        stop_children()
    print("load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_children()
        raise SystemExit(130) from None
