"""A (re)start imports only what serving needs: the dossier renderers' libraries
(reportlab, python-docx, matplotlib) and the other heavy ones load when first used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: Imported when a dossier is made, a sheet is imported or exported, or a PDF is read.
HEAVY = ("reportlab", "docx", "matplotlib", "pypdf", "openpyxl", "PIL", "numpy")
#: Imported when sign-in with Microsoft is configured (service/oidc.py), and rich when a
#: CLI command prints with it (cli/output.py; `serve` prints without it), and the PostgreSQL
#: driver when PostgreSQL is used (storage/lazy.py).
ON_DEMAND = ("authlib", "httpx", "joserfc", "rich", "psycopg", "psycopg_pool")


def test_starting_the_server_imports_no_renderer() -> None:
    probe = (
        "import sys, api.main, cli.main\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('demo.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    packages, demo = done.stdout.split("\n")[:2]
    loaded = set(packages.split())
    assert "fastapi" in loaded  # the probe did import the server
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert loaded.isdisjoint(ON_DEMAND), sorted(loaded & set(ON_DEMAND))
    # A restart asks whether the store holds an association; the demo loads only if not.
    assert demo.split() == ["demo.presence"]


def test_every_route_is_built_once() -> None:
    """The app holds its routes as they were built (api/routing.py: `attach`), not
    included routers that FastAPI would build a second time at the first request."""
    from fastapi.routing import APIRoute

    from api.main import create_app
    from api.routing import every_route
    from service.settings import Settings

    app = create_app(Settings(_env_file=None))
    built = [route for route in every_route(app.routes) if isinstance(route, APIRoute)]
    assert len([route for route in built if route.path.startswith("/api/v1/")]) > 50
    assert len(built) > 200  # and the web's pages
    included = [route for route in app.routes if type(route).__name__ == "_IncludedRouter"]
    assert included == []


def test_the_pages_are_built_after_the_server_starts() -> None:
    """Creating the app imports no page module: the web's pages are built in the
    background once the server listens (api/routing.py: `DeferredRoutes`)."""
    probe = (
        "import sys, api.main\n"
        "api.main.create_app()\n"
        "print(sorted(name for name in sys.modules if name.startswith('api.web.pages.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
