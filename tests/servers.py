"""Real services a test starts, breaks and stops itself: Redis, PostgreSQL, Celery, gunicorn.

Never the machine's own Redis or PostgreSQL: each one here listens on a free loopback port
and lives in its own session (process group), so stopping it can't touch anything else.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll ``predicate`` until it returns something truthy; fail saying ``what`` if never."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def kill_group(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGKILL) -> None:
    """Signal a process we started and everything it started (its own session)."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=20)


class RedisServer:
    """A redis-server of the test's own, without persistence (a restart loses everything)."""

    binary = shutil.which("redis-server")

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        assert self.binary, "redis-server is not installed"
        self.process = subprocess.Popen(
            [
                self.binary,
                *("--port", str(self.port), "--bind", "127.0.0.1", "--save", ""),
                *("--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"),
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(lambda: port_open(self.port), 20, f"redis-server on {self.port}")
        return self

    def crash(self) -> None:
        """SIGKILL: the queue and everything cached are gone."""
        kill_group(self.process)
        self.process = None

    def freeze(self) -> None:
        """Stop answering but keep every key (a network partition)."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def client(self, db: int = 0):  # type: ignore[no-untyped-def]
        import redis

        return redis.Redis(port=self.port, db=db, socket_timeout=5)


def _postgres_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresCluster:
    """A throwaway PostgreSQL cluster in a temporary directory, on a free port.

    As root it runs as the ``postgres`` user (initdb refuses root); otherwise as whoever
    runs the tests.
    """

    bindir = _postgres_bindir()

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="dlmath-pg-"))
        self.data = self.dir / "data"
        self.user = "postgres" if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        assert self.bindir is not None
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self) -> PostgresCluster:
        if self.user:
            shutil.chown(self.dir, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.dir / "log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")
        wait_until(lambda: port_open(self.port), 30, f"PostgreSQL on {self.port}")

    def stop(self) -> None:
        """Immediate shutdown: what a crash or a restart does to the open connections."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def spawn(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def celery_worker(env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """`celery -A dlmath worker` as deployed (prefork), plus ``extra`` options."""
    args = [str(VENV_BIN / "celery"), "-A", "dlmath", "worker", "--loglevel", "INFO"]
    args += ["--without-gossip", "--without-mingle", *extra]
    return spawn(args, env, log)


def gunicorn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn serving dlmath.wsgi on a free port; returns (process, base URL)."""
    import requests

    port = free_port()
    args = [str(VENV_BIN / "gunicorn"), "dlmath.wsgi", "--bind", f"127.0.0.1:{port}"]
    args += ["--workers", "1", "--threads", "4", "--timeout", "90"]
    process = spawn(args, env, log)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, f"gunicorn exited; see {log}"
        with contextlib.suppress(requests.RequestException):
            return requests.get(f"{url}/healthz", timeout=5).status_code in (200, 503)
        return False

    wait_until(answers, 90, "gunicorn answering /healthz")
    return process, url


def service_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a deployed web or worker process, on the test's own services."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or "k" * 50,
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DLMATH_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
        # Static files from the finders (no collectstatic) and the test suite's password
        # hasher, so users the test creates can log in; nothing else differs from production.
        DLMATH_TESTING="1",
    )
    env.update(extra)
    return env


def logged_in_session(url: str, username: str, password: str):  # type: ignore[no-untyped-def]
    """A requests.Session logged in through the /accounts/login/ form (session cookie)."""
    import re

    import requests

    session = requests.Session()
    page = session.get(f"{url}/accounts/login/", timeout=30)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert page.status_code == 200, f"login page: {page.status_code}"
    assert match, "login page without a CSRF token"
    response = session.post(
        f"{url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)},
        headers={"Referer": f"{url}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.status_code
    assert "sessionid" in session.cookies
    return session


def token_session(token: str):  # type: ignore[no-untyped-def]
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    return session
