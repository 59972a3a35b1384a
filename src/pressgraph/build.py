"""``build``: validate, then write every dump and a DCAT + VoID description, atomically.

A Violation stops the build before anything is written. Files are first written
to a sibling temporary folder that replaces the output folder in one rename,
so a failed or killed build leaves the previous output as it was. Two builds of
the same input are byte-identical (no timestamps; sorted, canonical dumps).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import ValidationFailed
from .namespaces import PREFIXES
from .project import EXPORT_FORMATS, Project
from .validate import ValidationReport

__all__ = ["BuildResult", "Distribution", "build"]

DUMP_NAME = "pressgraph"
_IANA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class Distribution:
    """One written file with its media type, size and SHA-256 checksum."""

    path: Path
    media_type: str
    byte_size: int
    sha256: str


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    report: ValidationReport
    distributions: list[Distribution]


def build(
    project: Project,
    out_dir: Path | None = None,
    *,
    report: ValidationReport | None = None,
    jobs: int | None = None,
) -> BuildResult:
    """Validate ``project`` and write its dumps and description into ``out_dir``.

    ``report`` is a validation already made (the CLI shows its progress); otherwise the
    project is validated here (announcement by announcement on the persistent store).
    """
    out_dir = project.settings.resolve(out_dir or project.settings.dist_path)
    if report is None:
        report = project.validate(jobs=jobs)
    if not report.conforms:
        raise ValidationFailed(
            f"build stopped: {report.counts()['Violation']} violation(s); nothing was written",
            report,
        )
    quads = list(project.quads())
    files: dict[str, tuple[bytes, str]] = {}
    context = project.context_path
    for fmt in EXPORT_FORMATS.values():
        files[DUMP_NAME + fmt.suffix] = (project.export(fmt.name), fmt.media_type)
    if context.is_file():
        files["context.jsonld"] = (context.read_bytes(), "application/ld+json")
    distributions = [
        _describe(Path(name), data, media) for name, (data, media) in sorted(files.items())
    ]
    files["void.ttl"] = (describe_dataset(project, quads, distributions), "text/turtle")

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        for name, (data, _media) in files.items():
            (tmp / name).write_bytes(data)
        _swap(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    written = [*distributions, _describe(Path("void.ttl"), files["void.ttl"][0], "text/turtle")]
    return BuildResult(
        out_dir,
        report,
        [Distribution(out_dir / d.path, d.media_type, d.byte_size, d.sha256) for d in written],
    )


def _describe(path: Path, data: bytes, media_type: str) -> Distribution:
    return Distribution(path, media_type, len(data), hashlib.sha256(data).hexdigest())


def _swap(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new`` with renames only (the old one is kept until the end)."""
    old = target.with_name(f".{target.name}-old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def describe_dataset(
    project: Project, quads: list[ox.Quad], distributions: list[Distribution]
) -> bytes:
    """DCAT + VoID description: counts, class and property partitions, distributions."""
    base = project.settings.base_iri
    ds = ox.NamedNode(base + "dataset")
    q: list[ox.Triple] = []

    def add(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        prefix, local = p.split(":", 1)
        q.append(ox.Triple(s, ox.NamedNode(PREFIXES[prefix] + local), o))

    def lit(value: object, dt: str | None = None) -> ox.Literal:
        if dt is None:
            return ox.Literal(str(value))
        prefix, local = dt.split(":", 1)
        return ox.Literal(str(value), datatype=ox.NamedNode(PREFIXES[prefix] + local))

    triples = {(x.subject, x.predicate, x.object) for x in quads}
    classes = Counter(
        o.value
        for s, p, o in triples
        if p.value == PREFIXES["rdf"] + "type" and isinstance(o, ox.NamedNode)
    )
    properties = Counter(p.value for _, p, _ in triples)
    graphs = sorted({x.graph_name.value for x in quads if isinstance(x.graph_name, ox.NamedNode)})

    add(ds, "rdf:type", ox.NamedNode(PREFIXES["dcat"] + "Dataset"))
    add(ds, "rdf:type", ox.NamedNode(PREFIXES["void"] + "Dataset"))
    add(ds, "dcterms:title", ox.Literal("pressgraph announcements", language="en"))
    add(
        ds,
        "dcterms:description",
        ox.Literal(
            "Announcements (press releases) as linked data: events, organisations, people, places, "
            "quotes and figures, each fact traced to the words that support it.",
            language="en",
        ),
    )
    add(ds, "void:triples", lit(len(triples), "xsd:integer"))
    add(
        ds,
        "void:entities",
        lit(len({s for s, p, _ in triples if p.value == PREFIXES["rdf"] + "type"}), "xsd:integer"),
    )
    add(ds, "void:distinctSubjects", lit(len({s for s, _, _ in triples}), "xsd:integer"))
    add(ds, "void:distinctObjects", lit(len({o for _, _, o in triples}), "xsd:integer"))
    add(ds, "void:classes", lit(len(classes), "xsd:integer"))
    add(ds, "void:properties", lit(len(properties), "xsd:integer"))
    add(ds, "void:uriSpace", lit(base + "id/"))
    add(ds, "void:sparqlEndpoint", ox.NamedNode(base + "sparql"))
    for prefix in ("schema", "org", "prov", "oa", "time", "geo", "skos", "pg"):
        add(ds, "void:vocabulary", ox.NamedNode(PREFIXES[prefix]))
    for g in graphs:
        add(ds, "void:subset", ox.NamedNode(g))
    for i, (cls, n) in enumerate(sorted(classes.items())):
        part = ox.NamedNode(f"{base}dataset/class-partition/{i + 1}")
        add(ds, "void:classPartition", part)
        add(part, "void:class", ox.NamedNode(cls))
        add(part, "void:entities", lit(n, "xsd:integer"))
    for i, (prop, n) in enumerate(sorted(properties.items())):
        part = ox.NamedNode(f"{base}dataset/property-partition/{i + 1}")
        add(ds, "void:propertyPartition", part)
        add(part, "void:property", ox.NamedNode(prop))
        add(part, "void:triples", lit(n, "xsd:integer"))
    for d in distributions:
        dist = ox.NamedNode(f"{base}dumps/{d.path.name}")
        add(ds, "dcat:distribution", dist)
        add(ds, "void:dataDump", dist)
        add(dist, "rdf:type", ox.NamedNode(PREFIXES["dcat"] + "Distribution"))
        add(dist, "dcat:downloadURL", dist)
        add(dist, "dcat:mediaType", ox.NamedNode(_IANA + d.media_type.split(";")[0]))
        add(dist, "dcat:byteSize", lit(d.byte_size, "xsd:nonNegativeInteger"))
        checksum = ox.NamedNode(f"{base}dumps/{d.path.name}#sha256")
        add(dist, "spdx:checksum", checksum)
        add(checksum, "rdf:type", ox.NamedNode(PREFIXES["spdx"] + "Checksum"))
        add(checksum, "spdx:algorithm", ox.NamedNode(PREFIXES["spdx"] + "checksumAlgorithm_sha256"))
        add(checksum, "spdx:checksumValue", lit(d.sha256, "xsd:hexBinary"))
    ordered = sorted(set(q), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return ox.serialize(ordered, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES)) or b""
