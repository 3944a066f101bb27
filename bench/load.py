"""Pages and API under 20 concurrent clients against the 50 ms median target (DESIGN.md).

    .venv/bin/python bench/load.py [--clients 20] [--duration 20] [--url http://127.0.0.1:8000]

Unless ``--url`` is given it starts gunicorn (``--workers 2 --threads 8``) on a free port
against ``--database-url`` (migrated and synced here; no Celery worker: nothing is graded)
and stops it at exit. Logged in: pages with a session cookie from the /accounts/login/ form
(CSRF token included), API paths with a DRF token.

Accounts: if generate_load_data has filled the database, the learner is ``load-learner-00001``
(its password is reset here) and the dashboard is that of ``Load cohort 001`` (200 learners),
taught by ``bench-load-instructor`` (added to it here). Otherwise a bench learner, cohort and
instructor are created. A page answering 404 is reported "missing" and left out.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import socket
import statistics
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

from e2e import (
    DEFAULT_DATABASE_URL,
    DEFAULT_REDIS_URL,
    ROOT,
    bench_user,
    django_setup,
    manage,
    percentile,
    prepare_database,
    service_env,
    start_gunicorn,
    stop_children,
    verdict,
)

MEDIAN_TARGET_MS = 50.0
LOAD_LEARNER = "load-learner-00001"
LOAD_COHORT = "Load cohort 001"


class Client:
    """One keep-alive HTTP/1.1 connection with a cookie or token; reconnects when dropped."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.headers = headers
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.conn.request(
                    method, path, body=body, headers={**self.headers, **(headers or {})}
                )
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, {k.lower(): v for k, v in response.getheaders()}, data
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


class RawClient:
    """A keep-alive HTTP/1.1 GET over a plain socket, returning the status.

    The load generator shares the two cores with the server it measures, so its own CPU per
    request counts against the server's: http.client parses every response's headers with
    the email package (~0.3 ms a response here), this reads the status line, Content-Length
    (or chunks) and the body, and nothing else. It still makes one real request per page and
    reads the whole response."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.address = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.sock: socket.socket | None = None
        self.buffer = b""

    def get(self, path: str) -> int:
        request = f"GET {path} HTTP/1.1\r\nHost: {self.address[0]}\r\n{self.extra}\r\n".encode()
        for attempt in range(2):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(self.address, timeout=60)
                    self.buffer = b""
                self.sock.sendall(request)
                return self._response()
            except OSError:
                self.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
        self.sock = None

    def _recv(self) -> bytes:
        assert self.sock is not None
        chunk = self.sock.recv(262144)
        if not chunk:
            raise ConnectionResetError("the server closed the connection")
        return chunk

    def _take(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self.buffer += self._recv()
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            self.buffer += self._recv()
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def _response(self) -> int:
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(None, 2)[1])
        length, chunked, close = None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
        if chunked:
            while size := int(self._line().split(b";")[0], 16):
                self._take(size + 2)
            while self._line():  # trailers, then the blank line
                pass
        elif length is not None:
            self._take(length)
        else:  # the body runs to the end of the connection
            close = True
            assert self.sock is not None
            while self.sock.recv(262144):
                pass
        if close:
            self.close()
        return status


def cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def session_cookie(url: str, username: str, password: str) -> str:
    """Log in through the /accounts/login/ form; returns the Cookie header to send."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = cookies_from(response.getheaders())
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or match is None or "csrftoken" not in jar:
        raise SystemExit(f"the login page answered {response.status} without a CSRF token")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={jar['csrftoken']}",
            "Referer": f"{url}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    jar.update(cookies_from(response.getheaders()))
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise SystemExit(f"logging in as {username} failed: {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def accounts() -> dict[str, Any]:
    """The learner, instructor and cohort to load with, their passwords and tokens."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from apps.progress.models import Cohort, Enrollment

    user_model = get_user_model()
    if user_model.objects.filter(username=LOAD_LEARNER).exists():
        learner, learner_password = bench_user(LOAD_LEARNER)
    else:
        learner, learner_password = bench_user("bench-load-learner")
    instructor, instructor_password = bench_user("bench-load-instructor", role="instructor")
    cohort = Cohort.objects.filter(name=LOAD_COHORT).first()
    if cohort is None:
        cohort = Cohort.objects.filter(name="Bench load cohort").first() or Cohort.objects.create(
            name="Bench load cohort"
        )
        Enrollment.objects.get_or_create(cohort=cohort, user=learner)
    cohort.instructors.add(instructor)
    return {
        "learner": (learner.username, learner_password),
        "instructor": (instructor.username, instructor_password),
        "learner_token": Token.objects.get_or_create(user=learner)[0].key,
        "instructor_token": Token.objects.get_or_create(user=instructor)[0].key,
        "cohort_id": cohort.pk,
        "cohort_size": cohort.enrollments.count(),
    }


def run_load(
    url: str,
    targets: list[tuple[str, str, dict[str, str]]],
    clients: int,
    duration: float,
    think: float = 0.0,
    lean: bool = True,
) -> tuple[dict[str, list[float]], dict[str, int], float]:
    """Each client cycles through the targets (from its own offset) for ``duration``.

    ``think`` is a client's mean pause between requests (exponentially distributed): 0 is a
    closed loop that measures the server at saturation, a person reading pauses for seconds.
    ``lean`` fetches with ``RawClient`` (less of the shared cores spent by the client),
    otherwise with ``Client`` (http.client).
    """
    timings: dict[str, list[float]] = {name: [] for name, _, _ in targets}
    errors: dict[str, int] = {name: 0 for name, _, _ in targets}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(offset: int) -> None:
        if lean:
            raw = {name: RawClient(url, headers) for name, _, headers in targets}
        else:
            conns = {name: Client(url, headers) for name, _, headers in targets}
        mine: dict[str, list[float]] = {name: [] for name, _, _ in targets}
        failed: dict[str, int] = {name: 0 for name, _, _ in targets}
        pauses = random.Random(offset)
        barrier.wait()
        while not stop_at[0]:  # set by the main thread just after the barrier
            time.sleep(0.0001)
        i = offset
        while time.perf_counter() < stop_at[0]:
            name, path, _ = targets[i % len(targets)]
            i += 1
            started = time.perf_counter()
            try:
                status = raw[name].get(path) if lean else conns[name].request("GET", path)[0]
            except (http.client.HTTPException, OSError, ValueError, IndexError):
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                mine[name].append(elapsed)
            else:
                failed[name] += 1
            if think:
                time.sleep(pauses.expovariate(1.0 / think))
        with lock:
            for name in timings:
                timings[name].extend(mine[name])
                errors[name] += failed[name]

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    stop_at[0] = started + duration
    for thread in threads:
        thread.join()
    return timings, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a client pauses between requests (0: closed loop, saturation)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker")
    parser.add_argument(
        "--exclude", action="append", default=[], help="leave out targets whose name has this"
    )
    parser.add_argument("--url", help="use this running server")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--log-dir", type=Path, default=Path("/tmp/dlmath-bench-load"))
    args = parser.parse_args()
    args.log_dir.mkdir(parents=True, exist_ok=True)

    env = service_env(args.database_url, args.redis_url)
    try:
        url = args.url
        if url is None:
            prepare_database(env)
            if not (ROOT / "staticfiles" / "staticfiles.json").exists():
                # Pages render {% static %} through the manifest storage (as `make setup`).
                manage(env, "collectstatic", "--noinput", "--verbosity", "0")
            url = start_gunicorn(env, args.workers, args.threads, args.log_dir)
        django_setup(env)
        acc = accounts()
        learner_cookie = session_cookie(url, *acc["learner"])
        instructor_cookie = session_cookie(url, *acc["instructor"])
        as_learner = {"Cookie": learner_cookie}
        learner_api = {"Authorization": f"Token {acc['learner_token']}"}
        instructor_api = {"Authorization": f"Token {acc['instructor_token']}"}
        cohort_id = acc["cohort_id"]
        candidates = [
            ("course map /learn/", "/learn/", as_learner),
            (
                "lesson softmax-and-cross-entropy",
                "/learn/probability/softmax-and-cross-entropy/",
                as_learner,
            ),
            ("exercise page /exercises/softmax/", "/exercises/softmax/", as_learner),
            ("API /api/v1/progress/me/", "/api/v1/progress/me/", learner_api),
        ]
        probe = Client(url, {"Cookie": instructor_cookie})
        dashboard_status = probe.request("GET", f"/dashboard/{cohort_id}/")[0]
        if dashboard_status == 200:
            candidates.append(
                (
                    f"dashboard /dashboard/{cohort_id}/ ({acc['cohort_size']} learners)",
                    f"/dashboard/{cohort_id}/",
                    {"Cookie": instructor_cookie},
                )
            )
        else:
            print(f"dashboard page /dashboard/{cohort_id}/: {dashboard_status}, using the API")
            candidates.append(
                (
                    f"dashboard API cohorts/{cohort_id}/progress/ ({acc['cohort_size']} learners)",
                    f"/api/v1/cohorts/{cohort_id}/progress/",
                    instructor_api,
                )
            )

        targets = []
        for name, path, headers in candidates:
            if any(word in name for word in args.exclude):
                print(f"{name}: excluded")
                continue
            status, _, _ = Client(url, headers).request("GET", path)
            if status == 404:
                print(f"{name}: missing (404), left out")
            elif status != 200:
                print(f"{name}: answered {status}, left out")
            else:
                targets.append((name, path, headers))
        if not targets:
            raise SystemExit("nothing to load")
        # Warm up: every gunicorn thread imports, compiles templates, opens its connection.
        run_load(url, targets, args.clients, 2.0)
        print("one client, sequential (no load), median of 10:")
        for name, path, headers in targets:
            single = Client(url, headers)
            values = []
            for _ in range(10):
                started = time.perf_counter()
                single.request("GET", path)
                values.append((time.perf_counter() - started) * 1000)
            print(f"  {name}: {statistics.median(values):.1f} ms")
        timings, errors, elapsed = run_load(url, targets, args.clients, args.duration, args.think)
        mode = f"mean think time {args.think:g} s" if args.think else "closed loop, no think time"
        print(f"{args.clients} clients, {mode}:")

        total = sum(len(t) for t in timings.values())
        print(
            f"{args.clients} clients for {elapsed:.1f} s against gunicorn "
            f"(--workers {args.workers} --threads {args.threads}): {total} responses, "
            f"{total / elapsed:.0f}/s"
        )
        for name, values in timings.items():
            if not values:
                print(f"  {name}: no successful responses, {errors[name]} errors FAIL")
                continue
            median = statistics.median(values)
            print(
                f"  {name}: median {median:.1f} ms, p95 {percentile(values, 95):.1f} ms, "
                f"{len(values)} ok, {errors[name]} errors "
                f"(target median < {MEDIAN_TARGET_MS:.0f} ms) "
                f"{verdict(median < MEDIAN_TARGET_MS and not errors[name])}"
            )
    finally:
        stop_children()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        stop_children()
        raise SystemExit(130) from None
