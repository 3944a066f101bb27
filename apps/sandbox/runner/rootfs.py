"""Build the sandbox's root filesystem once, in the zygote's private mount namespace.

The root is a small read-only tmpfs holding read-only binds of the system (/usr and the
usrmerge symlinks), the interpreter prefix and the site-packages NumPy lives in, a minimal
/dev and /etc, and an empty /tmp (each run mounts its own tmpfs there). Nothing else of the
host exists inside: no /proc, no /home, no project files, no host /tmp.
"""

from __future__ import annotations

import functools
import os
import sys

from . import syscalls as sc

DEVICES_RW = ("null", "zero")
DEVICES_RO = ("random", "urandom")
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")
SHARED_ETC_FILES = ("ld.so.cache",)  # the dynamic linker's index: no secrets in it
# Interpreter directories that live under /tmp (a venv in a CI checkout under /tmp) are
# hidden by each run's private /tmp; they are bound here too and bound back per run.
STASH = "/.python-under-tmp"
MOUNTPOINT_CANDIDATES = ("/tmp", "/mnt", "/media", "/srv", "/opt", "/var/tmp")


def _under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def python_dirs_under_tmp() -> list[tuple[str, str]]:
    """(stash path in the sandbox root, path the interpreter expects) for dirs under /tmp."""
    return [
        (f"{STASH}/{index}", path)
        for index, path in enumerate(python_dirs())
        if _under(path, "/tmp")
    ]


def build_mountpoint() -> str:
    """A host directory to build the root on that hides none of the directories it binds."""
    needed = [*python_dirs(), "/usr", "/dev", "/etc"]
    for candidate in MOUNTPOINT_CANDIDATES:
        usable = os.path.isdir(candidate) and not os.path.islink(candidate)
        if usable and not any(_under(path, candidate) for path in needed):
            return candidate
    raise RuntimeError("no directory to build the sandbox root on hides nothing it needs")


@functools.cache
def python_dirs() -> list[str]:
    """The interpreter prefix and every site-packages directory on sys.path, outermost only.

    Cached: first called on the host filesystem, before the pivot, and the answer must not
    change afterwards (inside the root, stashed directories are no longer where they were).
    """
    candidates = {os.path.realpath(sys.base_prefix)}
    for entry in sys.path:
        if os.path.basename(entry) in ("site-packages", "dist-packages") and os.path.isdir(entry):
            candidates.add(os.path.realpath(entry))
    outermost: list[str] = []
    for path in sorted(candidates):
        if not any(path.startswith(parent + os.sep) for parent in outermost):
            outermost.append(path)
    return [path for path in outermost if not path.startswith("/usr/")]


def _bind(source: str, target: str, *, read_only: bool = True, devices: bool = False) -> None:
    sc.mount(source, target, None, sc.MS_BIND)
    flags = sc.MS_REMOUNT | sc.MS_BIND | sc.MS_NOSUID
    if read_only:
        flags |= sc.MS_RDONLY
    if not devices:
        flags |= sc.MS_NODEV
    sc.mount(None, target, None, flags)


def _make_dirs(root: str, path: str) -> str:
    """Create ``path`` under ``root`` with every component 0755 (the host's /root is 0700)."""
    target = root
    for part in path.strip("/").split("/"):
        target = os.path.join(target, part)
        if not os.path.isdir(target):
            os.mkdir(target, 0o755)
            os.chmod(target, 0o755)
    return target


def _populate(root: str, uid: int, gid: int) -> None:
    for name in TOP_LEVEL:
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), os.path.join(root, name))
        elif os.path.isdir(host):
            _bind(host, _make_dirs(root, host))
    _bind("/usr", _make_dirs(root, "/usr"))
    stashed = dict((path, stash) for stash, path in python_dirs_under_tmp())
    for path in python_dirs():
        _bind(path, _make_dirs(root, stashed.get(path, path)))

    etc = _make_dirs(root, "/etc")
    with open(os.path.join(etc, "passwd"), "w") as passwd:
        passwd.write(f"learner:x:{uid}:{gid}:learner:/tmp:/usr/sbin/nologin\n")
    with open(os.path.join(etc, "group"), "w") as group:
        group.write(f"learner:x:{gid}:\n")
    with open(os.path.join(etc, "hosts"), "w") as hosts:
        hosts.write("127.0.0.1 localhost\n")
    for name in SHARED_ETC_FILES:
        host = os.path.join("/etc", name)
        if os.path.isfile(host):
            open(os.path.join(etc, name), "w").close()
            _bind(host, os.path.join(etc, name))

    dev = _make_dirs(root, "/dev")
    for name in DEVICES_RW + DEVICES_RO:
        open(os.path.join(dev, name), "w").close()
        _bind(f"/dev/{name}", os.path.join(dev, name), read_only=name in DEVICES_RO, devices=True)
    _make_dirs(root, "/tmp")


def rebind_python_under_tmp() -> None:
    """After a run's /tmp is mounted: put back (read-only) interpreter dirs that lived there."""
    for stash, path in python_dirs_under_tmp():
        target = "/"
        for part in path.strip("/").split("/"):
            target = os.path.join(target, part)
            if not os.path.isdir(target):
                os.mkdir(target, 0o755)
        _bind(stash, path)


def enter_sandbox_root(mountpoint: str, uid: int, gid: int) -> None:
    """Build the root on ``mountpoint`` and pivot into it; the old root is detached."""
    sc.mount(None, "/", None, sc.MS_REC | sc.MS_PRIVATE)
    sc.mount("tmpfs", mountpoint, "tmpfs", sc.MS_NOSUID | sc.MS_NODEV, "size=4m,mode=0755")
    _populate(mountpoint, uid, gid)
    old_root = os.path.join(mountpoint, ".old-root")
    os.mkdir(old_root, 0o700)
    sc.pivot_root(mountpoint, old_root)
    os.chdir("/")
    sc.umount2("/.old-root", sc.MNT_DETACH)
    os.rmdir("/.old-root")
    # Read-only: every run shares this tmpfs, so nothing may be left in it for the next.
    sc.mount(None, "/", None, sc.MS_REMOUNT | sc.MS_RDONLY | sc.MS_NOSUID | sc.MS_NODEV)
