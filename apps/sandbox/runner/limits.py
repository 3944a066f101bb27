"""Resource limits for one sandboxed run, and the hard caps no caller can exceed."""

from __future__ import annotations

from dataclasses import dataclass, replace

MAX_CPU_SECONDS = 30.0
MAX_WALL_SECONDS = 60.0
MAX_MEMORY_MB = 2048
MAX_OUTPUT_BYTES = 1024 * 1024

MIN_SECONDS = 0.1
MIN_MEMORY_MB = 64


def _between(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass(frozen=True)
class Limits:
    """What one submission may use. Always pass through :meth:`clamped` before enforcing."""

    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_mb: int = 512
    stdout_bytes: int = 65536
    stderr_bytes: int = 65536

    def clamped(self) -> Limits:
        """These limits brought within the hard caps (and above sane minimums)."""
        return replace(
            self,
            cpu_seconds=_between(float(self.cpu_seconds), MIN_SECONDS, MAX_CPU_SECONDS),
            wall_seconds=_between(float(self.wall_seconds), MIN_SECONDS, MAX_WALL_SECONDS),
            memory_mb=int(_between(int(self.memory_mb), MIN_MEMORY_MB, MAX_MEMORY_MB)),
            stdout_bytes=int(_between(int(self.stdout_bytes), 1, MAX_OUTPUT_BYTES)),
            stderr_bytes=int(_between(int(self.stderr_bytes), 1, MAX_OUTPUT_BYTES)),
        )

    def as_dict(self) -> dict[str, float | int]:
        return {
            "cpu_seconds": self.cpu_seconds,
            "wall_seconds": self.wall_seconds,
            "memory_mb": self.memory_mb,
            "stdout_bytes": self.stdout_bytes,
            "stderr_bytes": self.stderr_bytes,
        }
