"""A throwaway PostgreSQL server for the session: initdb into a temporary folder, started on a
free loopback port (as an unprivileged user when the tests run as root), stopped at the end."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

UNPRIVILEGED = "nobody"


def _postgres_bin() -> Path | None:
    """Where initdb and pg_ctl are: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """``postgresql://`` URL of a fresh, empty database on a server that lives for the session."""
    pytest.importorskip("psycopg", reason="psycopg (pyproject) is not installed")
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (`make system` installs Debian's postgresql)")
    prefix: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="c1w2-pg-"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser") or shutil.which("setpriv")
        if runuser is None:
            shutil.rmtree(folder)
            pytest.skip("running as root without runuser or setpriv to start PostgreSQL")
        if runuser.endswith("runuser"):
            prefix = [runuser, "-u", UNPRIVILEGED, "--"]
        else:
            prefix = [runuser, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
        shutil.chown(folder, user=UNPRIVILEGED)
    data, port = folder / "data", _free_port()

    def run(*command: str) -> None:
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd=folder)
        assert done.returncode == 0, f"{command[0]}: {done.stderr[-2000:]}"

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
        "start")  # fmt: skip
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
            "gradebook")  # fmt: skip
        yield f"postgresql://postgres@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)
