"""Which isolation layers this host provides, said in one line before a batch starts."""

from __future__ import annotations

from dataclasses import dataclass

from autograder.run.limits import Cgroup
from autograder.run.sandbox import Sandbox


@dataclass(frozen=True)
class Layers:
    """The layers available here; ``missing`` lists what is not."""

    bubblewrap: str | None  # None when available, else why not
    cgroup: int | None  # the cgroup version we can create groups in, or None

    @property
    def missing(self) -> list[str]:
        gaps = []
        if self.bubblewrap:
            gaps.append(self.bubblewrap)
        if self.cgroup is None:
            gaps.append(
                "no writable cgroup (v1 or v2): memory and process limits cannot be "
                "enforced (run as root, or with a delegated cgroup)"
            )
        return gaps

    def describe(self) -> str:
        """One line: what isolates submissions on this host."""
        parts = [
            "bubblewrap (no network, read-only system, private scratch)"
            if not self.bubblewrap
            else "NO bubblewrap"
        ]
        parts.append(
            f"cgroup v{self.cgroup} (memory, processes)" if self.cgroup else "NO cgroup limits"
        )
        parts.append("rlimits (core, file size, CPU time)")
        return "isolation: " + ", ".join(parts)


def detect() -> Layers:
    """Probe the host: is bwrap installed, can we create a cgroup with limits?"""
    group = Cgroup.create(memory_mb=256, processes=8)
    version = group.version if group else None
    if group:
        group.close()
    return Layers(Sandbox.available(), version)
