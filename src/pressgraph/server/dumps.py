"""Dumps and the dataset description: ``/dumps/<file>`` and ``/.well-known/void``.

The dumps are the files ``pressgraph build`` wrote into ``dist/``; each is sent
with its media type and a strong ETag that is its SHA-256. The DCAT + VoID
description is made by :func:`pressgraph.build.describe_dataset` from the live
store and the dumps present, so it stays true after writes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ..build import Distribution, describe_dataset
from ..errors import NotFound
from ..export import FORMATS
from .context import Context, context
from .negotiation import negotiate
from .problems import Problem
from .representations import conditional_response, serialize

__all__ = ["DumpFile", "dump_file", "list_dumps", "void_description", "well_known_void"]

_MEDIA_BY_SUFFIX = {f.suffix: f.media_type for f in FORMATS.values()}
_MEDIA_BY_SUFFIX.update({".ttl": "text/turtle", ".json": "application/json"})
_VOID_MEDIA = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
_checksums: dict[tuple[str, float, int], str] = {}


@dataclass(frozen=True)
class DumpFile:
    """A file of dist/ with what a client needs to fetch and check it."""

    name: str
    path: Path
    media_type: str
    byte_size: int
    sha256: str


def _sha256(path: Path) -> str:
    stat = path.stat()
    key = (str(path), stat.st_mtime, stat.st_size)
    if key not in _checksums:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        _checksums[key] = digest.hexdigest()
    return _checksums[key]


def list_dumps(ctx: Context) -> list[DumpFile]:
    """The files of the dist/ folder (none if ``pressgraph build`` has not run)."""
    folder = ctx.settings.resolve(ctx.settings.dist_path)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        media = "application/ld+json" if path.name == "context.jsonld" else None
        media = media or _MEDIA_BY_SUFFIX.get(path.suffix, "application/octet-stream")
        out.append(DumpFile(path.name, path, media, path.stat().st_size, _sha256(path)))
    return out


async def dump_file(request: Request) -> Response:
    """``/dumps/<file>``: one file of dist/, with its media type and SHA-256 as ETag."""
    ctx = context(request)
    name = request.path_params["name"]
    match = next((d for d in list_dumps(ctx) if d.name == name), None)
    if match is None:
        raise NotFound(f"no dump named {name!r} (run 'pressgraph build' to write them)")
    etag = f'"{match.sha256}"'
    headers = {
        "ETag": etag,
        "Digest": f"sha-256={_b64(match.sha256)}",
        "Content-Disposition": f'attachment; filename="{match.name}"',
    }
    if request.headers.get("if-none-match") in (etag, "*"):
        return Response(status_code=304, headers=headers)
    media = match.media_type
    if media.startswith("text/"):
        media += "; charset=utf-8"
    return FileResponse(match.path, media_type=media, headers=headers)


def _b64(hex_digest: str) -> str:
    import base64

    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


def void_description(ctx: Context) -> bytes:
    """DCAT + VoID Turtle for the live dataset and the dumps in dist/."""
    cached = ctx.cache.get("void")
    dumps = list_dumps(ctx)
    key = (ctx.dataset.generation, tuple((d.name, d.sha256) for d in dumps))
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    distributions = [
        Distribution(Path(d.name), d.media_type, d.byte_size, d.sha256)
        for d in dumps
        if d.name != "void.ttl"
    ]
    body = describe_dataset(ctx.project, list(ctx.dataset.store), distributions)
    ctx.cache["void"] = (key, body)
    return body


async def well_known_void(request: Request) -> Response:
    """``/.well-known/void``: the DCAT + VoID description, Turtle or JSON-LD by Accept."""
    ctx = context(request)
    media = negotiate(request.headers.get("accept"), _VOID_MEDIA)
    if media is None:
        raise Problem(406, f"the dataset description is available as {', '.join(_VOID_MEDIA)}")
    turtle = void_description(ctx)
    if media == "text/turtle":
        body = turtle
    else:
        quads = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
        body = serialize(quads, media)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return conditional_response(request, body, media, etag)
