"""What every benchmark shares: the scale, timing statistics and result tables."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SMALL = os.environ.get("BENCH_SCALE", "full").strip().lower() == "small"
SCALE = "small" if SMALL else "full"


def sized(full: int, small: int) -> int:
    """A count for the current scale."""
    return small if SMALL else full


@contextmanager
def scratch_dir(prefix: str) -> Iterator[Path]:
    """A temporary directory (honours TMPDIR), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=f"sprachrohr-bench-{prefix}-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def percentile(samples: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    """A duration in the unit that reads best: µs, ms or s."""
    if seconds < 1e-5:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs"


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def ratio(value: float, baseline: float) -> str:
    quotient = value / baseline
    return f"{quotient:,.0f}" if quotient >= 100 else f"{quotient:.3g}"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def markdown(self) -> str:
        lines = [
            "| " + " | ".join(self.headers) + " |",
            "|" + "|".join("---" for _ in self.headers) + "|",
        ]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


@dataclass
class Result:
    """One benchmark's outcome: a headline ratio, tables, notes on what was measured,
    summary rows (what, result, baseline, ratio) and raw figures for the commentary."""

    title: str
    headline: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    summary: list[list[str]] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def markdown(self) -> str:
        parts = [f"## {self.title}", "", f"**{self.headline}**", ""]
        for table in self.tables:
            parts += [table.markdown(), ""]
        parts += [f"- {note}" for note in self.notes]
        return "\n".join(parts).rstrip() + "\n"

    def print(self) -> None:
        print(self.markdown(), flush=True)
