"""HTTP servers as subprocesses, and a bounded keep-alive load generator (asyncio).

Every server runs as `sprachrohr serve` runs uvicorn: `--factory`, one worker, the
loop and HTTP parser uvicorn picks (uvloop, httptools), log level info with the
access log on (written to /dev/null here).

The load generator speaks HTTP/1.1 over asyncio streams (on uvloop) with requests
encoded before the clock starts: about a tenth of the CPU per request that an httpx
client spends, so on 2 shared cores the server, not the generator, sets the pace.
httpx only checks that a server is up.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvloop

from bench.common import percentile

ROOT = Path(__file__).resolve().parent.parent
#: `serving(SERVE, …)`: the server as `sprachrohr serve` starts it.
SERVE = "serve"
WARMUP_PER_CLIENT = 3
#: (method, path, headers): one request.
Request = tuple[str, str, dict[str, str]]


@dataclass
class Load:
    clients: int
    requests: int
    seconds: float
    latencies: list[float]
    client_cpu: float
    server_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def p(self, q: float) -> float:
        return percentile(self.latencies, q)


@dataclass
class Server:
    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process and its children (the
        projector child of `sprachrohr serve`), from /proc (Linux)."""
        total = 0
        for pid in (self.pid, *self.children()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue  # ended meanwhile
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def children(self) -> list[int]:
        """The server's descendants, now."""
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    kids = [int(kid) for kid in task.read_text().split()]
                except FileNotFoundError:
                    continue
                found += kids
                todo += kids
        return found

    def peak_rss(self) -> int:
        """The server process's peak resident set size in bytes (VmHWM)."""
        return status_kib(self.pid, "VmHWM") * 1024

    def rss(self) -> int:
        return status_kib(self.pid, "VmRSS") * 1024

    def settle_child(self, ready_path: str, timeout: float = 600.0) -> None:
        """For `sprachrohr serve`: wait until its projector child runs and the server is
        ready again (a child that rebuilds the views makes it 503), then a second for the
        child's own start-up, so that neither falls into a measurement."""
        deadline = time.monotonic() + timeout
        while not self.children():
            if time.monotonic() > deadline:
                raise RuntimeError("the projector child did not start")
            time.sleep(0.05)
        time.sleep(1.0)
        while httpx.get(self.base + ready_path, timeout=5, trust_env=False).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("the views did not catch up")
            time.sleep(0.2)

    def children_peak_rss(self) -> int:
        """The sum of the children's peak resident set sizes in bytes."""
        return sum(status_kib(pid, "VmHWM") * 1024 for pid in self.children())


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    factory: str, env: dict[str, str], ready_path: str, cwd: Path = ROOT
) -> Iterator[Server]:
    """Run `uvicorn --factory` on a free loopback port until the block ends (the code
    imported is `cwd`'s: `python -m` puts it first on the path). `factory` "serve":
    `sprachrohr serve` itself (which runs uvicorn so, and its projector child)."""
    port = free_port()
    command = (
        [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
        if factory == SERVE
        else [
            sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--log-level", "info",
        ]
    )  # fmt: skip
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed when the server is stopped)
    server = subprocess.Popen(
        command, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=errors
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                errors.seek(0)
                error = errors.read().decode(errors="replace")[-2000:]
                raise RuntimeError(f"{factory} exited with {server.returncode}: {error}")
            try:
                if httpx.get(base + ready_path, timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{factory} did not become ready")
            time.sleep(0.1)
        yield Server(base, server.pid)
    except BaseException:
        errors.seek(0)
        sys.stderr.write(errors.read().decode(errors="replace")[-4000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        errors.close()


def drive(server: Server, requests: list[Request], clients: int, expected: set[int]) -> Load:
    """`clients` concurrent keep-alive connections, each sending its share of the
    requests one after another: WARMUP_PER_CLIENT warm-up requests each first, then,
    once all are warm, the timed ones. Every response must have an expected status."""
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(_drive(server, requests, clients, expected))


def encode(host: str, request: Request) -> bytes:
    method, path, headers = request
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Length: 0"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read one HTTP/1.1 response: its status and body (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    fields = {}
    for line in header_lines:
        if line:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
    if "content-length" in fields:
        return status, await reader.readexactly(int(fields["content-length"]))
    body = b""
    if fields.get("transfer-encoding") == "chunked":
        while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
            body += (await reader.readexactly(size + 2))[:-2]
        await reader.readuntil(b"\r\n")
    return status, body


async def _drive(server: Server, requests: list[Request], clients: int, expected: set[int]) -> Load:
    host, port = server.base.removeprefix("http://").split(":")
    encoded = [encode(f"{host}:{port}", request) for request in requests]
    shares = [encoded[i::clients] for i in range(clients)]
    if any(len(share) <= WARMUP_PER_CLIENT for share in shares):
        raise ValueError("too few requests for that many clients")
    warm, go = asyncio.Event(), asyncio.Event()
    ready = [0]
    latencies: list[float] = []
    failures: list[str] = []

    async def client(share: list[bytes]) -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            for request in share[:WARMUP_PER_CLIENT]:
                writer.write(request)
                check(*await response(reader))
            ready[0] += 1
            if ready[0] == clients:
                warm.set()
            await go.wait()
            for request in share[WARMUP_PER_CLIENT:]:
                began = time.perf_counter()
                writer.write(request)
                status, body = await response(reader)
                latencies.append(time.perf_counter() - began)
                check(status, body)
        finally:
            writer.close()

    def check(status: int, body: bytes) -> None:
        if status not in expected:
            failures.append(f"{status} {body[:200]!r}")

    tasks = [asyncio.create_task(client(share)) for share in shares]
    warming = asyncio.create_task(warm.wait())
    await asyncio.wait([warming, *tasks], return_when=asyncio.FIRST_COMPLETED)
    if not warm.is_set():  # a client failed while warming up
        warming.cancel()
        await asyncio.gather(*tasks)  # raises the client's error
    began, cpu, server_cpu = time.perf_counter(), time.process_time(), server.cpu_seconds()
    go.set()
    await asyncio.gather(*tasks)
    seconds = time.perf_counter() - began
    load = Load(
        clients=clients,
        requests=len(latencies),
        seconds=seconds,
        latencies=latencies,
        client_cpu=time.process_time() - cpu,
        server_cpu=server.cpu_seconds() - server_cpu,
    )
    if failures:
        raise RuntimeError(f"{len(failures)} unexpected responses, e.g. {failures[0]}")
    return load
