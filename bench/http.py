"""Supports per second through HTTP (uvicorn + the real app) vs a trivial FastAPI route."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.common import Result, Table, ms, percentile, rate, ratio, scratch_dir, sized
from bench.world import populate, runtime_in

ROOT = Path(__file__).resolve().parent.parent
WARMUP_PER_CLIENT = 3
PEOPLE, ITEMS = sized(50, 20), sized(70, 20)
Request = tuple[str, dict[str, str]]  # (path, headers)


@dataclass
class Load:
    requests: int
    seconds: float
    latencies: list[float]
    client_cpu: float
    server_cpu: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(factory: str, env: dict[str, str], ready_path: str) -> Iterator[tuple[str, int]]:
    """Run `uvicorn --factory` on a free loopback port until the block ends."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
        "--port", str(port), "--loop", "uvloop", "--http", "httptools",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{factory} exited with {server.returncode}")
            try:
                if httpx.get(base + ready_path, timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{factory} did not become ready")
            time.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def drive(base: str, pid: int, batches: list[list[Request]], expected: int) -> Load:
    """Each batch is one keep-alive client in its own thread: a few warm-up requests,
    then, once every client is connected and warm, the timed ones."""
    start = threading.Barrier(len(batches) + 1)
    latencies: list[list[float]] = [[] for _ in batches]
    failures: list[str] = []

    def client(batch: list[Request], out: list[float]) -> None:
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as http:
            try:
                for path, headers in batch[:WARMUP_PER_CLIENT]:
                    check(http.put(path, headers=headers), expected, failures)
            except httpx.HTTPError as error:
                failures.append(repr(error))
            start.wait()
            try:
                for path, headers in batch[WARMUP_PER_CLIENT:]:
                    began = time.perf_counter()
                    response = http.put(path, headers=headers)
                    out.append(time.perf_counter() - began)
                    check(response, expected, failures)
            except httpx.HTTPError as error:
                failures.append(repr(error))

    threads = [
        threading.Thread(target=client, args=(batch, out), daemon=True)
        for batch, out in zip(batches, latencies, strict=True)
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began, cpu, server_cpu = time.perf_counter(), time.process_time(), cpu_seconds(pid)
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    load = Load(
        requests=sum(len(out) for out in latencies),
        seconds=seconds,
        latencies=[x for out in latencies for x in out],
        client_cpu=time.process_time() - cpu,
        server_cpu=cpu_seconds(pid) - server_cpu,
    )
    if failures:
        raise RuntimeError(f"{len(failures)} unexpected responses, e.g. {failures[0]}")
    return load


def check(response: httpx.Response, expected: int, failures: list[str]) -> None:
    if response.status_code != expected:
        failures.append(f"{response.status_code} {response.text[:200]}")


def split(requests: list[Request], clients: int) -> list[list[Request]]:
    return [requests[i::clients] for i in range(clients)]


def timed_counts() -> dict[int, tuple[int, int]]:
    """Timed requests per concurrency: (trivial, support)."""
    return {1: (sized(3000, 300), sized(1000, 100)), 16: (sized(6000, 600), sized(2000, 200))}


def support_requests(data_dir: Path, needed: int) -> list[Request]:
    """Populate a store with people who hold bearer tokens; one request per distinct
    (person, pain point) pair, so every request records a new support."""
    runtime = runtime_in(data_dir)
    try:
        world = populate(runtime.app, companies=10, people=PEOPLE, pain_points=ITEMS)
        world.open_sessions(world.people)
        runtime.projector.catch_up()
        pairs = world.all_pairs()
    finally:
        runtime.close()
    if len(pairs) < needed:
        raise ValueError("too few (person, pain point) pairs for the request count")
    return [
        (f"/api/v1/pain-points/{item}/support", auth(world.tokens[person]))
        for person, item in pairs[:needed]
    ]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def run() -> Result:
    counts = timed_counts()
    trivial: dict[int, Load] = {}
    with serving("bench.trivial_app:create_app", {}, "/docs") as (base, pid):
        for clients, (timed, _) in counts.items():
            requests = [(f"/items/{n}", auth("unused")) for n in range(timed)]
            warm = [("/items/warm", auth("unused"))] * WARMUP_PER_CLIENT
            batches = [warm + batch for batch in split(requests, clients)]
            trivial[clients] = drive(base, pid, batches, expected=200)
    support: dict[int, Load] = {}
    with scratch_dir("http") as tmp:
        needed = sum(timed + WARMUP_PER_CLIENT * c for c, (_, timed) in counts.items())
        requests = support_requests(tmp / "var", needed)
        env = {"SPRACHROHR_DATA_DIR": str(tmp / "var")}
        with serving("api.main:create_app", env, "/api/v1/health/ready") as (base, pid):
            for clients, (_, timed) in counts.items():
                used = timed + WARMUP_PER_CLIENT * clients
                mine, requests = requests[:used], requests[used:]
                support[clients] = drive(base, pid, split(mine, clients), expected=201)
    return report(trivial, support)


def report(trivial: dict[int, Load], support: dict[int, Load]) -> Result:
    table = Table(
        ["server", "clients", "requests", "req/s", "p50", "p99", "ratio to trivial",
         "server CPU/req", "client CPU/req"]
    )  # fmt: skip
    for name, loads in (("trivial sync route (baseline)", trivial), ("PUT …/support", support)):
        for clients, load in loads.items():
            table.add(
                name,
                clients,
                f"{load.requests:,}",
                rate(load.requests, load.seconds),
                ms(percentile(load.latencies, 50)),
                ms(percentile(load.latencies, 99)),
                ratio(load.requests / load.seconds, per_second(trivial[clients])),
                ms(load.server_cpu / load.requests),
                ms(load.client_cpu / load.requests),
            )
    headline = "; ".join(
        f"{c} client{'s' if c > 1 else ''}: {rate(s.requests, s.seconds)} supports/s ="
        f" {ratio(per_second(s), per_second(trivial[c]))} × trivial"
        for c, s in support.items()
    )
    figures: dict[str, float] = {}
    for name, loads in (("trivial", trivial), ("support", support)):
        for c, load in loads.items():
            figures[f"{name}{c}_rps"] = per_second(load)
            figures[f"{name}{c}_server_cpu"] = load.server_cpu / load.requests
            figures[f"{name}{c}_client_cpu"] = load.client_cpu / load.requests
            figures[f"{name}{c}_p50"] = percentile(load.latencies, 50)
    return Result(
        title="2. HTTP: supports per second through uvicorn",
        headline=headline,
        tables=[table],
        notes=NOTES,
        summary=[
            [
                f"HTTP: `PUT …/support`, {c} client{'s' if c > 1 else ''}",
                f"{rate(s.requests, s.seconds)} req/s",
                f"trivial route {rate(trivial[c].requests, trivial[c].seconds)} req/s",
                ratio(per_second(s), per_second(trivial[c])),
            ]
            for c, s in support.items()
        ],
        figures=figures,
    )


NOTES = [
    "Both servers: `uvicorn --factory` (uvloop, httptools, one worker, no access log) on a"
    " free 127.0.0.1 port, started as a subprocess for this run.",
    "Every `PUT /api/v1/pain-points/{id}/support` is a distinct (person, pain point) pair and"
    " must answer 201 (a new support recorded); bearer tokens were opened through the"
    f" Application before the server started ({PEOPLE} people of 10 companies, {ITEMS} pain"
    " points, one working group). The server's projector thread runs as in production, catching the"
    " views up behind the writes.",
    "Trivial baseline: `bench/trivial_app.py`, one sync `PUT /items/{item_id}` route"
    " returning a small JSON object, sent the same headers.",
    f"Load: one keep-alive `httpx.Client` per client thread, {WARMUP_PER_CLIENT} warm-up"
    " requests each, then the fixed timed count split evenly; latency is per request as the"
    " client sees it. The load generator shares the 2 cores with the server: the CPU columns"
    " show what each side spent per request (server from /proc, client from"
    " `time.process_time()`).",
]


def per_second(load: Load) -> float:
    return load.requests / load.seconds
