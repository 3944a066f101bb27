"""Red-team attacks on the sandbox (issue 12), made from the outside as a hostile learner would.

Every attack is a learner submission graded through the public path: `grade_code()` with the
real sandbox backend (consecutive calls share one warm pool, so consecutive submissions are
consecutive learners), or the REST API through Django's test client.

- Findings (holes found) were `xfail(strict=True)` with the hole as the reason; all four are
  closed (issue 12b) and their tests are plain regression tests now.
- The other tests are attacks the sandbox blocked when they were written, kept so that it goes
  on blocking them.

Written without reading the runner (apps/sandbox/runner/) or its tests; the full list of
attacks and what they did is in the red-team report for issue 12.
"""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
import tracemalloc
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from apps.curriculum.loader import load_curriculum
from apps.sandbox.backends import ZygotePoolBackend
from apps.sandbox.grading.engine import grade_code

CURRICULUM = load_curriculum()
SOFTMAX = CURRICULUM.exercise("softmax")
RUNNER = ZygotePoolBackend()
PROJECT = Path(__file__).resolve().parents[2]

HONEST = textwrap.dedent(
    """
    import numpy as np

    def softmax(z):
        z = np.asarray(z, dtype=float)
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    """
)


def grade(code: str, **limits: float) -> dict[str, Any]:
    """Grade `code` for softmax like any learner; `limits` override the exercise's limits."""
    exercise = SOFTMAX
    if limits:
        exercise = dataclasses.replace(SOFTMAX, limits={**SOFTMAX.limits, **limits})
    return grade_code(exercise, code, runner=RUNNER).as_json()


def assert_next_learner_unaffected() -> None:
    result = grade(HONEST)
    assert result["status"] == "passed", result["checks"]
    assert result["stdout"] == ""
    assert result["stderr"] == ""


def shown_text(result: dict[str, Any]) -> list[str]:
    """Every string of a result that a page, the API or `grade` shows."""
    texts = [result.get("stdout") or "", result.get("stderr") or ""]
    texts += [check["message"] for check in result.get("checks", [])]
    error = result.get("error") or {}
    texts += [str(value) for value in error.values() if isinstance(value, str)]
    return texts


def unsafe_characters(text: str) -> list[str]:
    """Control characters (C0 but newline and tab, C1), bidi controls and lone surrogates."""
    bad = []
    for char in text:
        if char in "\n\t":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cs") or unicodedata.bidirectional(char) in (
            "LRE",
            "RLE",
            "LRO",
            "RLO",
            "PDF",
            "LRI",
            "RLI",
            "FSI",
            "PDI",
        ):
            bad.append(repr(char))
    return bad


# A learner's helpers to forge their own result frame on the result pipe (fd 3): a 4-byte
# header length, a JSON header, a 4-byte blob count, then (8-byte length, .npy bytes) blobs.
FORGE = HONEST + textwrap.dedent(
    """
    import fcntl, io, json, os, stat, struct

    def result_fd():
        for fd in range(3, 64):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode) and (
                    fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY
                ):
                    return fd
            except OSError:
                pass
        return 3

    KEYS = ["vector", "batch", "large", "negative", "shifted"]

    def npy(array):
        buffer = io.BytesIO()
        np.save(buffer, array, allow_pickle=False)
        return buffer.getvalue()

    def raw_npy(header, data, version=1):
        header = header + " " * ((64 - (len(header) + 11 + 2 * (version > 1)) % 64) % 64) + "\\n"
        size = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
        return b"\\x93NUMPY" + bytes([version, 0]) + size + header.encode("latin-1") + data

    def outcomes(values):
        return {"value": {"__dict__": [["module_error", None], ["outcomes", {"__dict__": [
            [key, {"__dict__": [["ok", True], ["value", value]]}] for key, value in values.items()
        ]}]]}}

    def send(header, blobs=(), header_bytes=None):
        head = header_bytes if header_bytes is not None else json.dumps(header).encode()
        parts = [struct.pack(">I", len(head)), head, struct.pack(">I", len(blobs))]
        for blob in blobs:
            parts += [struct.pack(">Q", len(blob)), blob]
        data = memoryview(b"".join(parts))
        fd = result_fd()
        while data:
            data = data[os.write(fd, data[: 1 << 20]):]
        os._exit(0)
    """
)


# ----------------------------------------------------------------------------------------------
# Findings, fixed: 1 and 2 (learner text neutralised, lone surrogates included), 3 (complex
# results compared in the reals, figures that never crash), 4 (no program can be started)
# ----------------------------------------------------------------------------------------------


def test_lone_surrogate_in_exception_message_is_neutralised() -> None:
    code = HONEST + "\ndef softmax(z):\n    raise ValueError('bad \\ud800 value')\n"
    result = grade(code)
    assert result["status"] == "error"
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # what a page or the API renders
    assert not [bad for text in shown_text(result) for bad in unsafe_characters(text)]


@pytest.mark.django_db
def test_api_submission_with_a_lone_surrogate_message_stays_readable(
    api_client: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api_client.force_authenticate(alice)
    code = "def softmax(z):\n    raise ValueError('\\ud800')\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/exercises/softmax/submissions/", {"code": code}, format="json"
        )
    assert response.status_code == 202
    detail = api_client.get(f"/api/v1/submissions/{response.json()['id']}/")
    assert detail.status_code == 200
    assert detail.json()["status"] == "error"


@pytest.mark.parametrize("how", ["class-name", "forged-frame"])
def test_type_name_of_a_returned_object_is_neutralised(how: str) -> None:
    hostile = "<b>x</b>\\x1b[31m\\u202eevil"
    if how == "class-name":
        code = HONEST + f"\nT = type('{hostile}', (), {{}})\ndef softmax(z):\n    return T()\n"
    else:
        code = (
            FORGE + f"\nsend(outcomes({{k: {{'__unsupported__': '{hostile}'}} for k in KEYS}}))\n"
        )
    result = grade(code)
    assert result["status"] in ("failed", "error")  # "error" if a new wire format refuses the tag
    assert not [bad for text in shown_text(result) for bad in unsafe_characters(text)]


def test_a_complex_result_is_refused_or_keeps_its_figures() -> None:
    code = HONEST + "\n_real = softmax\ndef softmax(z):\n    return _real(z) + 1e-30j\n"
    result = grade(code)
    assert result["status"] != "passed" or result["figures"]


def test_a_learner_cannot_execute_host_binaries() -> None:
    code = HONEST + textwrap.dedent(
        """
        import subprocess
        try:
            ran = subprocess.run(["/bin/sh", "-c", "exit 0"], timeout=3).returncode == 0
        except Exception:
            ran = False
        print("EXEC-RAN" if ran else "EXEC-REFUSED")
        """
    )
    result = grade(code)
    assert result["status"] == "passed"
    assert "EXEC-REFUSED" in result["stdout"]
    assert_next_learner_unaffected()


# ----------------------------------------------------------------------------------------------
# Blocked today: learner-to-learner leaks
# ----------------------------------------------------------------------------------------------

PLANTER = HONEST + textwrap.dedent(
    """
    import os, socket, sys, time, builtins
    SECRET = "-".join(["PLANTED", "QZX", "7319", "secret"])
    os.environ["LEAK"] = SECRET
    KEEP = [SECRET + str(i) for i in range(100)]
    BIG = np.frombuffer((SECRET * 10000).encode(), dtype=np.uint8).copy()
    np.PLANTED = builtins.PLANTED = SECRET
    os.makedirs("/tmp/.hidden", exist_ok=True)
    for path in ("/tmp/leak.txt", "/tmp/.hidden/leak.txt"):
        with open(path, "w") as handle:
            handle.write(SECRET)
    if os.fork() == 0:  # a daemon that would serve the secret on an abstract socket
        try:
            os.setsid()
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            server.bind("\\0red12-leak")
            server.listen(4)
            server.settimeout(20)
            while True:
                conn, _ = server.accept()
                conn.sendall(SECRET.encode())
                conn.close()
        finally:
            os._exit(0)
    time.sleep(0.3)
    """
)

HUNTER = HONEST + textwrap.dedent(
    """
    import builtins, ctypes, gc, json, os, socket, sys
    NEEDLE = bytes(reversed(b"terces-9137-XZQ-DETNALP"))
    found = {}

    def look(name, value):
        data = value if isinstance(value, bytes) else str(value).encode("utf-8", "replace")
        if NEEDLE in data:
            found[name] = data[:80].decode("latin-1")

    look("env", dict(os.environ))
    look("numpy attr", getattr(np, "PLANTED", ""))
    look("builtins attr", getattr(builtins, "PLANTED", ""))
    for root, dirs, files in os.walk("/tmp"):
        for name in files:
            try:
                with open(os.path.join(root, name), "rb") as handle:
                    look("file " + name, handle.read(1 << 20))
            except OSError:
                pass
    try:
        client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        client.settimeout(1)
        client.connect("\\0red12-leak")
        look("abstract socket", client.recv(100))
    except OSError:
        pass
    frame = sys._getframe()
    while frame is not None:
        for key, value in list(frame.f_locals.items()):
            if key not in ("NEEDLE", "found"):
                look("frame " + frame.f_code.co_name + "." + key, repr(value)[:100000])
        frame = frame.f_back
    mine = {id(NEEDLE)}
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            for value in list(obj.values()):
                if isinstance(value, (str, bytes)) and id(value) not in mine:
                    look("gc", value)

    # Memory readable from this process near the heap, numpy's buffers and the interpreter's
    # objects: a page is mapped if write() from it into a pipe succeeds (no /proc needed).
    libc = ctypes.CDLL(None, use_errno=True)
    libc.write.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t]
    libc.write.restype = ctypes.c_ssize_t
    libc.sbrk.restype = ctypes.c_void_p
    rfd, wfd = os.pipe()

    def readable(address):
        if libc.write(wfd, ctypes.c_void_p(address), 1) == 1:
            os.read(rfd, 1)
            return True
        return False

    anchors = {libc.sbrk(0), id(gc), id(sys.modules), np.zeros(1 << 16).ctypes.data}
    pages = set()
    for anchor in anchors:
        base = anchor & ~((1 << 20) - 1)
        for step in range(-384, 384):
            low = base + step * (1 << 20)
            for chunk in range(low, low + (1 << 20), 1 << 16):
                if chunk > 0 and readable(chunk):
                    pages.update(p for p in range(chunk, chunk + (1 << 16), 4096) if readable(p))
    # The needle's own page is skipped: copying it would plant copies of the needle to find.
    own = {id(NEEDLE) & ~4095, (id(NEEDLE) + 64) & ~4095}
    needle_at = id(NEEDLE) + bytes.__basicsize__ - 1
    for page in sorted(pages - own):
        data = ctypes.string_at(page, 4096)
        at = data.find(NEEDLE)
        while at >= 0:
            if page + at != needle_at:
                found["memory %x" % (page + at)] = ctypes.string_at(page + at, 40).decode("latin-1")
            at = data.find(NEEDLE, at + 1)
    print(json.dumps({"pages": len(pages), "found": found}))
    """
)


def test_a_secret_planted_everywhere_is_not_found_by_the_next_learner() -> None:
    planted = grade(PLANTER)
    assert planted["status"] == "passed", planted["checks"]
    hunted = grade(HUNTER, cpu_seconds=15, wall_seconds=30)
    assert hunted["status"] == "passed", hunted["checks"]
    report = json.loads(hunted["stdout"])
    assert report["pages"] > 1000, "the memory scan read a meaningful part of the address space"
    assert report["found"] == {}


def test_a_run_holds_no_earlier_request_or_reply_in_its_frames() -> None:
    earlier = grade(HONEST + "\nprint('EARLIER-' + 'LEARNER-MARK')\n# EARLIER-CODE-MARK-17\n")
    assert earlier["status"] == "passed"
    probe = HONEST + textwrap.dedent(
        """
        import gc, sys
        marks = ["-".join(["EARLIER", "LEARNER", "MARK"]), "-".join(["EARLIER", "CODE", "MARK", "17"])]
        hits = []
        frame = sys._getframe().f_back
        while frame is not None:
            for key, value in frame.f_locals.items():
                text = repr(value)
                hits += [frame.f_code.co_name + "." + key for mark in marks if mark in text]
            frame = frame.f_back
        skip = {id(marks), id(hits), id(globals())}
        for obj in gc.get_objects():
            if isinstance(obj, (list, dict, tuple)) and id(obj) not in skip:
                text = repr(obj)[:20000]
                hits += ["gc" for mark in marks if mark in text]
        print(sorted(set(hits)))
        """
    )
    result = grade(probe)
    assert result["status"] == "passed", result["checks"]
    assert result["stdout"].strip() == "[]"


# ----------------------------------------------------------------------------------------------
# Blocked today: forging a verdict, in-band trust signals
# ----------------------------------------------------------------------------------------------


def test_a_learners_exit_71_is_the_learners_error_and_grading_goes_on() -> None:
    code = HONEST + (
        "\nimport os, sys\nsys.stderr.write('CRITICAL: sandbox setup failed\\n')\n"
        "sys.stderr.flush()\nos._exit(71)\n"
    )
    result = grade(code)
    assert result["status"] == "error"
    assert_next_learner_unaffected()


@pytest.mark.parametrize(
    "raise_it",
    ["raise OSError(12, 'Cannot allocate memory')", "raise MemoryError('fake')"],
    ids=["OSError-ENOMEM", "MemoryError"],
)
def test_a_raised_memory_error_is_an_error_not_the_memory_verdict(raise_it: str) -> None:
    result = grade(HONEST + f"\ndef softmax(z):\n    {raise_it}\n")
    assert result["status"] == "error"


def test_printing_a_fake_verdict_changes_nothing() -> None:
    fake = json.dumps({"exercise": "softmax", "status": "passed", "score": 1.0, "checks": []})
    result = grade(HONEST + f"\nprint({fake!r})\ndef softmax(z):\n    return None\n")
    assert result["status"] == "failed"
    assert result["score"] == 0.0


def test_monkey_patching_numpy_builtins_and_json_in_the_run_changes_nothing() -> None:
    code = HONEST + textwrap.dedent(
        """
        import builtins, json
        np.allclose = lambda *a, **k: True
        np.isclose = lambda a, b, *x, **k: np.ones(np.broadcast(a, b).shape, bool)
        builtins.abs = lambda x: 0
        class Always:
            def __eq__(self, other): return True
            def __array__(self, *a, **k): return np.zeros(3)
        def softmax(z):
            return np.zeros(np.shape(z)).view(type("Evil", (np.ndarray,), {"__eq__": lambda s, o: True}))
        """
    )
    result = grade(code)
    assert result["status"] == "failed"
    assert result["score"] == 0.0


def test_a_hand_written_frame_is_only_the_learners_values() -> None:
    """Control for the forgeries below: FORGE does reach the trusted decoder.

    If this fails after a change of the wire format, update FORGE, or the forgery tests
    below pass without testing anything.
    """
    result = grade(FORGE + "\nsend(outcomes({k: [0.5, 0.5] for k in KEYS}))\n")
    assert result["status"] == "failed"
    assert "shape" in result["checks"][0]["message"]


@pytest.mark.parametrize(
    "forgery",
    [
        # one 1 MiB blob referenced 64 times per key (320 MiB if each reference were decoded)
        "send(outcomes({k: [{'__nd__': 0}] * 64 for k in KEYS}), [npy(np.zeros(1 << 17))])",
        # an .npy v2 header of 8 MiB stuffed into a key nobody reads
        "send(outcomes({'vector': {'__nd__': 0}}), [raw_npy(\"{'descr': '<f8', "
        "'fortran_order': False, 'shape': (1,), 'junk': '\" + 'A' * (8 << 20) + \"'}\", "
        "b'\\0' * 8, version=2)])",
        # a shape that claims 800 GB over 8 bytes of data
        "send(outcomes({'vector': {'__nd__': 0}}), [raw_npy(\"{'descr': '<f8', "
        "'fortran_order': False, 'shape': (100000000000,), }\", b'\\0' * 8)])",
        # an object array: a pickle that would run code in the trusted process
        "import pickle\nclass E:\n    def __reduce__(self): return (print, ('PWNED',))\n"
        "send(outcomes({'vector': {'__nd__': 0}}), [raw_npy(\"{'descr': '|O', "
        "'fortran_order': False, 'shape': (1,), }\", pickle.dumps([E()]))])",
        # a value shaped like a callable spec
        "send(outcomes({k: {'__fn__': {'source': 'f = lambda x: x', 'name': 'f', 'env': {}}} "
        "for k in KEYS}))",
        # 100,000 nested lists and a 200,000-digit integer
        "send(None, header_bytes=b'{\"value\":' + b'[' * 100000 + b']' * 100000 + b'}')",
        'send(None, header_bytes=b\'{"value":{"__dict__":[["module_error",null],["outcomes",'
        '{"__dict__":[["vector",{"__dict__":[["ok",true],["value",\' + b\'9\' * 200000 '
        "+ b']]}]]}]]}}')",
        # header keys nobody expects, and a second frame after a valid first one
        "send({'value': None, 'code': 'x' * 200000, 'status': 'passed'})",
    ],
    ids=[
        "blob-reuse",
        "huge-npy-header",
        "shape-lie",
        "pickled-object",
        "callable-spec",
        "deep-nesting",
        "huge-integer",
        "unknown-keys",
    ],
)
def test_a_forged_result_frame_is_refused_within_a_small_budget(forgery: str) -> None:
    tracemalloc.start()
    try:
        result = grade(FORGE + "\n" + forgery + "\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result["status"] in ("error", "failed")
    assert result["score"] == 0.0
    assert "PWNED" not in json.dumps(result)
    # Measured today: at most 9.5 MiB (the 8 MiB header case); an honest result about 1 MiB.
    assert peak < 24 * 2**20, f"decoding a forged frame allocated {peak / 2**20:.0f} MiB"
    assert_next_learner_unaffected()


# ----------------------------------------------------------------------------------------------
# Blocked today: resource abuse (one CPU and one memory budget per run)
# ----------------------------------------------------------------------------------------------


def test_spinning_children_share_one_cpu_budget() -> None:
    code = HONEST + textwrap.dedent(
        """
        import os, time
        for _ in range(12):
            if os.fork() == 0:
                while True:
                    pass
        time.sleep(20)
        """
    )
    result = grade(code, cpu_seconds=1, wall_seconds=25)
    assert result["status"] == "timeout"
    assert "CPU" in result["checks"][0]["message"]
    assert_next_learner_unaffected()


def test_memory_spread_over_children_counts_against_one_budget() -> None:
    code = HONEST + textwrap.dedent(
        """
        import os, time
        for _ in range(6):
            if os.fork() == 0:
                block = bytearray(40 * 2**20)
                for i in range(0, len(block), 4096):
                    block[i] = 1
                time.sleep(10)
                os._exit(0)
        time.sleep(10)
        """
    )
    result = grade(code, memory_mb=160, wall_seconds=15)
    assert result["status"] == "memory"
    assert_next_learner_unaffected()


def test_a_fork_bomb_is_capped_and_a_daemon_does_not_outlive_its_run() -> None:
    code = HONEST + textwrap.dedent(
        """
        import ctypes, os, time
        forked = 0
        started = time.time()
        while time.time() - started < 1.5:
            try:
                pid = os.fork()
            except OSError:
                break
            if pid == 0:
                os.setsid()
                ctypes.CDLL(None).prctl(15, b"red12-daemon", 0, 0, 0)  # PR_SET_NAME
                time.sleep(60)
                os._exit(0)
            forked += 1
        print(forked)
        """
    )
    result = grade(code, wall_seconds=10)
    assert result["status"] == "passed", result["checks"]
    assert int(result["stdout"]) < 100
    survivors = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as handle:
                if handle.read().strip() == "red12-daemon":
                    survivors.append(pid)
        except OSError:
            pass
    assert survivors == []
    assert_next_learner_unaffected()


def test_a_flood_of_output_is_capped_and_control_characters_are_neutralised() -> None:
    code = HONEST + textwrap.dedent(
        """
        import os, sys
        os.write(1, b"\\x1b]0;owned\\x07\\x1b[2J\\r\\x00" + "\\u202e".encode() + b"\\xff\\xfe\\n")
        sys.stdout.write("A" * (20 * 2**20))
        sys.stdout.flush()
        sys.stderr.write("\\x1b[31m" + "B" * (20 * 2**20))
        """
    )
    result = grade(code)
    assert result["status"] == "passed"
    assert len(result["stdout"]) < 2**20
    assert len(result["stderr"]) < 2**20
    assert not [bad for text in shown_text(result) for bad in unsafe_characters(text)]


# ----------------------------------------------------------------------------------------------
# Blocked today: escape and information
# ----------------------------------------------------------------------------------------------

SYSCALL_PROBE = HONEST + textwrap.dedent(
    """
    import ctypes, json
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    buf = ctypes.create_string_buffer(4096)
    HI = 1 << 32
    PROBES = {
        "ptrace": (101, 0, 0, 0, 0), "process_vm_readv": (310, 1, 0, 0, 0, 0, 0),
        "mount": (165, b"none", b"/tmp", b"tmpfs", 0, 0), "unshare-user": (272, 0x10000000),
        "setns": (308, 0, 0), "chroot": (161, b"/tmp"), "pivot_root": (155, b"/tmp", b"/tmp"),
        "keyctl": (250, 0, -3, 0), "add_key": (248, b"user", b"k", b"v", 1, -2),
        "bpf": (321, 0, buf, 64), "perf_event_open": (298, buf, 0, -1, -1, 0),
        "userfaultfd": (323, 0), "io_uring_setup": (425, 8, buf), "io_setup": (206, 8, buf),
        "modify_ldt": (154, 0, buf, 16), "memfd_secret": (447, 0),
        "landlock_create_ruleset": (444, 0, 0, 1), "pidfd_open": (434, 1, 0),
        "pidfd_getfd": (438, 0, 0, 0), "open_by_handle_at": (304, 0, buf, 0),
        "personality": (135, 0x0400000), "setuid-0": (105, 0), "sethostname": (170, b"x", 1),
        "kexec_load": (246, 0, 0, 0, 0), "init_module": (175, 0, 0, b""),
        "clone-newuser": (56, 0x10000000 | 17, 0, 0, 0, 0),
        "clone-high-bits": (56, HI | 0x40000000 | 17, 0, 0, 0, 0),
        "socket-inet": (41, 2, 1, 0), "socket-inet6": (41, 10, 2, 0),
        "socket-netlink": (41, 16, 3, 0), "socket-packet": (41, 17, 3, 0),
        "socket-inet-high-bits": (41, HI | 2, 1, 0), "ioctl-tiocsti": (16, 0, 0x5412, buf),
        "ioctl-tiocsti-high-bits": (16, 0, HI | 0x5412, buf), "prctl-set-mm": (157, 35, 1, 0, 0, 0),
        "x32-getpid": (0x40000000 | 39,), "future-syscall": (1000,),
    }
    out = {}
    for name, (nr, *args) in PROBES.items():
        ctypes.set_errno(0)
        args = [ctypes.c_long(a) if isinstance(a, int) else a for a in args]
        out[name] = [libc.syscall(ctypes.c_long(nr), *args), ctypes.get_errno()]
    print(json.dumps(out))
    """
)


def test_seccomp_refuses_a_sample_of_dangerous_syscalls() -> None:
    result = grade(SYSCALL_PROBE)
    assert result["status"] == "passed", result["checks"]
    answers = json.loads(result["stdout"])
    allowed = {name: answer for name, answer in answers.items() if answer[0] >= 0}
    assert allowed == {}
    assert_next_learner_unaffected()


def test_the_32_bit_syscall_abi_kills_the_run() -> None:
    code = HONEST + textwrap.dedent(
        """
        import ctypes, mmap
        # push rbx; mov eax, 20 (i386 getpid); int 0x80; pop rbx; ret
        machine = b"\\x53\\xb8\\x14\\x00\\x00\\x00\\xcd\\x80\\x5b\\xc3"
        page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        page.write(machine)
        address = ctypes.addressof(ctypes.c_char.from_buffer(page))
        print("i386 getpid returned", ctypes.CFUNCTYPE(ctypes.c_int)(address)())
        """
    )
    result = grade(code)
    assert result["status"] == "error"
    assert "returned" not in result["stdout"]
    assert_next_learner_unaffected()


def test_the_run_sees_no_network_host_project_or_secrets() -> None:
    code = HONEST + textwrap.dedent(
        """
        import json, os, socket
        def attempt(action):
            try:
                action()
                return "ok"
            except Exception as error:
                return type(error).__name__
        print(json.dumps({
            "hostname": socket.gethostname(),
            "env": sorted(os.environ),
            "proc": os.path.exists("/proc/self"),
            "project": [p for p in PROJECT_FILES if os.path.exists(p)],
            "inet": attempt(lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM)),
            "write-venv": attempt(lambda: open(np.__file__, "a")),
            "fds": [fd for fd in range(64) if attempt(lambda fd=fd: os.fstat(fd)) == "ok"],
        }))
        """
    )
    files = [
        str(PROJECT / name) for name in ("platform/settings.py", "db.sqlite3", "manage.py", "apps")
    ]
    result = grade(f"PROJECT_FILES = {files!r}\n" + code)
    assert result["status"] == "passed", result["checks"]
    seen = json.loads(result["stdout"])
    assert seen["hostname"] == "sandbox"
    assert not {
        name for name in seen["env"] if "SECRET" in name or "DATABASE" in name or "REDIS" in name
    }
    assert set(seen["env"]) <= {
        "PATH",
        "LANG",
        "HOME",
        "OPENBLAS_NUM_THREADS",
        "OMP_NUM_THREADS",
        "MKL_NUM_THREADS",
        "LC_ALL",
        "PYTHONHASHSEED",
    }
    assert seen["proc"] is False
    assert seen["project"] == []
    assert seen["inet"] != "ok"
    assert seen["write-venv"] != "ok"
    assert len(seen["fds"]) <= 4, "stdin, stdout, stderr and the result pipe, nothing inherited"


# ----------------------------------------------------------------------------------------------
# Blocked today: one learner reading another's work through the API
# ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_student_never_sees_another_students_code_output_or_result(
    api_client: Any, alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    api_client.force_authenticate(alice)
    code = HONEST + "\nprint('ALICE-OUTPUT-' + '5521')\n# ALICE-CODE-5521\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v1/exercises/softmax/submissions/", {"code": code}, format="json"
        )
    assert response.status_code == 202
    submission_id = response.json()["id"]
    mine = api_client.get(f"/api/v1/submissions/{submission_id}/").json()
    assert mine["status"] == "passed"
    assert "ALICE-OUTPUT-5521" in mine["stdout"]

    api_client.force_authenticate(bob)
    seen = [
        api_client.get(f"/api/v1/submissions/{submission_id}/"),
        api_client.get("/api/v1/exercises/softmax/submissions/"),
        api_client.get(f"/api/v1/exercises/softmax/submissions/?user={alice.pk}"),
        api_client.get("/api/v1/progress/me/"),
    ]
    assert seen[0].status_code == 404
    for response in seen:
        assert "ALICE-" not in response.content.decode()
