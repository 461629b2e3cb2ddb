"""First start (goal 5): clone the repository, `make run`, time until the API answers;
stop it and start it again with the demo data in place (three times), time that too.

Each start is cut into parts by the lines `make` and the server print (make echoes each
command before it runs it): creating the virtualenv, installing the runtime
dependencies, the server's imports until it names the signing key, loading the demo
(until its logins print), and from there until uvicorn listens and until
/api/v1/health/ready answers. The CPU seconds the session's processes had used when the
API first answered are reported beside the wall-clock time: on a shared machine they
vary less than the time does.

Run on its own with `python -m bench.first_start` (prints the figures) or from `make bench`.
The clone gets its own virtualenv, so the first start includes installing the runtime
dependencies (from pip's cache and the configured package index, as a fresh clone would).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import Result, Table, scratch_dir
from bench.loadgen import free_port

ROOT = Path(__file__).resolve().parent.parent
#: What the goal asks for (docs/BENCHMARKS.md, issue 18).
FIRST_START_GOAL = 30.0
DEMO_GOAL = 5.0
RESTART_GOAL = 1.0
TIMEOUT = 600.0
RESTARTS = 3
#: Where each part of a start ends: the first line matching the pattern.
MARKS = {
    "venv": r"pip install .*(--upgrade|-e \.)",  # make runs pip once the virtualenv exists
    "install": r"sprachrohr serve",  # … and the server once pip is done
    "key": r"Dossiers are signed with the key",  # imports done, the store opened
    "demo": r"Demo logins",
    "listen": r"Uvicorn running on",
}


@dataclass
class Start:
    """One `make run`: when the API first answered, and what it printed before."""

    serving: float
    lines: list[tuple[float, str]] = field(default_factory=list)
    #: CPU seconds (user + system) of the session's processes when the API answered,
    #: including the finished children they waited for (pip).
    cpu: float = 0.0

    def at(self, pattern: str) -> float | None:
        for when, line in self.lines:
            if re.search(pattern, line):
                return when
        return None

    def count(self, pattern: str) -> int:
        return sum(1 for _, line in self.lines if re.search(pattern, line))

    def lines_before(self, pattern: str) -> int:
        for index, (_, line) in enumerate(self.lines):
            if re.search(pattern, line):
                return index
        return len(self.lines)


def clone(target: Path) -> None:
    """A fresh clone of the commit checked out here (uncommitted changes are not in it)."""
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", head], check=True)


def session_cpu(session: int) -> float:
    """CPU seconds of every process in the session, with the children they reaped."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:  # the process group (make's, the session leader's)
            ticks += sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health/ready", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


@contextmanager
def make_run(checkout: Path, port: int) -> Iterator[Start]:
    """`make run` in the checkout; yields once /api/v1/health/ready answers, stops it after."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SPRACHROHR_", "VIRTUAL_ENV"))
    }
    # Unbuffered, so that each line is timed when it is printed.
    env |= {"SPRACHROHR_PORT": str(port), "TERM": "dumb", "COLUMNS": "120", "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    start = Start(serving=0.0)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            start.lines.append((time.perf_counter() - started, line.rstrip("\n")))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not answers(port):
            if process.poll() is not None:
                output = "\n".join(line for _, line in start.lines[-40:])
                raise RuntimeError(f"`make run` ended with {process.returncode}:\n{output}")
            if time.perf_counter() - started > TIMEOUT:
                raise RuntimeError("`make run` did not serve within the time-out")
            time.sleep(0.02)
        start.serving = time.perf_counter() - started
        start.cpu = session_cpu(process.pid)
        yield start
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        reader.join(5)


def wait_for_dossiers(start: Start, limit: float = 120.0) -> float | None:
    """Seconds after the start until the background thread reported the demo's dossiers."""
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        when = start.at(r"briefing dossiers are issued")
        if when is not None:
            return when
        time.sleep(0.2)
    return None


def parts(start: Start) -> list[tuple[str, float]]:
    """(part, seconds) of one start, from the lines that end each part."""
    marks = {name: start.at(pattern) for name, pattern in MARKS.items()}
    marks["ready"] = start.serving
    names = {
        "venv": "creating the virtualenv (`python3 -m venv`)",
        "install": "installing the runtime dependencies (`pip install -e .`)",
        "key": "the server's imports and opening the store",
        "demo": "loading the demo (until its logins print)",
        "listen": "building the app until uvicorn listens",
        "ready": "until /api/v1/health/ready first answers",
    }
    if marks["venv"] is None:  # a restart: the virtualenv is there already
        names["install"] = "`make` until it runs the server"
    found: list[tuple[str, float]] = []
    before = 0.0
    for name, label in names.items():
        when = marks.get(name)
        if when is None:
            continue
        found.append((label, when - before))
        before = when
    return found


def median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def run() -> Result:
    load = os.getloadavg()
    with scratch_dir("first-start") as tmp:
        checkout = tmp / "sprachrohr"
        clone(checkout)
        with make_run(checkout, free_port()) as first:
            dossiers = wait_for_dossiers(first)
        again: list[Start] = []
        for _ in range(RESTARTS):
            with make_run(checkout, free_port()) as started:
                again.append(started)
    load_after = os.getloadavg()
    demo = dict(parts(first)).get("loading the demo (until its logins print)", float("nan"))
    restart = median([start.serving for start in again])
    typical = min(again, key=lambda start: abs(start.serving - restart))
    warnings = first.count(r"would be ignored|BuildBackendWarning|SetuptoolsDeprecationWarning")
    # pip's notes on an index this machine's pip configuration names but does not hold
    index_notes = first.count(r"^WARNING: Location .* is ignored")
    before_logins = first.lines_before(r"Demo logins")
    table = Table(["Step", "Seconds", "CPU s", "Goal", "Met"])

    def goal_row(what: str, seconds: float, cpu: str, goal: float) -> None:
        met = "yes" if seconds < goal else "**no**"
        table.add(what, f"{seconds:.2f}", cpu, f"< {goal:g}", met)

    goal_row("fresh clone: `make run` until /api/v1/health/ready answers", first.serving,
             f"{first.cpu:.1f}", FIRST_START_GOAL)  # fmt: skip
    for label, seconds in parts(first):
        if label.startswith("loading the demo"):
            goal_row(f"… {label}", seconds, "", DEMO_GOAL)
        else:
            table.add(f"… {label}", f"{seconds:.2f}", "", "", "")
    goal_row(
        f"restart with the demo data until /api/v1/health/ready answers (median of {RESTARTS})",
        restart, f"{median([start.cpu for start in again]):.2f}", RESTART_GOAL,
    )  # fmt: skip
    for label, seconds in parts(typical):
        table.add(f"… {label}", f"{seconds:.2f}", "", "", "")
    if dossiers is not None:
        table.add("the demo's briefing dossiers issued (in the background)", f"{dossiers:.2f}",
                  "", "—", "—")  # fmt: skip
    restarts = ", ".join(f"{start.serving:.2f} s ({start.cpu:.2f} s CPU)" for start in again)
    notes = [
        f"Load average before the run: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"
        f" (1 / 5 / 15 min), after it {load_after[0]:.2f}; the machine has"
        f" {os.cpu_count()} cores. CPU s: the seconds of CPU the started processes had used"
        " when the API first answered (on a busy machine the wall-clock time is longer).",
        f"The restarts: {restarts}; the parts shown are of the median one.",
        f"`make run` printed {before_logins} lines before the demo logins: {warnings} from"
        f" setuptools (packaging warnings), {index_notes} of pip's notes on a package index"
        " that this machine's pip configuration names but that does not exist (not the"
        " project's; a machine without that setting prints none).",
        "The first start installs only the runtime dependencies (`pip install -e .` into a new"
        " virtualenv; pip's cache is warm when this machine installed them before).",
        "The restart includes `make`, the interpreter and the imports; the PDF, DOCX and chart"
        " renderers are imported only when a dossier is made, the OpenID client only when"
        " sign-in with Microsoft is configured.",
    ]
    headline = (
        f"First start {first.serving:.1f} s (goal < {FIRST_START_GOAL:g} s), restart"
        f" {restart:.2f} s (goal < {RESTART_GOAL:g} s; {typical.cpu:.2f} s of CPU)"
    )
    summary = [
        ["First start (`make run`, fresh clone)", f"{first.serving:.1f} s",
         f"< {FIRST_START_GOAL:g} s", "met" if first.serving < FIRST_START_GOAL else "missed"],
        ["Restart with the demo data", f"{restart:.2f} s", f"< {RESTART_GOAL:g} s",
         "met" if restart < RESTART_GOAL else "missed"],
    ]  # fmt: skip
    figures: dict[str, float] = {"first": first.serving, "first_cpu": first.cpu, "demo": demo,
               "restart": restart, "restart_cpu": typical.cpu, "load": load[0]}  # fmt: skip
    for label, seconds in parts(first):
        figures[f"first:{label}"] = seconds
    for label, seconds in parts(typical):
        figures[f"restart:{label}"] = seconds
    return Result(
        "8. First start: `make run` on a fresh clone, and a restart",
        headline,
        [table],
        notes,
        summary=summary,
        figures=figures,
    )


if __name__ == "__main__":
    result = run()
    result.print()
    sys.exit(0)
