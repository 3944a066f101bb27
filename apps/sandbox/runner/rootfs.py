"""Build the sandbox's root filesystem once, in the zygote's private mount namespace.

The root is a small read-only tmpfs holding read-only, nosuid binds of only what the warm
interpreter needs: its standard library (with lib-dynload), the site-packages NumPy lives in,
the directory of libpython, and the system's shared-library directories (the multiarch and
lib64 directories, the locale data, and every directory a library the zygote has mapped
comes from), plus the usrmerge symlinks, a minimal /dev and /etc, and an empty /tmp (each run
mounts its own tmpfs there). Nothing else of the host exists inside: no /proc, no /home, no
project files, no host /tmp, and none of /usr's programs or configuration (/usr/bin,
/usr/sbin, /usr/local/bin, /usr/local/etc, /usr/share...). A run cannot start a program
anyway (seccomp refuses execve); this keeps the host's software and its world-readable
configuration out of sight, and leaves no setuid binary to look at.
"""

from __future__ import annotations

import functools
import os
import sys
import sysconfig

from . import syscalls as sc

DEVICES_RW = ("null", "zero")
DEVICES_RO = ("random", "urandom")
TOP_LEVEL = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")  # usrmerge symlinks, kept
# Where shared libraries live. Only the library directories themselves are bound (/usr/lib
# holds compilers, language runtimes and more besides); the multiarch name is added below.
LIBRARY_ROOTS = ("/lib", "/usr/lib")
LIBRARY_DIRS = ("/lib64", "/usr/lib64", "/usr/lib/locale")
# A directory a mapped library comes from is bound only under one of these (never, say, a
# checkout that happens to hold a shared object).
SYSTEM_PREFIXES = ("/usr/", "/lib")
SHARED_ETC_FILES = ("ld.so.cache",)  # the dynamic linker's index: no secrets in it
# Interpreter directories that live under /tmp (a venv in a CI checkout under /tmp) are
# hidden by each run's private /tmp; they are bound here too and bound back per run.
STASH = "/.python-under-tmp"
MOUNTPOINT_CANDIDATES = ("/tmp", "/mnt", "/media", "/srv", "/opt", "/var/tmp")


def is_under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def python_dirs_under_tmp() -> list[tuple[str, str]]:
    """(stash path in the sandbox root, path the interpreter expects) for dirs under /tmp."""
    return [
        (f"{STASH}/{index}", path)
        for index, path in enumerate(bound_dirs())
        if is_under(path, "/tmp")
    ]


def build_mountpoint() -> str:
    """A host directory to build the root on that hides none of the directories it binds."""
    needed = [*bound_dirs(), "/dev", "/etc"]
    for candidate in MOUNTPOINT_CANDIDATES:
        usable = os.path.isdir(candidate) and not os.path.islink(candidate)
        if usable and not any(is_under(path, candidate) for path in needed):
            return candidate
    raise RuntimeError("no directory to build the sandbox root on hides nothing it needs")


def _outermost(paths: set[str]) -> list[str]:
    outermost: list[str] = []
    for path in sorted(paths):
        if not any(is_under(path, parent) for parent in outermost):
            outermost.append(path)
    return outermost


def python_dirs() -> set[str]:
    """The standard library (and lib-dynload), every site-packages directory on sys.path, and
    the directory of libpython when the interpreter links it."""
    paths = sysconfig.get_paths()
    candidates = {paths["stdlib"], paths["platstdlib"]}
    for entry in sys.path:
        name = os.path.basename(entry)
        if name in ("site-packages", "dist-packages", "lib-dynload") and os.path.isdir(entry):
            candidates.add(entry)
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        candidates.add(str(sysconfig.get_config_var("LIBDIR")))
    return {os.path.realpath(path) for path in candidates if os.path.isdir(path)}


def _mapped_library_dirs() -> set[str]:
    """Directories of the shared objects this process has mapped (needs /proc)."""
    try:
        executable = os.path.realpath("/proc/self/exe")
        with open("/proc/self/maps") as maps:
            fields = [line.split(maxsplit=5) for line in maps]
    except OSError:
        return set()
    found = set()
    for name in {parts[5].strip() for parts in fields if len(parts) == 6}:
        path = os.path.realpath(name)
        if name.startswith("/") and path != executable and os.path.isfile(path):
            found.add(os.path.dirname(path))
    return found


def library_dirs() -> set[str]:
    """The system's shared-library directories (dlopen'ed later by lazy imports), and the
    directory of every library this process has mapped, within SYSTEM_PREFIXES."""
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    candidates = set(LIBRARY_DIRS)
    if multiarch:
        candidates.update(os.path.join(root, multiarch) for root in LIBRARY_ROOTS)
    found = {os.path.realpath(path) for path in candidates if os.path.isdir(path)}
    found.update(path for path in _mapped_library_dirs() if path.startswith(SYSTEM_PREFIXES))
    return found


@functools.cache
def bound_dirs() -> list[str]:
    """Every host directory bound into the root (python_dirs and library_dirs), outermost.

    Cached: first called on the host filesystem, before the pivot, and the answer must not
    change afterwards (inside the root, stashed directories are no longer where they were).
    """
    return _outermost(python_dirs() | library_dirs())


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
    stashed = dict((path, stash) for stash, path in python_dirs_under_tmp())
    for path in bound_dirs():
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
