"""``pressgraph ingest``: text in, draft knowledge graph out, validated, written on request.

The steps: check the text is an announcement; read what ``data/`` already knows
(leaving out this announcement's own earlier draft, so a second run sees what the
first saw); extract; mint IRIs and render the files; validate the draft with the
project's shapes (focus on the draft's own nodes); write the files, or not.

Writing is idempotent: the same text and options give byte-identical files, and a
second run reports "unchanged". A folder made by hand (curated) is never
overwritten; a draft that was edited since it was written is overwritten only
with ``force``.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..errors import DataError, PressgraphError
from ..namespaces import PREFIXES
from ..project import ontology_graph_name
from ..rdfio import from_rdflib, parse_file, to_rdflib_graph
from ..spans import SPANS_FILE, expand_iri
from ..validate import Finding, ValidationReport, validate_quads
from .dates import find_dates
from .draft import Draft, build_draft, reference_file
from .extract import extract
from .gazetteer import Gazetteer
from .known import Known, load_known
from .slugs import announcement_slug
from .text import NotAnAnnouncement, check_announcement

__all__ = ["IngestError", "IngestResult", "ingest", "read_input", "write_draft"]


class IngestError(PressgraphError):
    """The input cannot be ingested (not an announcement, bad option, folder in the way)."""

    kind = "ingest-error"


@dataclass
class IngestResult:
    """A draft and its validation report (review notes included as Info findings)."""

    draft: Draft
    report: ValidationReport
    root: Path | None

    @property
    def conforms(self) -> bool:
        return self.report.conforms

    def must_add(self) -> list[Finding]:
        """What a person must add before the draft conforms: the Violations."""
        return [f for f in self.report.findings if f.severity == "Violation"]


def read_input(path: Path) -> str:
    """The text of an input file, or :class:`IngestError` saying why it cannot be one."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if b"\x00" in data[:8192]:
        raise IngestError(f"{path}: not an announcement: a binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{path}: not an announcement: not UTF-8 text (byte {exc.start})"
        ) from exc


def _slug_for(text: str, day: date | None, slug: str | None) -> str:
    if slug is not None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
            raise IngestError(f"--slug {slug!r}: use a-z, 0-9 and '-'")
        return slug
    headline = next(line.strip() for line in text.splitlines() if line.strip())
    if day is None:
        found = [m for m in find_dates(text) if m.days and not m.relative]
        day = found[0].days[0] if found else None
    return announcement_slug(headline, day.isoformat() if day else None)


def _excluded(root: Path, slug: str) -> list[Path]:
    return [root / "data" / "announcements" / slug, root / reference_file(slug)]


def ingest(
    text: str,
    root: Path | None,
    *,
    published: date | None = None,
    slug: str | None = None,
    publisher: str | None = None,
    known: Known | None = None,
    validate: bool = True,
) -> IngestResult:
    """Draft the knowledge graph of ``text`` against the project at ``root``.

    ``published`` is the publication date (the anchor of "today", "on Friday");
    ``known`` overrides what is read from ``root`` (``Known()``: a project that
    knows nothing, as in the evaluation's cold runs). Raises :class:`IngestError`.
    """
    try:
        check_announcement(text)
    except NotAnAnnouncement as exc:
        raise IngestError(f"not an announcement: {exc}; nothing was written") from exc
    slug = _slug_for(text, published, slug)
    if known is None:
        known = load_known(root, _excluded(root, slug)) if root is not None else Known()
    publisher_iri = None
    if publisher is not None:
        try:
            publisher_iri = expand_iri(publisher)
        except DataError as exc:
            raise IngestError(f"--publisher: {exc.message}") from exc
        if not publisher_iri.startswith(PREFIXES["orgs"]) or not any(
            o.iri == publisher_iri for o in known.orgs
        ):
            raise IngestError(
                f"--publisher {publisher}: no such organisation in data/ (give the IRI or "
                "CURIE of a described organisation, e.g. orgs:osce)"
            )
    gazetteer = Gazetteer(known.places)
    try:
        extraction = extract(text, known=known, gazetteer=gazetteer, anchor=published,
                             guess_publisher=publisher_iri is None)
    except NotAnAnnouncement as exc:
        raise IngestError(f"not an announcement: {exc}; nothing was written") from exc
    draft = build_draft(
        extraction,
        slug=slug,
        known=known,
        gazetteer=gazetteer,
        publisher=publisher_iri,
        published=published,
    )
    report = validate_draft(draft, root) if validate else ValidationReport([])
    return IngestResult(draft, report, root)


# --------------------------------------------------------------------------- validation


def validate_draft(draft: Draft, root: Path | None) -> ValidationReport:
    """Validate the draft with the project's shapes, over the project's data (minus any
    earlier draft of this announcement), focused on the draft's own nodes; the review
    notes come out as Info findings."""
    quads: list[ox.Quad] = [
        ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), from_rdflib(g))  # type: ignore[arg-type]
        for s, p, o, g in draft.quads()
    ]
    quads += _provenance_quads(draft)
    shapes = Graph()
    ontology = Graph()
    if root is not None:
        excluded = [p.resolve() for p in _excluded(root, draft.slug)]
        for path in sorted((root / "data").rglob("*.trig")):
            resolved = path.resolve()
            if any(resolved == e or e in resolved.parents for e in excluded):
                continue
            quads += parse_file(path)
        ontology = to_rdflib_graph(
            q for p in sorted((root / "ontology").glob("*.ttl"))
            for q in parse_file(p, ontology_graph_name(p))
        )
        shapes = to_rdflib_graph(
            q for p in sorted((root / "shapes").glob("*.ttl"))
            for q in parse_file(p, "urn:x-pressgraph:shapes")
        )
    focus = sorted({str(s) for s, _p, _o, _g in draft.quads() if isinstance(s, URIRef)})
    if len(shapes) > 0:
        # the shapes report every open review note (pgsh:ReviewNoteIsOpen) as an Info
        return validate_quads(quads, shapes, ontology, focus)
    notes = [
        Finding("Info", iri, None, None, f"Review: {note}", "", "ReviewNote")
        for iri, note in draft.reviews
    ]
    return ValidationReport(sorted(set(notes), key=_order))


def _order(f: Finding) -> tuple[int, str, str, str]:
    return (("Violation", "Warning", "Info").index(f.severity), f.focus, f.path or "", f.message)


def _provenance_quads(draft: Draft) -> list[ox.Quad]:
    name = f"data/announcements/{draft.slug}/provenance.trig"
    return list(ox.parse(draft.files[name], format=ox.RdfFormat.TRIG))


# --------------------------------------------------------------------------- writing


def _is_ingest_draft(folder: Path) -> bool:
    spans = folder / SPANS_FILE
    try:
        return 'activity = "activity:ingest-' in spans.read_text(encoding="utf-8")
    except OSError:
        return False


def write_draft(result: IngestResult, root: Path, *, force: bool = False) -> list[Path]:
    """Write the draft's files under ``root``; return those that changed (``[]``: unchanged).

    Raises :class:`IngestError` when the folder holds a curated announcement, or a
    draft that differs from this one (edited by a reviewer?) and ``force`` is off.
    """
    draft = result.draft
    folder = root / draft.folder
    targets = {root / rel: data for rel, data in draft.files.items()}
    changed = [p for p, data in targets.items() if not p.is_file() or p.read_bytes() != data]
    if folder.exists():
        if not _is_ingest_draft(folder):
            raise IngestError(
                f"{folder}: holds an announcement that was not written by ingest (curated?); "
                "nothing was written: choose another --slug"
            )
        stale = [p for p in folder.iterdir() if p.is_file() and p not in targets]
        if (changed or stale) and not force:
            raise IngestError(
                f"{folder}: holds a different draft of this announcement (edited since?); "
                "nothing was written: use --force to overwrite it"
            )
    if not changed:
        return []
    # write into a scratch folder beside the target, then move the files in
    for path, data in sorted(targets.items()):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    return sorted(changed)
