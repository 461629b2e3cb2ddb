"""Static files under content-hashed names, cached for a year.

Pages link `asset("app.css")` → `/static/app.3f2a9c1e0b.css`: the name changes whenever the
bytes do, so the answer may be cached forever (`Cache-Control: public, max-age=31536000,
immutable`). The plain names (`/static/app.css`) still answer, revalidated on every use
(`no-cache`), for what links them without the hash (the API explorer, old bookmarks).
`/favicon.ico` answers with the site's icon (an SVG).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse, Response

STATIC = Path(__file__).resolve().parent.parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
FAVICON = "favicon.svg"
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Asset:
    path: Path
    hashed_name: str


def _hashed(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.stem}.{digest}{path.suffix}"


@cache
def assets() -> dict[str, Asset]:
    """Plain name → the file and its hashed name (read once per process)."""
    return {
        path.name: Asset(path, _hashed(path))
        for path in sorted(STATIC.iterdir())
        if path.is_file() and path.suffix in MEDIA_TYPES
    }


@cache
def by_hashed_name() -> dict[str, Asset]:
    return {asset.hashed_name: asset for asset in assets().values()}


def asset_url(name: str) -> str:
    """The URL of a static file under its content-hashed name."""
    return f"/static/{assets()[name].hashed_name}"


def _file(asset: Asset, cache_control: str) -> Response:
    return FileResponse(
        asset.path,
        media_type=MEDIA_TYPES[asset.path.suffix],
        headers={"cache-control": cache_control},
    )


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    hashed = by_hashed_name().get(name)
    if hashed is not None:
        return _file(hashed, IMMUTABLE)
    plain = assets().get(name)
    if plain is not None:
        return _file(plain, REVALIDATE)
    return Response("not found", status_code=404, media_type="text/plain")


@router.get("/favicon.ico")
def favicon() -> Response:
    return RedirectResponse(asset_url(FAVICON), status_code=301)
