"""The test OpenID provider (npm oidc-provider, tests/oidc/provider/server.js) as a process."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "sprachrohr-tests"
#: Our callback as the in-process test client serves it.
CALLBACK = "http://testserver/auth/oidc/callback"
CLIENT_SECRET = "a-client-secret-for-tests-only-0123456789"
CONTOSO = "4f1b5a2e-7c1d-4e1a-9b3e-2f6d8c9a0b11"
FABRIKAM = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
#: Login name at the provider → the claims its ID tokens carry.
ACCOUNTS = {
    "anna": {"tid": CONTOSO, "email": "anna.schmidt@contoso.example", "name": "Anna Schmidt"},
    "ben": {"tid": CONTOSO, "email": "ben.weber@contoso.example", "name": "Ben Weber"},
    "carla": {"tid": CONTOSO, "email": "carla.neu@contoso.example", "name": "Carla Neu"},
    "frank": {"tid": FABRIKAM, "email": "frank@fabrikam.example", "name": "Frank Fremd"},
}


@dataclass(frozen=True)
class Provider:
    issuer: str
    base: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def install() -> None:
    """`npm ci` from the committed lock file when node_modules is missing."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=600
    )


@contextmanager
def running_provider(redirect_uri: str, *, tenant: str = "") -> Iterator[Provider]:
    install()
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": redirect_uri,
        "ACCOUNTS": json.dumps(ACCOUNTS),
        "TENANT": tenant,
        "NODE_ENV": "test",
    }
    process = subprocess.Popen(
        [node, "server.js"], cwd=PROVIDER_DIR, env=env, stdout=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    issuer = f"{base}/{tenant}/v2.0" if tenant else base
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(
                    f"{issuer}/.well-known/openid-configuration", timeout=1
                ).raise_for_status()
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the test OpenID provider did not start") from None
                time.sleep(0.1)
        yield Provider(issuer=issuer, base=base)
    finally:
        process.terminate()
        process.wait(timeout=10)
