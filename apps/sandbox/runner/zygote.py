"""The zygote: a clean ``python -I`` process that forks one isolated run per submission.

Started by the pool (never forked from Django or Celery) with a clean environment and one
AF_UNIX control socket. At start it imports NumPy and the stdlib modules lessons use, opens
the slot's cgroups, enters private mount, UTS (hostname "sandbox") and network namespaces (as
root, or inside a user namespace when not root) and pivots into the read-only sandbox root.
Then it serves: each control message carries a run's limits and the run's pipe ends, and the
zygote starts the run (see supervisor.py: as root, in a process it forked ahead, between
runs) and answers with numbers. It never receives, holds
or sends a submission's code, inputs, results or output, and never runs learner code itself.

Started as ``python -I -B -c BOOTSTRAP PROJECT_ROOT CONTROL_FD SLOT UID GID MODE`` (MODE is
"root" or "userns"); see pool.py.
"""

from __future__ import annotations

# Pre-imported so learners never pay for them (and so they work whatever the mount view).
import bisect  # noqa: F401
import cmath  # noqa: F401
import collections  # noqa: F401
import contextlib
import copy  # noqa: F401
import dataclasses  # noqa: F401
import decimal  # noqa: F401
import fractions  # noqa: F401
import functools  # noqa: F401
import gc
import heapq  # noqa: F401
import itertools  # noqa: F401
import json  # noqa: F401
import math  # noqa: F401
import operator  # noqa: F401
import os
import random  # noqa: F401
import re  # noqa: F401
import select
import socket
import statistics  # noqa: F401
import string  # noqa: F401
import sys
import textwrap  # noqa: F401
import typing  # noqa: F401

import numpy
import numpy.fft
import numpy.linalg
import numpy.random  # noqa: F401

from . import cgroups, child, control, dlplot, rootfs, seccomp
from . import syscalls as sc
from .confine import RUN_ENV, Confinement, RunFds, RunLimits
from .exchange import RUN_FD_NAMES
from .supervisor import Supervisor

HOSTNAME = "sandbox"
# How long after a report the next run's process is forked, unless a run comes first.
SPARE_AFTER_SECONDS = 0.0005
# Learner code imports the plotting module by its short name; there is no file to find.
sys.modules["dlplot"] = dlplot


def _enter_user_namespace(uid: int, gid: int) -> None:
    """Unprivileged mode: map our host uid to the slot uid inside a new user namespace."""
    host_uid, host_gid = os.getuid(), os.getgid()
    sc.unshare(sc.CLONE_NEWUSER | sc.CLONE_NEWNS | sc.CLONE_NEWNET | sc.CLONE_NEWUTS)
    with open("/proc/self/setgroups", "w") as setgroups:
        setgroups.write("deny")
    with open("/proc/self/uid_map", "w") as uid_map:
        uid_map.write(f"{uid} {host_uid} 1")
    with open("/proc/self/gid_map", "w") as gid_map:
        gid_map.write(f"{gid} {host_gid} 1")


def _virtual_memory_bytes() -> int:
    """This process's address-space size (needs /proc: call before the pivot)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _own_pid_namespace() -> int | None:
    """A descriptor on this process's PID namespace (needs /proc: call before the pivot), if
    it can return there and unshare a fresh one for its next child; else None (stage A
    forks the run's PID 1 instead, see confine.py)."""
    fd = os.open("/proc/self/ns/pid", os.O_RDONLY | os.O_CLOEXEC)
    try:
        sc.unshare(sc.CLONE_NEWPID)
        sc.setns(fd, sc.CLONE_NEWPID)
    except OSError:
        os.close(fd)
        return None
    return fd


def _isolate(slot: int, uid: int, gid: int, mode: str) -> tuple[Confinement, list[str]]:
    """Set up everything shared by this zygote's runs; returns it and the layers for the pool."""
    layers = []
    sc.prctl(sc.PR_SET_CHILD_SUBREAPER, 1)
    base_vm = _virtual_memory_bytes()
    slot_cgroups = None
    if mode == "root":
        try:
            slot_cgroups = cgroups.open_slot(slot)
            layers.append("cgroups per run (cpu quota + cpuacct, memory + swap, pids)")
        except OSError:
            slot_cgroups = None  # the single-process budget applies (fork refused)
        sc.unshare(sc.CLONE_NEWNS | sc.CLONE_NEWNET | sc.CLONE_NEWUTS)
    else:
        _enter_user_namespace(uid, gid)
        layers.append("user namespace")
    if slot_cgroups is None:
        layers.append("single-process budget (fork refused; rlimits CPU and address space)")
    pid_namespace = _own_pid_namespace() if mode == "root" else None
    socket.sethostname(HOSTNAME)
    layers += ["network namespace (empty)", f"hostname {HOSTNAME!r}"]
    rootfs.enter_sandbox_root(rootfs.build_mountpoint(), uid, gid)
    layers.append("read-only pivot_root filesystem")
    confinement = Confinement(
        uid=uid,
        gid=gid,
        drop_uid=mode == "root",
        seccomp_program=sc.SeccompProgram(
            seccomp.build_filter(allow_fork=slot_cgroups is not None)
        ),
        cgroups=slot_cgroups,
        base_vm=base_vm,
        pid_namespace=pid_namespace,
    )
    layers += [
        "mount/ipc/uts/pid namespaces per run",
        "private tmpfs /tmp",
        "rlimits",
        "uid drop" if mode == "root" else "capabilities dropped",
        "no_new_privs",
        "seccomp",
    ]
    return confinement, layers


def _warm_up() -> None:
    """Run once what every run runs first, on dummy data: NumPy's seeding, the request
    decoder, the compiler, the result encoder. Their lazy caches and first-use set-up then
    live in the zygote's memory, shared by every run, instead of being built again in each
    run's own copied pages. The zygote still never sees a submission."""
    child.reseed()
    child.rehearse()
    # Everything the zygote holds now is kept out of the cyclic collector's reach: a run's
    # collections then never walk (and so never write to, and copy) the zygote's pages.
    gc.collect()
    gc.freeze()


def _serve(channel: socket.socket, supervisor: Supervisor) -> None:
    while True:
        # The next run's process is forked while the slot waits (see fork_spare), but not at
        # once: the pool's process, just woken by the report, is often placed on this core,
        # and would wait out the fork (1-2 ms). Half a millisecond lets it start elsewhere,
        # yet the fork is done before a pool grading back to back sends the next run (~2 ms
        # after the report: a 2 ms pause made such runs wait for the fork). A run that comes
        # first is handed a fresh fork (as without a spare). A failure here is tried again,
        # and reported, when the run comes.
        if not select.select([channel], [], [], SPARE_AFTER_SECONDS)[0]:
            with contextlib.suppress(OSError):
                supervisor.fork_spare()
        try:
            message, fds = control.receive(channel, max_fds=len(RUN_FD_NAMES))
        except control.ControlError:
            return  # the pool went away
        try:
            if message.get("op") != "run" or len(fds) != len(RUN_FD_NAMES):
                raise ValueError("not a run request")
            limits = RunLimits.from_message(message)
        except ValueError as exc:
            for fd in fds:
                os.close(fd)
            control.send(channel, {"status": "bad_request", "reason": str(exc)})
            continue
        control.send(channel, supervisor.run(limits, RunFds(*fds)))


def main(argv: list[str]) -> int:
    control_fd, slot, uid, gid = (int(arg) for arg in argv[1:5])
    mode = argv[5]
    argv.clear()  # every run is forked under this frame: keep the project path out of it
    sys.argv[1:] = []
    channel = socket.socket(fileno=control_fd)
    os.environ.clear()
    os.environ.update(RUN_ENV)
    try:
        confinement, layers = _isolate(slot, uid, gid, mode)
        supervisor = Supervisor(confinement)
        _warm_up()
    except Exception as exc:
        control.send(channel, {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"})
        return 1
    ready = {"status": "ready", "layers": layers, "pid": os.getpid(), "budget": supervisor.budget}
    control.send(channel, ready)
    try:
        _serve(channel, supervisor)
    finally:
        supervisor.discard_spare()
    return 0


def bootstrap(argv: list[str]) -> None:
    """Entry point from the pool's ``-c`` command line (argv[0] is the project root)."""
    sys.exit(main(argv))
