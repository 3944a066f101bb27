"""The zygote: a clean ``python -I`` process that forks one isolated child per submission.

Started by the pool (never forked from Django or Celery) with a clean environment. At start it
imports NumPy and the stdlib modules lessons use, enters private mount and network
namespaces (as root, or inside a user namespace when not root), pivots into the read-only
sandbox root, and then serves run requests on its stdin/stdout. It never runs learner code
itself: per request it forks a first stage A (new session; new mount, IPC, UTS and PID
namespaces; private /tmp; slot cgroups), whose child B is PID 1 of the new namespace and runs
the learner's code after dropping privileges and loading the seccomp filter.

Usage: python -I zygote.py SLOT UID GID MODE      (MODE is "root" or "userns")
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Pre-imported so learners never pay for them (and so they work whatever the mount view).
import bisect  # noqa: F401
import cmath  # noqa: F401
import collections  # noqa: F401
import copy  # noqa: F401
import dataclasses  # noqa: F401
import decimal  # noqa: F401
import fractions  # noqa: F401
import functools  # noqa: F401
import heapq  # noqa: F401
import itertools  # noqa: F401
import json  # noqa: F401
import math  # noqa: F401
import operator  # noqa: F401
import random  # noqa: F401
import re  # noqa: F401
import statistics  # noqa: F401
import string  # noqa: F401
import textwrap  # noqa: F401
import typing  # noqa: F401

import numpy
import numpy.fft
import numpy.linalg
import numpy.random  # noqa: F401
import protocol
import rootfs
import supervisor
import syscalls as sc
from cgroups import SlotCgroups

RECYCLE_HINT = "the pool restarts zygotes; this one serves until its stdin closes"


def _enter_user_namespace(uid: int, gid: int) -> None:
    """Unprivileged mode: map our host uid to the slot uid inside a new user namespace."""
    host_uid, host_gid = os.getuid(), os.getgid()
    sc.unshare(sc.CLONE_NEWUSER | sc.CLONE_NEWNS | sc.CLONE_NEWNET)
    with open("/proc/self/setgroups", "w") as setgroups:
        setgroups.write("deny")
    with open("/proc/self/uid_map", "w") as uid_map:
        uid_map.write(f"{uid} {host_uid} 1")
    with open("/proc/self/gid_map", "w") as gid_map:
        gid_map.write(f"{gid} {host_gid} 1")


def _isolate(slot: int, uid: int, gid: int, mode: str) -> tuple[SlotCgroups | None, list[str]]:
    """Set up everything shared by this zygote's children; returns the cgroups and layers."""
    layers = []
    sc.prctl(sc.PR_SET_CHILD_SUBREAPER, 1)
    cgroups = None
    if mode == "root":
        try:
            cgroups = SlotCgroups.open(slot)
            layers.append("cgroups(memory+swap, pids)")
        except OSError:
            cgroups = None  # RLIMIT_AS and RLIMIT_NPROC still apply
        sc.unshare(sc.CLONE_NEWNS | sc.CLONE_NEWNET)
        layers.append("network namespace (empty)")
    else:
        _enter_user_namespace(uid, gid)
        layers += ["user namespace", "network namespace (empty)"]
    rootfs.enter_sandbox_root(rootfs.build_mountpoint(), uid, gid)
    layers.append("read-only pivot_root filesystem")
    return cgroups, layers


def _serve(control_in: int, control_out: int, worker: supervisor.Supervisor) -> None:
    while True:
        try:
            header, blobs = protocol.receive(control_in)
        except protocol.ProtocolError:
            return  # the pool went away
        if header.get("op") != "run" or len(blobs) != 1:
            protocol.send(control_out, {"status": "bad_request"})
            continue
        reply, outputs = worker.run(header, blobs[0])
        protocol.send(control_out, reply, outputs)


def main(argv: list[str]) -> int:
    slot, uid, gid, mode = int(argv[1]), int(argv[2]), int(argv[3]), argv[4]
    # The control pipes move off 0/1 so nothing printed by accident can corrupt them.
    control_in, control_out = os.dup(0), os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)
    try:
        base_vm = supervisor.virtual_memory_bytes()
        cgroups, layers = _isolate(slot, uid, gid, mode)
        worker = supervisor.Supervisor(
            uid=uid, gid=gid, drop_uid=mode == "root", cgroups=cgroups, base_vm=base_vm
        )
    except Exception as exc:
        protocol.send(control_out, {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"})
        return 1
    layers += worker.layers
    protocol.send(control_out, {"status": "ready", "layers": layers, "pid": os.getpid()})
    _serve(control_in, control_out, worker)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
