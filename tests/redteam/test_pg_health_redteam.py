"""Red-team attacks on the PostgreSQL backend's round-trip-free health check.

Each test asserts the promised behaviour of ``DatabaseWrapper.is_usable()`` /
``close_if_health_check_failed()``: a connection the server has ended is never
reported usable, a healthy idle one is reported usable without a statement, and a
connection inside a transaction (or with anything unexpected pending) behaves like
Django's stock ``SELECT 1`` check.
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import time
from collections.abc import Iterator

import pytest
from django.db import connection, connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a PostgreSQL backend (DATABASE_URL unset)"
    ),
]

DEADLINE = 1.5


# --- helpers ------------------------------------------------------------------------


@pytest.fixture
def w() -> Iterator:
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    try:
        yield wrapper
    finally:
        with contextlib.suppress(Exception):
            wrapper.close()


@pytest.fixture
def admin(w) -> Iterator:
    import psycopg

    s = w.settings_dict
    conn = psycopg.connect(
        host=s.get("HOST") or "127.0.0.1",
        port=int(s.get("PORT") or 5432),
        user=s.get("USER") or "postgres",
        password=s.get("PASSWORD") or None,
        dbname=s["NAME"],
        autocommit=True,
    )
    try:
        yield conn
    finally:
        conn.close()


def pid(w) -> int:
    return w.connection.info.backend_pid


def backend_gone(admin, p: int) -> bool:
    return (
        admin.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [p]).fetchone()[0]
        == 0
    )


def wait_gone(admin, p: int) -> None:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        if backend_gone(admin, p):
            return
        time.sleep(0.01)
    raise AssertionError(f"backend {p} still alive after {DEADLINE}s")


def wait_readable(w, timeout: float = DEADLINE) -> bool:
    r, _, _ = select.select([w.connection.fileno()], [], [], timeout)
    return bool(r)


def terminate(admin, p: int) -> None:
    # PG14+: waits up to 1000 ms for the backend to exit.
    assert admin.execute("SELECT pg_terminate_backend(%s, 1000)", [p]).fetchone()[0]
    wait_gone(admin, p)


def activity(admin, p: int) -> tuple:
    return admin.execute(
        "SELECT query, state_change, state FROM pg_stat_activity WHERE pid = %s", [p]
    ).fetchone()


def run(w, sql: str, params=None):
    with w.cursor() as c:
        c.execute(sql, params)
        return c.fetchone()


def enable_health_checks(w) -> None:
    w.health_check_enabled = True
    w.health_check_done = False


# --- healthy idle connections --------------------------------------------------------


def test_healthy_idle_is_usable_without_round_trip(w, admin):
    run(w, "SELECT 'redteam-marker-1'")
    p = pid(w)
    before = activity(admin, p)
    assert before[0] == "SELECT 'redteam-marker-1'"
    t0 = time.monotonic()
    for _ in range(5):
        assert w.is_usable() is True
    assert time.monotonic() - t0 < 0.5, "health check of a healthy connection blocked"
    after = activity(admin, p)
    assert after[0] == before[0], f"a statement was sent: {after[0]!r}"
    assert after[1] == before[1], "backend state changed: a round trip happened"
    assert run(w, "SELECT 42") == (42,)
    assert pid(w) == p


def test_healthy_idle_close_if_health_check_failed_keeps_connection(w, admin):
    enable_health_checks(w)
    p = pid(w)
    raw = w.connection
    w.close_if_health_check_failed()
    assert w.connection is raw
    assert run(w, "SELECT 1") == (1,)
    assert pid(w) == p


def test_cancel_backend_while_idle_is_harmless(w, admin):
    p = pid(w)
    assert admin.execute("SELECT pg_cancel_backend(%s)", [p]).fetchone()[0]
    time.sleep(0.05)
    assert w.is_usable() is True
    assert run(w, "SELECT 7") == (7,)
    assert pid(w) == p


def test_notice_raised_earlier_is_harmless(w, admin):
    with w.cursor() as c:
        c.execute("DO $$ BEGIN RAISE NOTICE 'redteam notice'; RAISE WARNING 'w'; END $$")
    assert w.is_usable() is True
    assert run(w, "SELECT 3") == (3,)


# --- server-ended connections ---------------------------------------------------------


def test_terminated_backend_is_not_usable(w, admin):
    p = pid(w)
    terminate(admin, p)
    assert w.is_usable() is False


def test_terminated_backend_not_usable_even_before_socket_polled(w, admin):
    """No waiting beyond pg_terminate_backend(pid, timeout) returning."""
    p = pid(w)
    assert admin.execute("SELECT pg_terminate_backend(%s, 1000)", [p]).fetchone()[0]
    assert w.is_usable() is False


def test_terminated_backend_is_replaced_by_health_check(w, admin):
    enable_health_checks(w)
    p = pid(w)
    terminate(admin, p)
    w.close_if_health_check_failed()
    assert w.connection is None
    # The next query of the "request" reconnects and succeeds.
    assert run(w, "SELECT 5") == (5,)
    assert pid(w) != p


def test_terminated_is_stable_on_repeat_checks(w, admin):
    p = pid(w)
    terminate(admin, p)
    assert w.is_usable() is False
    assert w.is_usable() is False


def test_idle_session_timeout_is_not_usable(w, admin):
    p = pid(w)
    with w.cursor() as c:
        c.execute("SET idle_session_timeout = '100ms'")
    wait_gone(admin, p)
    assert w.is_usable() is False
    enable_health_checks(w)
    w.close_if_health_check_failed()
    assert w.connection is None
    assert run(w, "SELECT 1") == (1,)


def test_notify_then_terminate_is_not_usable(w, admin):
    """Pending async data (a notification) in front of the FATAL must not mask it."""
    p = pid(w)
    chan = f"redteam_{p}"
    with w.cursor() as c:
        c.execute(f"LISTEN {chan}")
    admin.execute(f"NOTIFY {chan}, 'x'")
    assert wait_readable(w)
    terminate(admin, p)
    assert w.is_usable() is False


def test_client_socket_shutdown_is_not_usable(w, admin):
    fd = os.dup(w.connection.fileno())
    s = socket.socket(fileno=fd)
    try:
        s.shutdown(socket.SHUT_RDWR)
    finally:
        s.close()
    assert w.is_usable() is False
    enable_health_checks(w)
    w.close_if_health_check_failed()
    assert w.connection is None
    assert run(w, "SELECT 1") == (1,)


def test_closed_psycopg_connection_is_not_usable(w, admin):
    w.connection.close()
    assert w.is_usable() is False
    enable_health_checks(w)
    w.close_if_health_check_failed()
    assert w.connection is None
    assert run(w, "SELECT 1") == (1,)


# --- pending asynchronous data on a healthy connection ------------------------------


def test_pending_notify_does_not_fail_check_and_is_delivered(w, admin):
    p = pid(w)
    chan = f"redteam_{p}"
    got: list = []
    w.connection.add_notify_handler(lambda n: got.append((n.channel, n.payload)))
    with w.cursor() as c:
        c.execute(f"LISTEN {chan}")
    admin.execute(f"NOTIFY {chan}, 'hello'")
    assert wait_readable(w)
    assert w.is_usable() is True
    enable_health_checks(w)
    raw = w.connection
    w.close_if_health_check_failed()
    assert w.connection is raw
    assert run(w, "SELECT 11") == (11,)
    assert pid(w) == p
    # Nothing lost: the notification reaches the handler once the connection is read.
    end = time.monotonic() + DEADLINE
    while not got and time.monotonic() < end:
        run(w, "SELECT 1")
        time.sleep(0.01)
    assert got == [(chan, "hello")]
    # And after that the check is again round-trip free.
    run(w, "SELECT 'redteam-marker-2'")
    before = activity(admin, p)
    assert w.is_usable() is True
    assert activity(admin, p)[0] == "SELECT 'redteam-marker-2'"
    assert activity(admin, p)[1] == before[1]


def test_many_pending_notifies_do_not_break_connection(w, admin):
    p = pid(w)
    chan = f"redteam_many_{p}"
    with w.cursor() as c:
        c.execute(f"LISTEN {chan}")
    for i in range(200):
        admin.execute(f"NOTIFY {chan}, '{'x' * 500}{i}'")
    assert wait_readable(w)
    assert w.is_usable() is True
    assert w.is_usable() is True
    assert run(w, "SELECT 13") == (13,)
    assert list(w.connection.notifies(timeout=0.2, stop_after=1))  # still retrievable


def test_pending_notify_via_notifies_generator(w, admin):
    p = pid(w)
    chan = f"redteam_gen_{p}"
    with w.cursor() as c:
        c.execute(f"LISTEN {chan}")
    admin.execute(f"NOTIFY {chan}, 'gen'")
    assert wait_readable(w)
    assert w.is_usable() is True
    ns = list(w.connection.notifies(timeout=0.5, stop_after=1))
    assert [(n.channel, n.payload) for n in ns] == [(chan, "gen")]
    assert run(w, "SELECT 1") == (1,)


# --- transactions --------------------------------------------------------------------


def test_idle_in_transaction_is_usable_and_transaction_intact(w, admin):
    w.set_autocommit(False)
    with w.cursor() as c:
        c.execute("CREATE TEMP TABLE redteam_t (x int)")
        c.execute("INSERT INTO redteam_t VALUES (1)")
    assert w.is_usable() is True
    with w.cursor() as c:
        c.execute("SELECT count(*) FROM redteam_t")
        assert c.fetchone() == (1,)
    w.rollback()
    w.set_autocommit(True)


def test_idle_in_transaction_terminated_is_not_usable(w, admin):
    w.set_autocommit(False)
    run(w, "SELECT 1")
    p = pid(w)
    terminate(admin, p)
    assert w.is_usable() is False


def test_idle_in_transaction_session_timeout_is_not_usable(w, admin):
    p = pid(w)
    with w.cursor() as c:
        c.execute("SET idle_in_transaction_session_timeout = '100ms'")
    w.set_autocommit(False)
    run(w, "SELECT 1")
    wait_gone(admin, p)
    assert w.is_usable() is False


def test_aborted_transaction_behaves_like_stock(w, admin):
    import psycopg

    w.set_autocommit(False)
    from django.db import DataError

    with pytest.raises(DataError), w.cursor() as c:
        c.execute("SELECT 1/0")
    assert w.connection.info.transaction_status == psycopg.pq.TransactionStatus.INERROR
    # Stock check: SELECT 1 raises InFailedSqlTransaction -> False.
    assert w.is_usable() is False


def test_notify_pending_in_transaction(w, admin):
    p = pid(w)
    chan = f"redteam_tx_{p}"
    with w.cursor() as c:
        c.execute(f"LISTEN {chan}")
    admin.execute(f"NOTIFY {chan}, 'tx'")
    assert wait_readable(w)
    w.set_autocommit(False)
    run(w, "SELECT 1")
    assert w.is_usable() is True
    assert run(w, "SELECT 2") == (2,)
    w.rollback()


def test_check_does_not_start_transaction(w, admin):
    import psycopg

    assert w.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert w.is_usable() is True
    assert w.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    assert w.get_autocommit() is True


def test_pipeline_mode_pending(w, admin):
    """Anything unexpected pending: an open pipeline — must not falsely fail nor hang."""
    with w.connection.pipeline():
        t0 = time.monotonic()
        res = w.is_usable()
        assert time.monotonic() - t0 < 1.0
        assert res is True
    assert run(w, "SELECT 1") == (1,)


# --- a TCP proxy between the wrapper and the server ---------------------------------

import struct  # noqa: E402
import threading  # noqa: E402


class Proxy:
    """Forward one client to the real server; lets a test cut or inject on the wire."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.lsock = socket.socket()
        self.lsock.bind(("127.0.0.1", 0))
        self.lsock.listen(1)
        self.port = self.lsock.getsockname()[1]
        self.client: socket.socket | None = None
        self.server: socket.socket | None = None
        self.stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.client, _ = self.lsock.accept()
        self.server = socket.create_connection(self.upstream)
        threading.Thread(target=self._pump, args=(self.client, self.server), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.server, self.client), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while not self.stop:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass

    def inject(self, data: bytes) -> None:
        assert self.client is not None
        self.client.sendall(data)

    def cut(self, rst: bool = False) -> None:
        """Drop the client side without any FATAL from the server."""
        self.stop = True
        assert self.client is not None
        if rst:
            # Wake the pump thread's recv (SHUT_RD sends nothing) so close() really
            # releases the socket and the linger-0 close emits a RST.
            self.client.shutdown(socket.SHUT_RD)
            if self.server is not None:
                self.server.shutdown(socket.SHUT_RDWR)
            time.sleep(0.05)
            self.client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        else:
            self.client.shutdown(socket.SHUT_RDWR)
            if self.server is not None:
                self.server.shutdown(socket.SHUT_RDWR)
        self.client.close()
        if self.server is not None:
            self.server.close()

    def close(self) -> None:
        self.stop = True
        for s in (self.client, self.server, self.lsock):
            try:
                if s is not None:
                    with contextlib.suppress(OSError):
                        s.shutdown(socket.SHUT_RDWR)
                    s.close()
            except OSError:
                pass


@pytest.fixture
def proxied(w, admin) -> Iterator:
    s = w.settings_dict
    proxy = Proxy(s.get("HOST") or "127.0.0.1", int(s.get("PORT") or 5432))
    settings = dict(s)
    settings["HOST"] = "127.0.0.1"
    settings["PORT"] = str(proxy.port)
    pw = w.__class__(settings, alias="default")
    pw.ensure_connection()
    upstream_pid = pw.connection.info.backend_pid
    try:
        yield pw, proxy
    finally:
        with contextlib.suppress(Exception):
            pw.close()
        proxy.close()
        wait_gone(admin, upstream_pid)


def _msg(kind: bytes, body: bytes) -> bytes:
    return kind + struct.pack("!i", len(body) + 4) + body


def _settle(pw) -> None:
    assert wait_readable(pw)
    time.sleep(0.02)


def test_proxy_healthy_is_usable(proxied):
    pw, _ = proxied
    assert pw.is_usable() is True
    assert run(pw, "SELECT 1") == (1,)


def test_proxy_eof_without_fatal_is_not_usable(proxied):
    pw, proxy = proxied
    proxy.cut()
    _settle(pw)
    assert pw.is_usable() is False


def test_proxy_rst_is_not_usable(proxied):
    pw, proxy = proxied
    proxy.cut(rst=True)
    _settle(pw)
    assert pw.is_usable() is False


def test_proxy_garbage_is_not_handed_out_broken(proxied):
    pw, proxy = proxied
    proxy.inject(b"\x00garbage-not-a-protocol-message\x00" * 4)
    _settle(pw)
    if pw.is_usable():
        assert run(pw, "SELECT 1") == (1,), "check said usable but the next query failed"


def test_proxy_injected_fatal_error_is_not_usable(proxied):
    pw, proxy = proxied
    body = b"SFATAL\x00VFATAL\x00C57P01\x00Mterminating connection due to administrator command\x00\x00"
    proxy.inject(_msg(b"E", body))
    _settle(pw)
    assert pw.is_usable() is False


def test_proxy_async_notice_is_harmless(proxied):
    pw, proxy = proxied
    body = b"SNOTICE\x00VNOTICE\x00C00000\x00Masync notice\x00\x00"
    proxy.inject(_msg(b"N", body))
    _settle(pw)
    ok = pw.is_usable()
    try:
        r = run(pw, "SELECT 1")
    except Exception as e:  # pragma: no cover - reported
        r = e
    if ok:
        assert r == (1,), f"usable reported but next query gave {r!r}"


def test_proxy_async_parameter_status_is_harmless(proxied):
    pw, proxy = proxied
    proxy.inject(_msg(b"S", b"application_name\x00redteam\x00"))
    _settle(pw)
    ok = pw.is_usable()
    try:
        r = run(pw, "SELECT 1")
    except Exception as e:  # pragma: no cover - reported
        r = e
    if ok:
        assert r == (1,), f"usable reported but next query gave {r!r}"


# --- protocol states in the middle of something --------------------------------------


def test_check_preserves_nonblocking_and_fd_flags(w, admin):
    import fcntl

    fd = w.connection.fileno()
    nb = w.connection.pgconn.nonblocking
    fl = fcntl.fcntl(fd, fcntl.F_GETFL)
    assert w.is_usable() is True
    assert w.connection.pgconn.nonblocking == nb
    assert fcntl.fcntl(fd, fcntl.F_GETFL) == fl
    assert run(w, "SELECT 1") == (1,)


def test_check_on_healthy_then_terminate_then_check(w, admin):
    """A True result must not be cached across the server dropping the connection."""
    assert w.is_usable() is True
    terminate(admin, pid(w))
    assert w.is_usable() is False
