"""Learner-to-learner leaks: a run must not find anything of an earlier run, by any read.

Each run is a fork of the zygote, so it inherits the zygote's memory: these tests plant a
secret in one run (its code, inputs, output, /tmp and returned value) and look for it from the
next, the way an attacker would. Every scan first proves it works by finding a secret of its
own run, so a scan that silently reads nothing cannot pass. ``unaffected`` then checks the
worker's zygote survived and the next learner's run is normal.
"""

from __future__ import annotations

import errno
import secrets

import numpy as np
import pytest

from apps.sandbox.runner import Limits, RunResult, ZygotePool
from apps.sandbox.runner.selftest import LEAK_SCAN, split_secret
from tests.sandbox.conftest import FAST

pytestmark = pytest.mark.usefixtures("unaffected")

SCAN_LIMITS = Limits(cpu_seconds=10, wall_seconds=30, memory_mb=512)

PLANTER = """\
import sys
SECRET = {secret!r}
print(SECRET)
print(SECRET, file=sys.stderr)
open("/tmp/" + SECRET, "w").write(SECRET)

def answer(given, values):
    kept = [given, SECRET, values * 3]
    return kept
"""


def plant(pool: ZygotePool, secret: str, values: np.ndarray) -> RunResult:
    call = {"key": "k", "func": "answer", "args": [secret, values]}
    result = pool.run(PLANTER.format(secret=secret), [call], FAST)
    assert result.status == "ok"
    assert secret in result.stdout
    assert secret in result.stderr
    assert result.outcomes["k"].value[1] == secret
    return result


def scan(pool: ZygotePool, secret: str, own: str, func: str) -> object:
    """Run ``func`` of LEAK_SCAN for ``secret`` (an earlier run's) and for ``own`` (this run's,
    planted in its code: the scan must find that one, or it proves nothing)."""
    code = f"{LEAK_SCAN}\nMINE = {own!r}\n"
    calls = [
        {"key": "theirs", "func": func, "args": split_secret(secret)},
        {"key": "mine", "func": func, "args": split_secret(own)},
    ]
    result = pool.run(code, calls, SCAN_LIMITS)
    assert result.status == "ok", (result.status, result.detail, result.module_error)
    assert result.outcomes["mine"].value is True, "the scan cannot find its own run's secret"
    return result.outcomes["theirs"].value


def test_a_frame_walk_up_to_the_serving_loop_finds_no_earlier_submission(
    sandbox_pool: ZygotePool,
) -> None:
    secret = secrets.token_hex(16)
    plant(sandbox_pool, secret, np.zeros(3))
    assert scan(sandbox_pool, secret, secrets.token_hex(16), "in_frames") is False
    code = "import sys\ndef f():\n    frame, names = sys._getframe(), []\n" \
           "    while frame:\n        names.append(frame.f_code.co_name)\n" \
           "        frame = frame.f_back\n    return names\n"  # fmt: skip
    names = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST).outcomes["k"].value
    # The walk really reaches the zygote's serving loop: there is just nothing in it.
    assert {"_serve", "stage_b", "run_submission"} <= set(names)
    assert {"stage_a", "spare"} & set(names)


def test_scanning_every_gc_object_finds_no_earlier_submission(sandbox_pool: ZygotePool) -> None:
    secret = secrets.token_hex(16)
    plant(sandbox_pool, secret, np.zeros(3))
    assert scan(sandbox_pool, secret, secrets.token_hex(16), "in_objects") is False


def test_reading_the_whole_address_space_finds_no_earlier_submission(
    sandbox_pool: ZygotePool,
) -> None:
    secret = secrets.token_hex(16)
    plant(sandbox_pool, secret, np.zeros(3))
    scanned = scan(sandbox_pool, secret, secrets.token_hex(16), "in_memory")
    # Not found, and not for lack of reading: every mapping of the run was read.
    assert type(scanned) is int
    assert scanned > 32 * 1024 * 1024


def test_many_earlier_submissions_leave_nothing_in_memory(sandbox_pool: ZygotePool) -> None:
    planted = [secrets.token_hex(16) for _ in range(5)]
    for secret in planted:
        plant(sandbox_pool, secret, np.zeros(3))
    for secret in (planted[0], planted[-1]):
        assert type(scan(sandbox_pool, secret, secrets.token_hex(16), "in_memory")) is int


def test_an_earlier_learners_returned_values_cannot_be_replayed(sandbox_pool: ZygotePool) -> None:
    # Fixed inputs would let a learner pass by finding another's answer: it is not there.
    values = np.random.default_rng().normal(size=64)
    plant(sandbox_pool, secrets.token_hex(16), values)
    answer = (values * 3).tobytes()
    own = np.random.default_rng().normal(size=64)
    code = f"{LEAK_SCAN}\nimport numpy as np\nOWN = np.array({own.tolist()!r}) * 3\n"
    mine = (own * 3).tobytes()
    calls = [
        {
            "key": "theirs",
            "func": "in_memory_hex",
            "args": [answer[:16].hex(), answer[16:32].hex()],
        },
        {"key": "mine", "func": "in_memory_hex", "args": [mine[:16].hex(), mine[16:32].hex()]},
    ]
    result = sandbox_pool.run(code, calls, SCAN_LIMITS)
    assert result.outcomes["mine"].value is True
    assert type(result.outcomes["theirs"].value) is int


def test_an_earlier_runs_tmp_files_are_gone(sandbox_pool: ZygotePool) -> None:
    secret = secrets.token_hex(16)
    plant(sandbox_pool, secret, np.zeros(3))
    code = f"{LEAK_SCAN}\nimport os\nopen('/tmp/mine', 'w').close()\n"
    calls = [{"key": "k", "func": "in_tmp", "args": [secret[:16]]}]
    assert sandbox_pool.run(code, calls, FAST).outcomes["k"].value == []


def test_an_abstract_socket_left_listening_by_an_earlier_run_is_gone(
    sandbox_pool: ZygotePool,
) -> None:
    name = f"\0dlmath-leak-{secrets.token_hex(4)}"
    keeper = (
        "import os, socket, time\n"
        f"server = socket.socket(socket.AF_UNIX)\nserver.bind({name!r})\nserver.listen(1)\n"
        "if os.fork() == 0:\n    os.setsid()\n    time.sleep(30)\n"
    )
    assert sandbox_pool.run(keeper, [], FAST).status == "ok"
    code = (
        "import socket\ndef f():\n    try:\n"
        f"        socket.socket(socket.AF_UNIX).connect({name!r})\n"
        "    except OSError as exc:\n        return exc.errno\n    return 'connected'\n"
    )
    result = sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST)
    assert result.outcomes["k"].value == errno.ECONNREFUSED


def test_shared_memory_between_runs_is_refused(sandbox_pool: ZygotePool) -> None:
    code = (
        "import ctypes\ndef f():\n    libc = ctypes.CDLL(None, use_errno=True)\n"
        "    if libc.shmget(0x1234, 4096, 0o1666) == -1:\n        return ctypes.get_errno()\n"
        "    return 'created'\n"
    )
    assert sandbox_pool.run(code, [{"key": "k", "func": "f"}], FAST).outcomes["k"].value == (
        errno.EPERM
    )
