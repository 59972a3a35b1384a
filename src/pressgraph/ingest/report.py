"""The short summary ``pressgraph ingest`` prints: what was found, what a person must add,
what to review."""

from __future__ import annotations

from ..namespaces import curie
from .pipeline import IngestResult

__all__ = ["summary"]


def _short(iri: str | None) -> str:
    return curie(iri) if iri else ""


def summary(result: IngestResult, *, written: list[str] | None = None, dry_run: bool = False
            ) -> str:
    """A few lines for a person: counts, Violations (to add), Warnings, review notes."""
    draft = result.draft
    counts = result.report.counts()
    lines = [f"announcement {draft.slug} (publisher {_short(str(draft.publisher))})"]
    lines.append("found: " + ", ".join(f"{n} {k}" for k, n in draft.counts.items()))
    violations = result.must_add()
    if violations:
        lines.append(f"does NOT conform yet: {len(violations)} thing(s) a person must add:")
        for f in violations:
            where = f" [{_short(f.path)}]" if f.path else ""
            lines.append(f"  - {_short(f.focus)}{where}: {f.message}")
    else:
        lines.append("conforms to the shapes (no violation)")
    warnings = [f for f in result.report.findings if f.severity == "Warning"]
    if warnings:
        lines.append(f"{len(warnings)} warning(s) (recommended, not required):")
        for f in warnings:
            lines.append(f"  - {_short(f.focus)}: {f.message}")
    notes = [f for f in result.report.findings if f.severity == "Info"]
    reviews = [f for f in notes if f.component == "ReviewNote"]
    if reviews:
        lines.append(f"to review ({len(reviews)}):")
        for f in reviews:
            lines.append(f"  - {_short(f.focus)}: {f.message.removeprefix('review: ')}")
    others = len(notes) - len(reviews)
    if others:
        lines.append(f"{others} other info finding(s) (e.g. not yet linked to Wikidata)")
    if dry_run:
        lines.append("dry run: nothing was written")
    elif written is not None:
        if written:
            lines.append("wrote:")
            lines += [f"  {path}" for path in written]
        else:
            lines.append("unchanged: the files already hold this draft")
    lines.append(f"({counts['Violation']} violation(s), {counts['Warning']} warning(s), "
                 f"{counts['Info']} info(s))")
    return "\n".join(lines) + "\n"
