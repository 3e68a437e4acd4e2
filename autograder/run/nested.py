"""A fresh private view for one run forked from a warm worker, made with kernel namespaces.

The warm worker already lives in the bubblewrap sandbox. Each submission it runs gets, on top of
that, its own user, mount, pid, IPC and UTS namespaces: it can signal only its own processes,
and sees a fresh /tmp, its scratch folder at /scratch, its submission read-only at
/submission, and nothing of the folder the warm worker is handed jobs through. Then every
capability is dropped, so none of it can be undone. Python 3.11 has no ``os.unshare`` or
``mount``: they are called through libc with ctypes (small, fixed system calls).
"""

from __future__ import annotations

import ctypes
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_DUMPABLE = 4
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
CAPABILITY_VERSION_3 = 0x20080522
LAST_CAPABILITY = 63

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def enter_namespaces() -> None:
    """Unshare user, mount, pid, IPC and UTS namespaces, keeping the same uid and gid inside.

    The caller must be single-threaded (a freshly forked child is). Its next child is pid 1 of
    the new pid namespace.
    """
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    _check(_libc.unshare(flags), "unshare")
    with open("/proc/self/setgroups", "w") as stream:
        stream.write("deny")
    with open("/proc/self/uid_map", "w") as stream:
        stream.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as stream:
        stream.write(f"{gid} {gid} 1")


def _mount(source: str, target: str, fstype: str | None, flags: int, data: str | None) -> None:
    encode = lambda s: s.encode() if s is not None else None  # noqa: E731
    result = _libc.mount(encode(source), encode(target), encode(fstype), flags, encode(data))
    _check(result, f"mount {target}")


def private_view(
    run_dir: str, jobs_dir: str, scratch: str, submission: str, keep: tuple[str, ...] = ()
) -> None:
    """In the new namespaces: show this run's folders only, and a fresh /tmp, through which
    the folders of ``keep`` (the Python environment, when it lives under /tmp) still show.

    /proc stays the sandbox's (the kernel refuses a new one under bubblewrap's read-only parts
    of it): the run sees the warm worker's pid there but can neither signal it (another pid
    namespace) nor open its files (it is not dumpable, see ``set_dumpable``).
    """
    _mount("none", "/", None, MS_REC | MS_PRIVATE, None)
    _mount(f"{run_dir}/scratch", scratch, None, MS_BIND | MS_REC, None)
    _mount(f"{run_dir}/submission", submission, None, MS_BIND | MS_REC, None)
    _mount("none", submission, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, None)
    _mount("tmpfs", jobs_dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "size=4k")
    kept = [os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep]
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    for path, handle in zip(keep, kept, strict=True):  # a bind keeps its source's read-only
        os.makedirs(path, exist_ok=True)
        _mount(f"/proc/self/fd/{handle}", path, None, MS_BIND | MS_REC, None)
        os.close(handle)
    if os.path.isdir("/dev/shm"):
        _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")


def set_dumpable(dumpable: bool) -> None:
    """Whether other processes of the same user may open this one's /proc files or trace it."""
    _check(_libc.prctl(PR_SET_DUMPABLE, int(dumpable), 0, 0, 0), "prctl(DUMPABLE)")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def drop_capabilities() -> None:
    """Drop every capability for good: bounding set, then effective/permitted/inheritable, and
    no new privileges on exec."""
    for capability in range(LAST_CAPABILITY + 1):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # EINVAL past the last one: fine
    header = _CapHeader(CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    _check(_libc.capset(ctypes.byref(header), ctypes.byref(data)), "capset")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(NO_NEW_PRIVS)")


def capabilities() -> int:
    """The effective capability mask from /proc/self/status (0 once dropped)."""
    with open("/proc/self/status") as stream:
        for line in stream:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return -1
